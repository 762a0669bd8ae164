"""Nothing in the register changes unless a person changed it: a page saved without an edit,
the same text imported again, the demo run again. And a corrected text, imported again,
updates what it states without blanking or overwriting what a person entered since."""

from datetime import date
from io import StringIO

import pytest
import reversion
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from reversion.models import Revision, Version

from resolutions import vietnamese
from resolutions.models import Committee, Directive, Meeting
from resolutions.services import audit
from resolutions.services.conclusions import import_document, import_path

from .browser_form import form_data
from .helpers import SEED

pytestmark = pytest.mark.django_db
IMPORT_URL = reverse("admin:resolutions_meeting_import_text")


@pytest.fixture(autouse=True)
def reference_data(db):
    call_command("loaddata", "topics", "committees", verbosity=0)


@pytest.fixture
def seed_meeting():
    return import_path(SEED).meeting


def change_url(meeting):
    return reverse("admin:resolutions_meeting_change", args=[meeting.pk])


def save_page(client, meeting, changes=None):
    """Open the meeting's page and press Lưu, as a browser does, with *changes* typed in."""
    page = client.get(change_url(meeting)).content.decode()
    response = client.post(change_url(meeting), form_data(page, "meeting_form", changes))
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    return response


def stamps(meeting):
    """What a save changes behind the scenes: save times, the version count, revisions."""
    meeting = Meeting.objects.get(pk=meeting.pk)
    rows = {
        part: sorted(getattr(meeting, part).values_list("pk", "updated_at"))
        for part in ("reports", "indicators", "directives", "findings")
    }
    return meeting.updated_at, meeting.edit_version, rows, Revision.objects.count()


def corrected_seed(*replacements):
    text = SEED.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text
        text = text.replace(old, new)
    return text


# --- 1. A page saved without an edit ------------------------------------------------------


def test_newlines_are_stored_as_lf_whatever_the_input():
    assert vietnamese.nfc("dòng một\r\ndòng hai\rdòng ba\n") == "dòng một\ndòng hai\ndòng ba\n"
    meeting = Meeting.objects.create(
        committee=Committee.objects.get(short_name="Quận ủy Quận 2"),
        term=3,
        number=10,
        started_on=date(2008, 1, 10),
        title="Kết luận\r\nHội nghị lần thứ 10",
        source_text="Dòng một\r\nDòng hai\r\n",
    )
    meeting.refresh_from_db()
    assert (meeting.title, meeting.source_text) == (
        "Kết luận\nHội nghị lần thứ 10",
        "Dòng một\nDòng hai\n",
    )


def test_a_spreadsheet_cell_with_windows_line_ends_is_stored_with_lf(seed_meeting):
    from resolutions.spreadsheets.archive import import_table
    from resolutions.spreadsheets.resources import DirectiveResource

    csv = (
        "Cấp ủy,Khóa,Hội nghị lần thứ,Mục (thứ tự),Thứ tự,Nội dung nhiệm vụ\r\n"
        'Ban Chấp hành Đảng bộ Quận 2,III,9,9,1,"Dòng một\r\nDòng hai"\r\n'
    )
    import_table(DirectiveResource, csv.encode(), "csv", name="nv.csv")
    assert Directive.objects.get(section_order=9).text == "Dòng một\nDòng hai"


def test_saving_the_meeting_page_without_an_edit_changes_and_records_nothing(
    seed_meeting, clerk_client
):
    assert "\n" in seed_meeting.source_text
    source = Meeting.objects.get(pk=seed_meeting.pk).source_text
    before = stamps(seed_meeting)

    save_page(clerk_client, seed_meeting)

    assert stamps(seed_meeting) == before  # no save time, no version counted, no revision
    assert Meeting.objects.get(pk=seed_meeting.pk).source_text == source  # not a byte changed
    directive = seed_meeting.directives.first()
    history = clerk_client.get(
        reverse("admin:resolutions_directive_history", args=[directive.pk])
    ).content.decode()
    assert "Không đổi giá trị nào" not in history
    assert history.count('<th scope="row">') == 1  # the import, and nothing since


