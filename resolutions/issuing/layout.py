"""The official document laid out from a meeting's records, once, for every output: the .docx
writer, the PDF made from it and the reading view all take this structure.

Every label and size comes from the ruleset in force on the document's date. What the form
needs and the records lack (number, date, issuing body, signer) is listed in ``missing``; such
a document still renders, marked as a draft on every page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ObjectDoesNotExist

from ..models import Committee, Meeting
from ..vietnamese import to_roman
from .models import SignerTitle
from .rulesets import Ruleset, ruleset_for


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of the body. *kind* names its style: "body" (justified, first-line
    indent), "section" (a heading of the tasks, bold) or "bullet" (one task)."""

    text: str
    kind: str = "body"


@dataclass
class IssuedDocument:
    ruleset: Ruleset
    superior_body: str
    issuing_body: str
    symbol: str
    place_date: str
    type_name: list[str]
    subject: str
    body: list[Paragraph]
    on_behalf: str
    signer_title: str
    signer_name: str
    recipients: list[str]
    missing: list[str] = field(default_factory=list)
    file_stem: str = "van-ban"

    @property
    def is_draft(self) -> bool:
        return bool(self.missing)

    @property
    def party_title(self) -> str:
        return self.ruleset.labels["party_title"]

    @property
    def signature_lines(self) -> list[str]:
        lines = [self.on_behalf, self.signer_title]
        if not self.is_draft:
            lines.append(self.ruleset.labels["signed_copy"])
        return [line for line in (*lines, self.signer_name) if line]

    def header_left(self) -> list[str]:
        lines = [self.superior_body, self.issuing_body, self.ruleset.labels["star"], self.symbol]
        return [line for line in lines if line]

    def header_right(self) -> list[str]:
        return [self.party_title, self.place_date]

    def text(self) -> str:
        """The document as plain text, in the order a reader of the .docx finds it."""
        # The draft mark is in the page header, on every page, not in the text.
        lines = [*self.header_left(), *self.header_right(), *self.type_name, self.subject]
        lines += [p.text for p in self.body]
        lines += [self.ruleset.labels["recipients"], *self.recipients, *self.signature_lines]
        return "\n\n".join(lines) + "\n"


# The words that open a stored title and that the form prints apart, as the type name.
_TYPE_PREFIX_RE = re.compile(r"^\s*(?:thông\s+báo\s+)?(?:kết\s+luận|nghị\s+quyết)\s+", re.I)
# "Ban Chấp hành Đảng bộ Quận 2" -> "Quận 2"; "… Đảng bộ huyện Củ Chi" -> "Củ Chi".
_PLACE_RE = re.compile(
    r"Đảng\s+bộ\s+(?:(?:tỉnh|thành\s+phố|huyện|thị\s+xã|phường|xã|thị\s+trấn)\s+)?(.+)$"
)


def build_document(meeting: Meeting) -> IssuedDocument:
    """The official document of *meeting*, its parts read with a handful of queries."""
    issued_on = meeting.issued_on
    rules = ruleset_for(issued_on)
    committee = meeting.committee
    missing = []
    kind = meeting.document_kind
    abbreviation = rules.abbreviation(kind)
    issuer = committee.symbol or rules.issuer_abbreviations.get(committee.level, "")
    if meeting.document_symbol:
        symbol = rules.labels["symbol"].format(symbol=meeting.document_symbol)
    else:
        missing.append("số văn bản")
        symbol = rules.labels["symbol"].format(symbol=f"     -{abbreviation}/{issuer}")
    profile = _related(committee, "issuing_profile")
    issuance = _related(meeting, "issuance")
    issuing_body = (profile.issuing_body if profile else committee.short_name).upper()
    if not issuing_body:
        missing.append("cơ quan ban hành")
    place = profile.place if profile else place_name(committee)
    if issued_on:
        place_date = rules.labels["place_date"].format(
            place=place, day=issued_on.day, month=issued_on.month, year=issued_on.year
        )
    else:
        missing.append("ngày ban hành")
        place_date = rules.labels["place_date"].format(
            place=place, day="   ", month="   ", year=meeting.started_on.year
        )
    signer_name = (issuance and issuance.signer_name) or (profile and profile.signer_name) or ""
    signer_title = (issuance and issuance.signer_title) or (
        profile.signer_title if profile else SignerTitle.SECRETARY
    )
    if not signer_name:
        missing.append("người ký")
    recipients = (issuance and issuance.recipients) or (profile and profile.recipients) or ""
    on_behalf = profile.on_behalf_of if profile else "Ban Thường vụ"
    return IssuedDocument(
        ruleset=rules,
        superior_body=superior_body(committee),
        issuing_body=issuing_body,
        symbol=symbol,
        place_date=place_date,
        type_name=list(rules.type_name(kind)),
        subject=_TYPE_PREFIX_RE.sub("", meeting.title, count=1),
        body=body(meeting, rules),
        on_behalf=rules.labels["on_behalf"].format(body=on_behalf.upper()),
        signer_title=rules.signer_titles[signer_title],
        signer_name=signer_name,
        recipients=[
            f"- {line.strip().lstrip('- ')}" for line in recipients.splitlines() if line.strip()
        ]
        or list(rules.default_recipients),
        missing=missing,
        file_stem=file_stem(meeting),
    )


