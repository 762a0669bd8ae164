"""Reading a conclusion's text into a ParsedConclusion.

A conclusion is laid out the same way whoever wrote it: a title naming the conference, a
preamble ("Hội nghị … họp … đã thông qua …"), a review of the period past (figures, then what
fell short: "Tuy nhiên, …"), an instruction that opens the tasks ("… nhiệm vụ trọng tâm sau:"),
and the tasks grouped into numbered sections of bulleted directives. Numbering styles differ
from office to office, so the levels are inferred from the order in which marker styles appear.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from datetime import date

from ..vietnamese import (
    find_date_range,
    fold,
    from_roman,
    make_date,
    nfc,
    parse_number_words,
    parse_term,
    to_roman,
)
from . import evidence, figures
from .model import (
    ParsedConclusion,
    ParsedDirective,
    ParsedFinding,
    ParsedReport,
    ParsedSection,
    ParseWarning,
)
from .topics import TopicMatcher

# --- Lines and their markers --------------------------------------------------------------


@dataclass
class Paragraph:
    line: int  # 1-based line number in the document
    text: str
    kind: str = ""  # the marker style: roman, arabic, letter, ordinal, dash, dot, plus; "" for none
    number: str = ""  # the marker's number as printed: "2", "II", "a", "Một"
    body: str = ""  # the text after the marker


# A committee meets a few times a year in a five-year term; a number past this is a slip
# (and past 32767 could not be stored). benchmark_parsing numbers its copies from 1000.
_MAX_MEETING_NUMBER = 9999
_ORDINALS = ["Một", "Hai", "Ba", "Bốn", "Năm", "Sáu", "Bảy", "Tám", "Chín", "Mười"]
# Marker styles, tried in this order; each group is named after its style.
_MARKERS = (
    ("roman", r"(?P<roman>[IVX]{1,4})\s*(?:\.\s*[-–—]|[.\-–—/)])\s*(?=\S)"),
    ("sub", r"(?P<sub>\d{1,2}\.\d{1,2})\s*(?:\.\s*[-–—]?|[-–—)])\s*(?=\S)"),
    ("arabic", r"(?P<arabic>\d{1,2})\s*(?:\.\s*[-–—]|[.\-–—/)])\s*(?!\d)(?=\S)"),
    ("letter", r"(?P<letter>[a-zđ])\s*[).]\s+"),
    ("ordinal", rf"(?P<ordinal>{'|'.join(_ORDINALS)})\s+là\s*[,:]\s*"),
    ("dash", r"(?P<dash>[-–—])\s*"),
    ("dot", r"(?P<dot>[•·*●▪])\s*"),
    ("plus", r"(?P<plus>\+)\s*"),
)
# One pattern for every line: the first style that matches, as the order above says.
_MARKER_RE = re.compile("|".join(f"(?:{pattern})" for _, pattern in _MARKERS))
_SPACES_RE = re.compile(r"[ \t]+")
_RULE_RE = re.compile(r"[\s\-–—_=*.]+")  # a line drawn with dashes, dots or stars


def _paragraph(line: int, text: str) -> Paragraph:
    text = _SPACES_RE.sub(" ", text).strip()
    match = _MARKER_RE.match(text)
    if match:
        kind = match.lastgroup
        assert kind is not None  # every alternative of the pattern is a named group
        return Paragraph(line, text, kind, match.group(kind), text[match.end() :].strip())
    return Paragraph(line, text, "", "", text)


_ROMAN_DIGITS = {"I": 1, "V": 5, "X": 10}


def _roman_value(number: str) -> int:
    """A Roman marker's value, also as miswritten: "IIII" -> 4, "VV" -> 10, "VIV" -> 9.

    A letter before a larger one is taken away, any other added, as a reader would.
    """
    try:
        return from_roman(number)
    except ValueError:
        values = [_ROMAN_DIGITS[letter] for letter in number]
        return sum(-v if v < w else v for v, w in zip(values, [*values[1:], 0], strict=True))


def _marker_value(kind: str, number: str) -> int | None:
    if kind == "arabic":
        return int(number)
    if kind == "sub":  # "2.1." is the first under 2
        return int(number.split(".")[1])
    if kind == "roman":
        return _roman_value(number)
    if kind == "letter":
        return "abcdđeghiklmnopqrstuvxy".find(number) + 1 or None
    if kind == "ordinal":
        return _ORDINALS.index(number) + 1
    return None


# --- What the parts of a document look like ----------------------------------------------

_KINDS = (
    ("thong bao ket luan", "conclusion_notice", "Thông báo kết luận"),
    ("ket luan", "conclusion", "Kết luận"),
    ("nghi quyet", "resolution", "Nghị quyết"),
)
_BARE_KINDS = {prefix for prefix, _, _ in _KINDS}
_WEEKDAY_LINE = re.compile(
    r"^(?:thứ\s+(?:hai|ba|tư|năm|sáu|bảy)|chủ\s+nhật)\s*,?\s*(?:ngày\s+)?\d", re.I
)
_SITE_LABELS = {
    "thong bao",
    "tin tuc",
    "van ban",
    "tin lien quan",
    "chia se",
    "in trang",
    "tin khac",
    "tro ve",
    "dau trang",
}
_SIGNATURE = re.compile(
    r"^(?:T/?M\.?\s|TM\.|Nơi nhận|BÍ THƯ|PHÓ BÍ THƯ|\(?đã ký\)?|K/?T\.?\s)", re.I
)
# A news report has no title line: its lead sentence names the meeting and its date.
_LEAD_RE = re.compile(r"\b(?:hội nghị|đại hội|họp)\b", re.I)
_LEAD_DATE_RE = re.compile(
    r"\b(?:ngày|sáng|chiều|tối|trưa)\s+(?:ngày\s+)?(\d{1,2})"
    r"(?:\s*(?:và|đến|,)\s*(?:ngày\s+)?(\d{1,2}))?\s*[/.-]\s*(\d{1,2})\b(?!\s*[/.-]\s*\d)",
    re.I,
)
# The closing paragraph of a report opens the tasks; it is never a title.
_CLOSING_RE = re.compile(
    r"^(?:Kết luận|Phát biểu kết luận)\s+(?:tại\s+)?(?:hội nghị|phiên họp|cuộc họp|đại hội)\s*,",
    re.I,
)
# A paragraph that opens the tasks with the time they are for: "Từ nay đến cuối năm, …",
# "Trong tháng 5 năm 2018, Đảng ủy yêu cầu …"; or "Hội nghị yêu cầu …".
_TASK_OPENING_RE = re.compile(
    r"^(?:Trong\s+)?(?P<when>Từ nay đến cuối năm|(?:\d+|sáu|ba|chín)\s+tháng cuối năm|thời gian tới"
    r"|tháng\s+\d{1,2}(?:\s+năm\s+\d{4})?|quý\s+[IV]+(?:\s+năm\s+\d{4})?)\b"
    r".{0,200}?\b(?:chỉ đạo|yêu cầu|đề nghị|tập trung|tiếp tục)\b"
    r"|^(?:Hội nghị|Đại hội|Phiên họp)\s+(?:yêu cầu|đề nghị|chỉ đạo)\b",
    re.I,
)
# What a list of tasks in one paragraph follows: "… yêu cầu các cấp: a; b; c".
_INLINE_TASKS_RE = re.compile(r"\b(?:yêu cầu|chỉ đạo|đề nghị)\b", re.I)
_GO_ON_RE = re.compile(r"\btiếp tục\b", re.I)
_CAPTION_RE = re.compile(
    r"\bẢnh\s*:|^(?:Ảnh|Thực hiện|Tác giả|Nguồn|Bình luận)\b"
    r"|^(?:Đồng chí|Ông|Bà)\s[^.;:]{0,120}\b(?:phát biểu|chủ trì|trao|tặng)\b[^.;:]{0,80}\.?$",
    re.I,
)
_PROCEDURE_RE = re.compile(
    r"^(?:Hội nghị|Phiên họp|Đại hội)\s+(?:cũng\s+)?(?:đã\s+)?"
    r"(?:cho ý kiến|thảo luận|nghe|xem xét|được|sơ kết|tổng kết|thông qua)",
    re.I,
)
# A report says what fell short without a heading: "… vẫn còn nhiều khó khăn", "… còn chậm".
_FELL_SHORT_RE = re.compile(
    r"\b(?:còn|vẫn còn)\s+(?:nhiều\s+|một số\s+)?(?:khó khăn|hạn chế|chậm|thấp|yếu|thiếu)\b", re.I
)
_PERIOD_RE = re.compile(
    r"\b(?:(?:\d+|sáu|chín|ba)\s+tháng(?:\s+(?:đầu|cuối))?(?:\s+năm)?(?:\s+\d{4})?"
    r"|quý\s+[IV]+(?:\s*(?:/|năm)\s*\d{4})?|tháng\s+\d{1,2}(?:\s+năm\s+\d{4})?|năm\s+\d{4}"
    r"|giai đoạn\s+\d{4}\s*[-–]\s*\d{4})",
    re.I,
)
_LEVELS = r"(quận|huyện|tỉnh|thành phố|thị xã|phường|xã)"
# A party congress: "Đại hội đại biểu Đảng bộ huyện X lần thứ XXI", "Đảng bộ huyện X tiến hành
# Đại hội đại biểu lần thứ XXI"; the conference of a committee names "Hội nghị" before it.
_CONGRESS_RE = re.compile(rf"\bĐảng bộ\s+{_LEVELS}\s+.{{0,60}}?\blần thứ\s+([IVXLC]+|\d+)\b", re.I)
_CONGRESS_WORD_RE = re.compile(r"\b(?:Đại hội|Hội nghị)\b", re.I)
# A meeting of the People's Committee: "UBND tỉnh Tuyên Quang họp phiên thường kỳ".
_GOVERNMENT_RE = re.compile(rf"\b(?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân)\s+{_LEVELS}\s+", re.I)
_GOVERNMENT_MEETING_RE = re.compile(r"\bphiên họp\b|\bhọp phiên\b|\bhọp thường kỳ\b", re.I)
# "phiên họp thường kỳ tháng 4 năm 2021" names the meeting, not a period it reviews.
_SESSION_MONTH_RE = re.compile(r"\bthường kỳ\s+tháng\s+\d{1,2}(?:\s*(?:-|năm)\s*\d{4})?", re.I)
_TERM_SPAN_RE = re.compile(r"(?:nhiệm kỳ\s+|\()(\d{4})\s*[-–]\s*(\d{4})", re.I)
_REVIEWED_RE = re.compile(
    rf"\b(?:đánh giá|tình hình|kết quả)\b[^.;:]{{0,80}}?(?P<period>{_PERIOD_RE.pattern})", re.I
)
_OPENING_PERIOD_RE = re.compile(rf"^(?:Trong\s+)?(?P<period>{_PERIOD_RE.pattern}),", re.I)
_PLANNED_RE = re.compile(
    rf"\b(?:phương hướng|nhiệm vụ|kế hoạch)\b[^.;:]{{0,40}}?(?P<period>{_PERIOD_RE.pattern})", re.I
)
_NARRATIVE_RE = re.compile(
    r"^(?:Hội nghị|Đại hội|Phiên họp)\s+(?:cũng\s+)?đã\s+(?:bầu|bế mạc|kết thúc)\b"
)
_SHORT_LEVELS = {
    "huyện": "huyện",
    "tỉnh": "tỉnh",
    "thành": "thành phố",
    "quận": "quận",
    "thị": "thị xã",
}
_SYMBOL_LINE = re.compile(r"^Số\s*[:.]?\s*(\d+\s*[-–]\s*[A-ZĐ]+\s*/\s*[A-ZĐ]+(?:-[A-ZĐ]+)*)")
_SHORTCOMING = re.compile(
    r"^(?:tuy nhiên|tuy vậy|"
    r"bên cạnh (?:đó|những kết quả)|hạn chế|tồn tại|mặt hạn chế|những hạn chế|"
    r"những mặt còn hạn chế|mặt còn hạn chế|"
    r"yếu kém|một số (?:hạn chế|tồn tại|mặt còn hạn chế))",
    re.I,
)
_TASK_INTRO = re.compile(r"(nhiệm vụ|phương hướng|giải pháp|chỉ đạo|tập trung)", re.I)
_COMMITTEE_RE = re.compile(
    r"((?:Ban\s+Chấp\s+hành|BCH)\s+Đảng\s+bộ\s+.+?)"
    r"(?=\s*(?:\(|,|\s(?:lần|khóa|khoá|về|Về|họp|nhiệm|mở|tổ|đã|được)\b|$))",
    re.I,
)
_TERM_RE = re.compile(r"\b(?:khóa|khoá)\s+([IVXLC]+|\d+)\b", re.I)
_NUMBER_RE = re.compile(r"\blần\s+thứ\s+(\d+|[^\W\d]+(?:\s+[^\W\d]+){0,2})", re.I)
_SHORT_NAME_RE = re.compile(
    r"\b((?:Quận|Huyện|Tỉnh|Thành|Thị|Đảng)\s+ủy\s+"
    r"(?:(?:quận|huyện|tỉnh|thành phố|thị xã|phường|xã)\s+)?"
    r"(?:\d+|[A-ZĐ][\wÀ-ỹ]*(?:\s+[A-ZĐ][\wÀ-ỹ]*)*))"
)
_REVIEW_PERIOD_RE = re.compile(
    r"\b((?:\d+|sáu|chín)\s+tháng(?:\s+(?:đầu|cuối))?(?:\s+năm(?:\s+\d{4})?)?|"
    r"quý\s+[IV]+(?:\s*/\s*\d{4}|\s+năm\s+\d{4})?|tháng\s+\d{1,2}(?:\s+năm\s+\d{4})?|năm\s+\d{4})",
    re.I,
)
# The plan period: the first period named after "phương hướng" or "nhiệm vụ" in one clause.
_PLAN_WORDS_RE = re.compile(r"phương hướng|nhiệm vụ", re.I)
_PLAN_PERIOD_RE = re.compile(
    r"\b(quý\s+[IV]+\s*(?:/|năm)\s*\d{4}|\d+\s+tháng\s+(?:đầu|cuối)\s+năm\s+\d{4}"
    r"|tháng\s+\d{1,2}\s+năm\s+\d{4}|năm\s+\d{4})",
    re.I,
)
_PREAMBLE_RE = re.compile(
    r"^Hội nghị\b|\b(?:thông qua|họp|tổ chức Hội nghị|tiến hành Hội nghị)\b|^Ngày\b.*\bHội nghị\b",
    re.I,
)
_REPORT_KINDS = (
    ("chuong trinh hanh dong", "action_programme"),
    ("chuong trinh lam viec", "work_programme"),
    ("de an", "scheme"),
    ("to trinh", "submission"),
    ("bao cao", "report"),
)
_CITATION_RE = re.compile(
    r"\b(Nghị quyết|Chỉ thị|Kết luận|Quyết định|Quy định|Thông tri|Hướng dẫn|Nghị định|"
    r"Thông tư|Luật|Thông báo)(\s+số)?\s+(\d+)\s*([-–—/])\s*"
    r"([A-ZĐ]+(?:\s*[/-]\s*[A-ZĐ]+)*)(\s+ngày\s+\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4})?"
)
_CENTRAL_RESOLUTION_RE = re.compile(
    r"\bNghị quyết Trung ương\s+\d+(?:\s*,\s*\d+)*(?:\s*\(\s*khóa\s+[IVXLC]+\s*\))?"
)
# Bodies a directive may name as the one to act: the People's Committee, mass organizations,
# the committee's departments. Generic addressees ("Các ngành", "Cấp ủy phường") are not units.
_UNIT_NAMES = (
    r"(?:Ủy|Uỷ) ban nhân dân(?:\s+(?:các\s+)?(?:quận|huyện|thành phố|tỉnh|thị xã|phường|xã)"
    r"(?:\s+\d+|(?:\s+[A-ZĐ][\wÀ-ỹ]*)+)?)?|UBND(?:\s+(?:quận|huyện|thành phố|tỉnh|phường|xã))?|"
    r"Đoàn Thanh niên(?: Cộng sản Hồ Chí Minh)?(?:\s+(?:quận|huyện|phường|xã))?|"
    r"Hội Liên hiệp Phụ nữ(?:\s+(?:quận|huyện))?|Hội Nông dân(?:\s+(?:quận|huyện))?|"
    r"Hội Cựu chiến binh(?:\s+(?:quận|huyện))?|Liên đoàn Lao động(?:\s+(?:quận|huyện))?|"
    r"(?:Ủy|Uỷ) ban Mặt trận Tổ quốc(?: Việt Nam)?(?:\s+(?:quận|huyện))?|"
    r"Mặt trận Tổ quốc(?: Việt Nam)?(?:\s+(?:quận|huyện))?|"
    r"Ban (?:Tuyên giáo|Tổ chức|Dân vận|Nội chính)(?:\s+(?:Quận|Huyện|Tỉnh|Thành|Thị)\s+ủy)?|"
    r"(?:Ủy|Uỷ) ban Kiểm tra(?:\s+(?:Quận|Huyện|Tỉnh|Thành|Thị)\s+ủy)?|"
    r"Văn phòng (?:Quận|Huyện|Tỉnh|Thành|Thị)\s+ủy|"
    r"Công an(?:\s+(?:quận|huyện|tỉnh|thành phố))|Ban Chỉ huy Quân sự(?:\s+(?:quận|huyện))?|"
    r"Hội đồng nhân dân(?:\s+(?:quận|huyện|tỉnh|thành phố))?|"
    r"Đảng đoàn [A-ZĐ][\wÀ-ỹ ]{1,80}?(?= (?:có|cần|phải|chủ trì|chỉ đạo))|"
    r"Văn phòng HĐND và UBND(?:\s+(?:quận|huyện|tỉnh|thành phố))?|"
    r"Ban cán sự đảng\s+(?:UBND|Ủy ban nhân dân)(?:\s+(?:tỉnh|thành phố|huyện|quận))?|"
    r"(?:UBND|Ủy ban nhân dân) các (?:huyện|quận|xã|phường)"
    r"(?:, (?:thị xã, )?(?:thành phố|thị trấn))?|"
    r"(?:Ủy|Uỷ) ban nhân dân Thành phố|"
    r"(?:Phòng|Sở)\s+[^\s,;.][^,;.]{0,60}?"
)
_NAMED_UNIT_RE = re.compile(rf"(?:{_UNIT_NAMES})")
_UNIT_RE = re.compile(
    r"^(?:(?:Bên cạnh đó|Đồng thời|Trong đó|Ngoài ra|Mặt khác)\s*,\s*)?"
    rf"({_UNIT_NAMES})"
    r"\s+(?:có|cần|phải|chủ trì|chịu trách nhiệm|tập trung|khẩn trương|chỉ đạo|phối hợp|"
    r"tiếp tục|rà soát|triển khai|xây dựng|tổ chức|nghiên cứu|thực hiện|sớm|kịp thời|"
    r"tăng cường|đẩy mạnh|theo dõi|hướng dẫn|kiểm tra|tham mưu|quan tâm|hoàn thiện|hoàn chỉnh|"
    r"tiếp thu|đẩy nhanh|xử lý|giải quyết|bảo đảm|chuẩn bị)\b"
)
_SHORT_UNIT_RE = re.compile(
    r"^(?:(?:Bên cạnh đó|Đồng thời|Ngoài ra|Mặt khác)\s*,\s*)?(Đoàn|Hội|Ủy ban|Uỷ ban|Mặt trận)"
    r"\s+(?:phải|cần|có trách nhiệm|chủ trì|chủ động)\b"
)


def parse_conclusion(
    text: str, *, topics: TopicMatcher | None = None, source_name: str = ""
) -> ParsedConclusion:
    """Read a conclusion's text. Never raises on odd layout: what is uncertain becomes a warning."""
    return _Reader(nfc(text), topics or TopicMatcher()).read()