def test_an_edit_lists_only_the_field_that_differs(seed_meeting, clerk_client):
    save_page(clerk_client, seed_meeting, {"issued_on": "20/10/2007"})

    revision = Revision.objects.order_by("-pk").first()
    assert revision.user.username == "chuyenvien"
    changes = audit.changes(Meeting.objects.get(pk=seed_meeting.pk))[revision.pk]
    assert changes == [("ngày ban hành", "—", "20/10/2007")]
    history = clerk_client.get(
        reverse("admin:resolutions_meeting_history", args=[seed_meeting.pk])
    ).content.decode()
    assert "<strong>ngày ban hành</strong>: <del>—</del> → <ins>20/10/2007</ins>" in history
    assert "văn bản gốc</strong>" not in history
    # The rows were kept in the revision, unchanged: their history has no entry for it.
    directive = seed_meeting.directives.first()
    assert Version.objects.get_for_object(directive).count() == 2
    row_history = clerk_client.get(
        reverse("admin:resolutions_directive_history", args=[directive.pk])
    ).content.decode()
    assert "Không đổi giá trị nào" not in row_history and "ngày ban hành" not in row_history


def test_an_edit_elsewhere_leaves_an_untouched_text_as_it_was(seed_meeting, clerk_client):
    # A text a form would trim (a final newline, spaces that end the text) is not rewritten
    # when another field of the page is edited.
    text = "  Văn bản gốc có dòng trống ở cuối.\n\n"
    Meeting.objects.filter(pk=seed_meeting.pk).update(source_text=text)
    with reversion.create_revision():
        reversion.add_to_revision(Meeting.objects.get(pk=seed_meeting.pk))

    save_page(clerk_client, seed_meeting, {"title": "Kết luận đã sửa tiêu đề"})

    meeting = Meeting.objects.get(pk=seed_meeting.pk)
    assert (meeting.title, meeting.source_text) == ("Kết luận đã sửa tiêu đề", text)
    latest = Revision.objects.order_by("-pk").first()
    assert [label for label, _, _ in audit.changes(meeting)[latest.pk]] == ["tiêu đề văn bản"]


def test_an_edit_to_one_row_keeps_the_whole_conclusion_in_its_revision(seed_meeting, clerk_client):
    directive = seed_meeting.directives.get(section_order=1, position=1)
    page = clerk_client.get(change_url(seed_meeting)).content.decode()
    data = form_data(page, "meeting_form")
    prefix = next(
        name.removesuffix("-id")
        for name, values in data.items()
        if name.startswith("directives-") and name.endswith("-id") and values == [str(directive.pk)]
    )
    data[f"{prefix}-text"] = ["Nội dung đã sửa\r\ntrên hai dòng."]
    before = Meeting.objects.get(pk=seed_meeting.pk).edit_version
    assert clerk_client.post(change_url(seed_meeting), data).status_code == 302

    directive.refresh_from_db()
    assert directive.text == "Nội dung đã sửa\ntrên hai dòng."
    assert Meeting.objects.get(pk=seed_meeting.pk).edit_version > before
    revision = Revision.objects.order_by("-pk").first()
    kept = {v.content_type.model for v in revision.version_set.all()}
    assert kept == {"meeting", "report", "indicator", "directive", "finding"}
    changed = audit.changes(directive)[revision.pk]
    assert [(label, after) for label, _, after in changed] == [
        ("nội dung nhiệm vụ", "Nội dung đã sửa\ntrên hai dòng.")
    ]
    other = seed_meeting.directives.get(section_order=1, position=2)
    assert audit.changes(other)[revision.pk] == []  # kept, unchanged: not listed in its history
    # The meeting's history says which row changed, and only that.
    meeting_changes = audit.changes(Meeting.objects.get(pk=seed_meeting.pk))[revision.pk]
    assert [(label.split(", ")[-1], after) for label, _, after in meeting_changes] == [
        ("nội dung nhiệm vụ", "Nội dung đã sửa\ntrên hai dòng.")
    ]
    assert meeting_changes[0][0].startswith("nhiệm vụ “Nội dung đã sửa trên hai dòng.”")
    history = clerk_client.get(
        reverse("admin:resolutions_meeting_history", args=[seed_meeting.pk])
    ).content.decode()
    assert "nội dung nhiệm vụ</strong>" in history and "Không đổi giá trị nào" not in history