def _related(instance, name: str):
    """A one-to-one row that may not exist yet."""
    try:
        return getattr(instance, name)
    except ObjectDoesNotExist:
        return None


def superior_body(committee: Committee) -> str:
    """The line above the issuing body: the party organisation of the committee above."""
    parent = committee.parent
    if parent is None:
        return ""
    name = re.sub(r"^Ban\s+Chấp\s+hành\s+", "", parent.name)
    return name.upper()


def place_name(committee: Committee) -> str:
    match = _PLACE_RE.search(committee.name)
    return match.group(1) if match else committee.name


def file_stem(meeting: Meeting) -> str:
    symbol = meeting.document_symbol.replace("/", "-") if meeting.document_symbol else "du-thao"
    return f"ket-luan-hoi-nghi-{meeting.number}-khoa-{meeting.term}-{symbol}"


def meeting_paragraph(meeting: Meeting, reports: list[str]) -> str:
    extended = " (mở rộng)" if meeting.kind == Meeting.Kind.EXTENDED else ""
    opening = (
        f"{_dates(meeting.started_on, meeting.ended_on)}, {meeting.committee.name} "
        f"khóa {to_roman(meeting.term)} họp Hội nghị lần thứ {meeting.number}{extended}"
    )
    if meeting.review_period:
        opening += f" để đánh giá kết quả {meeting.review_period}"
        if meeting.plan_period:
            opening += f" và bàn nhiệm vụ {meeting.plan_period}"
    opening += "."
    if not reports:
        return opening
    return f"{opening} Hội nghị đã thảo luận và thông qua {'; '.join(reports)}."


def _dates(start: date, end: date | None) -> str:
    if end is None or end == start:
        return f"Ngày {start:%d/%m/%Y}"
    if (start.year, start.month) == (end.year, end.month) and (end - start).days == 1:
        return f"Trong hai ngày {start.day:02d} và {end:%d/%m/%Y}"
    return f"Từ ngày {start:%d/%m/%Y} đến ngày {end:%d/%m/%Y}"


def body(meeting: Meeting, rules: Ruleset) -> list[Paragraph]:
    reports = [r.title for r in meeting.reports.all()]
    paragraphs = [Paragraph(meeting_paragraph(meeting, reports))]
    findings = list(meeting.findings.all())
    for kind in ("achievement", "shortcoming"):
        texts = [f.text for f in findings if f.kind == kind]
        if texts:
            paragraphs.append(Paragraph(rules.labels[kind], "section"))
            paragraphs += [Paragraph(line) for text in texts for line in _lines(text)]
    if meeting.general_instruction:
        paragraphs += [Paragraph(line) for line in _lines(meeting.general_instruction)]
    section = None
    for directive in meeting.directives.all():
        if directive.section_order != section:
            section = directive.section_order
            # Tasks listed straight after the instruction have no heading of their own.
            if directive.section_number or directive.section_heading:
                heading = rules.labels["section"].format(
                    number=directive.section_number, heading=directive.section_heading
                )
                paragraphs.append(Paragraph(heading.replace(" :", ":"), "section"))
        paragraphs.append(Paragraph(rules.labels["bullet"] + directive.text, "bullet"))
    return paragraphs


def _lines(text: str) -> list[str]:
    """A stored text's lines are paragraphs of the document (a heading kept with its text)."""
    return [line.strip() for line in text.splitlines() if line.strip()]
