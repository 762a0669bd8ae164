"""The rules of the form of Party documents, as data: each ruleset applies from its date, so a
document renders by the rules in force when it was issued (a later guidance is one more entry
in rulesets.json, not new code)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

RULESETS_FILE = Path(__file__).with_name("rulesets.json")


@dataclass(frozen=True)
class Ruleset:
    code: str
    name: str
    valid_from: date
    page_mm: tuple[int, int]
    margins_mm: dict[str, float]
    font: str
    font_substitute: str
    sizes_pt: dict[str, float]
    first_line_indent_mm: float
    line_spacing: float
    paragraph_after_pt: float
    labels: dict[str, str]
    document_kinds: dict[str, dict]
    issuer_abbreviations: dict[str, str]
    signer_titles: dict[str, str]
    default_recipients: tuple[str, ...]

    @classmethod
    def from_dict(cls, data: dict) -> Ruleset:
        return cls(
            code=data["code"],
            name=data["name"],
            valid_from=date.fromisoformat(data["valid_from"]),
            page_mm=(data["page"]["width_mm"], data["page"]["height_mm"]),
            margins_mm=data["margins_mm"],
            font=data["font"],
            font_substitute=data["font_substitute"],
            sizes_pt=data["sizes_pt"],
            first_line_indent_mm=data["first_line_indent_mm"],
            line_spacing=data["line_spacing"],
            paragraph_after_pt=data["paragraph_after_pt"],
            labels=data["labels"],
            document_kinds=data["document_kinds"],
            issuer_abbreviations=data["issuer_abbreviations"],
            signer_titles=data["signer_titles"],
            default_recipients=tuple(data["default_recipients"]),
        )

    def type_name(self, document_kind: str) -> list[str]:
        return self.document_kinds[document_kind]["type_name"]

    def abbreviation(self, document_kind: str) -> str:
        return self.document_kinds[document_kind]["abbreviation"]


@cache
def rulesets(path: Path = RULESETS_FILE) -> tuple[Ruleset, ...]:
    """Every ruleset of the file, oldest first."""
    entries = json.loads(path.read_text(encoding="utf-8"))
    return tuple(sorted((Ruleset.from_dict(e) for e in entries), key=lambda r: r.valid_from))


def ruleset_for(day: date | None, available: tuple[Ruleset, ...] | None = None) -> Ruleset:
    """The ruleset in force on *day*: the latest one that began on or before it. A document
    older than every ruleset we hold takes the oldest (the earlier guidance is not kept as data
    yet); one without a date, a draft, takes the newest."""
    available = available or rulesets()
    if day is None:
        return available[-1]
    in_force = [r for r in available if r.valid_from <= day]
    return in_force[-1] if in_force else available[0]