def test_restoring_an_earlier_version_is_still_recorded(seed_meeting, clerk_client):
    save_page(clerk_client, seed_meeting, {"issued_on": "20/10/2007"})
    imported = Version.objects.get_for_object(seed_meeting).order_by("pk").first()
    url = reverse("admin:resolutions_meeting_revision", args=[seed_meeting.pk, imported.pk])
    page = clerk_client.get(url).content.decode()
    revisions = Revision.objects.count()

    assert clerk_client.post(url, form_data(page, "meeting_form")).status_code == 302

    assert Meeting.objects.get(pk=seed_meeting.pk).issued_on is None
    assert Revision.objects.count() == revisions + 1
    latest = Revision.objects.order_by("-pk").first()
    changes = audit.changes(Meeting.objects.get(pk=seed_meeting.pk))[latest.pk]
    assert changes == [("ngày ban hành", "20/10/2007", "—")]


@pytest.mark.parametrize("model", ["directive", "indicator", "committee", "topic"])
def test_saving_any_page_without_an_edit_records_nothing(seed_meeting, clerk, client, model):
    clerk.is_superuser = True  # every page, reference data included
    clerk.save()
    client.force_login(clerk)
    record = {
        "directive": lambda: seed_meeting.directives.get(section_order=1, position=7),
        "indicator": lambda: seed_meeting.indicators.exclude(parent=None).first(),
        "committee": lambda: seed_meeting.committee,
        "topic": lambda: seed_meeting.directives.first().topic,
    }[model]()
    saved_at, revisions = record.updated_at, Revision.objects.count()
    url = reverse(f"admin:resolutions_{model}_change", args=[record.pk])
    page = client.get(url).content.decode()
    assert client.post(url, form_data(page, f"{model}_form")).status_code == 302
    record.refresh_from_db()
    assert (record.updated_at, Revision.objects.count()) == (saved_at, revisions)


def test_a_version_kept_with_windows_line_ends_is_not_a_change(seed_meeting):
    meeting = Meeting.objects.get(pk=seed_meeting.pk)
    Meeting.objects.filter(pk=meeting.pk).update(
        source_text=meeting.source_text.replace("\n", "\r\n")
    )  # as saved before newlines were normalized
    with reversion.create_revision():
        reversion.add_to_revision(Meeting.objects.get(pk=meeting.pk))
    legacy = Revision.objects.order_by("-pk").first()
    with reversion.create_revision():
        meeting.refresh_from_db()
        meeting.save()
    latest = Revision.objects.order_by("-pk").first()
    changes = audit.changes(meeting)
    assert changes[legacy.pk] == [] and changes[latest.pk] == []


# --- 2. A corrected text imported again -----------------------------------------------------

TYPO = ("canh gác và chốt chặn", "canh gác, chốt chặn")


def test_a_corrected_text_keeps_what_it_does_not_state_and_what_a_clerk_entered(
    seed_meeting, clerk_client
):
    first = seed_meeting.directives.get(section_order=1, position=1)
    save_page(
        clerk_client,
        seed_meeting,
        {"issued_on": "20/10/2007", "source_name": "Kết luận 9 (bản lưu).txt"},
    )
    Directive.objects.filter(pk=first.pk).update(text="Nhiệm vụ do chuyên viên sửa.")

    outcome = import_document(SEED.name, corrected_seed(TYPO).encode())

    meeting = Meeting.objects.get(pk=seed_meeting.pk)
    assert outcome.status == "updated"
    assert meeting.issued_on == date(2007, 10, 20)  # the text states no issue date
    assert meeting.source_name == "Kết luận 9 (bản lưu).txt"  # the text names it as before
    assert "canh gác, chốt chặn" in meeting.source_text
    assert "canh gác, chốt chặn" in Directive.objects.get(section_order=3, position=3).text
    assert Directive.objects.get(pk=first.pk).text == "Nhiệm vụ do chuyên viên sửa."
    assert outcome.edits == []  # nothing the text states differs from a clerk's value


def test_a_clerk_value_the_text_states_otherwise_is_listed_and_kept_until_confirmed(
    seed_meeting,
):
    patrol = Directive.objects.get(meeting=seed_meeting, section_order=3, position=3)
    Directive.objects.filter(pk=patrol.pk).update(text="Bản chuyên viên sửa.")
    corrected = corrected_seed(TYPO).encode()

    kept = import_document(SEED.name, corrected)
    assert [(e.record, e.field, e.current, e.replaced) for e in kept.edits] == [
        ("nhiệm vụ 3.3", "nội dung nhiệm vụ", "Bản chuyên viên sửa.", False)
    ]
    assert "canh gác, chốt chặn" in kept.edits[0].new
    assert "giữ nguyên 1 giá trị do người dùng nhập" in kept.summary()
    assert Directive.objects.get(pk=patrol.pk).text == "Bản chuyên viên sửa."

    # Asked again until a person confirms, then replaced.
    again = import_document(SEED.name, corrected)
    assert (
        len(again.edits) == 1 and Directive.objects.get(pk=patrol.pk).text == "Bản chuyên viên sửa."
    )
    replaced = import_document(SEED.name, corrected, overwrite_edits=True)
    assert [e.replaced for e in replaced.edits] == [True]
    assert "canh gác, chốt chặn" in Directive.objects.get(pk=patrol.pk).text


