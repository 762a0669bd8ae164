"""What "Điền từ văn bản" puts in the meeting page's forms: the records an import would write,
with related rows as ids and tags suggested, for a clerk to check and save."""

from __future__ import annotations

from dataclasses import dataclass

from ..models import Committee, Directive, Finding, Indicator, Report, Topic
from ..parsing import ParsedConclusion, ParseWarning
from .records import ROW_MODELS, UnitMatcher, conclusion_records, row_label
from .tagging import TagSuggester


@dataclass
class FormInitial:
    """A parsed conclusion as the meeting page's initial values, for a clerk to check."""

    meeting: dict
    rows: dict[type, list[dict]]
    warnings: list

    def summary(self) -> str:
        return "; ".join(f"{len(self.rows[model])} {row_label(model)}" for model in ROW_MODELS)


def form_initial(parsed: ParsedConclusion, source_name: str = "") -> FormInitial:
    """What "Điền từ văn bản" puts in the meeting page's forms: the same records an import
    would write (conclusion_records), with related rows as ids and tags suggested."""
    topics = {t.slug: t for t in Topic.objects.all()}
    records = conclusion_records(parsed, source_name, topics)
    warnings = list(parsed.warnings) + records.warnings
    committee = Committee.objects.named(parsed.meeting.committee)
    if parsed.meeting.committee and committee is None:
        warnings.append(
            ParseWarning(
                1,
                "new_committee",
                f"chưa có cấp ủy “{parsed.meeting.committee}” trong sổ: hãy thêm cấp ủy "
                "(nút + cạnh ô Cấp ủy) rồi chọn.",
            )
        )

    def ids(values: dict) -> dict:
        return {k: (v.pk if isinstance(v, Topic) else v) for k, v in values.items()}

    meeting = {
        **records.meeting,
        "committee": committee.pk if committee else None,
        "term": parsed.meeting.term,
        "number": parsed.meeting.number,
    }
    suggester = TagSuggester(topics.values())
    units = UnitMatcher(committee)
    directives = []
    for (section_order, position), values in records.rows[Directive].items():
        proposed = Directive(text=values["text"], topic=values.get("topic"))
        lead = units.match(values["responsible_unit"])
        directives.append(
            {
                **ids(values),
                "section_order": section_order,
                "position": position,
                "tags": sorted(suggester.suggest(proposed)),
                "lead_unit": lead.pk if lead else None,
            }
        )
    rows: dict[type, list[dict]] = {
        model: [{**ids(values), "position": key[0]} for key, values in records.rows[model].items()]
        for model in (Report, Indicator, Finding)
    }
    rows[Directive] = directives
    return FormInitial(meeting, rows, warnings)