# A clerk reads warnings one by one: past this many of one kind, the rest are counted in one.
WARNINGS_OF_A_KIND = 20


def _capped(warnings: list[ParseWarning]) -> list[ParseWarning]:
    """The first WARNINGS_OF_A_KIND warnings of each kind, and one that counts the rest."""
    kept: list[ParseWarning] = []
    extra: dict[str, ParseWarning] = {}
    seen: dict[str, int] = {}
    for warning in warnings:
        seen[warning.code] = seen.get(warning.code, 0) + 1
        if seen[warning.code] <= WARNINGS_OF_A_KIND:
            kept.append(warning)
        else:
            extra.setdefault(warning.code, warning)
    for code, first in extra.items():
        more = seen[code] - WARNINGS_OF_A_KIND
        kept.append(
            ParseWarning(
                first.line,
                code,
                f"và {more} cảnh báo cùng loại nữa, từ dòng {first.line} trở đi "
                f"(chỉ hiện {WARNINGS_OF_A_KIND} cảnh báo đầu của mỗi loại).",
            )
        )
    kept.sort(key=lambda w: w.line)
    return kept


class _Reader:
    def __init__(self, text: str, topics: TopicMatcher):
        self.text = text
        self.topics = topics
        self.result = ParsedConclusion(source_text=text)
        self.news = False  # a news report of the meeting rather than the document itself
        self.warnings = self.result.warnings
        self.warned_once: set[str] = set()

    def warn(self, line: int, code: str, message: str) -> None:
        self.warnings.append(ParseWarning(line, code, message))

    def warn_once(self, line: int, code: str, message: str) -> None:
        """For what the title and the preamble may both say: warned where first read."""
        if code not in self.warned_once:
            self.warned_once.add(code)
            self.warn(line, code, message)

    def read(self) -> ParsedConclusion:
        lines = self.text.split("\n")
        paragraphs = [
            _paragraph(number, line)
            for number, line in enumerate(lines, start=1)
            if line.strip() and not _RULE_RE.fullmatch(line)
        ]
        self._warn_miswritten_romans(paragraphs)
        body = self._strip_web_noise(paragraphs)
        if not self.news:
            body = self._read_title(body)
        body = self._read_preamble(body)
        review, tasks = self._split_review_and_tasks(body)
        if self.news:
            self._periods_in_body(review, tasks)
        self._read_review(review)
        self._read_tasks(tasks)
        self._find_targets_and_citations()
        self._warn_repeated_directives()
        evidence.attach(self.result, lines, tasks[0].line if tasks else None)
        self.warnings.sort(key=lambda w: w.line)
        self.warnings[:] = _capped(self.warnings)
        return self.result

    def _warn_miswritten_romans(self, paragraphs: list[Paragraph]) -> None:
        for paragraph in paragraphs:
            if paragraph.kind == "roman":
                value = _roman_value(paragraph.number)
                if to_roman(value) != paragraph.number:
                    self.warn(
                        paragraph.line,
                        "numbering_slip",
                        f"số La Mã “{paragraph.number}” viết không đúng cách "
                        f"(đáng lẽ là “{to_roman(value)}”): được đọc là {value}.",
                    )

    # --- Around the document ---------------------------------------------------------------

    def _strip_web_noise(self, paragraphs: list[Paragraph]) -> list[Paragraph]:
        result = self.result
        start = 0
        for index, paragraph in enumerate(paragraphs):
            if self._document_kind(paragraph.text):
                start = index
                break
            if index < 12 and self._is_lead(paragraph):
                # A news report: the lead sentence opens the body, the page comes before it.
                start, self.news = index, True
                break
        else:
            return paragraphs
        if not self.news:
            # A page may name the document in its headline before the document itself begins
            # with the bare "NGHỊ QUYẾT" / "KẾT LUẬN" line.
            start = next(
                (
                    start + offset
                    for offset, paragraph in enumerate(paragraphs[start : start + 10])
                    if fold(paragraph.text).strip(" .:") in _BARE_KINDS
                ),
                start,
            )
        for paragraph in paragraphs[:start]:
            if self.news:
                dates = self._dates(paragraph) if len(paragraph.text) < 80 else None
                if dates and not result.published_on:
                    result.published_on = dates[0]
                continue
            if _WEEKDAY_LINE.match(paragraph.text):
                dates = self._dates(paragraph)
                if dates:
                    result.published_on = dates[0]
                self.warn(
                    paragraph.line,
                    "site_date",
                    f"dòng ngày đăng của trang web “{paragraph.text}” không thuộc văn bản; "
                    "được lấy làm ngày đăng tải và bỏ qua.",
                )
                continue
            symbol = _SYMBOL_LINE.match(paragraph.text)
            if symbol:
                result.document_symbol = _normalize_symbol(symbol.group(1))
            elif re.search(r",\s*ngày\s+\d", paragraph.text):
                dates = self._dates(paragraph)
                if dates:
                    result.issued_on = dates[0]
        body = paragraphs[start:]
        # The end: a signature block closes the document; a short label after it is the site's.
        for index, paragraph in enumerate(body):
            if index > 0 and _SIGNATURE.match(paragraph.text):
                body = body[:index]
                break
        if self.news:
            # Photo captions and bylines: short lines of the page, not sentences of the report.
            body = [body[0]] + [
                p
                for p in body[1:]
                if p.kind
                or not (
                    _CAPTION_RE.search(p.text)
                    or (len(p.text.split()) < 10 and not re.search(r"[:;]", p.text))
                )
            ]
        end = len(body)
        while end and self._is_site_label(body[end - 1]):
            end -= 1
        for label in reversed(body[end:]):
            self.warn(
                label.line,
                "site_label",
                f"dòng cuối “{label.text}” là nhãn của trang web, không thuộc văn bản; đã bỏ qua.",
            )
        return body[:end]

    def _is_site_label(self, paragraph: Paragraph) -> bool:
        text = paragraph.text
        if fold(text).strip(" .:") in _SITE_LABELS:
            return True
        return len(text.split()) <= 3 and not paragraph.kind and not re.search(r"[.:;!?…)]$", text)

    def _dates(self, paragraph: Paragraph) -> tuple[date, date | None] | None:
        try:
            return find_date_range(paragraph.text)
        except ValueError as error:
            self.warn(paragraph.line, "bad_date", f"{error}.")
            return None

    # --- Title and preamble ----------------------------------------------------------------

    @staticmethod
    def _is_lead(paragraph: Paragraph) -> bool:
        text = paragraph.text
        return bool(
            len(text) > 60
            and _LEAD_RE.search(text)
            and (_LEAD_DATE_RE.search(text) or _has_date(text))
        )

    @staticmethod
    def _document_kind(text: str) -> tuple[str, str] | None:
        if _CLOSING_RE.match(text):
            return None
        folded = fold(text)
        for prefix, kind, label in _KINDS:
            if folded.startswith(prefix):
                return kind, label
        return None

    def _read_title(self, body: list[Paragraph]) -> list[Paragraph]:
        result = self.result
        kind = self._document_kind(body[0].text) if body else None
        if kind is None:
            line = body[0].line if body else 1
            self.warn(line, "no_title", "không tìm thấy tiêu đề (Kết luận/Nghị quyết …).")
            return body
        result.document_kind, result.document_kind_label = kind
        title = [body[0]]
        # A title set over several lines: "KẾT LUẬN" / "HỘI NGHỊ LẦN THỨ 12 …" / "về …".
        for paragraph in body[1:]:
            looks_like_title = (
                not paragraph.kind
                and len(paragraph.text) < 300
                and not re.search(r"\b(?:đã|họp|tổ chức)\b", paragraph.text)
                and (
                    paragraph.text.isupper()
                    or re.match(r"^(?:về\b|của\b|\(|hội nghị\b)", paragraph.text, re.I)
                )
            )
            if not looks_like_title:
                break
            title.append(paragraph)
        result.title = " ".join(p.text for p in title)
        heading = result.title
        committee = _COMMITTEE_RE.search(heading)
        if committee:
            result.meeting.committee = self._committee_as_written(committee.group(1))
        term = _TERM_RE.search(heading)
        if term:
            result.meeting.term = self._term(term.group(1), body[0].line)
        number = _NUMBER_RE.search(heading)
        if number:
            result.meeting.number = self._meeting_number(number.group(1), body[0].line)
        if re.search(r"mở rộng", heading, re.I):
            result.meeting.extended_session = True
        # The plan is named after "phương hướng" when the title names both periods.
        outlook = re.search(r"phương hướng", heading, re.I)
        plan = _plan_period(heading, outlook.start() if outlook else 0)
        if plan:
            result.meeting.plan_period = re.sub(r"\s*/\s*", "/", plan)
        review = _REVIEW_PERIOD_RE.search(heading.split(";")[0].split("phương hướng")[0])
        if review:
            result.meeting.review_period = review.group(1)
        return body[len(title) :]

    def _term(self, text: str, line: int) -> int | None:
        try:
            return parse_term(text)
        except ValueError as error:
            self.warn_once(line, "bad_term", f"{error}; hãy nhập khóa bằng tay.")
            return None

    def _meeting_number(self, text: str, line: int) -> int | None:
        number = _meeting_number(text)
        if number is not None and number > _MAX_MEETING_NUMBER:
            self.warn_once(
                line,
                "bad_number",
                f"hội nghị “lần thứ {text}” vượt quá {_MAX_MEETING_NUMBER}: "
                "hãy nhập lần hội nghị bằng tay.",
            )
            return None
        return number

    def _committee_as_written(self, name: str) -> str:
        """A title in capitals names the committee as the body writes it, where it does."""
        if name.isupper():
            words = r"\s+".join(re.escape(word) for word in name.split())
            for match in re.finditer(words, self.text, re.I):
                if not match.group(0).isupper():
                    return _committee_name(match.group(0))
        return _committee_name(name)

    def _read_preamble(self, body: list[Paragraph]) -> list[Paragraph]:
        result, meeting = self.result, self.result.meeting
        index = (
            0
            if self.news and body
            else next((i for i, p in enumerate(body[:3]) if _PREAMBLE_RE.search(p.body)), None)
        )
        if index is None:
            self.warn(
                body[0].line if body else 1,
                "no_preamble",
                "không tìm thấy đoạn mở đầu “Hội nghị … đã …”: ngày họp và các báo cáo "
                "cần được nhập tay.",
            )
            self._check_meeting_identity(body[0].line if body else 1)
            return body
        paragraph = body[index]
        text = paragraph.body
        dates = self._dates(paragraph)
        if dates:
            meeting.started_on, meeting.ended_on = dates
        if re.search(r"\bmở rộng\b", text, re.I):
            meeting.extended_session = True
        if re.search(r"\bbất thường\b", text):
            meeting.extraordinary = True
        if not meeting.committee:
            committee = _COMMITTEE_RE.search(text)
            if committee:
                meeting.committee = _committee_name(committee.group(1))
        if meeting.term is None:
            term = _TERM_RE.search(text)
            meeting.term = self._term(term.group(1), paragraph.line) if term else None
        if meeting.number is None:
            number = _NUMBER_RE.search(text)
            meeting.number = (
                self._meeting_number(number.group(1), paragraph.line) if number else None
            )
        self._read_meeting_kind(paragraph)
        meeting = self.result.meeting
        if self.news or not (meeting.review_period or meeting.plan_period):
            self._read_lead(paragraph)
        adopted = re.search(r"\bthông qua\s+(.+)", text)
        if adopted and not self.news:
            items = re.split(r"\s*;\s*", adopted.group(1).strip().rstrip(".:"))
            for item in items:
                item = re.sub(r"^(?:và\s+)", "", item.strip())
                if item:
                    result.reports.append(_report(item))
        else:
            result.reports.extend(_reports_discussed(text))
        short_name = _SHORT_NAME_RE.search(self.text)
        if short_name:
            meeting.short_name_in_text = short_name.group(1)
        self._complete_committee()
        self._check_meeting_identity(paragraph.line)
        return body[index + 1 :]

    def _read_meeting_kind(self, paragraph: Paragraph) -> None:
        """A party congress or a meeting of the People's Committee, not a conference."""
        meeting, text = self.result.meeting, paragraph.body
        first_word = _CONGRESS_WORD_RE.search(f"{self.result.title} {text}")
        congress = _CONGRESS_RE.search(text)
        if first_word and fold(first_word.group(0)) == "dai hoi" and congress:
            level = congress.group(1).lower()
            place = _place_named(text, level)
            meeting.kind = "congress"
            meeting.committee = f"Đảng bộ {level} {place}".strip()
            meeting.number = self._meeting_number(congress.group(2), paragraph.line)
            meeting.term = None  # the term ends with the congress; the text names the old one
            spans = [m.groups() for m in _TERM_SPAN_RE.finditer(self.text)]
            after = _TERM_SPAN_RE.search(text, congress.end())
            if after:
                start = after.group(1)
                meeting.plan_period = f"nhiệm kỳ {start} - {after.group(2)}"
                before = next((s for s in spans if s[1] == start), None)
                meeting.review_period = f"nhiệm kỳ {before[0]} - {start}" if before else ""
            return
        government = _GOVERNMENT_RE.search(text)
        if government and _GOVERNMENT_MEETING_RE.search(text) and not first_word:
            level = government.group(1).lower()
            meeting.kind = "government_meeting"
            meeting.committee = f"Ủy ban nhân dân {level} {_place_named(text, level)}".strip()
            meeting.review_period = meeting.plan_period = ""

    def _read_lead(self, paragraph: Paragraph) -> None:
        """What a news report's lead sentence says beyond a preamble's: a date without its
        year, the periods reviewed and planned ("… 6 tháng đầu năm và bàn nhiệm vụ 6 tháng
        cuối năm 2023")."""
        meeting, text = self.result.meeting, paragraph.body
        text = _SESSION_MONTH_RE.sub(lambda m: " " * len(m.group(0)), text)
        date_match = _LEAD_DATE_RE.search(text)
        after = date_match.end() if date_match else 0
        if meeting.started_on and str(meeting.started_on.year) in text:
            after = max(after, text.find(str(meeting.started_on.year)) + 4)
        # The first two periods named: the one past, then the one planned.
        periods = [m.group(0) for m in itertools.islice(_PERIOD_RE.finditer(text, after), 2)]
        if meeting.kind == "congress":
            periods = []
        if periods and not meeting.review_period:
            meeting.review_period = periods[0]
        if len(periods) > 1 and not meeting.plan_period:
            meeting.plan_period = periods[1]
        year = self._complete_period_years()
        if date_match and not meeting.started_on and year:
            first, second, month = date_match.groups()
            try:
                meeting.started_on = make_date(first, month, year)
                meeting.ended_on = make_date(second, month, year) if second else None
            except ValueError as error:
                self.warn(paragraph.line, "bad_date", f"{error}.")
            else:
                self.warn(
                    paragraph.line,
                    "inferred_year",
                    f"ngày họp “{date_match.group(0)}” không ghi năm: đã lấy năm {year} "
                    "(theo kỳ báo cáo hoặc ngày đăng), cần kiểm tra.",
                )

    def _complete_period_years(self) -> int | None:
        """ "6 tháng đầu năm" and "6 tháng cuối năm 2023": the year of one completes the other
        (or the year of the posting date). Returns the year."""
        meeting = self.result.meeting
        years = re.findall(r"\d{4}", f"{meeting.review_period} {meeting.plan_period}")
        year = int(years[-1]) if years else None
        if year is None and self.result.published_on:
            year = self.result.published_on.year
        for name in ("review_period", "plan_period"):
            period = getattr(meeting, name)
            if year and period and not re.search(r"\d{4}", period):
                joiner = " " if period.endswith("năm") else " năm "
                setattr(meeting, name, f"{period}{joiner}{year}")
        return year

    def _periods_in_body(self, review: list[Paragraph], tasks: list[Paragraph]) -> None:
        """A report whose lead names no period: the one reviewed where the figures are
        introduced ("Phiên họp đánh giá … 10 tháng năm 2015", "Quý I năm 2021, …"), the one
        planned where the tasks are ("… trong 2 tháng cuối năm:")."""
        meeting = self.result.meeting
        if meeting.review_period or meeting.kind == "congress":
            return
        for paragraph in review[:4]:
            found = _REVIEWED_RE.search(paragraph.body) or _OPENING_PERIOD_RE.match(paragraph.body)
            if found:
                meeting.review_period = found.group("period")
                planned = _PLANNED_RE.search(paragraph.body, found.end())
                if planned and not meeting.plan_period:
                    meeting.plan_period = planned.group("period")
                break
        if tasks and not meeting.plan_period:
            planned = _PERIOD_RE.search(tasks[0].body)
            if planned:
                meeting.plan_period = planned.group(0)
        self._complete_period_years()

    def _complete_committee(self) -> None:
        """ "Ban Chấp hành Đảng bộ huyện" completed with the place of "Huyện ủy Châu Đức"."""
        meeting = self.result.meeting
        bare = re.fullmatch(
            r"Ban Chấp hành Đảng bộ\s+(quận|huyện|tỉnh|thành phố|thị xã|phường|xã)",
            meeting.committee,
        )
        if bare:
            place = _place_named(self.text, bare.group(1))
            if place:
                meeting.committee = f"{meeting.committee} {place}"
                return
        short = re.match(
            r"(\w+)\s+ủy\s+(?:(?:quận|huyện|tỉnh|thành phố|thị xã)\s+)?(.+)",
            meeting.short_name_in_text,
        )
        if not short or short.group(1).lower() not in _SHORT_LEVELS:
            return
        level, place = _SHORT_LEVELS[short.group(1).lower()], short.group(2)
        committee = meeting.committee
        if not committee and self.news:
            meeting.committee = f"Ban Chấp hành Đảng bộ {level} {place}"
        elif re.fullmatch(r"Ban Chấp hành Đảng bộ\s+" + level, committee, re.I):
            meeting.committee = f"{committee} {place}"

    def _check_meeting_identity(self, line: int) -> None:
        meeting = self.result.meeting
        missing = [
            label
            for label, value in (
                ("cấp ủy", meeting.committee),
                ("khóa", meeting.term),
                ("lần hội nghị", meeting.number),
                ("ngày họp", meeting.started_on),
            )
            if not value
        ]
        if missing:
            self.warn(line, "missing_meeting", "không đọc được " + ", ".join(missing) + ".")

    # --- The period past ----------------------------------------------------------------------

    def _split_review_and_tasks(
        self, body: list[Paragraph]
    ) -> tuple[list[Paragraph], list[Paragraph]]:
        # The tasks open with a part marker (II.) or with the sentence that announces them.
        if self.news:
            # A report closes with what the chair asked for: "Kết luận hội nghị, đồng chí …".
            for index, paragraph in enumerate(body):
                if self._opens_tasks(paragraph):
                    return body[:index], body[index:]
        romans = [i for i, p in enumerate(body) if p.kind == "roman"]
        if romans and romans[0] > 1:
            # "Hội nghị thống nhất các nhiệm vụ …:" just before "I. Kinh tế" opens the tasks.
            before = body[romans[0] - 1]
            if not before.kind and before.text.endswith(":") and _TASK_INTRO.search(before.text):
                return body[: romans[0] - 1], body[romans[0] - 1 :]
        for index in romans:
            if index > 0 and (
                _TASK_INTRO.search(body[index].body) or _roman_value(body[index].number) >= 2
            ):
                return body[:index], body[index:]
        last_marked = max((i for i, p in enumerate(body) if p.kind), default=-1)
        for index, paragraph in enumerate(body[:last_marked]):
            if (
                not paragraph.kind
                and paragraph.text.endswith(":")
                and _TASK_INTRO.search(paragraph.text)
            ):
                return body[:index], body[index:]
        for index, paragraph in enumerate(body):
            if paragraph.kind in ("arabic", "ordinal", "letter"):
                return body[:index], body[index:]
        for index, paragraph in enumerate(body):
            # The closing paragraph opens the tasks even first in the body (an issued
            # conclusion whose meeting paragraph stands apart, with nothing reviewed).
            if (index or _CLOSING_RE.match(paragraph.text)) and self._opens_tasks(paragraph):
                return body[:index], body[index:]
        return body, []

    def _opens_tasks(self, paragraph: Paragraph) -> bool:
        """ "Từ nay đến cuối năm, … yêu cầu", "Hội nghị yêu cầu …", or the closing paragraph."""
        if _CLOSING_RE.match(paragraph.text):
            return True
        opening = _TASK_OPENING_RE.match(paragraph.text)
        if not opening:
            return False
        when = fold(opening.group("when") or "")
        plan = fold(self.result.meeting.plan_period)
        # A month or a quarter opens the tasks when it is the period planned, not the one past.
        if when.startswith(("thang ", "quy ")):
            return bool(plan) and (plan.startswith(when) or when.startswith(plan))
        return True

    def _read_review(self, review: list[Paragraph]) -> None:
        if self.news:  # "Phiên họp thảo luận Phương án …; Đề cương …"
            for paragraph in review:
                if _PROCEDURE_RE.match(paragraph.body):
                    self.result.reports.extend(_reports_discussed(paragraph.body))
        result = self.result
        period = self._review_period(review)
        kind = "achievement"
        for paragraph in review:
            text = paragraph.body
            heading = len(text.split()) <= 12 and (text.endswith(":") or text.isupper())
            if _SHORTCOMING.match(text) or (
                heading and re.search(r"hạn chế|tồn tại|yếu kém", text, re.I)
            ):
                kind = "shortcoming"
            if heading or (self.news and _PROCEDURE_RE.match(text)):
                continue
            if (
                self.news
                and kind == "achievement"
                and _FELL_SHORT_RE.search(text)
                and not re.search(r"\d", text)
            ):
                kind = "shortcoming"
            result.findings.append(ParsedFinding(kind=kind, text=text, line=paragraph.line))
            if kind == "achievement":
                result.indicators.extend(
                    figures.indicators_in(
                        text, line=paragraph.line, period=period, warnings=self.warnings
                    )
                )

    def _review_period(self, review: list[Paragraph]) -> str:
        meeting = self.result.meeting
        for paragraph in review[:2]:
            match = re.match(r"^(?:Trong|Qua)\s+([^,]+?),", paragraph.body)
            period = _REVIEW_PERIOD_RE.search(match.group(1)) if match else None
            if period:
                found = period.group(1)
                if not meeting.review_period or found.startswith(meeting.review_period):
                    meeting.review_period = found
                break
        if meeting.review_period and not re.search(r"\d{4}", meeting.review_period):
            year = re.search(r"\d{4}", meeting.plan_period)
            if year:
                joiner = " " if meeting.review_period.endswith("năm") else " năm "
                meeting.review_period = f"{meeting.review_period}{joiner}{year.group(0)}"
        return meeting.review_period

    # --- The tasks ------------------------------------------------------------------------

    def _read_tasks(self, tasks: list[Paragraph]) -> None:
        result = self.result
        if not tasks:
            self.warn(self.text.count("\n") + 1, "no_directives", "văn bản không có phần nhiệm vụ.")
            return
        # The instruction that opens the tasks: a part marker ("II.- Để tiếp tục … sau:") or plain
        # paragraphs, up to the one that announces the list with a colon.
        intro: list[Paragraph] = []
        if tasks[0].kind in ("", "roman"):
            intro.append(tasks[0])
            while (
                len(intro) < len(tasks)
                and not tasks[len(intro)].kind
                and not intro[-1].text.endswith(":")
            ):
                intro.append(tasks[len(intro)])
        items = tasks[len(intro) :]
        inline = self._inline_tasks(intro[-1]) if intro else None
        if inline:
            intro[-1] = inline[0]
            items = inline[1] + items
        result.general_instruction = "\n".join(p.text for p in intro)

        styles = []
        for paragraph in items:
            if paragraph.kind and paragraph.kind not in styles:
                styles.append(paragraph.kind)
        ordered = [s for s in styles if s != "roman"]
        section_styles: set[str] = set()
        directive_style = ""
        if len(ordered) >= 2:
            section_styles, directive_style = {ordered[0], "roman"}, ordered[1]
        elif ordered and "roman" in styles:
            section_styles, directive_style = {"roman"}, ordered[0]
        elif ordered and self._items_are_headings(items, ordered[0]):
            section_styles, directive_style = {ordered[0]}, ""
        elif ordered:
            directive_style = ordered[0]

        section: ParsedSection | None = None
        expected: dict[str, int] = {}
        # The deeper lines of each directive, joined once at the end (not one += at a time).
        deeper: dict[int, list[str]] = {}
        for paragraph in items:
            if paragraph.kind in section_styles:
                section = self._open_section(paragraph, expected)
                expected.pop(directive_style, None)  # directives number afresh in each section
                continue
            if section is None:
                section = ParsedSection(
                    order=len(result.sections) + 1,
                    printed_number="",
                    heading="",
                    line=paragraph.line,
                )
                result.sections.append(section)
            if not paragraph.kind and _NARRATIVE_RE.match(paragraph.text):
                continue  # "Đại hội đã bầu …": what the meeting did next, not a task
            if paragraph.kind in ("", directive_style) or not section.directives:
                section.directives.append(ParsedDirective(text=paragraph.body, line=paragraph.line))
                if paragraph.kind:
                    what = f"nhiệm vụ thứ {len(section.directives)} của mục {section.order}"
                    self._check_number(paragraph, expected, what)
            else:
                # A deeper level ("+" under "-"): part of the directive above it.
                above = section.directives[-1]
                deeper.setdefault(id(above), [above.text]).append(paragraph.text)
        for section in result.sections:
            for directive in section.directives:
                if id(directive) in deeper:
                    directive.text = "\n".join(deeper[id(directive)])
                directive.responsible_unit = _responsible_unit(directive.text)
        if not any(s.directives for s in result.sections):
            self.warn(tasks[0].line, "no_directives", "không tìm thấy nhiệm vụ nào.")

    @staticmethod
    def _inline_tasks(paragraph: Paragraph) -> tuple[Paragraph, list[Paragraph]] | None:
        """One paragraph of tasks: "… yêu cầu các cấp: a; b; c" -> the request, and a, b, c."""
        text = paragraph.text
        if text.endswith(":") or ";" not in text:
            return None
        colon = text.find(":")
        if 0 < colon < text.find(";", colon):
            split = colon + 1
        else:
            first = text.find(";")
            verb = _INLINE_TASKS_RE.search(text, 0, first)
            go_on = _GO_ON_RE.search(text, verb.end() if verb else 0, first)
            if verb and go_on:  # "… yêu cầu các cấp ủy tiếp tục a; b": the addressee asked
                split = go_on.start()
            elif verb:
                split = verb.end()
            elif go_on:
                split = go_on.end()
            else:
                return None
        tasks = [t.strip() for t in text[split:].split(";")]
        if len(tasks) < 2 or not all(tasks):
            return None
        head = Paragraph(paragraph.line, text[:split].strip(), "", "", text[:split].strip())
        return head, [Paragraph(paragraph.line, t, "", "", t) for t in tasks]

    @staticmethod
    def _items_are_headings(items: list[Paragraph], style: str) -> bool:
        if style in ("dash", "dot", "plus"):
            return False  # a bullet marks a task, not a heading
        for index, paragraph in enumerate(items[:-1]):
            if (
                paragraph.kind == style
                and not items[index + 1].kind
                and not paragraph.body.endswith(".")
            ):
                return True
        return False

    def _open_section(self, paragraph: Paragraph, expected: dict[str, int]) -> ParsedSection:
        result = self.result
        heading, _, inline = paragraph.body.partition(":")
        heading = heading.strip().rstrip(".")
        section = ParsedSection(
            order=len(result.sections) + 1,
            printed_number=paragraph.number,
            heading=heading,
            line=paragraph.line,
        )
        self._check_number(paragraph, expected, f"mục thứ {section.order} “{heading}”")
        section.topic_slug = self.topics.match_heading(heading)
        if not section.topic_slug:
            self.warn(
                paragraph.line,
                "unknown_topic",
                f"tên mục “{heading}” không ứng với lĩnh vực nào; hãy chọn lĩnh vực bằng tay.",
            )
        if inline.strip():
            section.directives.append(ParsedDirective(text=inline.strip(), line=paragraph.line))
        result.sections.append(section)
        return section

    def _check_number(self, paragraph: Paragraph, expected: dict[str, int], what: str) -> None:
        """Warn when a printed number is not the one that should follow ("2/" after "3/")."""
        value = _marker_value(paragraph.kind, paragraph.number)
        if value is None:
            return
        want = expected.get(paragraph.kind, value)
        if value != want:
            printed, wanted = (_marker_text(paragraph.kind, n) for n in (value, want))
            self.warn(
                paragraph.line,
                "numbering_slip",
                f"{what} được in số “{printed}” (đáng lẽ là “{wanted}”): "
                "giữ số như bản in và dùng thứ tự thật.",
            )
        # Follow the printed number, so that one slip ("1, 2, 4, 5") is reported once.
        expected[paragraph.kind] = value + 1

    # --- Across the document --------------------------------------------------------------

    def _find_targets_and_citations(self) -> None:
        result = self.result
        plan = result.meeting.plan_period
        for section, index, directive in result.directives:
            target = figures.target_in(directive.text, line=directive.line, period=plan)
            if target:
                target.section_order, target.directive_index = section.order, index
                result.indicators.append(target)
            directive.cited_documents = citations(directive.text)
        seen: dict[str, None] = {}  # ordered, and a lookup per citation rather than a scan
        for paragraph_text in [f.text for f in result.findings]:
            seen.update(dict.fromkeys(citations(paragraph_text)))
        for _, _, directive in result.directives:
            seen.update(dict.fromkeys(directive.cited_documents))
        result.cited_documents = list(seen)

    def _warn_repeated_directives(self, width: int = 20) -> None:
        seen: dict[tuple[str, ...], tuple[ParsedSection, int, ParsedDirective]] = {}
        for section, index, directive in self.result.directives:
            words = re.findall(r"\w+", fold(directive.text))
            reported = set()
            for start in range(len(words) - width + 1):
                shingle = tuple(words[start : start + width])
                earlier = seen.get(shingle)
                if earlier and earlier[2] is not directive and id(earlier[2]) not in reported:
                    reported.add(id(earlier[2]))
                    self.warn(
                        directive.line,
                        "repeated_text",
                        f"nhiệm vụ {index} của mục {section.order} lặp lại một đoạn của nhiệm vụ "
                        f"{earlier[1]} mục {earlier[0].order} (dòng {earlier[2].line}).",
                    )
                seen.setdefault(shingle, (section, index, directive))


