""" "Điền từ văn bản" then Lưu: the meeting and every row the text gave are saved as shown,
nothing more (the add page is filled on its GET only; the save posts its own rows)."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from resolutions.models import Directive, Finding, Indicator, Meeting, Report

from .browser_form import form_data
from .test_parsing import SEED

pytestmark = pytest.mark.django_db
ADD = reverse("admin:resolutions_meeting_add")


@pytest.fixture(autouse=True)
def reference_data(db):
    call_command("loaddata", "topics", "committees", verbosity=0)


def test_a_page_filled_from_text_saves_every_row_it_shows(clerk_client):
    filled = clerk_client.post(
        ADD, {"source_text": SEED.read_text(encoding="utf-8"), "_fill_from_text": "1"}, follow=True
    )
    (url, _status), *_ = filled.redirect_chain
    assert "tu_van_ban=" in url
    assert Meeting.objects.count() == 0
    saved = clerk_client.post(url, form_data(filled.content.decode(), "meeting_form"))
    assert saved.status_code == 302, saved.context["adminform"].form.errors
    meeting = Meeting.objects.get()
    assert (meeting.term, meeting.number) == (3, 9)
    assert Directive.objects.filter(meeting=meeting).count() == 24
    assert Indicator.objects.filter(meeting=meeting).count() == 6
    assert Report.objects.filter(meeting=meeting).count() == 5
    assert Finding.objects.filter(meeting=meeting).exists()
    first = Directive.objects.get(meeting=meeting, section_order=1, position=1)
    assert first.text.startswith("Tập trung đẩy nhanh công tác bồi thường giải phóng mặt bằng")


def test_a_stale_or_foreign_fill_key_shows_an_empty_add_page(clerk_client):
    response = clerk_client.get(ADD + "?tu_van_ban=khong-co")
    assert response.status_code == 200
    assert not response.context["adminform"].form.initial.get("number")
    assert "fill_sources" not in response.context
