"""The one rule for text written into a spreadsheet cell, and its inverse on the way back.

A spreadsheet program runs a cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return as a formula (``=HYPERLINK(…)`` in a unit's name becomes a link for whoever opens the
file; ``=2+3 unit`` is stored as a formula and reads back empty). Every text cell we write goes
through ``escape``: such a text gets a leading apostrophe. So does a text that itself starts with
an apostrophe, so that ``unescape`` can tell our apostrophe from the writer's: ``unescape(
escape(s)) == s`` for every string, and a text we did not escape comes back unchanged.

Also here, for the XLSX and ODS writers alike: how wide a column must be to show its cells.
"""

import re
from datetime import date, datetime
from decimal import Decimal

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"


def _needs_quote(text: str) -> bool:
    return text.startswith(FORMULA_TRIGGERS) or text.startswith(QUOTE)


def escape(value) -> str:
    """The text as a cell must hold it: never run as a formula."""
    text = "" if value is None else str(value)
    return QUOTE + text if _needs_quote(text) else text


def unescape(text: str) -> str:
    """The text ``escape`` was given: one leading apostrophe is ours only when what follows it
    would have needed one."""
    if text.startswith(QUOTE) and _needs_quote(text[1:]):
        return text[1:]
    return text


# XLSX keeps text in XML, where a carriage return reads back as a line feed and most control
# characters cannot be written at all: Office Open XML spells them ``_xHHHH_`` (and a literal
# ``_xHHHH_`` as ``_x005F_xHHHH_``). openpyxl leaves both directions to us.
_OOXML_NEEDED = re.compile(r"[\x00-\x08\x0b\x0c\x0d\x0e-\x1f]|_x[0-9A-Fa-f]{4}_")
_OOXML_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")


def to_ooxml(text: str) -> str:
    def spelled(match):
        found = match.group(0)
        return "_x005F" + found if len(found) > 1 else f"_x{ord(found):04X}_"

    return _OOXML_NEEDED.sub(spelled, text)


def from_ooxml(text: str) -> str:
    if "_x" not in text:
        return text
    return _OOXML_ESCAPED.sub(lambda match: chr(int(match.group(1), 16)), text)


# Column widths, in characters: as wide as the header and the cells shown, never narrower than
# MIN_WIDTH, never wider than MAX_WIDTH (a longer text wraps inside its column).
MIN_WIDTH = 6
MAX_WIDTH = 60
# Rows read to choose the widths: a long table is not read twice.
SAMPLE = 500


def shown_width(value) -> int:
    """How many characters a value takes on screen, as its cell shows it."""
    if value is None:
        return 0
    if isinstance(value, datetime):
        return 19
    if isinstance(value, date):
        return 10
    if isinstance(value, bool):
        return 5
    if isinstance(value, int | float | Decimal):
        return len(format(value, "f") if isinstance(value, Decimal) else str(value))
    return max((len(line) for line in str(value).split("\n")), default=0)


def widths(headers, rows) -> list[int]:
    """Each column's width from its header and the rows given, capped."""
    found = [shown_width(h) for h in headers]
    for row in rows:
        for i, value in enumerate(row):
            width = shown_width(value)
            if i >= len(found):
                found.append(width)
            elif width > found[i]:
                found[i] = width
    return [min(max(w + 2, MIN_WIDTH), MAX_WIDTH) for w in found]
