"""A row is stored the same whichever way it is written: a page's save(), the conclusion
loader, a spreadsheet (new rows and updated ones), COPY (bulk.insert_rows) and the synthetic
generator all go through Model.prepare_for_write(): text in NFC, the plan's year and quarter,
the source's checksum, a directive's deadline, the folded search words."""

import unicodedata

import pytest
import tablib
from django.core.management import call_command

from resolutions.bulk import insert_rows
from resolutions.models import Directive, Finding, Indicator, Meeting, Report
from resolutions.services.conclusions import import_path
from resolutions.spreadsheets.archive import export_table, import_table, read_table
from resolutions.spreadsheets.resources import (
    DirectiveResource,
    FindingResource,
    IndicatorResource,
    MeetingResource,
    ReportResource,
)

from .helpers import SEED

pytestmark = pytest.mark.django_db

PARTS = {
    Report: ReportResource,
    Indicator: IndicatorResource,
    Directive: DirectiveResource,
    Finding: FindingResource,
}
# Which meeting a row belongs to, links to other rows, and the times of the write.
NOT_COMPARED = {"id", "meeting", "parent", "carried_from", "created_at", "updated_at"}
# A meeting's number tells the copies apart; what the last import stated is the loader's own.
MEETING_NOT_COMPARED = {
    "id",
    "number",
    "created_at",
    "updated_at",
    "edit_version",
    "imported_values",
}


def nfd(value):
    return unicodedata.normalize("NFD", value) if isinstance(value, str) else value


def compared(model, excluded=NOT_COMPARED):
    return [f for f in model._meta.concrete_fields if f.name not in excluded]


def stored_rows(meeting: Meeting) -> dict[str, list[dict]]:
    return {
        model.__name__: [
            {f.attname: getattr(row, f.attname) for f in compared(model)}
            for row in model.objects.filter(meeting=meeting).order_by(*model.natural_key_fields)
        ]
        for model in PARTS
    }


def stored_meeting(meeting: Meeting) -> dict:
    meeting = Meeting.objects.get(pk=meeting.pk)
    return {f.attname: getattr(meeting, f.attname) for f in compared(Meeting, MEETING_NOT_COMPARED)}


def as_typed(row, excluded=NOT_COMPARED) -> dict:
    """The row's own values as a person or a file gives them: text decomposed (NFD), and
    nothing in the columns the register derives from the others."""
    model = type(row)
    values = {f.attname: nfd(getattr(row, f.attname)) for f in compared(model, excluded)}
    for name in model.derived_columns():
        field = model._meta.get_field(name)
        values[field.attname] = None if field.null else ""
    return values


def typed_meeting(meeting: Meeting, number: int) -> Meeting:
    return Meeting(**as_typed(meeting, MEETING_NOT_COMPARED), number=number)


@pytest.fixture
def loaded(reference_data):
    """The seed through the conclusion loader: the rows every other path must equal."""
    return import_path(SEED).meeting


def test_a_page_save_stores_what_the_loader_stores(loaded):
    meeting = typed_meeting(loaded, 91)
    meeting.save()
    for model in PARTS:
        for row in model.objects.filter(meeting=loaded):
            model(meeting=meeting, **as_typed(row)).save()
    assert stored_meeting(meeting) == stored_meeting(loaded)
    assert stored_rows(meeting) == stored_rows(loaded)
    assert Meeting.objects.get(pk=meeting.pk).plan_year == 2007  # derived, not typed


def test_copy_stores_what_the_loader_stores(loaded):
    meeting = typed_meeting(loaded, 92)
    insert_rows(Meeting, [meeting])
    for model in PARTS:
        rows = [
            model(meeting=meeting, **as_typed(row)) for row in model.objects.filter(meeting=loaded)
        ]
        insert_rows(model, rows)
    assert stored_meeting(meeting) == stored_meeting(loaded)
    assert stored_rows(meeting) == stored_rows(loaded)
    directive = Directive.objects.filter(meeting=meeting).first()
    assert directive.search_text and directive.due_on is not None


def _file_for(resource_class, queryset, number: int) -> bytes:
    """The rows exported, moved to meeting *number*, decomposed, their derived cells blank."""
    table = read_table(export_table(resource_class, queryset, "csv"), "csv")
    derived = {"Hạn hoàn thành", "Năm kế hoạch", "Quý kế hoạch"}
    rows = []
    for values in table:
        row = dict(zip(table.headers, values, strict=True))
        row["Hội nghị lần thứ"] = str(number)
        if "Thuộc chỉ tiêu" in row:
            row["Thuộc chỉ tiêu"] = ""  # a link to another row of the file: not compared
        rows.append([("" if name in derived else nfd(value)) for name, value in row.items()])
    return tablib.Dataset(*rows, headers=table.headers).export("csv").encode()


def test_a_spreadsheet_stores_what_the_loader_stores_new_rows_and_updated_ones(loaded):
    data = _file_for(MeetingResource, Meeting.objects.filter(pk=loaded.pk), 93)
    import_table(MeetingResource, data, "csv", name="hn.csv")
    created = Meeting.objects.get(committee=loaded.committee, term=loaded.term, number=93)
    assert stored_meeting(created) == stored_meeting(loaded)

    updated = typed_meeting(loaded, 94)
    updated.save()
    for model in PARTS:  # rows already there, with other words: the file updates them
        for row in model.objects.filter(meeting=loaded):
            values = as_typed(row)
            values.update({f: "cũ" for f in ("title", "name", "text") if values.get(f)})
            model(meeting=updated, **values).save()
    for number in (93, 94):
        for model, resource_class in PARTS.items():
            data = _file_for(resource_class, model.objects.filter(meeting=loaded), number)
            import_table(resource_class, data, "csv", name="bang.csv")
    assert stored_rows(created) == stored_rows(loaded)
    assert stored_rows(updated) == stored_rows(loaded)


def test_the_generator_stores_what_a_page_save_stores(db):
    from bench.synthetic import generate

    call_command("loaddata", "topics", verbosity=0)
    generate(60, seed=13)
    meetings = list(Meeting.objects.order_by("pk"))
    generated = {m.pk: stored_rows(m) for m in meetings}
    typed = {
        m.pk: {model: [as_typed(row) for row in model.objects.filter(meeting=m)] for model in PARTS}
        for m in meetings
    }
    for meeting in meetings:
        for model in PARTS:
            model.objects.filter(meeting=meeting).delete()
            for values in typed[meeting.pk][model]:
                model(meeting=meeting, **values).save()
    assert {m.pk: stored_rows(m) for m in meetings} == generated
    assert any(rows["Directive"] for rows in generated.values())
