"""The tabular inlines' rows written in Python (resolutions/admin/tabular.py) give the page
Django's own template ``admin/edit_inline/tabular.html`` gives: compared character for
character on every page that shows them, for each role, with errors, added rows and rows
filled from a text."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from resolutions.admin.inlines import MeetingPartInline, ProgressNoteInline
from resolutions.models import ProgressNote
from resolutions.roles import role_group, setup_roles
from resolutions.services.fixtures import import_seeds, seed_paths

from .factories import UserFactory

pytestmark = pytest.mark.django_db
DJANGO = "admin/edit_inline/tabular.html"
OURS = "admin/resolutions/edit_inline/tabular.html"
MEETING_PARTS = ("reports", "indicators", "directives", "findings")


@pytest.fixture
def seed(db):
    call_command("loaddata", "topics", "committees", verbosity=0)
    return import_seeds()[0].meeting


def page(client, monkeypatch, template, url, data=None) -> str:
    for inline in (MeetingPartInline, ProgressNoteInline):
        monkeypatch.setattr(inline, "template", template)
    response = client.post(url, data) if data is not None else client.get(url)
    assert response.status_code == 200
    # Each answer carries a fresh CSRF token.
    return re.sub(r'(name="csrfmiddlewaretoken" value=")[^"]+', r"\1…", response.content.decode())


def same_page(client, monkeypatch, url, data=None) -> str:
    ours = page(client, monkeypatch, OURS, url, data)
    django = page(client, monkeypatch, DJANGO, url, data)
    assert ours == django
    return ours


def rows(shown: str, prefix: str) -> list[str]:
    return re.findall(rf'<tr class="form-row[^"]*"\s+id="{prefix}-(\w+)"', shown)


def test_the_meeting_page_is_the_same_drawn_either_way(clerk_client, monkeypatch, seed):
    url = reverse("admin:resolutions_meeting_change", args=[seed.pk])
    shown = same_page(clerk_client, monkeypatch, url)
    # It is the whole table: a row per task and the empty row for adding one, each task's text,
    # its link to its own page and its box to delete it.
    assert rows(shown, "directives") == [*map(str, range(seed.directives.count())), "empty"]
    directive = seed.directives.get(section_order=1, position=1)
    assert directive.text[:40] in shown
    change = reverse("admin:resolutions_directive_change", args=[directive.pk])
    assert f'<a href="{change}" class="inlinechangelink">Thay đổi</a>' in shown
    assert 'name="directives-0-DELETE"' in shown


def test_a_viewer_sees_the_same_read_only_rows_either_way(client, monkeypatch, seed):
    setup_roles()
    viewer = UserFactory(username="nguoixem")
    viewer.groups.set([role_group("viewer")])
    client.force_login(viewer)
    shown = same_page(
        client, monkeypatch, reverse("admin:resolutions_meeting_change", args=[seed.pk])
    )
    # Read only: the values as text, a link to view each row, no empty row and nothing to tick.
    assert 'class="inlineviewlink">Xem</a>' in shown
    assert rows(shown, "directives")[-1] != "empty"
    assert 'name="directives-0-text"' not in shown and "DELETE" not in shown
    assert seed.directives.get(section_order=1, position=1).text[:40] in shown


def test_rows_with_errors_are_the_same_drawn_either_way(clerk_client, monkeypatch, seed):
    url = reverse("admin:resolutions_meeting_change", args=[seed.pk])
    data = {"title": "", "started_on": "31/02/2007", "committee": seed.committee_id}
    for prefix in MEETING_PARTS:
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    # Three new reports: two at the same place (an error of the row as a whole, above it),
    # and one whose kind is not a choice and without its title (errors of its cells).
    data |= {"reports-TOTAL_FORMS": "3"}
    for row, (position, kind, title) in enumerate(
        [("1", "report", "Báo cáo A"), ("1", "report", "Báo cáo B"), ("2", "khong-co", "")]
    ):
        data |= {
            f"reports-{row}-position": position,
            f"reports-{row}-kind": kind,
            f"reports-{row}-title": title,
        }
    shown = same_page(clerk_client, monkeypatch, url, data)
    assert rows(shown, "reports") == ["0", "1", "2", "empty"]
    assert shown.count('<tr class="row-form-errors">') == 1  # above the second of the two
    assert "khong-co không phải là một trong các lựa chọn" in shown


def test_the_new_meeting_page_filled_from_a_text_is_the_same_either_way(
    clerk_client, monkeypatch, reference_data
):
    url = reverse("admin:resolutions_meeting_add")
    same_page(clerk_client, monkeypatch, url)
    text = seed_paths()[0].read_text(encoding="utf-8")
    response = clerk_client.post(url, {"source_text": text, "_fill_from_text": "1"})
    assert response.status_code == 302  # to the add page with the fill's key; reloads the same
    clerk_client.get(response["Location"])  # the reading's warnings, shown once
    shown = same_page(clerk_client, monkeypatch, response["Location"])
    # Every task the text gave is a new row, before the empty one.
    assert len(rows(shown, "directives")) > 20
    assert rows(shown, "directives")[-1] == "empty"


def test_a_task_page_with_its_progress_notes_is_the_same_either_way(
    clerk_client, clerk, monkeypatch, seed
):
    directive = seed.directives.get(section_order=1, position=2)
    ProgressNote.objects.create(directive=directive, text="Đã giao Phòng Tài chính", author=clerk)
    url = reverse("admin:resolutions_directive_change", args=[directive.pk])
    shown = same_page(clerk_client, monkeypatch, url)
    # The note's author is shown as text; one new note to write, and the empty one.
    assert "Đã giao Phòng Tài chính" in shown
    assert rows(shown, "progress_notes") == ["0", "1", "empty"]