def test_a_row_a_clerk_entered_is_not_deleted_by_a_text_without_it(seed_meeting):
    clerk_row = Directive.objects.create(meeting=seed_meeting, section_order=1, text="Thêm tay.")
    outcome = import_document(SEED.name, corrected_seed(TYPO).encode())
    assert Directive.objects.filter(pk=clerk_row.pk).exists()
    assert [(e.field, e.current) for e in outcome.edits] == [("cả dòng", "Thêm tay.")]


def test_the_import_page_lists_the_clerk_values_it_would_replace(seed_meeting, clerk_client):
    patrol = Directive.objects.get(meeting=seed_meeting, section_order=3, position=3)
    Directive.objects.filter(pk=patrol.pk).update(text="Bản chuyên viên sửa.")
    text = corrected_seed(TYPO)

    preview = clerk_client.post(IMPORT_URL, {"text": text, "source_name": SEED.name})
    page = preview.content.decode()
    assert "1 giá trị do người dùng nhập sau lần nhập trước" in page
    assert "<td>nhiệm vụ 3.3</td><td>nội dung nhiệm vụ</td><td>Bản chuyên viên sửa.</td>" in page
    assert 'name="overwrite_edits"' in page

    clerk_client.post(IMPORT_URL, {"text": text, "source_name": SEED.name, "confirm": "1"})
    assert Directive.objects.get(pk=patrol.pk).text == "Bản chuyên viên sửa."
    assert "canh gác, chốt chặn" in Meeting.objects.get(pk=seed_meeting.pk).source_text

    clerk_client.post(
        IMPORT_URL,
        {"text": text, "source_name": SEED.name, "confirm": "1", "overwrite_edits": "on"},
    )
    assert "canh gác, chốt chặn" in Directive.objects.get(pk=patrol.pk).text


def test_the_command_says_what_it_kept_and_overwrites_only_when_told(seed_meeting, tmp_path):
    patrol = Directive.objects.get(meeting=seed_meeting, section_order=3, position=3)
    Directive.objects.filter(pk=patrol.pk).update(text="Bản chuyên viên sửa.")
    path = tmp_path / SEED.name
    path.write_text(corrected_seed(TYPO), encoding="utf-8")

    out = StringIO()
    call_command("import_conclusions", str(path), stdout=out)
    assert (
        "giữ nguyên giá trị do người dùng nhập: nhiệm vụ 3.3, nội dung nhiệm vụ" in out.getvalue()
    )
    assert "--overwrite-edits" in out.getvalue()
    assert Directive.objects.get(pk=patrol.pk).text == "Bản chuyên viên sửa."

    call_command("import_conclusions", str(path), "--overwrite-edits", stdout=StringIO())
    assert "canh gác, chốt chặn" in Directive.objects.get(pk=patrol.pk).text


# --- 3. The same text again -----------------------------------------------------------------


@pytest.mark.parametrize(
    "variant",
    [
        lambda text: text,
        # As a browser pastes it, decomposed by another editor, with trailing spaces.
        lambda text: vietnamese_nfd(text).replace("\n", "  \r\n") + "\r\n\r\n",
    ],
    ids=["same-bytes", "same-after-normalization"],
)
def test_pasting_the_imported_text_again_writes_nothing(seed_meeting, clerk_client, variant):
    text = variant(SEED.read_text(encoding="utf-8"))
    before = stamps(seed_meeting)

    preview = clerk_client.post(IMPORT_URL, {"text": text, "preview": "1"}).content.decode()
    assert "Không có gì thay đổi" in preview and "Không có gì được ghi" in preview
    assert 'name="confirm"' not in preview
    confirmed = clerk_client.post(
        IMPORT_URL, {"text": text, "source_name": "văn bản dán", "confirm": "1"}, follow=True
    )
    assert "không có gì thay đổi" in confirmed.content.decode()

    assert stamps(seed_meeting) == before
    assert Meeting.objects.get(pk=seed_meeting.pk).source_name == SEED.name


