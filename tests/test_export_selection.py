"""The export action exports the rows a person ticked, checked against what that person may
export in one query bounded by the selection (not a choice per row of the table), and without
the library's deprecation warning."""

import io
import warnings

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from resolutions.models import Directive
from resolutions.spreadsheets.formats import FORMATS

from .factories import DirectiveFactory

pytestmark = pytest.mark.django_db

XLSX = next(i for i, f in enumerate(FORMATS) if f().get_title() == "xlsx")


def exported(client, ids, extra_ids=()):
    url = reverse("admin:resolutions_directive_export")
    response = client.post(
        reverse("admin:resolutions_directive_changelist"),
        {"action": "export_admin_action", "_selected_action": list(ids)},
    )
    form = response.context["form"]
    data = {"format": str(XLSX), "resource": "0", "export_items": [*ids, *extra_ids]}
    data.update(
        {name: "on" for name in form.fields if name not in ("format", "resource", "export_items")}
    )
    with warnings.catch_warnings(), CaptureQueriesContext(connection) as queries:
        warnings.simplefilter("error", DeprecationWarning)
        response = client.post(url, data)
    return response, queries


def test_the_ticked_rows_are_exported_and_only_they(clerk_client, meeting9):
    rows = [
        DirectiveFactory(meeting=meeting9, position=i, text=f"Nhiệm vụ {i}.") for i in (1, 2, 3)
    ]
    response, _ = exported(clerk_client, [rows[0].pk, rows[2].pk])
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = load_workbook(io.BytesIO(body)).active
    texts = [cell for row in sheet.iter_rows(min_row=2, values_only=True) for cell in row]
    assert "Nhiệm vụ 1." in texts and "Nhiệm vụ 3." in texts
    assert "Nhiệm vụ 2." not in texts


def test_an_id_outside_the_register_is_refused_not_exported(clerk_client, meeting9):
    row = DirectiveFactory(meeting=meeting9, position=1, text="Nhiệm vụ 1.")
    missing = Directive.objects.order_by("-pk").first().pk + 1000
    response, _ = exported(clerk_client, [row.pk], extra_ids=[missing])
    # The form refuses a choice that is not a row this person may export: nothing is written.
    assert response.status_code == 200
    assert response.get("Content-Disposition") is None


def test_no_query_reads_every_id_of_the_table(clerk_client, meeting9):
    rows = [DirectiveFactory(meeting=meeting9, position=i, text=f"Nhiệm vụ {i}.") for i in (1, 2)]
    _, queries = exported(clerk_client, [rows[0].pk])
    listing = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith('SELECT "RESOLUTIONS_DIRECTIVE"."ID"')
        and "WHERE" not in q["sql"].upper()
    ]
    assert listing == []
