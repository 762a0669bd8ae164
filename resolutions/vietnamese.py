"""Vietnamese text rules, in one place.

Everything that knows how Vietnamese is written lives here: Unicode normalization, accent
folding for search, numbers with a decimal comma, Roman numerals for terms, and dates as
Vietnamese offices print them. The module imports nothing from Django so that the parser
(``resolutions.parsing``) can use it on its own.
"""

from __future__ import annotations

import contextlib
import functools
import re
import unicodedata
from datetime import date
from decimal import Decimal, InvalidOperation

__all__ = [
    "MAX_TERM",
    "find_date_range",
    "fold",
    "format_date",
    "format_date_range",
    "format_decimal",
    "from_roman",
    "make_date",
    "nfc",
    "parse_decimal",
    "parse_number_words",
    "parse_period",
    "parse_term",
    "same_text",
    "search_text",
    "search_words",
    "spelled_words",
    "to_roman",
]


def nfc(value: str) -> str:
    """Return *value* in the form every stored text is kept in: Unicode NFC, lines ended by LF.

    Text pasted from Word or a web page often arrives decomposed (NFD: "ê" + combining acute);
    without this, equal words would compare, sort and index differently. Browsers send every
    textarea with CR LF line ends (and old Mac files end lines with CR alone): a page saved
    without an edit must store the same text it showed, so newlines are made LF here too, in
    the one place every form, import and file passes through.
    """
    if "\r" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", value)


def same_text(first: str, second: str) -> bool:
    """Whether two texts say the same: equal once in the stored form (``nfc``), with the
    spaces that end each line and the blank lines around the whole left out. A document
    pasted, uploaded or saved again is "the same" by this rule."""
    return _comparable(first) == _comparable(second)


def _comparable(value: str) -> str:
    return "\n".join(line.rstrip() for line in nfc(value).split("\n")).strip()


# đ/Đ carry no combining mark, so NFD decomposition leaves them alone: map them explicitly.
_FOLD_EXTRA = str.maketrans({"đ": "d", "Đ": "d"})
# Every combining mark of the Basic Multilingual Plane, removed in one pass by str.translate
# (folding runs on every word of every imported row; a test checks it against the slow way).
_NO_COMBINING = dict.fromkeys(cp for cp in range(0x10000) if unicodedata.combining(chr(cp)))


def fold(value: str) -> str:
    """Vietnamese text without accents, in lower case: "Giải phóng Đất" -> "giai phong dat".

    Both tone placements ("ủy"/"uỷ", "hòa"/"hoà") fold to the same letters, and NFD input folds
    exactly like NFC input.
    """
    if value.isascii():  # nothing to strip
        return value.lower()
    if len(value) <= _SHORT:
        return _fold_short(value)
    return _fold(value)


def _fold(value: str) -> str:
    decomposed = unicodedata.normalize("NFD", value.translate(_FOLD_EXTRA))
    stripped = decomposed.translate(_NO_COMBINING)
    if max(decomposed) > "\uffff":  # beyond the table: rare
        stripped = "".join(ch for ch in stripped if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped.translate(_FOLD_EXTRA)).casefold()


# Names, keys and words come back again and again in an import (a committee's name on every
# row): their folded form is remembered. Whole texts are folded each time.
_SHORT = 80
_fold_short = functools.lru_cache(maxsize=16384)(_fold)


_NUMBER_RE = re.compile(r"^[+-]?\d[\d.,]*$")
_THOUSANDS_DOT_RE = re.compile(r"^[1-9]\d{0,2}(\.\d{3})+$")
_THOUSANDS_COMMA_RE = re.compile(r"^[1-9]\d{0,2}(,\d{3}){2,}$")


