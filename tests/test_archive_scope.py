"""The archive workbook of one committee (and one term) holds that committee's rows only:
its progress notes too, which before named directives of other committees' meetings, so that
such a workbook could not restore into an empty register."""

import io
from datetime import date, datetime

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from resolutions.models import Committee, Directive, Meeting, ProgressNote
from resolutions.spreadsheets.archive import INFO_SHEET, export_archive

pytestmark = pytest.mark.django_db


def meeting_with_note(committee, term, number, note):
    meeting = Meeting.objects.create(
        committee=committee, term=term, number=number, started_on=date(2008, 1, number),
        title=f"Kết luận hội nghị {number}",
    )  # fmt: skip
    task = Directive.objects.create(meeting=meeting, section_order=1, position=1, text="Làm.")
    ProgressNote.objects.create(directive=task, noted_on=date(2008, 2, 1), text=note)


def rows(data: bytes, sheet: str) -> list[tuple]:
    book = load_workbook(io.BytesIO(data), read_only=True)
    found = list(book[sheet].iter_rows(values_only=True))[1:]
    book.close()
    return found


def test_a_committee_and_term_keep_their_own_progress_notes(db):
    ours = Committee.objects.create(name="Ban Chấp hành Đảng bộ A", level="district")
    theirs = Committee.objects.create(name="Ban Chấp hành Đảng bộ B", level="district")
    meeting_with_note(ours, 3, 1, "Khóa III của A")
    meeting_with_note(ours, 4, 2, "Khóa IV của A")
    meeting_with_note(theirs, 3, 3, "Của B")
    out = io.BytesIO()
    export_archive(out, committee=ours, term=3)
    assert [r[2] for r in rows(out.getvalue(), "Tiến độ")] == ["Khóa III của A"]
    assert [r[1] for r in rows(out.getvalue(), "Hội nghị")] == ["III"]


def test_the_workbook_is_dated_as_asked(db):
    when = timezone.make_aware(datetime(2025, 6, 30, 17, 5, 0))
    out = io.BytesIO()
    export_archive(out, as_of=when)
    info = {r[0]: r[1] for r in rows(out.getvalue(), INFO_SHEET) if len(r) > 1 and r[0]}
    assert info["Thời điểm xuất"] == "30/06/2025 17:05:00"
