"""A news report of a conference has no title line: where the parser found the meeting's facts
in its opening paragraphs, the text import files it under a title made of them (issue 11)."""

from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from resolutions.models import Directive, Meeting
from resolutions.services.conclusions import import_path

pytestmark = pytest.mark.django_db
# A report of Châu Đức's 14th conference: headline, posting time, view counter, no title line.
REPORT = Path(__file__).parent / "documents" / "huyen_chau_duc_2023.txt"
TITLE = "Hội nghị lần thứ 14 Ban Chấp hành Đảng bộ huyện Châu Đức khóa VI (mở rộng)"


@pytest.fixture(autouse=True)
def reference_data(db):
    call_command("loaddata", "topics", "committees", verbosity=0)


def test_a_news_report_without_a_title_is_imported_from_its_opening_facts():
    outcome = import_path(REPORT)
    meeting = Meeting.objects.get()
    assert outcome.status == "created"
    assert meeting.committee.name == "Ban Chấp hành Đảng bộ huyện Châu Đức"
    assert (meeting.term, meeting.number) == (6, 14)
    assert meeting.started_on == date(2023, 7, 11)
    assert meeting.kind == Meeting.Kind.EXTENDED
    assert meeting.title == TITLE
    assert Directive.objects.filter(meeting=meeting).count() == 4
    assert any(w.code == "untitled" and TITLE in w.message for w in outcome.warnings)
    # Idempotent like any import.
    assert import_path(REPORT).status == "unchanged"
    assert Meeting.objects.count() == 1


def test_the_text_import_page_previews_then_writes_it(admin_client):
    url = reverse("admin:resolutions_meeting_import_text")
    text = REPORT.read_text(encoding="utf-8")
    preview = admin_client.post(url, {"text": text, "preview": "1"})
    page = preview.content.decode()
    assert "không nhập được" not in page
    assert f"tiêu đề “{TITLE}”" in page  # the warning says what title it is filed under
    assert Meeting.objects.count() == 0
    confirmed = admin_client.post(url, {"text": text, "confirm": "1"})
    assert confirmed.status_code == 302
    assert Meeting.objects.get().title == TITLE


def test_a_text_with_neither_title_nor_meeting_facts_is_still_refused(admin_client):
    url = reverse("admin:resolutions_meeting_import_text")
    text = "Tin tức\nCác xã ra quân dọn vệ sinh môi trường.\n1. Tiếp tục phát động phong trào."
    page = admin_client.post(url, {"text": text, "preview": "1"}).content.decode()
    assert "không nhập được vì không tìm thấy" in page
    assert Meeting.objects.count() == 0