def parse_decimal(value: str) -> Decimal:
    """Read a number as a Vietnamese clerk writes it, returning an exact ``Decimal``.

    - a comma is the decimal separator: "55,699" -> 55.699, "79,5" -> 79.5;
    - dots group thousands: "1.234,5" -> 1234.5, "41.818,8" -> 41818.8, "1.234.567" -> 1234567;
    - a single dot that does not group thousands is a decimal point, as spreadsheets write it:
      "50.14" -> 50.14, "0.125" -> 0.125;
    - where both separators appear, the last one is the decimal separator ("1,234.5" -> 1234.5);
    - spaces (also no-break spaces) between digit groups are ignored: "1 234,5" -> 1234.5.

    "1.234" is read as one thousand two hundred and thirty-four, as in Vietnamese documents.
    Raises ``ValueError`` naming the text when it is not a number.
    """
    text = nfc(value).strip().replace("\u00a0", " ").replace("\u202f", " ").replace(" ", "")
    if text.startswith("\u2212"):  # the minus sign some editors type
        text = "-" + text[1:]
    if not _NUMBER_RE.match(text) or text[-1] in ".,":
        raise ValueError(f"“{value}” không phải là một số hợp lệ")
    sign, digits = "", text
    if text[0] in "+-":
        sign, digits = ("-" if text[0] == "-" else ""), text[1:]
    if "," in digits and "." in digits:
        decimal_sep = "," if digits.rfind(",") > digits.rfind(".") else "."
        group_sep = "." if decimal_sep == "," else ","
        whole, _, fraction = digits.rpartition(decimal_sep)
        if decimal_sep in whole or not re.fullmatch(
            rf"[1-9]\d{{0,2}}(\{group_sep}\d{{3}})*|0", whole
        ):
            raise ValueError(f"“{value}” không phải là một số hợp lệ")
        normalized = whole.replace(group_sep, "") + "." + fraction
    elif "," in digits:
        if digits.count(",") == 1:
            normalized = digits.replace(",", ".")
        elif _THOUSANDS_COMMA_RE.match(digits):
            normalized = digits.replace(",", "")
        else:
            raise ValueError(f"“{value}” không phải là một số hợp lệ")
    elif "." in digits:
        if _THOUSANDS_DOT_RE.match(digits):
            normalized = digits.replace(".", "")
        elif digits.count(".") == 1:
            normalized = digits
        else:
            raise ValueError(f"“{value}” không phải là một số hợp lệ")
    else:
        normalized = digits
    try:
        return Decimal(sign + normalized)
    except InvalidOperation:  # pragma: no cover - the patterns above admit only digits
        raise ValueError(f"“{value}” không phải là một số hợp lệ") from None


def format_decimal(value: Decimal | int, *, grouping: bool = False) -> str:
    """Write a number the Vietnamese way: decimal comma, optional dot thousands, no trailing zeros.

    ``format_decimal(Decimal("55.6990"))`` -> "55,699";
    ``format_decimal(Decimal("1234.5"), grouping=True)`` -> "1.234,5".
    """
    number = Decimal(value)
    # normalize() alone would write 970 as "9.7E+2".
    number = number.quantize(Decimal(1)) if number == number.to_integral() else number.normalize()
    sign = "-" if number < 0 else ""
    whole, _, fraction = f"{abs(number):f}".partition(".")
    if grouping:
        whole = f"{int(whole):,}".replace(",", ".")
    return sign + whole + ("," + fraction if fraction else "")


_ROMAN = (
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
)


def to_roman(number: int) -> str:
    """Terms are printed in Roman numerals: ``to_roman(3)`` -> "III"."""
    if not 0 < number < 4000:
        raise ValueError(f"{number} không viết được bằng số La Mã (1–3999)")
    parts = []
    for amount, letters in _ROMAN:
        count, number = divmod(number, amount)
        parts.append(letters * count)
    return "".join(parts)


def from_roman(text: str) -> int:
    """``from_roman("XII")`` -> 12. Only the canonical spelling is accepted ("IIII" is refused)."""
    letters = text.strip().upper()
    total, index = 0, 0
    for amount, symbol in _ROMAN:
        while letters.startswith(symbol, index):
            total += amount
            index += len(symbol)
    if not letters or index != len(letters) or to_roman(total) != letters:
        raise ValueError(f"“{text}” không phải là số La Mã hợp lệ")
    return total


_TERM_PREFIX_RE = re.compile(r"^\s*(?:khóa|khoá|khoa)\s+", re.IGNORECASE)
# Terms are five years: committees founded in 1930 are in their teens. A term past 50 is a
# typing slip (and past 3999 has no Roman numeral to be shown with).
MAX_TERM = 50


def parse_term(text: str) -> int:
    """A committee's term as printed, Roman or Arabic, with or without "khóa": "khóa III" -> 3.

    Refuses what is no term, and a term outside 1–MAX_TERM.
    """
    bare = _TERM_PREFIX_RE.sub("", nfc(text)).strip().rstrip(".")
    number = 0
    if bare.isascii() and bare.isdigit():
        number = int(bare) if len(bare.lstrip("0")) <= 6 else MAX_TERM + 1
    else:
        with contextlib.suppress(ValueError):
            number = from_roman(bare)
    if 1 <= number <= MAX_TERM:
        return number
    shown = text if len(text) <= 30 else text[:30] + "…"
    raise ValueError(
        f"“{shown}” không phải là một nhiệm kỳ (khóa) hợp lệ: khóa phải từ 1 đến {MAX_TERM} "
        f"(I đến {to_roman(MAX_TERM)})"
    )


