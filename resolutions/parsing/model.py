"""What the parser returns: plain dataclasses, nothing of Django."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class ParseWarning:
    """Something a clerk should look at, with the line of the document it concerns (from 1)."""

    line: int
    code: str
    message: str

    def __str__(self) -> str:
        return f"dòng {self.line}: {self.message}"


@dataclass(frozen=True)
class Evidence:
    """Where a value was read: its line (from 1), the characters [start, end) of that line as
    the document has it, and how sure the reading is: "exact", "inferred" or "guessed"."""

    line: int
    start: int
    end: int
    source: str
    certainty: str


@dataclass
class ParsedReport:
    kind: str  # a Report.Kind value
    title: str


@dataclass
class ParsedIndicator:
    name: str
    line: int
    period: str = ""
    value: Decimal | None = None
    unit: str = ""
    target_value: Decimal | None = None
    change_pct: Decimal | None = None
    compared_with: str = ""
    plan_pct: Decimal | None = None
    part_of: str = ""  # the name of the larger figure ("trong đó …")
    is_estimate: bool = False
    is_target: bool = False
    sentence: str = ""
    # For targets found in directives: where they were found.
    section_order: int | None = None
    directive_index: int | None = None
    evidence: Evidence | None = None


@dataclass
class ParsedFinding:
    kind: str  # a Finding.Kind value
    text: str
    line: int


@dataclass
class ParsedDirective:
    text: str
    line: int
    responsible_unit: str = ""
    cited_documents: list[str] = field(default_factory=list)
    evidence: Evidence | None = None


@dataclass
class ParsedSection:
    order: int
    printed_number: str
    heading: str
    line: int
    topic_slug: str = ""
    directives: list[ParsedDirective] = field(default_factory=list)


@dataclass
class ParsedMeeting:
    # "" for a conference of the committee; "congress" (Đại hội) or "government_meeting"
    # (a meeting of the People's Committee) otherwise: a Meeting.Kind value.
    kind: str = ""
    committee: str = ""
    short_name_in_text: str = ""
    number: int | None = None
    term: int | None = None
    extended_session: bool = False
    extraordinary: bool = False
    started_on: date | None = None
    ended_on: date | None = None
    review_period: str = ""
    plan_period: str = ""


@dataclass
class ParsedConclusion:
    document_kind: str = ""  # a Meeting.DocumentKind value
    document_kind_label: str = ""  # as printed: "Kết luận"
    title: str = ""
    document_symbol: str = ""
    issued_on: date | None = None
    published_on: date | None = None
    meeting: ParsedMeeting = field(default_factory=ParsedMeeting)
    reports: list[ParsedReport] = field(default_factory=list)
    indicators: list[ParsedIndicator] = field(default_factory=list)
    findings: list[ParsedFinding] = field(default_factory=list)
    general_instruction: str = ""
    sections: list[ParsedSection] = field(default_factory=list)
    cited_documents: list[str] = field(default_factory=list)
    source_text: str = ""
    warnings: list[ParseWarning] = field(default_factory=list)
    # Where each value of the meeting and the document was read: "meeting.number" -> Evidence.
    evidence: dict[str, Evidence] = field(default_factory=dict)

    @property
    def directives(self) -> list[tuple[ParsedSection, int, ParsedDirective]]:
        """Every directive with its section and its 1-based index in that section."""
        return [
            (section, index, directive)
            for section in self.sections
            for index, directive in enumerate(section.directives, start=1)
        ]

    @property
    def results(self) -> list[ParsedIndicator]:
        return [i for i in self.indicators if not i.is_target]

    @property
    def targets(self) -> list[ParsedIndicator]:
        return [i for i in self.indicators if i.is_target]
