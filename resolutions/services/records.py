"""What a parsed conclusion becomes in the register, before anything is written: the meeting's
values and each row's, keyed by its place in the document, and the unit a task names among its
committee's units. The import (conclusions.py) writes them; "Điền từ văn bản"
(meeting_form.py) shows them for a clerk to check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .. import vietnamese
from ..models import Committee, Directive, Finding, Indicator, Meeting, Report, Topic, Unit
from ..parsing import ParsedConclusion, ParseWarning

# The parts of a conclusion, in the order an import reports them.
ROW_MODELS = (Report, Indicator, Finding, Directive)


def row_label(model) -> str:
    """A part's name as the clerk reads it, from the model (written once, there)."""
    return str(model._meta.verbose_name_plural)


_PROVINCE_CITIES = ("hồ chí minh", "hà nội", "hải phòng", "đà nẵng", "cần thơ", "huế")


def committee_level(name: str) -> str:
    folded = name.casefold()
    if re.search(r"\b(?:phường|xã|thị trấn)\b", folded):
        return Committee.Level.WARD
    if re.search(r"\btỉnh\b", folded) or any(city in folded for city in _PROVINCE_CITIES):
        return Committee.Level.PROVINCE
    return Committee.Level.DISTRICT


def untitled(parsed: ParsedConclusion) -> str:
    """The title a text without one (a news report of the conference) is filed under, made of
    the meeting's facts the parser read in its opening paragraphs; empty when it found none."""
    source = parsed.meeting
    if not (source.committee and source.number):
        return ""
    if source.kind == Meeting.Kind.CONGRESS:
        title = f"Đại hội {source.committee} lần thứ {source.number}"
    else:
        title = f"Hội nghị lần thứ {source.number} {source.committee}"
    if source.term:
        title += f" khóa {vietnamese.to_roman(source.term)}"
    if source.extended_session:
        title += " (mở rộng)"
    return title


@dataclass
class ConclusionRecords:
    """What a parsed conclusion becomes in the register, before anything is written: the
    meeting's field values, and each part's values keyed by its place. The importer writes
    them; the meeting form's "fill from text" shows them for a clerk to check and save."""

    meeting: dict
    rows: dict[type, dict[tuple, dict]]
    indicator_parents: dict[tuple, tuple | None]  # "trong đó …": a part and its figure
    warnings: list[ParseWarning]


def conclusion_records(
    parsed: ParsedConclusion, source_name: str, topics: dict[str, Topic]
) -> ConclusionRecords:
    source = parsed.meeting
    kind = Meeting.Kind.REGULAR
    if source.kind:  # a party congress, a meeting of the People's Committee
        kind = Meeting.Kind(source.kind)
    elif source.extended_session:
        kind = Meeting.Kind.EXTENDED
    elif source.extraordinary:
        kind = Meeting.Kind.EXTRAORDINARY
    meeting = {
        "kind": kind,
        "started_on": source.started_on,
        "ended_on": source.ended_on if source.ended_on != source.started_on else None,
        "review_period": source.review_period,
        "plan_period": source.plan_period,
        "document_kind": parsed.document_kind or Meeting.DocumentKind.CONCLUSION,
        "title": parsed.title or untitled(parsed),
        "document_symbol": parsed.document_symbol,
        "issued_on": parsed.issued_on,
        "published_on": parsed.published_on,
        "general_instruction": parsed.general_instruction,
        "source_text": parsed.source_text,
        "source_name": source_name,
    }
    warnings = []
    if not parsed.title and source.committee and source.number:
        warnings.append(
            ParseWarning(
                1,
                "untitled",
                "văn bản không có dòng tiêu đề (bản tin về hội nghị?): hội nghị được lưu với "
                f"tiêu đề “{untitled(parsed)}”, đặt từ các thông tin ở những đoạn đầu; hãy "
                "kiểm tra.",
            )
        )
    section_topics: dict[int | None, Topic | None] = {
        s.order: topics.get(s.topic_slug) for s in parsed.sections
    }
    for section in parsed.sections:
        if section.topic_slug and section.topic_slug not in topics:
            warnings.append(
                ParseWarning(
                    section.line,
                    "missing_topic",
                    f"lĩnh vực “{section.topic_slug}” chưa có trong sổ; mục "
                    f"“{section.heading}” để trống lĩnh vực.",
                )
            )
    rows: dict[type, dict[tuple, dict]] = {
        Report: {(i,): {"kind": r.kind, "title": r.title} for i, r in enumerate(parsed.reports, 1)},
        Finding: {(i,): {"kind": f.kind, "text": f.text} for i, f in enumerate(parsed.findings, 1)},
        Directive: {
            (section.order, index): {
                "section_number": section.printed_number,
                "section_heading": section.heading[:300],
                "text": directive.text,
                "topic": section_topics.get(section.order),
                "responsible_unit": directive.responsible_unit[:300],
                "cited_documents": "\n".join(directive.cited_documents),
                "due_period": source.plan_period,
            }
            for section, index, directive in parsed.directives
        },
        Indicator: {},
    }
    parents: dict[tuple, tuple | None] = {}
    by_name: dict[str, tuple] = {}
    for position, indicator in enumerate(parsed.indicators, 1):
        topic = section_topics.get(indicator.section_order) if indicator.is_target else None
        rows[Indicator][(position,)] = {
            "name": indicator.name[:500],
            "period": indicator.period[:100],
            "value": indicator.value,
            "unit": indicator.unit,
            "target_value": indicator.target_value,
            "change_pct": indicator.change_pct,
            "compared_with": indicator.compared_with[:100],
            "plan_pct": indicator.plan_pct,
            "is_target": indicator.is_target,
            "is_estimate": indicator.is_estimate,
            "sentence": indicator.sentence,
            "topic": topic,
        }
        by_name.setdefault(indicator.name, (position,))
        parents[(position,)] = by_name.get(indicator.part_of) if indicator.part_of else None
    return ConclusionRecords(meeting, rows, parents, warnings)


class UnitMatcher:
    """The unit a directive names ("Ủy ban nhân dân quận có biện pháp …"), among its
    committee's units, by full name or short name at the start of the named unit."""

    def __init__(self, committee: Committee | None):
        units = list(committee.units.all()) if committee and committee.pk else []
        self.names = sorted(
            (
                (f" {' '.join(vietnamese.search_words(name))} ", unit)
                for unit in units
                for name in (unit.name, unit.short_name)
                if vietnamese.search_words(name)
            ),
            key=lambda pair: -len(pair[0]),  # the longest name that fits
        )

    def match(self, named: str) -> Unit | None:
        if not named:
            return None
        folded = f" {' '.join(vietnamese.search_words(named))} "
        return next((unit for name, unit in self.names if folded.startswith(name)), None)