def format_date(value: date) -> str:
    """dd/mm/yyyy, as Vietnamese offices write dates."""
    return value.strftime("%d/%m/%Y")


def format_date_range(start: date, end: date | None = None) -> str:
    """A meeting's dates, shared parts written once: "16–17/10/2007", "30/09–01/10/2007"."""
    if end is None or end == start:
        return format_date(start)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start:%d}–{format_date(end)}"
    if start.year == end.year:
        return f"{start:%d/%m}–{format_date(end)}"
    return f"{format_date(start)}–{format_date(end)}"


_QUARTER_RE = re.compile(r"\bqu[ýy]\s+([IV]+|[1-4])\s*/\s*(\d{4})\b", re.IGNORECASE)
_YEAR_RE = re.compile(r"\b(1[89]\d{2}|2\d{3})\b")


def parse_period(text: str) -> tuple[int | None, int | None]:
    """The year and quarter a period names: "quý IV/2007" -> (2007, 4), "năm 2008" -> (2008, None).

    A period that names no single year ("từ nay đến cuối năm") gives (None, None).
    """
    text = nfc(text)
    match = _QUARTER_RE.search(text)
    if match:
        quarter_text, year = match.groups()
        quarter = int(quarter_text) if quarter_text.isdigit() else from_roman(quarter_text)
        if 1 <= quarter <= 4:
            return int(year), quarter
    years = set(_YEAR_RE.findall(text))
    if len(years) == 1:
        return int(years.pop()), None
    return None, None


def make_date(day: int | str, month: int | str, year: int | str) -> date:
    """A date from its parts, refusing one that does not exist with a message naming it."""
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        raise ValueError(f"ngày {int(day):02d}/{int(month):02d}/{year} không tồn tại") from None


_D = r"(\d{1,2})"
_SEP = r"\s*(?:và|đến|tới|-|–|—)\s*(?:ngày\s+)?"
_DATE_PATTERNS = (
    # "16 và 17/10/2007", "16-17/10/2007", "ngày 16, 17/10/2007"
    re.compile(rf"\b{_D}(?:{_SEP}|\s*,\s*){_D}\s*/\s*{_D}\s*/\s*(\d{{4}})"),
    # "30/9 và 01/10/2007", "từ ngày 30/9 đến ngày 01/10/2007"
    re.compile(rf"\b{_D}\s*/\s*{_D}{_SEP}{_D}\s*/\s*{_D}\s*/\s*(\d{{4}})"),
    # "ngày 16 và 17 tháng 10 năm 2007", "ngày 5 tháng 7 năm 2020"
    re.compile(rf"\bngày\s+{_D}(?:{_SEP}{_D})?\s+tháng\s+{_D}\s*(?:năm|,)\s*(\d{{4}})", re.I),
    # "31/12/2007 đến 02/01/2008"
    re.compile(rf"\b{_D}\s*/\s*{_D}\s*/\s*(\d{{4}}){_SEP}{_D}\s*/\s*{_D}\s*/\s*(\d{{4}})"),
    # "16/10/2007", "16-10-2007", "16.10.2007"
    re.compile(rf"\b{_D}\s*([/.-])\s*{_D}\s*\2\s*(\d{{4}})\b"),
)


def find_date_range(text: str) -> tuple[date, date | None] | None:
    """The first date or range of dates written in *text*, as Vietnamese documents write them.

    "trong 02 ngày 16 và 17/10/2007" -> (16/10/2007, 17/10/2007);
    "ngày 5 tháng 7 năm 2020" -> (05/07/2020, None). Raises ValueError for a date that does
    not exist ("30/02/2007").
    """
    found = []
    for kind, pattern in enumerate(_DATE_PATTERNS):
        match = pattern.search(text)
        if match:
            found.append((match.start(), -len(match.group(0)), kind, match))
    if not found:
        return None
    _, _, kind, match = min(found)
    g = match.groups()
    if kind == 0:
        return make_date(g[0], g[2], g[3]), make_date(g[1], g[2], g[3])
    if kind == 1:
        return make_date(g[0], g[1], g[4]), make_date(g[2], g[3], g[4])
    if kind == 2:
        start = make_date(g[0], g[2], g[3])
        return start, (make_date(g[1], g[2], g[3]) if g[1] else None)
    if kind == 3:
        return make_date(g[0], g[1], g[2]), make_date(g[3], g[4], g[5])
    return make_date(g[0], g[2], g[3]), None


