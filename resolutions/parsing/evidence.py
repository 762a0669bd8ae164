"""Where each value the parser proposes was read, and how sure the reading is.

Once a conclusion is read, each value of the meeting (and each figure, each task) is looked for
in the lines that hold it: the line, the characters of that line and how sure the reading is:

``exact``
    the value is written there as proposed ("lần thứ 14", "6 tháng đầu năm 2023");
``inferred``
    it is completed from another part of the text ("Ngày 11/7" read with the year of the
    periods, "6 tháng đầu năm" with the year of the plan, a committee named by its place);
``guessed``
    the text says it less plainly (a period picked from the figures' paragraph, a figure's name
    put together from the words around it): the clerk checks these first.

A value the text does not state has no evidence, and the parser leaves it empty.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from ..vietnamese import fold, to_roman
from .model import Evidence, ParsedConclusion

# The opening of a document holds its meeting's facts; later lines are not searched for them.
_OPENING_LINES = 80
_NUMBER_RE = re.compile(r"\blần\s+thứ\s+[^\s,.;)]+", re.I)
_TERM_RE = re.compile(r"\b(?:khóa|khoá)\s+[IVXLC\d]+", re.I)
_DATE_RE = re.compile(
    r"\b\d{1,2}(?:\s*(?:và|đến|,|-)\s*(?:ngày\s+)?\d{1,2})?\s*[/.-]\s*\d{1,2}(?:\s*[/.-]\s*\d{4})?"
    r"|\bngày\s+\d{1,2}(?:\s*(?:và|đến)\s*(?:ngày\s+)?\d{1,2})?\s+tháng\s+\d{1,2}"
    r"(?:\s*(?:năm|,)\s*\d{4})?",
    re.I,
)
# "Ban Chấp hành Đảng bộ huyện Châu Đức" -> "Châu Đức", the place a text may name alone.
_LEVEL_PREFIX_RE = re.compile(r"^.*?\b(?:quận|huyện|tỉnh|thành phố|thị xã|phường|xã)\s+", re.I)
_SHOWN = 300
_NUMBER_TEXT_RE = re.compile(r"\d[\d.,/]*")


def attach(result: ParsedConclusion, lines: list[str], tasks_line: int | None) -> None:
    """Fill ``result.evidence`` and each figure's and task's ``evidence``."""
    opening = lines[: min(len(lines), tasks_line or _OPENING_LINES, _OPENING_LINES)]
    folded = [fold(line) for line in opening]
    meeting = result.meeting
    found: dict[str, Evidence | None] = {}

    def first(
        pattern: re.Pattern[str],
        accept: Callable[[str], bool] = lambda text: True,
        certainty: str = "exact",
    ) -> Evidence | None:
        for number, line in enumerate(opening, start=1):
            for match in pattern.finditer(line):
                if accept(match.group(0)):
                    return _at(number, line, match.start(), match.end(), certainty)
        return None

    def words(text: str, certainty: str = "exact") -> Evidence | None:
        """The first line that holds *text* (case, tone marks and dashes aside)."""
        wanted = fold(text).replace("–", "-")
        if not wanted:
            return None
        for number, line in enumerate(folded, start=1):
            if len(line) != len(opening[number - 1]):
                continue  # a letter that folds to two: no reliable span
            start = line.replace("–", "-").find(wanted)
            if start >= 0:
                return _at(number, opening[number - 1], start, start + len(wanted), certainty)
        return None

    if meeting.number is not None:
        number = meeting.number
        found["meeting.number"] = first(_NUMBER_RE, lambda text: _names_number(text, number))
    if meeting.term is not None:
        roman = fold(to_roman(meeting.term))
        found["meeting.term"] = first(
            _TERM_RE, lambda text: fold(text).split()[-1] in (roman, str(meeting.term))
        )
    if meeting.committee:
        place = _LEVEL_PREFIX_RE.sub("", meeting.committee)
        found["meeting.committee"] = words(meeting.committee) or words(place, "inferred")
    if meeting.short_name_in_text:
        found["meeting.short_name_in_text"] = words(meeting.short_name_in_text)
    if meeting.kind:
        word = re.compile(r"\bĐại hội\b" if meeting.kind == "congress" else r"\bUBND\b|Ủy ban")
        found["meeting.kind"] = first(word, certainty="inferred")
    if meeting.extended_session:
        found["meeting.extended_session"] = first(re.compile(r"mở rộng", re.I))
    for name in ("started_on", "ended_on"):
        day = getattr(meeting, name)
        if day:
            read = first(_DATE_RE, _naming_day(day))
            if read and not re.search(r"\d{4}", read.source):
                read = _sure(read, "inferred")  # the year is not written beside the day
            found[f"meeting.{name}"] = read
    for name in ("review_period", "plan_period"):
        period = getattr(meeting, name)
        if period:
            # Read as written, or written without the year that completes it.
            found[f"meeting.{name}"] = (
                words(period)
                or words(re.sub(r"\s*\d{4}$", "", period), "inferred")
                or words(re.sub(r"\s*(?:năm\s+)?\d{4}$", "", period), "inferred")
            )
    for name, value in (("document.issued_on", result.issued_on),):
        if value:
            found[name] = first(_DATE_RE, _naming_day(value))
    if result.published_on:
        found["document.published_on"] = first(_DATE_RE, _naming_day(result.published_on))
    if result.document_symbol:
        found["document.symbol"] = words(result.document_symbol.split("/")[0])
    result.evidence.update((key, value) for key, value in found.items() if value is not None)

    # Figures and tasks come in the order of their lines: each is looked for after the one
    # before it on the same line, so that a long line is read once, not once per figure.
    cursors: dict[int, int] = {}
    folded_lines: dict[int, str] = {}
    for indicator in result.indicators:
        line = indicator.line
        if 0 < line <= len(lines):
            if line not in folded_lines:
                folded_lines[line] = fold(lines[line - 1])
            indicator.evidence = _figure(
                indicator.name, line, lines[line - 1], folded_lines[line], cursors
            )
    cursors.clear()
    for _, _, directive in result.directives:
        line = directive.line
        source = lines[line - 1] if 0 < line <= len(lines) else ""
        head = directive.text.split("\n")[0][:80]
        start = source.find(head, cursors.get(line, 0)) if head else -1
        if start >= 0:
            cursors[line] = start + len(head)
            directive.evidence = _at(line, source, start, start + len(head), "exact")
        else:  # put together from the line ("… yêu cầu: a; b"): the line is the source
            directive.evidence = _at(line, source, 0, len(source), "inferred")


def _at(line: int, source: str, start: int, end: int, certainty: str) -> Evidence:
    # A whole long line is shown by its opening: the span still says how far it goes.
    return Evidence(line, start, end, source[start : min(end, start + _SHOWN)], certainty)


def _sure(evidence: Evidence, certainty: str) -> Evidence:
    return Evidence(evidence.line, evidence.start, evidence.end, evidence.source, certainty)


def _names_number(text: str, number: int) -> bool:
    written = text.split()[-1].strip(",.;:)")
    if written.isdecimal():
        return int(written) == number
    return fold(written) == fold(to_roman(number)) or not written[:1].isdigit()


def _naming_day(day: date) -> Callable[[str], bool]:
    return lambda text: _names_day(text, day)


def _names_day(text: str, day: date) -> bool:
    numbers = [int(n) for n in re.findall(r"\d+", text)]
    return day.day in numbers and day.month in numbers[numbers.index(day.day) + 1 :]


def _figure(name: str, line: int, source: str, folded: str, cursors: dict[int, int]) -> Evidence:
    """A figure's name and value in its line; a name put together from several places of the
    sentence is not found as written, and is guessed."""
    after = cursors.get(line, 0)
    start = folded.find(fold(name), after) if name and len(folded) == len(source) else -1
    if start < 0:
        return _at(line, source, after, len(source), "guessed")
    cursors[line] = start
    value = _NUMBER_TEXT_RE.search(source, start + len(name))
    return _at(line, source, start, value.end() if value else start + len(name), "exact")