def test_a_meeting_imported_before_imports_kept_their_values_reads_them_from_its_history(
    seed_meeting,
):
    """Meetings imported before imported_values existed hold {}: what their import wrote is
    read from its revision."""
    Meeting.objects.filter(pk=seed_meeting.pk).update(imported_values={})
    patrol = Directive.objects.get(meeting=seed_meeting, section_order=3, position=3)
    Directive.objects.filter(pk=patrol.pk).update(text="Bản chuyên viên sửa.")
    before = stamps(seed_meeting)

    same = import_document("văn bản dán", SEED.read_bytes())
    assert (same.status, same.edits, stamps(seed_meeting)) == ("unchanged", [], before)

    corrected = import_document(SEED.name, corrected_seed(TYPO).encode())
    assert [(e.record, e.replaced) for e in corrected.edits] == [("nhiệm vụ 3.3", False)]
    assert Directive.objects.get(pk=patrol.pk).text == "Bản chuyên viên sửa."
    assert "canh gác, chốt chặn" in Meeting.objects.get(pk=seed_meeting.pk).source_text


def test_without_any_record_of_the_import_every_differing_value_is_asked(seed_meeting):
    Meeting.objects.filter(pk=seed_meeting.pk).update(imported_values={})
    Revision.objects.all().delete()
    source = Meeting.objects.get(pk=seed_meeting.pk).source_text

    outcome = import_document(SEED.name, corrected_seed(TYPO).encode())

    asked = {(e.record, e.field) for e in outcome.edits}
    assert ("hội nghị", "văn bản gốc") in asked and ("nhiệm vụ 3.3", "nội dung nhiệm vụ") in asked
    assert Meeting.objects.get(pk=seed_meeting.pk).source_text == source
    assert "canh gác và chốt chặn" in Directive.objects.get(section_order=3, position=3).text


def vietnamese_nfd(text):
    import unicodedata

    return unicodedata.normalize("NFD", text)


# --- 4. The demo run again over a clerk's work ----------------------------------------------


def snapshot() -> dict[str, list]:
    """Every row of every table in the database."""
    tables = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names()):
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted}")
            tables[table] = sorted(cursor.fetchall(), key=repr)
    return tables


def test_running_the_demo_again_over_a_clerks_work_changes_no_table(settings, client):
    settings.DEBUG = True
    call_command("demo", "--no-serve", stdout=StringIO())
    meeting = Meeting.objects.get()
    clerk_client = client
    clerk_client.force_login(get_user_model().objects.get(username="chuyenvien"))
    # A clerk's day in the admin: the issue date typed, the file renamed, a directive done;
    # and the administrator corrects a committee's short name.
    save_page(
        clerk_client,
        meeting,
        {"issued_on": "20/10/2007", "source_name": "Kết luận 9 (bản lưu).txt"},
    )
    directive = meeting.directives.get(section_order=1, position=1)
    page = clerk_client.get(
        reverse("admin:resolutions_directive_change", args=[directive.pk])
    ).content.decode()
    response = clerk_client.post(
        reverse("admin:resolutions_directive_change", args=[directive.pk]),
        form_data(page, "directive_form", {"completed_on": "15/12/2007"}),
    )
    assert response.status_code == 302
    committee = meeting.committee
    admin_client = Client()
    admin_client.force_login(get_user_model().objects.get(username="demo"))
    page = admin_client.get(
        reverse("admin:resolutions_committee_change", args=[committee.pk])
    ).content.decode()
    response = admin_client.post(
        reverse("admin:resolutions_committee_change", args=[committee.pk]),
        form_data(page, "committee_form", {"short_name": "Quận ủy Q.2"}),
    )
    assert response.status_code == 302
    before = snapshot()

    out = StringIO()
    call_command("demo", "--no-serve", stdout=out)

    assert "không có gì thay đổi" in out.getvalue()
    after = snapshot()
    assert [t for t in before if before[t] != after[t]] == []
    meeting.refresh_from_db()
    assert meeting.issued_on == date(2007, 10, 20)
    assert meeting.source_name == "Kết luận 9 (bản lưu).txt"
