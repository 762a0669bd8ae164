"""A synthetic archive for benchmarks and demos: committees, terms, meetings with reports,
indicators, findings and directives, written the way conclusions are written.

Every meeting it makes has ``source_name == SYNTHETIC_SOURCE``, so it can be told apart from
real records and removed (``generate_archive --replace``). The same seed gives the same archive.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

from resolutions import vietnamese
from resolutions.bulk import insert_rows
from resolutions.models import Committee, Directive, Finding, Indicator, Meeting, Report, Topic

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
_INDICATORS = [
    ("Tổng thu ngân sách nhà nước trên địa bàn", "tỷ đồng"),
    ("Giá trị sản xuất công nghiệp – tiểu thủ công nghiệp", "tỷ đồng"),
    ("Doanh thu thương mại – dịch vụ", "tỷ đồng"),
    ("Giải quyết việc làm", "lao động"),
    ("Tỷ lệ hộ nghèo", "%"),
    ("Kết nạp đảng viên mới", "đảng viên"),
]


@dataclass
class Generated:
    committees: int = 0
    meetings: int = 0
    directives: int = 0
    rows: int = 0


def remove_synthetic() -> int:
    meetings = Meeting.objects.filter(source_name=SYNTHETIC_SOURCE)
    count = meetings.count()
    for model in (Directive, Report, Indicator, Finding):
        model.objects.filter(meeting__in=meetings).delete()
    meetings.delete()
    return count


def generate(directives: int, *, seed: int = 2007, progress=None) -> Generated:
    """About *directives* directives in meetings of ~25, spread over committees and terms."""
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
        made = 0
        for committee in committees:
            batch = _meetings(rng, committee, per_committee)
            insert_rows(Meeting, batch)
            made += len(batch)
            result.meetings += len(batch)
            if made >= meetings_needed:
                break
        meetings = list(
            Meeting.objects.filter(source_name=SYNTHETIC_SOURCE).select_related("committee")
        )
        rows: dict[type, list] = {Directive: [], Report: [], Indicator: [], Finding: []}
        left = directives
        for index, meeting in enumerate(meetings):
            count = left if index == len(meetings) - 1 else min(left, rng.randint(15, 35))
            left -= count
            _parts(rng, meeting, count, topics, rows)
            result.directives += count
            if len(rows[Directive]) >= BATCH:
                result.rows += _flush(rows)
                if progress:
                    progress(result.directives)
            if left <= 0:
                break
        result.rows += _flush(rows)
    return result


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
        meeting = Meeting(
            committee=committee,
            term=term,
            number=number,
            kind=rng.choice([Meeting.Kind.REGULAR] * 4 + [Meeting.Kind.EXTENDED]),
            started_on=day,
            ended_on=day + timedelta(days=rng.choice([0, 1])),
            review_period=f"{3 * ((day.month - 1) // 3) or 12} tháng năm {day.year}",
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


def _parts(rng, meeting: Meeting, count: int, topics: dict, rows: dict) -> None:
    level = meeting.committee.name.split("Đảng bộ ")[-1].split(" ")[0].lower()
    year = str(meeting.plan_year or meeting.started_on.year)
    slugs = list(_TASKS)
    per_section = [count // len(slugs)] * len(slugs)
    for i in range(count - sum(per_section)):
        per_section[i] += 1
    for order, (slug, size) in enumerate(zip(slugs, per_section, strict=True), start=1):
        for position in range(1, size + 1):
            text = (
                f"{rng.choice(_VERBS)} "
                + rng.choice(_TASKS[slug]).format(
                    place=rng.choice(_PLACES), n=rng.randint(50, 3000), year=year
                )
                + rng.choice(_TAILS)
                + "."
            )
            unit = rng.choice(_UNITS).format(level=level)
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
    for position in range(1, 4):
        rows[Report].append(
            Report(
                meeting=meeting,
                position=position,
                kind=Report.Kind.REPORT if position < 3 else Report.Kind.WORK_PROGRAMME,
                title=f"báo cáo tình hình thực hiện nhiệm vụ {meeting.review_period} ({position})",
            )
        )
    for position, (name, unit) in enumerate(rng.sample(_INDICATORS, 3), start=1):
        rows[Indicator].append(
            Indicator(
                meeting=meeting,
                position=position,
                name=name,
                period=meeting.review_period,
                value=Decimal(rng.randint(10, 99999)) / 10,
                unit=unit,
                change_pct=Decimal(rng.randint(-200, 800)) / 10,
                compared_with="cùng kỳ",
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


def _flush(rows: dict) -> int:
    written = 0
    for model, batch in rows.items():
        insert_rows(model, batch, batch_size=BATCH)
        written += len(batch)
        batch.clear()
    return written
