"""Which figures compare: the span a period covers, apart from its year.

"9 tháng năm 2007" and "9 tháng năm 2008" are the same span in two years; "quý IV/2007" is a
quarter and never sits on the same line as a nine-month cumulative figure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .. import vietnamese

_MONTHS_RE = re.compile(r"\b(\d{1,2})\s+tháng(?:\s+đầu)?(?:\s+năm)?\b", re.IGNORECASE)
_QUARTER_RE = re.compile(r"\bqu[ýy]\s+([IV]+|[1-4])\b", re.IGNORECASE)
_MONTH_RE = re.compile(r"\btháng\s+(\d{1,2})\s*(?:/|năm)", re.IGNORECASE)
_HALF_RE = re.compile(r"\b6\s+tháng\s+cuối\b", re.IGNORECASE)


@dataclass(frozen=True)
class Period:
    year: int | None
    span: str  # "9 tháng", "quý IV", "tháng 10", "cả năm", or "" when unknown

    @property
    def label(self) -> str:
        if self.year is None:
            return self.span or "—"
        if self.span == "cả năm":
            return f"năm {self.year}"
        if self.span.startswith("quý"):
            return f"{self.span}/{self.year}"
        return f"{self.span} năm {self.year}"

    @property
    def sort_key(self) -> tuple:
        return (self.year or 0, _span_rank(self.span))


def _span_rank(span: str) -> int:
    if span.startswith("quý"):
        return 3 * vietnamese.from_roman(span.split()[1])
    if span.startswith("tháng"):
        return int(span.split()[1])
    if span.endswith("tháng"):
        return int(span.split()[0])
    return 12


def parse(text: str) -> Period:
    """The year and span of a period as a conclusion writes it."""
    text = vietnamese.nfc(text or "").strip()
    year, _ = vietnamese.parse_period(text)
    if _HALF_RE.search(text):
        return Period(year, "6 tháng cuối")
    match = _QUARTER_RE.search(text)
    if match:
        quarter = match.group(1)
        number = int(quarter) if quarter.isdigit() else vietnamese.from_roman(quarter.upper())
        if 1 <= number <= 4:
            return Period(year, f"quý {vietnamese.to_roman(number)}")
    match = _MONTHS_RE.search(text)
    if match and 1 <= int(match.group(1)) < 12:
        return Period(year, f"{int(match.group(1))} tháng")
    match = _MONTH_RE.search(text)
    if match and 1 <= int(match.group(1)) <= 12:
        return Period(year, f"tháng {int(match.group(1))}")
    if year is not None:
        return Period(year, "cả năm")
    return Period(None, "")
