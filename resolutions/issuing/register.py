"""The office's number register: the next number suggested, a duplicate refused with the
document that holds it, gaps allowed. Numbering restarts with each term, and a term starts the
day after the congress that elected it closes."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from ..models import Committee, Meeting
from .models import RegisteredNumber
from .rulesets import ruleset_for


def term_on(committee: Committee, day: date) -> int | None:
    """The term in office on *day*: that of the last congress closed before it (Đại hội lần
    thứ XI elects the committee of term XI), or None when the register holds no congress."""
    congress = (
        Meeting.objects.filter(committee=committee, kind=Meeting.Kind.CONGRESS)
        .filter(ended_on__lt=day)
        .order_by("-ended_on")
        .first()
    )
    if congress is None:
        congress = (
            Meeting.objects.filter(committee=committee, kind=Meeting.Kind.CONGRESS, ended_on=None)
            .filter(started_on__lt=day)
            .order_by("-started_on")
            .first()
        )
    return congress.number if congress else None


def next_number(committee: Committee, document_kind: str, term: int) -> int:
    """The number to suggest: one after the highest taken (a gap stays a gap)."""
    taken = RegisteredNumber.objects.filter(
        committee=committee, document_kind=document_kind, term=term
    ).aggregate(highest=Max("number"))["highest"]
    return (taken or 0) + 1


def holder_message(holder: RegisteredNumber) -> str:
    """Why a number is refused: the document that holds it, and the next one free."""
    return (
        f"Số {holder.number} ({holder.get_document_kind_display().lower()}, khóa {holder.term}) "
        f"đã cấp cho {holder.holder()}; số tiếp theo còn trống là "
        f"{next_number(holder.committee, holder.document_kind, holder.term)}."
    )


def symbol_for(meeting: Meeting, number: int) -> str:
    """ "25-KL/QU": the number, the type's abbreviation, the issuer's symbol."""
    rules = ruleset_for(meeting.issued_on)
    committee = meeting.committee
    issuer = committee.symbol or rules.issuer_abbreviations.get(committee.level, "")
    return f"{number}-{rules.abbreviation(meeting.document_kind)}/{issuer}"


@transaction.atomic
def register_number(
    *,
    committee: Committee,
    document_kind: str,
    term: int,
    number: int | None = None,
    meeting: Meeting | None = None,
    description: str = "",
    issued_on: date | None = None,
) -> RegisteredNumber:
    """Take *number* (or the next one) for a conclusion held here or a document kept outside.

    A number already taken is refused with the document that holds it; nothing is written.
    The meeting's document symbol is set from the number.
    """
    if number is None:
        number = next_number(committee, document_kind, term)
    holder = (
        RegisteredNumber.objects.select_related("meeting")
        .filter(committee=committee, document_kind=document_kind, term=term, number=number)
        .first()
    )
    if holder is not None:
        raise ValidationError(holder_message(holder))
    entry = RegisteredNumber(
        committee=committee,
        document_kind=document_kind,
        term=term,
        number=number,
        meeting=meeting,
        description=description,
        issued_on=issued_on or (meeting.issued_on if meeting else None),
    )
    entry.full_clean()
    entry.save()
    if meeting is not None:
        meeting.document_symbol = symbol_for(meeting, number)
        meeting.save(update_fields=["document_symbol", "updated_at"])
    return entry