def citations(text: str) -> list[str]:
    """Documents a text cites, normalized: "Nghị quyết số 41 –NQ/TW" -> "Nghị quyết số 41-NQ/TW"."""
    found = []
    for match in _CITATION_RE.finditer(text):
        kind, so, number, separator, symbol, dated = match.groups()
        symbol = re.sub(r"\s+", "", symbol)
        sep = "/" if separator == "/" else "-"
        citation = f"{kind}{' số' if so else ''} {number}{sep}{symbol}"
        if dated:
            citation += " " + re.sub(r"\s+", " ", re.sub(r"\s*/\s*", "/", dated.strip()))
        found.append((match.start(), citation))
    for match in _CENTRAL_RESOLUTION_RE.finditer(text):
        found.append((match.start(), re.sub(r"\s+", " ", match.group(0))))
    return [citation for _, citation in sorted(found)]


def _responsible_unit(text: str) -> str:
    starts = [c for s in figures.sentences(text) for c in figures.clauses(s)]
    for sentence in starts:
        match = _UNIT_RE.match(sentence)
        if match:
            return match.group(1)
        short = _SHORT_UNIT_RE.match(sentence)
        if short:
            # "Đoàn phải …" names the body given in full earlier: "Đoàn Thanh niên".
            named = [m.group(0) for m in _NAMED_UNIT_RE.finditer(text)]
            full = [name for name in named if name.startswith(short.group(1))]
            return full[0] if full else short.group(1)
    return ""


