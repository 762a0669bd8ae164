"""A synthetic archive for benchmarks and demos: committees, terms, meetings with reports,
indicators, findings and directives, written the way conclusions are written.

Every meeting it makes has ``source_name == SYNTHETIC_SOURCE``, so it can be told apart from
real records and removed (``generate_archive --replace``). The same seed gives the same archive.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

from resolutions import vietnamese
from resolutions.bulk import insert_rows
from resolutions.models import (
    Committee,
    Directive,
    DirectiveTarget,
    Finding,
    Indicator,
    IndicatorSeries,
    Meeting,
    Report,
    Topic,
)
from resolutions.series import periods, repeats, targets
from resolutions.series.matching import SeriesMatcher, match_indicators

SYNTHETIC_SOURCE = "generate_archive"
BATCH = 5000

_DISTRICTS = [
    "Quận 1", "Quận 3", "Quận 4", "Quận 5", "Quận 6", "Quận 7", "Quận 8", "Quận 10",
    "Quận 11", "Quận 12", "quận Bình Thạnh", "quận Gò Vấp", "quận Phú Nhuận", "quận Tân Bình",
    "quận Tân Phú", "quận Bình Tân", "huyện Bình Chánh", "huyện Nhà Bè", "huyện Cần Giờ",
    "huyện Hóc Môn", "huyện Củ Chi",
]  # fmt: skip
_PLACES = [
    "khu đô thị mới", "khu dân cư hiện hữu", "tuyến đường liên phường", "khu tái định cư",
    "kênh Tàu Hũ", "khu công nghiệp", "chợ truyền thống", "khu phố 3", "ấp Bình Mỹ",
]  # fmt: skip
_VERBS = [
    "Tập trung", "Tiếp tục", "Đẩy mạnh", "Tăng cường", "Triển khai thực hiện", "Nâng cao",
    "Chỉ đạo quyết liệt", "Khẩn trương", "Thực hiện tốt", "Quan tâm",
]  # fmt: skip
_TASKS = {
    "kinh-te": [
        "công tác bồi thường giải phóng mặt bằng và tái định cư cho dự án {place}",
        "tiến độ giải ngân vốn đầu tư công, phấn đấu đạt {n}% kế hoạch vốn được giao",
        "công tác thu ngân sách nhà nước trên địa bàn, chống thất thu thuế",
        "quản lý quy hoạch, trật tự xây dựng đô thị tại {place}",
        "cải cách hành chính, giải quyết thủ tục hành chính cho người dân và doanh nghiệp",
        "công tác bảo vệ môi trường, thu gom rác thải tại {place}",
        "phát triển thương mại – dịch vụ, hỗ trợ doanh nghiệp nhỏ và vừa",
        "chương trình chuyển đổi số trong các cơ quan nhà nước",
    ],
    "van-hoa-xa-hoi": [
        "công tác giải quyết việc làm cho {n} lao động, hỗ trợ dạy nghề cho người dân",
        "chương trình giảm nghèo bền vững, hỗ trợ các hộ cận nghèo",
        "chất lượng giáo dục, xây dựng trường học đạt chuẩn quốc gia",
        "công tác phòng, chống dịch bệnh và chăm sóc sức khỏe nhân dân",
        "phong trào toàn dân đoàn kết xây dựng đời sống văn hóa ở khu dân cư",
        "công tác chăm lo gia đình chính sách, người có công",
    ],
    "quoc-phong-an-ninh": [
        "công tác phòng, chống tội phạm, nhất là tội phạm ma túy và trộm cắp tài sản",
        "tuần tra, kiểm soát bảo đảm trật tự an toàn giao thông tại {place}",
        "công tác tiếp công dân, giải quyết khiếu nại tố cáo kéo dài",
        "công tác tuyển chọn và gọi công dân nhập ngũ năm {year}",
        "xây dựng phong trào toàn dân bảo vệ an ninh Tổ quốc",
    ],
    "xay-dung-dang": [
        "công tác phát triển đảng viên, nhất là trong doanh nghiệp ngoài nhà nước",
        "công tác kiểm tra, giám sát và thi hành kỷ luật đảng",
        "việc học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
        "công tác cán bộ, quy hoạch và luân chuyển cán bộ",
        "nâng cao chất lượng sinh hoạt chi bộ, nhất là chi bộ khu phố",
    ],
    "dan-van": [
        "công tác dân vận, vận động nhân dân tham gia xây dựng chính quyền",
        "vai trò của Mặt trận Tổ quốc và các đoàn thể chính trị – xã hội",
        "công tác thanh niên, tập hợp đoàn viên thanh niên tại {place}",
        "thực hiện quy chế dân chủ ở cơ sở",
    ],
}
_HEADINGS = {
    "kinh-te": "Kinh tế",
    "van-hoa-xa-hoi": "Văn hóa – xã hội",
    "quoc-phong-an-ninh": "Quốc phòng – an ninh",
    "xay-dung-dang": "Xây dựng Đảng",
    "dan-van": "Công tác dân vận",
}
_TAILS = [
    "", " trong thời gian tới", " trên địa bàn", ", bảo đảm đúng tiến độ đề ra",
    "; định kỳ báo cáo kết quả về Ban Thường vụ", ", gắn trách nhiệm người đứng đầu",
]  # fmt: skip
_UNITS = ["", "", "", "Ủy ban nhân dân {level}", "Công an {level}", "Đoàn Thanh niên {level}"]

# Tasks written fresh for one meeting: an action on a thing at a named place, for a purpose.
# The places are many, so two fresh tasks rarely say nearly the same.
_ACTIONS = [
    "Rà soát", "Kiểm tra", "Hoàn thành", "Xây dựng kế hoạch thực hiện", "Tổ chức", "Sơ kết",
    "Đánh giá", "Đề xuất", "Chuẩn bị", "Hướng dẫn", "Củng cố", "Kiện toàn", "Bố trí", "Lập",
    "Giải quyết dứt điểm",
]  # fmt: skip
_THINGS = [
    "hồ sơ bồi thường của các hộ dân", "phương án di dời các hộ dân",
    "quy chế phối hợp giữa các ngành", "đề án nâng cấp hệ thống thoát nước",
    "danh mục công trình trọng điểm", "kế hoạch kiểm tra chuyên đề",
    "hồ sơ xin chủ trương đầu tư", "việc cấp giấy chứng nhận quyền sử dụng đất",
    "mặt bằng thi công", "việc lắp đặt camera an ninh", "điểm tập kết rác", "tổ tự quản",
    "bộ máy ban quản lý", "công trình phúc lợi", "lớp bồi dưỡng nghiệp vụ",
    "quỹ vì người nghèo", "nhà tình nghĩa", "việc xử lý lấn chiếm lòng lề đường",
    "hệ thống chiếu sáng công cộng", "phòng học mới", "trạm y tế", "bãi giữ xe",
    "việc di dời cơ sở gây ô nhiễm", "hồ sơ thanh quyết toán",
]  # fmt: skip
_PLACE_KINDS = ["đường", "dự án", "trường", "chợ", "kênh", "cầu", "khu phố", "ấp", "chung cư"]
_PLACE_NAMES = [
    "Lê Lợi", "Hai Bà Trưng", "Trần Hưng Đạo", "Nguyễn Trãi", "Lý Thường Kiệt", "Quang Trung",
    "Bến Nghé", "Tân Định", "Phú Thọ", "Bình Lợi", "Rạch Chiếc", "An Phú", "Long Trường",
    "Thạnh Mỹ", "Vĩnh Lộc", "Tân Kiên", "Phước Kiển", "Hiệp Bình", "Tam Bình", "Cát Lái",
    "Bàu Cát", "Hòa Hưng", "Phú Lâm", "Bình Phú", "Đa Kao", "Cô Giang", "Nhiêu Lộc", "Xuân Thới",
]  # fmt: skip
_PURPOSES = [
    "", "", " trước ngày 30 tháng 6", ", báo cáo Ban Thường vụ kết quả",
    " để trình Ủy ban nhân dân phê duyệt", ", không để kéo dài", " theo đúng quy định",
    ", có phân công cụ thể từng đồng chí phụ trách",
]  # fmt: skip
# Words set before a task given again: it comes back with small changes of wording.
_AGAIN = ["", "", "Tiếp tục ", "Khẩn trương ", "Quyết liệt "]


@dataclass(frozen=True)
class _Spec:
    """A figure a committee reports at each meeting: how large, how it moves, what it is called."""

    name: str
    unit: str
    base: float  # a year's amount in 1997, for a district
    growth: float  # a year's change
    cumulative: bool  # amounts add up over the months (a rate does not)
    other_name: str  # the name some conclusions use instead (containing or contained in it)


_SERIES = [
    _Spec("Thu ngân sách nhà nước trên địa bàn", "tỷ đồng", 300, 0.12, True,
          "Tổng thu ngân sách nhà nước trên địa bàn"),
    _Spec("Giá trị sản xuất công nghiệp", "tỷ đồng", 2000, 0.10, True,
          "Giá trị sản xuất công nghiệp – tiểu thủ công nghiệp"),
    _Spec("Doanh thu thương mại – dịch vụ", "tỷ đồng", 4000, 0.14, True,
          "Tổng doanh thu thương mại – dịch vụ"),
    _Spec("Giải quyết việc làm", "lao động", 3000, 0.03, True, "Giải quyết việc làm mới"),
    _Spec("Tỷ lệ hộ nghèo", "%", 9.0, -0.10, False, "Tỷ lệ hộ nghèo theo chuẩn thành phố"),
    _Spec("Kết nạp đảng viên mới", "đảng viên", 90, 0.02, True, "Kết nạp đảng viên"),
    _Spec("Vốn đầu tư phát triển trên địa bàn", "tỷ đồng", 900, 0.11, True,
          "Tổng vốn đầu tư phát triển trên địa bàn"),
    _Spec("Giảm hộ nghèo", "hộ", 400, -0.04, True, "Giảm hộ nghèo trong năm"),
    _Spec("Trẻ em trong độ tuổi đến trường", "%", 92.0, 0.005, False,
          "Tỷ lệ trẻ em trong độ tuổi đến trường"),
    _Spec("Thu hút vốn đầu tư nước ngoài", "triệu USD", 40, 0.09, True,
          "Thu hút vốn đầu tư trực tiếp nước ngoài"),
]  # fmt: skip
_SCALE: dict[str, float] = {
    Committee.Level.PROVINCE: 25.0,
    Committee.Level.DISTRICT: 1.0,
    Committee.Level.WARD: 0.06,
}
SERIES_PER_COMMITTEE = 6
INDICATORS_PER_MEETING = 5  # four results and the target for the coming period
STANDING = 6  # tasks a committee keeps giving until they are done


@dataclass
class Generated:
    committees: int = 0
    meetings: int = 0
    directives: int = 0
    indicators: int = 0
    rows: int = 0
    series: int = 0
    targets: int = 0
    repeat_links: int = 0


@dataclass
class _Committee:
    """What a committee carries from one meeting to the next: its figures and its open tasks."""

    specs: list[_Spec]
    scale: float
    noise: dict[_Spec, float]
    standing: list[list] = dataclass_field(default_factory=list)  # [text, unit, times left]


def remove_synthetic() -> int:
    meetings = Meeting.objects.filter(source_name=SYNTHETIC_SOURCE)
    count = meetings.count()
    for model in (Directive, Report, Indicator, Finding):
        model.objects.filter(meeting__in=meetings).delete()
    meetings.delete()
    # Series opened from the synthetic figures and left without any.
    IndicatorSeries.objects.filter(matches__isnull=True, targeted_by__isnull=True).delete()
    return count


def generate(directives: int, *, seed: int = 2007, progress=None) -> Generated:
    """About *directives* directives in meetings of ~25, spread over committees and terms,
    with INDICATORS_PER_MEETING figures each that drift from meeting to meeting, matched to
    their committee's series and the tasks naming a target linked to them (as an import
    does), and tasks given again across a committee's meetings."""
    rng = random.Random(seed)
    topics = {t.slug: t for t in Topic.objects.filter(slug__in=_TASKS)}
    result = Generated()
    with transaction.atomic():
        province, _ = Committee.objects.get_or_create(
            name="Ban Chấp hành Đảng bộ Thành phố Hồ Chí Minh",
            defaults={"level": Committee.Level.PROVINCE, "short_name": "Thành ủy", "symbol": "TU"},
        )
        committees = [province]
        meetings_needed = max(1, directives // 25)
        # Wards and communes too when the archive is large: some hundred meetings each at most,
        # so that their dates stay within the years the register covers.
        wards = min(14, meetings_needed // (len(_DISTRICTS) * 100))
        for district in _DISTRICTS:
            committee, created = Committee.objects.get_or_create(
                name=f"Ban Chấp hành Đảng bộ {district}",
                defaults={"level": Committee.Level.DISTRICT, "parent": province, "symbol": "QU"},
            )
            committees.append(committee)
            result.committees += created
            for number in range(1, wards + 1):
                kind = "xã" if district.startswith("huyện") else "phường"
                ward, created = Committee.objects.get_or_create(
                    name=f"Ban Chấp hành Đảng bộ {kind} {number} {district}",
                    defaults={"level": Committee.Level.WARD, "parent": committee, "symbol": "ĐU"},
                )
                committees.append(ward)
                result.committees += created
        per_committee = max(1, -(-meetings_needed // len(committees)))
        rows: dict[type, list] = {Directive: [], Report: [], Indicator: [], Finding: []}
        left = directives
        made_for: set[int] = set()
        for committee in committees:
            if meetings_needed <= 0:
                break
            meetings = _meetings(rng, committee, min(per_committee, meetings_needed))
            made_for.add(committee.pk)
            meetings_needed -= len(meetings)
            insert_rows(Meeting, meetings)
            result.meetings += len(meetings)
            state = _committee_state(rng, committee)
            aiming: list[Directive] = []
            for index, meeting in enumerate(meetings):
                # Every meeting some directives, the last one what is left.
                after = len(meetings) - 1 - index + meetings_needed
                count = left if after == 0 else max(1, min(rng.randint(15, 35), left - after))
                left -= count
                aiming += _parts(rng, meeting, count, topics, rows, state)
                result.directives += count
            indicators = list(rows[Indicator])
            result.indicators += len(indicators)
            result.rows += _flush(rows)
            made = _match(committee, indicators, aiming)
            result.series += made[0]
            result.targets += made[1]
            if progress:
                progress(result.directives)
        # The tasks given again, linked to the earlier ones (as importing in turn would).
        used = [c for c in committees if c.pk in made_for]
        result.repeat_links = repeats.rebuild(used)
    return result


def _committee_state(rng: random.Random, committee: Committee) -> _Committee:
    """A committee's series and how its figures drift, before its first meeting."""
    return _Committee(
        specs=rng.sample(_SERIES, SERIES_PER_COMMITTEE),
        scale=_SCALE.get(committee.level, 1.0) * rng.uniform(0.5, 1.5),
        noise={spec: rng.uniform(0.01, 0.05) for spec in _SERIES},
    )


def _match(committee: Committee, indicators: list[Indicator], aiming: list[Directive]):
    """Match the committee's figures to its series and the tasks naming a target to theirs,
    meeting after meeting, as importing them one by one would."""
    matcher = SeriesMatcher(committee.pk)
    before = len(matcher.series)
    match_indicators(indicators, matcher)
    made = [t for d in aiming if (t := targets.suggest(d, matcher.series)) is not None]
    DirectiveTarget.objects.bulk_create(made, batch_size=BATCH)
    return len(matcher.series) - before, len(made)


def _meetings(rng: random.Random, committee: Committee, count: int) -> list[Meeting]:
    meetings, term, number = [], 1, 0
    day = date(1997, 1, 15) + timedelta(days=rng.randint(0, 90))
    step = max(30, (28 * 365) // count)  # spread over 1997-2025
    for _ in range(count):
        number += 1
        if number > 24:  # a term of five years holds some twenty conferences
            term, number = term + 1, 1
        day += timedelta(days=rng.randint(step * 3 // 4, step * 5 // 4))
        quarter = (day.month - 1) // 3 + 2
        year = day.year + (quarter > 4)
        quarter = quarter - 4 if quarter > 4 else quarter
        plan = f"quý {vietnamese.to_roman(quarter)}/{year}"
        months = 3 * ((day.month - 1) // 3) or 12
        meeting = Meeting(
            committee=committee,
            term=term,
            number=number,
            kind=rng.choice([Meeting.Kind.REGULAR] * 4 + [Meeting.Kind.EXTENDED]),
            started_on=day,
            ended_on=day + timedelta(days=rng.choice([0, 1])),
            review_period=f"{months} tháng năm {day.year - (months == 12)}",
            plan_period=plan,
            title=(
                f"Kết luận Hội nghị lần thứ {number} {committee.name} khóa "
                f"{vietnamese.to_roman(term)} về nhiệm vụ {plan}"
            ),
            source_name=SYNTHETIC_SOURCE,
        )
        meeting.prepare_for_write()  # the plan's year, for the directives' deadlines
        meetings.append(meeting)
    return meetings


def _completion(rng, meeting: Meeting, due_on):
    """Most directives done, some late, some never: what a real register's follow-up shows."""
    if due_on is None or rng.random() < 0.3:
        return None
    days = rng.randint(-80, 0) if rng.random() < 0.75 else rng.randint(1, 120)
    done = max(due_on + timedelta(days=days), meeting.started_on)
    return done if done <= date.today() else None


def _fresh_task(rng) -> str:
    place = f"{rng.choice(_PLACE_KINDS)} {rng.choice(_PLACE_NAMES)}"
    if rng.random() < 0.6:
        place += f" số {rng.randint(1, 40)}"
    return f"{rng.choice(_ACTIONS)} {rng.choice(_THINGS)} tại {place}{rng.choice(_PURPOSES)}"


def _template_task(rng, slug: str, year: str) -> str:
    return (
        f"{rng.choice(_VERBS)} "
        + rng.choice(_TASKS[slug]).format(
            place=rng.choice(_PLACES), n=rng.randint(50, 3000), year=year
        )
        + rng.choice(_TAILS)
    )


def _amount(spec: _Spec, state: _Committee, year: int, rng) -> float:
    """A year's figure: the trend of the series, with some noise."""
    trend = spec.base * (1 + spec.growth) ** (year - 1997)
    if spec.cumulative:
        trend *= state.scale
    return trend * (1 + rng.gauss(0, state.noise[spec]))


def _figures(rng, meeting: Meeting, state: _Committee) -> list[Indicator]:
    """Four results of the period under review, with the plan and the change against the
    same period a year before, and the target set for the coming period."""
    period = periods.parse(meeting.review_period)
    year = period.year or meeting.started_on.year
    months = 12 if period.span == "cả năm" else int(period.span.split()[0])
    chosen = rng.sample(state.specs, INDICATORS_PER_MEETING)
    made = []
    for position, spec in enumerate(chosen[:-1], start=1):
        name = spec.other_name if rng.random() < 0.1 else spec.name
        share, label = months / 12, meeting.review_period
        if spec.cumulative and months < 12 and rng.random() < 0.25:
            quarter = months // 3  # the last quarter alone, not the months to date
            share, label = 0.25, f"quý {vietnamese.to_roman(quarter)}/{year}"
        amount = _amount(spec, state, year, rng)
        value = amount * share if spec.cumulative else amount
        plan = value * rng.uniform(0.92, 1.08)
        digits = "0.01" if spec.unit == "%" else "0.1"
        made.append(
            Indicator(
                meeting=meeting,
                position=position,
                name=name,
                period=label,
                value=Decimal(str(value)).quantize(Decimal(digits)),
                unit=spec.unit,
                target_value=Decimal(str(plan)).quantize(Decimal(digits)),
                plan_pct=Decimal(str(value / plan * 100)).quantize(Decimal("0.01")),
                change_pct=Decimal(str(spec.growth * 100 + rng.gauss(0, 2))).quantize(
                    Decimal("0.1")
                ),
                compared_with="cùng kỳ",
            )
        )
    spec = chosen[-1]
    upcoming = periods.parse(meeting.plan_period)
    amount = _amount(spec, state, upcoming.year or year, rng)
    value = amount / 4 * 1.05 if spec.cumulative else amount * (0.97 if spec.growth < 0 else 1.01)
    made.append(
        Indicator(
            meeting=meeting,
            position=INDICATORS_PER_MEETING,
            name=spec.name,
            period=meeting.plan_period,
            value=Decimal(str(value)).quantize(Decimal("0.1")),
            unit=spec.unit,
            is_target=True,
        )
    )
    return made


def _aim(indicator: Indicator) -> str:
    """A task naming the target of the coming period: "phấn đấu … đạt 1.200 tỷ đồng"."""
    name = indicator.name[0].lower() + indicator.name[1:]
    if indicator.unit == "%" or indicator.value is None:
        return f"Phấn đấu {name} đạt 100% kế hoạch {indicator.period}"
    level = vietnamese.format_decimal(indicator.value, grouping=True)
    return f"Phấn đấu {name} đạt {level} {indicator.unit} trong {indicator.period}"


def _task_texts(rng, meeting: Meeting, count: int, state: _Committee, aim: str):
    """(text, unit) for *count* tasks: the target, the standing tasks given again in other
    words, and fresh ones; a standing task done or dropped is replaced by a fresh one."""
    level = meeting.committee.name.split("Đảng bộ ")[-1].split(" ")[0].lower()
    year = str(meeting.plan_year or meeting.started_on.year)
    texts = [(aim, "")]
    for task in state.standing[: max(0, count - 1)]:
        again = rng.choice(_AGAIN)
        text = again + task[0][0].lower() + task[0][1:] if again else task[0]
        texts.append((text, task[1]))
        task[2] -= 1
    state.standing = [task for task in state.standing if task[2] > 0]
    while len(state.standing) < STANDING:
        core = _fresh_task(rng) if rng.random() < 0.7 else _template_task(rng, "kinh-te", year)
        unit = rng.choice(_UNITS).format(level=level)
        state.standing.append([core, unit, rng.randint(1, 6)])
    while len(texts) < count:
        slug = rng.choice(list(_TASKS))
        text = _fresh_task(rng) if rng.random() < 0.6 else _template_task(rng, slug, year)
        texts.append((text, rng.choice(_UNITS).format(level=level)))
    texts = texts[:count]
    rng.shuffle(texts)
    return texts


def _parts(rng, meeting: Meeting, count: int, topics, rows, state: _Committee) -> list:
    """The meeting's reports, figures, findings and *count* directives; returns the directive
    that names a target."""
    figures = _figures(rng, meeting, state)
    rows[Indicator] += figures
    aim = _aim(figures[-1])
    slugs = list(_TASKS)
    per_section = [count // len(slugs)] * len(slugs)
    for i in range(count - sum(per_section)):
        per_section[i] += 1
    texts = iter(_task_texts(rng, meeting, count, state, aim))
    aiming = []
    for order, (slug, size) in enumerate(zip(slugs, per_section, strict=True), start=1):
        for position in range(1, size + 1):
            text, unit = next(texts)
            text = f"{text}."
            if unit:
                text = f"{unit} {text[0].lower()}{text[1:]}"
            directive = Directive(
                meeting=meeting,
                section_order=order,
                section_number=str(order),
                section_heading=_HEADINGS[slug],
                position=position,
                text=text,
                topic=topics.get(slug),
                responsible_unit=unit,
                due_period=meeting.plan_period,
            )
            directive.prepare_for_write()  # its deadline, which its completion follows
            directive.completed_on = _completion(rng, meeting, directive.due_on)
            rows[Directive].append(directive)
            if text.startswith("Phấn đấu"):
                aiming.append(directive)
    for position in range(1, 4):
        rows[Report].append(
            Report(
                meeting=meeting,
                position=position,
                kind=Report.Kind.REPORT if position < 3 else Report.Kind.WORK_PROGRAMME,
                title=f"báo cáo tình hình thực hiện nhiệm vụ {meeting.review_period} ({position})",
            )
        )
    rows[Finding].append(
        Finding(
            meeting=meeting,
            position=1,
            kind=Finding.Kind.ACHIEVEMENT,
            text="Tình hình kinh tế – xã hội tiếp tục ổn định; quốc phòng – an ninh được giữ vững.",
        )
    )
    rows[Finding].append(
        Finding(
            meeting=meeting,
            position=2,
            kind=Finding.Kind.SHORTCOMING,
            text="Tuy nhiên, công tác bồi thường, giải phóng mặt bằng còn chậm.",
        )
    )
    return aiming


def _flush(rows: dict) -> int:
    written = 0
    for model, batch in rows.items():
        insert_rows(model, batch, batch_size=BATCH)
        written += len(batch)
        batch.clear()
    return written
