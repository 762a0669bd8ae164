"""The meeting page as clerks use it: filled from pasted text, protected from lost updates,
and every change kept in the history."""

import hashlib
import json
import re
from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse
from reversion.models import Revision, Version

from resolutions.models import Committee, Directive, Meeting
from resolutions.services.conclusions import import_path

from .factories import UserFactory
from .helpers import SEED

pytestmark = pytest.mark.django_db
ADD = reverse("admin:resolutions_meeting_add")


@pytest.fixture(autouse=True)
def reference_data(db):
    call_command("loaddata", "topics", "committees", verbosity=0)


@pytest.fixture
def meeting(db):
    return Meeting.objects.create(
        committee=Committee.objects.get(name="Ban Chấp hành Đảng bộ Quận 2"),
        term=3,
        number=9,
        started_on=date(2007, 10, 16),
        plan_period="quý IV/2007",
        title="Kết luận Hội nghị lần thứ 9",
    )


def management(formset_prefix, total, initial=0):
    return {
        f"{formset_prefix}-TOTAL_FORMS": str(total),
        f"{formset_prefix}-INITIAL_FORMS": str(initial),
    }


# --- "Điền từ văn bản" --------------------------------------------------------------------


def test_pasting_the_text_fills_every_field_and_saves_nothing(clerk_client):
    response = clerk_client.post(
        ADD,
        {
            "source_text": SEED.read_text(encoding="utf-8"),
            "_fill_from_text": "Điền từ văn bản",
            **{f"{p}-TOTAL_FORMS": "0" for p in ("reports", "indicators", "directives")},
            **{f"{p}-INITIAL_FORMS": "0" for p in ("reports", "indicators", "directives")},
            "findings-TOTAL_FORMS": "0",
            "findings-INITIAL_FORMS": "0",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert Meeting.objects.count() == 0 and Directive.objects.count() == 0
    form = response.context["adminform"].form
    assert not form.is_bound
    assert form.initial["term"] == 3 and form.initial["number"] == 9
    assert str(form.initial["started_on"]) == "2007-10-16"
    assert form.initial["plan_period"] == "quý IV/2007"
    formsets = {fs.formset.prefix: fs.formset for fs in response.context["inline_admin_formsets"]}
    assert len(formsets["directives"].forms) == 24
    assert len(formsets["findings"].forms) > 0 and len(formsets["reports"].forms) > 0
    first = formsets["directives"].forms[0].initial
    assert first["text"].startswith("Tập trung đẩy nhanh công tác bồi thường giải phóng mặt bằng")
    assert first["section_order"] == 1 and first["position"] == 1
    page = response.content.decode()
    assert "Đã điền từ văn bản: 5 báo cáo" in page and "24 nhiệm vụ" in page
    assert "chưa có gì được lưu" in page
    assert "Cảnh báo: dòng 55" in page  # the parser's warnings, with their lines
    # The value a clerk reads is in Vietnamese form: decimal comma, dd/mm/yyyy.
    assert 'value="55,699"' in page and 'value="16/10/2007"' in page


def test_an_empty_paste_says_what_to_do(clerk_client):
    response = clerk_client.post(ADD, {"source_text": " ", "_fill_from_text": "1"}, follow=True)
    assert "Hãy dán toàn văn kết luận vào ô" in response.content.decode()


# --- No lost update -----------------------------------------------------------------------


def meeting_form(meeting, seen_version, **changes):
    data = {
        "committee": meeting.committee_id,
        "term": meeting.term,
        "number": meeting.number,
        "kind": meeting.kind,
        "started_on": meeting.started_on.strftime("%d/%m/%Y"),
        "document_kind": meeting.document_kind,
        "title": meeting.title,
        "review_period": meeting.review_period,
        "plan_period": meeting.plan_period,
        "source_name": meeting.source_name,
        "source_text": meeting.source_text,
        "seen_version": seen_version,
        **management("reports", 0),
        **management("indicators", 0),
        **management("directives", 0),
        **management("findings", 0),
    }
    data.update(changes)
    return data


def test_the_second_of_two_concurrent_saves_is_refused_and_keeps_what_was_typed(
    meeting, clerk_client, client
):
    url = reverse("admin:resolutions_meeting_change", args=[meeting.pk])
    # Both clerks open the page and see the same version.
    seen = clerk_client.get(url).context["adminform"].form["seen_version"].value()
    other = UserFactory(username="ngoc", first_name="Ngọc", is_superuser=True)
    client.force_login(other)

    first = client.post(url, meeting_form(meeting, seen, title="Bản của chị Ngọc"))
    assert first.status_code == 302

    second = clerk_client.post(url, meeting_form(meeting, seen, title="Bản của tôi"))
    assert second.status_code == 200
    page = second.content.decode()
    assert "Hội nghị này vừa được Ngọc lưu lúc" in page
    assert "Thay đổi của bạn chưa được lưu và vẫn còn nguyên trên trang này" in page
    assert "Bản của tôi</textarea>" in page  # what they typed is still in the form
    meeting.refresh_from_db()
    assert meeting.title == "Bản của chị Ngọc"

    # Having read the message, pressing Save again overwrites on purpose.
    newer = second.context["adminform"].form["seen_version"].value()
    third = clerk_client.post(url, meeting_form(meeting, newer, title="Bản của tôi"))
    assert third.status_code == 302
    meeting.refresh_from_db()
    assert meeting.title == "Bản của tôi"


def test_a_directive_saved_on_its_own_page_also_counts_as_a_change(meeting, clerk_client):
    url = reverse("admin:resolutions_meeting_change", args=[meeting.pk])
    seen = clerk_client.get(url).context["adminform"].form["seen_version"].value()
    Directive.objects.create(meeting=meeting, text="Nhiệm vụ thêm từ trang khác.")
    response = clerk_client.post(url, meeting_form(meeting, seen, title="Sửa"))
    assert response.status_code == 200 and "vừa được" in response.content.decode()


# --- The history --------------------------------------------------------------------------


def test_an_import_is_one_revision_named_by_the_file_and_its_checksum(db):
    outcome = import_path(SEED)
    revision = Revision.objects.get()
    checksum = hashlib.sha256(SEED.read_bytes()).hexdigest()
    assert revision.comment == f"Nhập từ tệp “{SEED.name}” (SHA-256 {checksum})"
    kept = {v.content_type.model for v in revision.version_set.all()}
    assert kept == {"meeting", "report", "indicator", "directive", "finding"}
    assert revision.version_set.filter(content_type__model="directive").count() == 24
    assert Version.objects.get_for_object(outcome.meeting).count() == 1
    # Importing the same file again changes nothing, and records nothing.
    import_path(SEED)
    assert Revision.objects.count() == 1


def test_an_edit_shows_who_when_and_the_previous_value(db, clerk, clerk_client):
    meeting = import_path(SEED).meeting
    directive = meeting.directives.get(section_order=1, position=1)
    url = reverse("admin:resolutions_directive_change", args=[directive.pk])
    form = {
        "meeting": meeting.pk,
        "section_order": 1,
        "section_number": directive.section_number,
        "section_heading": directive.section_heading,
        "position": 1,
        "text": directive.text,
        "topic": directive.topic_id,
        "tags": [t.pk for t in directive.tags.all()],
        "due_period": directive.due_period,
        "due_on": "31/12/2007",
        "completed_on": "15/12/2007",
        **management("progress_notes", 0),
    }
    assert clerk_client.post(url, form).status_code == 302

    history = clerk_client.get(
        reverse("admin:resolutions_directive_history", args=[directive.pk])
    ).content.decode()
    assert "chuyenvien" in history  # who
    assert re.search(r"\d\d/\d\d/\d{4} \d\d:\d\d", history)  # when
    assert "<strong>ngày hoàn thành</strong>: <del>—</del> → <ins>15/12/2007</ins>" in history
    assert f"Nhập từ tệp “{SEED.name}”" in history  # the import before it
    versions = Version.objects.get_for_object(directive)
    revision_url = reverse(
        "admin:resolutions_directive_revision", args=[directive.pk, versions.first().pk]
    )
    assert revision_url in history  # a clerk may open an earlier version to restore it
    meeting_history = clerk_client.get(
        reverse("admin:resolutions_meeting_history", args=[meeting.pk])
    ).content.decode()
    assert "Bản đầu tiên" in meeting_history


def test_an_earlier_version_can_be_opened_to_restore_it_in_vietnamese(db, clerk_client):
    meeting = import_path(SEED).meeting
    directive = meeting.directives.first()
    version = Version.objects.get_for_object(directive).get()
    url = reverse("admin:resolutions_directive_revision", args=[directive.pk, version.pk])
    page = clerk_client.get(url).content.decode()
    assert "Bấm Lưu bên dưới để đưa bản ghi trở lại bản này." in page
    assert directive.text in page


def test_versions_written_in_bulk_are_what_django_reversion_itself_writes(db):
    from django.core import serializers

    meeting = import_path(SEED).meeting
    tagged = meeting.directives.filter(tags__isnull=False).first()
    version = Version.objects.get_for_object(tagged).get()
    own = serializers.serialize("json", [tagged], fields=None)
    assert json.loads(version.serialized_data) == json.loads(own)
    assert version.field_dict["tags"] == sorted(t.pk for t in tagged.tags.all())


def test_an_import_into_an_open_meeting_counts_as_a_change(meeting, clerk_client):
    from resolutions.spreadsheets.archive import import_table
    from resolutions.spreadsheets.resources import DirectiveResource

    url = reverse("admin:resolutions_meeting_change", args=[meeting.pk])
    seen = clerk_client.get(url).context["adminform"].form["seen_version"].value()
    csv = (
        "Cấp ủy,Khóa,Hội nghị lần thứ,Mục (thứ tự),Thứ tự,Nội dung nhiệm vụ\n"
        "Ban Chấp hành Đảng bộ Quận 2,III,9,1,1,Nhiệm vụ nhập từ bảng tính.\n"
    )
    import_table(DirectiveResource, csv.encode(), "csv", name="nv.csv")
    response = clerk_client.post(url, meeting_form(meeting, seen, title="Sửa"))
    assert response.status_code == 200 and "vừa được" in response.content.decode()