def _marker_text(kind: str, value: int) -> str:
    if kind == "roman":
        return to_roman(value)
    if kind == "ordinal" and value <= len(_ORDINALS):
        return f"{_ORDINALS[value - 1]} là"
    if kind == "letter":
        return "abcdđeghiklmnopqrstuvxy"[value - 1 : value]
    return str(value)


def _plan_period(heading: str, start: int) -> str:
    """The first period named after "phương hướng"/"nhiệm vụ" (from *start*) before a ";".

    One pass over the heading: each word is followed to the next period or ";" once, not
    again for every word (a title of "nhiệm vụ nhiệm vụ …" took minutes).
    """
    period, semicolon = None, -1
    for word in _PLAN_WORDS_RE.finditer(heading, start):
        if period is None or period.start() < word.end():
            period = _PLAN_PERIOD_RE.search(heading, word.end())
            if period is None:
                return ""
        if semicolon != len(heading) and semicolon < word.end():
            semicolon = heading.find(";", word.end())
            semicolon = len(heading) if semicolon == -1 else semicolon
        if period.start() < semicolon:
            return period.group(1)
    return ""


# What a meeting adopted or discussed: "thông qua Báo cáo …; Báo cáo …", "cho ý kiến vào dự thảo
# …", "sau khi thảo luận Tờ trình … và Báo cáo …, đã kết luận".
_PAPERS = r"(?:dự thảo|Báo cáo|Đề án|Đề cương|Tờ trình|Chương trình|Phương án|Kế hoạch)\b"
_DISCUSSED_RE = re.compile(
    r"\b(?:thông qua|cho ý kiến (?:vào|về)|thảo luận(?: và thông qua)?)\s+"
    rf"(?=(?-i:{_PAPERS})|dự thảo\b)",
    re.I,
)
_PAPERS_END_RE = re.compile(r"\.(?=\s|$)|,\s*(?:đã|với|để)\b|:")
_PAPERS_SPLIT_RE = re.compile(rf"\s*;\s*|\s+và\s+(?={_PAPERS})")


