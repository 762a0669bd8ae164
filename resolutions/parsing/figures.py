"""Figures in a conclusion's sentences: indicators of the period past, targets in directives.

"giá trị sản xuất … tăng 79,5%; doanh thu … tăng 44,75% so với cùng kỳ" gives two indicators
compared with "cùng kỳ"; "Tổng vốn … thực hiện 55,699 tỷ đồng, đạt 50,14% kế hoạch" gives one
with a value, a unit and a share of plan; "… là 970 tỷ đồng, trong đó … là 881 tỷ đồng" gives a
figure and its part.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal

from ..vietnamese import parse_decimal
from .model import ParsedIndicator, ParseWarning

# Units that count things: the words after the number say what is counted.
COUNT_UNITS = {
    "lượt người",
    "lượt",
    "hộ",
    "người",
    "lao động",
    "căn hộ",
    "căn",
    "hồ sơ",
    "vụ",
    "đảng viên",
    "quần chúng",
    "cơ sở",
    "doanh nghiệp",
    "công trình",
    "dự án",
    "trường",
    "học sinh",
    "phòng học",
    "chi bộ",
    "tổ chức cơ sở đảng",
    "suất",
    "thanh niên",
    "cán bộ",
    "giường bệnh",
    "xã",
    "phường",
    "khu phố",
    "trường hợp",
    "tổ chức đảng",
    "nhiệm vụ",
    "chỉ tiêu",
    "giấy chứng nhận",
}
# Thousands of billions are recorded in billions: "31,2 nghìn tỷ đồng" -> 31.200 tỷ đồng.
_SCALED_UNITS = {"nghìn tỷ đồng": ("tỷ đồng", 1000), "ngàn tỷ đồng": ("tỷ đồng", 1000)}
# Units as conclusions write them, longest first so "tỷ đồng" wins over "đồng".
UNITS = sorted(
    COUNT_UNITS
    | {
        "tỷ đồng",
        *_SCALED_UNITS,
        "tạ/ha",
        "tỉ đồng",
        "triệu đồng",
        "nghìn đồng",
        "ngàn đồng",
        "đồng",
        "tỷ USD",
        "triệu USD",
        "USD",
        "%",
        "ha",
        "héc-ta",
        "m2",
        "m²",
        "km",
        "tấn",
    },
    key=lambda unit: (-len(unit), unit),
)
_UNIT = "|".join(re.escape(u) for u in UNITS)
# A number as written: "55,699", "1.234,5", "970". Not part of a date, a fraction or a symbol.
# Thousands are grouped from a leading digit 1-9 ("0.845,6" is no number: parse_decimal
# refuses it, so it is not read as one).
_NUM_CORE = r"([1-9]\d{0,2}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?)"
_NUM = rf"(?<![\w/.,-]){_NUM_CORE}(?![\w/]|[.,]\d)"
# "37 đồng chí" counts comrades, not đồng.
_VALUE_RE = re.compile(rf"{_NUM}\s*({_UNIT})(?![\wÀ-ỹ])(?!\s+chí\b)")
# "trên 1 ha", "mỗi 1 người": per one, not a figure.
_PER_ONE_RE = re.compile(r"(?:trên|mỗi)\s+$")
# A quoted slogan's figures are not results: "“50% các tuyến đường được trồng hoa”".
_QUOTED_RE = re.compile(r"“[^”]{0,300}”|\"[^\"]{0,300}\"")
# "83,2%/50%": achieved against the target.
_RATIO_RE = re.compile(rf"{_NUM}\s*%\s*/\s*{_NUM_CORE}\s*%")
# "12.450/10.000 tỷ đồng", "19/21 chỉ tiêu": achieved against the target, in a unit.
_PAIR_RE = re.compile(rf"(?<![\w/.,-]){_NUM_CORE}\s*/\s*{_NUM_CORE}\s*({_UNIT})(?![\wÀ-ỹ])")
# Words that soften a figure without changing it: "đạt hơn 72%", "trên 3.100 tỷ".
_HEDGE = r"(?:\s+(?:hơn|gần|trên|khoảng|xấp xỉ))?"
# "tăng bình quân 13,5%/năm" is a yearly rate, a value rather than a change.
_CHANGE_RE = re.compile(
    rf"\b(tăng|giảm|cao hơn|thấp hơn)(?:\s+bình quân)?{_HEDGE}\s+{_NUM}\s*%(?!\s*/\s*năm)"
)
# "vượt 12,6% dự toán": 112,6% of plan.
_EXCEED_RE = re.compile(
    rf"\bvượt{_HEDGE}\s+{_NUM}\s*%\s*(?:so với\s+)?(?:kế hoạch|chỉ tiêu|dự toán|KH)\b"
)
_PLAN_RE = re.compile(
    rf"\b(?:đạt|bằng){_HEDGE}\s+{_NUM}\s*%\s*(?:so với\s+)?(kế hoạch|chỉ tiêu|dự toán|KH)\b"
    r"(?:\s+năm)?"
)
# "bằng 96% so với cùng kỳ": a change of -4%.
_SHARE_RE = re.compile(rf"\bbằng{_HEDGE}\s+{_NUM}\s*%\s*so với\s+cùng kỳ")
_COMPARED_RE = re.compile(
    r"\bso với\s+(cùng kỳ(?: năm (?:trước|\d{4}))?|năm \d{4}|năm trước|kỳ trước)"
)
_BARE_NUMBER_RE = re.compile(rf"\b(?:là|đạt|được|có|ước|khoảng)\s+{_NUM}(?!\s*(?:{_UNIT}))")
# Grouped like a number with decimals but not one: "0.845,6", "12.34,5".
_MISWRITTEN_NUMBER_RE = re.compile(
    r"(?<![\w/.,-])(?![1-9]\d{0,2}(?:\.\d{3})+,\d+(?![\w/]|[.,]\d))\d+(?:\.\d+)+,\d+(?![\w/]|[.,]\d)"
)
_REST_RE = re.compile(r"\s+còn lại\b")
_PERIOD_WORDS_RE = re.compile(r"^\s*(?:tháng|năm|ngày|quý|lần|giờ|phút|tuổi)\b")

_LEADING_CONNECTORS = re.compile(
    r"^(?:(?:trong đó|riêng|và|còn|đồng thời|ngoài ra)\s*[,:]?\s*)?"
    r"(?:toàn\s+(?:Đảng bộ|huyện|tỉnh|thành phố|thị xã|quận|phường|xã)\s+)?"
    r"(?:năm\s+\d{4}\s*,?\s+)?(?:ước\s+(?!tính|đạt))?(?:đã được|đã|được)?\s*",
    re.I,
)
# Words that link a figure's name to its value ("doanh thu là …"), longest first.
_TRAILING_VERBS = sorted(
    (
        "là",
        "đạt",
        "ước đạt",
        "ước",
        "khoảng",
        "được",
        "có",
        "với",
        "cho",
        "tổng cộng",
        "giảm còn",
        "còn",
        "tăng lên",
        "lên",
        "hơn",
        "gần",
        "trên",
        "xấp xỉ",
        "ước thực hiện",
    ),
    key=len,
    reverse=True,
)


# The same, spelled backwards: the words that end a text are read from its end, in one match.
_TRAILING_VERBS_BACKWARDS = re.compile(
    r"\s*(?:(?:\b(?:" + "|".join(re.escape(verb[::-1]) for verb in _TRAILING_VERBS) + r")\b|:)\s*)+"
)


def _without_trailing_verbs(text: str) -> str:
    """*text* without the link words and colons that end it: "Doanh thu ước đạt:" -> "Doanh thu".

    Matched on the reversed text: a pattern anchored at the end ("…)+\\s*$") is tried from
    every position and took minutes on a paragraph of "là là … là x".
    """
    match = _TRAILING_VERBS_BACKWARDS.match(text[::-1])
    return text[: len(text) - match.end()] if match else text


def sentences(text: str) -> list[str]:
    """Sentences of a paragraph: split after ".", "!" or "?" followed by a capital or a quote."""
    parts = re.split(r"(?<=[.!?…])\s+(?=[A-ZĐÀ-Ỹ“\"(])", text.strip())
    return [p.strip() for p in parts if p.strip()]


def clauses(sentence: str) -> list[str]:
    return [c.strip() for c in sentence.rstrip(".").split(";") if c.strip()]


def _number(text: str) -> Decimal:
    return parse_decimal(text)


def indicators_in(
    paragraph: str, *, line: int, period: str, warnings: list[ParseWarning]
) -> list[ParsedIndicator]:
    """The indicators of one paragraph of the review, in the order they are written."""
    found: list[ParsedIndicator] = []
    for sentence in sentences(paragraph):
        in_sentence: list[ParsedIndicator] = []
        compared = ""
        for clause in clauses(sentence):
            previous: ParsedIndicator | None = None
            for segment in re.split(r",\s+", clause):
                indicators, segment_compared = _segment_figures(segment, line, period, sentence)
                compared = segment_compared or compared
                if not indicators:
                    _warn_bare_numbers(segment, line, warnings)
                    continue
                is_part = bool(re.match(r"^\s*trong đó\b", segment, re.I))
                indicator, *others = indicators
                if not indicator.name and previous is not None:
                    _merge(previous, indicator)
                elif indicator.name:
                    if is_part and previous is not None:
                        indicator.part_of = previous.name
                    in_sentence.append(indicator)
                    if not is_part or previous is None:
                        previous = indicator
                in_sentence.extend(others)
        for indicator in in_sentence:
            if indicator.change_pct is not None and not indicator.compared_with:
                indicator.compared_with = compared
        found.extend(in_sentence)
    return found


def _segment_figures(
    segment: str, line: int, period: str, sentence: str
) -> tuple[list[ParsedIndicator], str]:
    """One comma-separated segment's figures: (indicators, comparison named there).

    The first indicator carries the segment's change, share of plan or achieved/target ratio;
    further values in the same segment ("thu hút 41 dự án … với tổng vốn đăng ký 9.460 tỷ
    đồng") become indicators of their own, named by the words before each.
    """
    compared_match = _COMPARED_RE.search(segment)
    compared = compared_match.group(1) if compared_match else ""
    spans = []
    first = ParsedIndicator(name="", line=line, period=period, sentence=sentence)
    change = _CHANGE_RE.search(segment)
    share = _SHARE_RE.search(segment)
    if change:
        sign = -1 if change.group(1) in ("giảm", "thấp hơn") else 1
        first.change_pct = sign * _number(change.group(2))
        first.compared_with = compared
        spans.append(change.span())
    elif share:
        first.change_pct = _number(share.group(1)) - 100
        first.compared_with = compared
        spans.append(share.span())
    plan = _PLAN_RE.search(segment)
    exceed = None if plan else _EXCEED_RE.search(segment)
    if plan:
        first.plan_pct = _number(plan.group(1))
        spans.append(plan.span())
    elif exceed:
        first.plan_pct = 100 + _number(exceed.group(1))
        spans.append(exceed.span())
    ratio = _RATIO_RE.search(segment)
    pair = None if ratio else _PAIR_RE.search(segment)
    if ratio:
        first.value, first.target_value = _number(ratio.group(1)), _number(ratio.group(2))
        first.unit = "%"
        spans.append(ratio.span())
    elif pair:
        first.value, first.unit = _amount(pair.group(1), pair.group(3))
        first.target_value, _ = _amount(pair.group(2), pair.group(3))
        spans.append(pair.span())
    blanked = _blank(segment, spans + [m.span() for m in _QUOTED_RE.finditer(segment)])
    values = [
        m
        for m in _VALUE_RE.finditer(blanked)
        if not (m.group(1) == "1" and _PER_ONE_RE.search(segment, 0, m.start()))
    ]
    if not spans and not values:
        return [], compared
    found = [first]
    if first.value is None and values:
        value = values.pop(0)
        first.value, first.unit = _amount(value.group(1), value.group(2))
        spans.append(value.span())
    first.is_estimate = bool(re.search(r"\bước\b", segment, re.I))
    end = min(start for start, _ in spans)
    first.name = _name_before(segment, end)
    previous_end = max(stop for _, stop in spans)
    if first.unit in COUNT_UNITS and first.change_pct is None and first.plan_pct is None:
        # "thu hút 41 dự án đầu tư": what is counted follows the number; name it whole.
        after = re.split(r"\b(?:với|và(?! vượt)|gồm|trong đó)\b", segment[previous_end:])[0].strip()
        if after:
            before = _without_trailing_verbs(_LEADING_CONNECTORS.sub("", segment[:end].strip()))
            keep_for = " cho" if re.search(r"\bcho\s*$", segment[:end]) else ""
            first.name = f"{before.strip()}{keep_for} {first.unit} {after}".strip()
    for value in values:
        if value.start() < previous_end:
            continue
        # "… dự án đầu tư với tổng vốn đăng ký 9.460 tỷ đồng": the name follows the last link word.
        between = re.split(r"\b(?:với|và|gồm)\b", segment[previous_end : value.start()])[-1]
        amount, unit = _amount(value.group(1), value.group(2))
        extra = ParsedIndicator(
            name=_name_before(between, None),
            line=line,
            period=period,
            sentence=sentence,
            value=amount,
            unit=unit,
        )
        if extra.name:
            found.append(extra)
        previous_end = value.end()
    return found, compared


def _unit(text: str) -> str:
    return text.replace("tỉ", "tỷ")


def _amount(number: str, unit: str) -> tuple[Decimal, str]:
    """A value and its unit as recorded: "31,2" "nghìn tỷ đồng" -> 31200, "tỷ đồng"."""
    unit = _unit(unit)
    recorded, factor = _SCALED_UNITS.get(unit, (unit, 1))
    return _number(number) * factor, recorded


def _blank(text: str, spans: Iterable[tuple[int, int]]) -> str:
    for start, end in spans:
        text = text[:start] + " " * (end - start) + text[end:]
    return text


def _name_before(segment: str, end: int | None) -> str:
    name = _LEADING_CONNECTORS.sub("", segment[:end].strip())
    return _without_trailing_verbs(name).strip(" ,:–-")


def _merge(into: ParsedIndicator, extra: ParsedIndicator) -> None:
    """A segment with figures but no name ("đạt 50,14% kế hoạch") adds to the one before."""
    for name in ("value", "unit", "change_pct", "compared_with", "plan_pct", "target_value"):
        if getattr(into, name) in (None, "") and getattr(extra, name) not in (None, ""):
            setattr(into, name, getattr(extra, name))
    into.is_estimate = into.is_estimate or extra.is_estimate


def _warn_bare_numbers(segment: str, line: int, warnings: list[ParseWarning]) -> None:
    for match in _MISWRITTEN_NUMBER_RE.finditer(segment):
        warnings.append(
            ParseWarning(
                line,
                "unclear_number",
                f"số “{match.group(0)}” trong “{segment.strip()[:80]}” viết không đúng cách "
                "(dấu chấm ngăn hàng nghìn, dấu phẩy thập phân: 1.234,5) nên không được đọc.",
            )
        )
    for match in _BARE_NUMBER_RE.finditer(segment):
        after = segment[match.end() :]
        if _PERIOD_WORDS_RE.match(after) or re.fullmatch(r"(19|20)\d\d", match.group(1)):
            continue
        warnings.append(
            ParseWarning(
                line,
                "unclear_unit",
                f"số “{match.group(1)}” trong “{segment.strip()[:80]}” không rõ đơn vị tính.",
            )
        )


def target_in(directive_text: str, *, line: int, period: str) -> ParsedIndicator | None:
    """The first target a directive sets ("nâng mức sống cho 800 hộ …"), if any."""
    for sentence in sentences(directive_text):
        for clause in clauses(sentence):
            # "… của 4 phường còn lại": the rest of something, not a figure to reach.
            unquoted = _blank(clause, [m.span() for m in _QUOTED_RE.finditer(clause)])
            match = next(
                (m for m in _VALUE_RE.finditer(unquoted) if not _REST_RE.match(clause, m.end())),
                None,
            )
            if match:
                amount, unit = _amount(match.group(1), match.group(2))
                return ParsedIndicator(
                    name=clause[:500],
                    line=line,
                    period=period,
                    value=amount,
                    unit=unit,
                    is_target=True,
                    sentence=sentence,
                )
    return None
