"""The import previews show where each value was read (issue 11 item 3)."""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from resolutions.models import Meeting

pytestmark = pytest.mark.django_db
# A notice whose title says "quý III" and "quý IV năm 2006": the review's year is inferred.
NOTICE = (Path(__file__).parent / "documents" / "phuong_ben_nghe_2006.txt").read_text(
    encoding="utf-8"
)


@pytest.fixture(autouse=True)
def reference_data(db):
    call_command("loaddata", "topics", "committees", verbosity=0)


def test_the_import_preview_shows_the_source_line_beside_each_value(administrator_client):
    # The notice's committee is new to the register: only an administrator may add it.
    url = reverse("admin:resolutions_meeting_import_text")
    response = administrator_client.post(url, {"text": NOTICE, "preview": "1"})
    page = response.content.decode()
    assert response.status_code == 200
    assert '<span class="evidence-exact" title="Lần hội nghị: dòng 6: “lần thứ 7”">' in page
    assert '<span class="evidence-exact" title="Ngày họp: dòng 7: “10/10/2006”">' in page
    # Read as "quý III", completed with the plan's year: marked for checking.
    assert (
        '<span class="evidence-inferred" '
        'title="Kỳ kiểm điểm: dòng 7: “quý III” (suy ra, cần kiểm tra)">' in page
    )
    assert Meeting.objects.count() == 0


def test_fill_from_text_lists_the_sources_unsure_ones_first(clerk_client):
    response = clerk_client.post(
        reverse("admin:resolutions_meeting_add"),
        {"source_text": NOTICE, "_fill_from_text": "1"},
        follow=True,
    )
    sources = next(
        str(m) for m in response.context["messages"] if str(m).startswith("Nguồn các giá trị")
    )
    assert sources.startswith("Nguồn các giá trị: Kỳ kiểm điểm — dòng 7: “quý III” (suy ra")
    assert "Lần hội nghị — dòng 6: “lần thứ 7”" in sources