def _report(title: str) -> ParsedReport:
    kind = next((k for prefix, k in _REPORT_KINDS if fold(title).startswith(prefix)), "report")
    return ParsedReport(kind=kind, title=title)


def _reports_discussed(text: str) -> list[ParsedReport]:
    start = _DISCUSSED_RE.search(text)
    if not start:
        return []
    end = _PAPERS_END_RE.search(text, start.end())
    papers = text[start.end() : end.start() if end else len(text)].strip(" ,;")
    return [_report(p.strip()) for p in _PAPERS_SPLIT_RE.split(papers) if p.strip()]


def _place_named(text: str, level: str) -> str:
    """The first place of *level* the text names: "phường An Phú", "ĐẢNG BỘ HUYỆN HÓC MÔN"."""
    for match in re.finditer(rf"\b{level}\s+(\w+(?:\s+\w+){{0,3}})", text, re.I):
        words: list[str] = []
        for word in match.group(1).split():
            if not word[0].isupper() or (words and word.isupper() != words[0].isupper()):
                break
            words.append(word)
        if words and fold(words[0]) == "uy":
            continue  # "Huyện ủy Hóc Môn" is the short name, the place follows it elsewhere
        if words and not words[0].isdecimal():
            if words[0].isupper() and len(words) > 1:
                words = [w.capitalize() for w in words]
            if words[0].isupper():
                continue
            return " ".join(words)
    return ""