_DIGIT_WORDS = {
    "không": 0,
    "một": 1,
    "mốt": 1,
    "hai": 2,
    "ba": 3,
    "bốn": 4,
    "tư": 4,
    "năm": 5,
    "lăm": 5,
    "sáu": 6,
    "bảy": 7,
    "tám": 8,
    "chín": 9,
}


def parse_number_words(text: str) -> tuple[int, int] | None:
    """A number from 1 to 99 written in words at the start of *text*, and how many words it took.

    "mười lăm" -> (15, 2); "hai mươi mốt" -> (21, 3); "chín" -> (9, 1); "thứ" -> None.
    Meetings are numbered this way in some titles: "Hội nghị lần thứ mười lăm".
    """
    words = nfc(text).lower().split()
    if not words:
        return None
    first = words[0]
    if first == "mười":
        unit = _DIGIT_WORDS.get(words[1]) if len(words) > 1 else None
        if unit is not None and words[1] not in ("không", "mốt", "tư"):
            return 10 + unit, 2
        return 10, 1
    tens = _DIGIT_WORDS.get(first)
    if tens is None or first in ("lăm", "mốt"):
        return None
    if len(words) > 1 and words[1] == "mươi" and tens >= 2:
        unit = _DIGIT_WORDS.get(words[2]) if len(words) > 2 else None
        if unit:
            return tens * 10 + unit, 3
        return tens * 10, 2
    return (tens, 1) if tens else None


def first_words(text: str, count: int) -> str:
    """The first *count* words of *text*, with "…" when there are more: what Django's
    Truncator(text).words(count) writes, without its lazy translation (every row of an import
    is named by it in the history)."""
    words = text.split()
    return " ".join(words[:count]) + ("…" if len(words) > count else "")


_WORD_RE = re.compile(r"[^\W_]+")


def search_words(text: str) -> list[str]:
    """The folded words of *text*, as search compares them: "Thủ Thiêm," -> ["thu", "thiem"]."""
    return _WORD_RE.findall(fold(nfc(text)))


# The five tone marks; the other marks (â ê ô ơ ư ă) make different letters.
_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")


@functools.lru_cache(maxsize=16384)
def _spelled(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word)
    tones = "".join(ch for ch in decomposed if ch in _TONE_MARKS)
    letters = "".join(ch for ch in decomposed if ch not in _TONE_MARKS)
    return unicodedata.normalize("NFC", letters) + tones


def spelled_words(text: str) -> list[str]:
    """The words of *text* in lower case with their accents, wherever a tone mark sits.

    Unlike search_words, "công nhân" (workers) and "công nhận" (recognized) differ, and so
    do "ma túy" and "mà tùy"; "ủy" and "uỷ", "hòa" and "hoà" are the same word.
    """
    return [_spelled(word) for word in _WORD_RE.findall(nfc(text).lower())]


def search_text(main: str, *others: str) -> str:
    """What search compares: the folded words of *main*, " ~ ", then those of *others*.

    Padded with spaces so that " word " matches whole words and " two words " a phrase with a
    plain LIKE on any database; the "~" tells the record's own text from its context (a
    directive's section heading), so that a phrase in the text itself can rank first.
    """
    rest = [word for part in others if part for word in search_words(part)]
    return f" {' '.join(search_words(main or ''))} ~ {' '.join(rest)} ".replace("  ", " ")


def period_end(year: int, quarter: int | None = None) -> date:
    """The last day of a year, or of one of its quarters: (2007, 4) -> 31/12/2007."""
    if quarter is None:
        return date(year, 12, 31)
    return date(year, 3 * quarter, 31 if quarter in (1, 4) else 30)


def whole_number(value: str | None) -> int | None:
    """A number or id typed into a URL or a form, or None. Only ASCII digits: "²" is a digit
    to str.isdigit() but not to int(); and small enough for the database's integers."""
    if value and len(value) <= 18 and value.isascii() and value.isdigit():
        return int(value)
    return None
