"""The parsed structure as JSON, in the schema of the hand-checked files in shared/gold/."""

from __future__ import annotations

from dataclasses import asdict
from decimal import Decimal
from typing import Any

from ..vietnamese import to_roman
from .model import Evidence, ParsedConclusion, ParsedIndicator


def _decimal(value: Decimal | None) -> str | None:
    return None if value is None else format(value.normalize(), "f")


def _indicator(indicator: ParsedIndicator) -> dict[str, Any]:
    fields = {
        "name": indicator.name,
        "value": _decimal(indicator.value),
        "unit": indicator.unit,
        "target_value": _decimal(indicator.target_value),
        "change_pct": _decimal(indicator.change_pct),
        "compared_with": indicator.compared_with,
        "plan_pct": _decimal(indicator.plan_pct),
        "part_of": indicator.part_of,
        "estimate": indicator.is_estimate or None,
        "period": indicator.period,
    }
    return {key: value for key, value in fields.items() if value not in (None, "")}


def as_gold_dict(parsed: ParsedConclusion, source_file: str = "") -> dict[str, Any]:
    meeting = parsed.meeting
    shortcomings = [f for f in parsed.findings if f.kind == "shortcoming"]
    return {
        "source_file": source_file,
        "document": _without_blanks(
            {
                "kind": parsed.document_kind_label,
                "title": parsed.title,
                "symbol": parsed.document_symbol,
                "issued_on": parsed.issued_on.isoformat() if parsed.issued_on else None,
                "published_on": parsed.published_on.isoformat() if parsed.published_on else None,
            }
        ),
        "meeting": _without_blanks(
            {
                "kind": meeting.kind,
                "committee": meeting.committee,
                "short_name_in_text": meeting.short_name_in_text,
                "number": meeting.number,
                "term": to_roman(meeting.term) if meeting.term else None,
                "extended_session": meeting.extended_session,
                "started_on": meeting.started_on.isoformat() if meeting.started_on else None,
                "ended_on": meeting.ended_on.isoformat() if meeting.ended_on else None,
                "review_period": meeting.review_period,
                "plan_period": meeting.plan_period,
            }
        ),
        "reports_adopted": [report.title for report in parsed.reports],
        "indicators": [_indicator(i) for i in parsed.results],
        "targets_in_directives": [
            {
                "section_order": t.section_order,
                "directive_index": t.directive_index,
                "text": t.name,
                **{k: v for k, v in _indicator(t).items() if k in ("value", "unit")},
            }
            for t in parsed.targets
        ],
        "findings": {
            "achievements_paragraphs": sum(f.kind == "achievement" for f in parsed.findings),
            "shortcomings_paragraph_starts_with": _opening(shortcomings[0].text)
            if shortcomings
            else "",
        },
        "general_instruction": parsed.general_instruction,
        "sections": [
            {
                "order": section.order,
                "printed_number": section.printed_number,
                "heading": section.heading,
                "topic": section.topic_slug,
                "directives": [d.text for d in section.directives],
            }
            for section in parsed.sections
        ],
        "directive_count": len(parsed.directives),
        "responsible_units_named": [
            {"section_order": s.order, "directive_index": i, "unit": d.responsible_unit}
            for s, i, d in parsed.directives
            if d.responsible_unit
        ],
        "cited_documents": parsed.cited_documents,
        "warnings": [
            {"line": w.line, "code": w.code, "message": w.message} for w in parsed.warnings
        ],
    }


def evidence_dict(parsed: ParsedConclusion) -> dict[str, Any]:
    """Where each value was read, for ``parse_conclusion --format json``: the meeting's and the
    document's fields by name, then each figure and each task in the order of the structure."""

    def where(evidence: Evidence | None) -> dict[str, Any] | None:
        return None if evidence is None else asdict(evidence)

    return {
        "fields": {name: where(e) for name, e in parsed.evidence.items()},
        "indicators": [where(i.evidence) for i in parsed.results],
        "targets_in_directives": [where(t.evidence) for t in parsed.targets],
        "directives": [
            {"section_order": s.order, "directive_index": i, **(where(d.evidence) or {})}
            for s, i, d in parsed.directives
        ],
    }


def _opening(text: str) -> str:
    """The words before the first colon or comma-led list: "Tuy nhiên, vẫn còn … tồn tại"."""
    return text.split(":")[0].strip()


def _without_blanks(fields: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in fields.items() if value not in (None, "")}