def _has_date(text: str) -> bool:
    try:
        return bool(find_date_range(text))
    except ValueError:
        return True  # a date, if one that does not exist: reported where it is read


def _normalize_symbol(symbol: str) -> str:
    return re.sub(r"\s+", "", symbol.replace("–", "-"))


_PLACE_ALIASES = {"TPHCM": "Thành phố Hồ Chí Minh", "TPHN": "Thành phố Hà Nội"}


def _committee_name(name: str) -> str:
    """ "BAN CHẤP HÀNH ĐẢNG BỘ HUYỆN CỦ CHI" -> "Ban Chấp hành Đảng bộ Huyện Củ Chi"."""
    name = re.sub(r"\s+", " ", name).strip()
    rest = re.sub(r"^(?:Ban Chấp hành|BCH) Đảng bộ\s*", "", name, flags=re.I)
    rest = _PLACE_ALIASES.get(rest.upper().replace(".", "").replace(" ", ""), rest)
    if rest.isupper():
        rest = " ".join(word.capitalize() for word in rest.split())
    return f"Ban Chấp hành Đảng bộ {rest}".strip()


def _meeting_number(text: str) -> int | None:
    """ "9" -> 9; "mười lăm" -> 15; "nhất" (lần thứ nhất) -> 1."""
    if text.isdecimal():
        return int(text) if len(text) <= 5 else _MAX_MEETING_NUMBER + 1
    if text.lower().startswith("nhất"):
        return 1
    roman = re.match(r"[IVXLC]+\b", text)
    if roman:  # "Đại hội … lần thứ XXI"
        try:
            return from_roman(roman.group(0))
        except ValueError:
            return None
    words = parse_number_words(text)
    return words[0] if words else None
