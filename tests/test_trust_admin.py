"""No record changes beyond what its user may and meant to change: restoring earlier versions,
carrying directives forward, importing conclusions, saving a meeting page, list filters and
logging in, each probed as a careless user or an attacker would."""

from datetime import date
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from reversion.models import Version

from resolutions.models import Committee, Directive, Meeting
from resolutions.spreadsheets.archive import import_table
from resolutions.spreadsheets.resources import DirectiveResource

from .factories import DirectiveFactory, MeetingFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def roles(db):
    call_command("loaddata", "topics", "committees", verbosity=0)
    call_command("setup_roles", verbosity=0)


@pytest.fixture
def district2():
    return Committee.objects.get(name="Ban Chấp hành Đảng bộ Quận 2")


def logged_in(client, role, username=None):
    """A client logged in as a person holding one of `setup_roles`' roles."""
    user = UserFactory(username=username or f"nguoi-{role}")
    user.groups.set([Group.objects.get(name=role)])
    client.force_login(user)
    return client


@pytest.fixture
def clerk_page(client):
    return logged_in(client, "Chuyên viên văn phòng", "chuyenvien-that")


class _FormReader(HTMLParser):
    """What a browser would send for the page's main form, as it stands."""

    def __init__(self):
        super().__init__()
        self.data, self.forms = [], 0
        self._in_main = False
        self._textarea = self._select = None
        self._options = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms += 1
            self._in_main = attrs.get("id", "").endswith("_form")
        if not self._in_main:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            default = "on" if kind in ("checkbox", "radio") else ""
            self.data.append((name, attrs.get("value") or default))
        elif tag == "textarea" and name:
            self._textarea = [name, ""]
        elif tag == "select" and name:
            self._select, self._options = name, []
        elif tag == "option" and self._select and "selected" in attrs:
            self.data.append((self._select, attrs.get("value", "")))

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None:
            name, text = self._textarea
            # A browser drops the newline that follows <textarea>.
            self.data.append((name, text[1:] if text.startswith("\n") else text))
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self._in_main = False


def posted_as_shown(response, **extra):
    reader = _FormReader()
    reader.feed(response.content.decode())
    data = {}
    for name, value in reader.data:
        data.setdefault(name, []).append(value)
    data.update({k: [v] for k, v in extra.items()})
    return data


# --- 1. A revert restores only a version of the page's own model, and only what one may -------


def test_a_clerk_cannot_revert_a_committee_through_the_meeting_pages(clerk_page, district2):
    from reversion import create_revision, set_comment

    with create_revision():
        set_comment("Tên cũ")
        district2.save()
    old_version = Version.objects.get_for_object(district2).get()
    district2.name = "Ban Chấp hành Đảng bộ Quận 2 (tên mới)"
    district2.save()
    # The attack works where the committee's version id is also some meeting's id.
    MeetingFactory(id=old_version.pk, committee=district2, number=1)

    url = reverse("admin:resolutions_meeting_recover", args=[old_version.pk])
    shown = clerk_page.get(url)
    assert shown.status_code == 404
    assert "không phải của một hội nghị" in shown.content.decode()

    posted = clerk_page.post(url, {"committee": district2.pk, "title": "x"})
    assert posted.status_code == 404
    district2.refresh_from_db()
    assert district2.name == "Ban Chấp hành Đảng bộ Quận 2 (tên mới)"

    # Nor through a meeting's history page naming that version.
    revision = reverse("admin:resolutions_meeting_revision", args=[old_version.pk, old_version.pk])
    assert clerk_page.post(revision, {}).status_code == 404
    district2.refresh_from_db()
    assert district2.name == "Ban Chấp hành Đảng bộ Quận 2 (tên mới)"


def test_a_revert_that_would_write_a_record_one_may_not_change_is_refused(client, district2):
    """Reverting a meeting deletes the rows added since; someone who may change meetings but
    not delete directives is refused, with the row named, and nothing is written."""
    from reversion import create_revision

    meeting = MeetingFactory(committee=district2, number=9)
    with create_revision():
        meeting.save()
    version = Version.objects.get_for_object(meeting).get()
    DirectiveFactory(meeting=meeting, text="Nhiệm vụ thêm sau.")
    user = UserFactory(username="khong-duoc-xoa")
    clerk_rights = Group.objects.get(name="Chuyên viên văn phòng").permissions
    user.user_permissions.set(clerk_rights.exclude(codename="delete_directive"))
    client.force_login(user)

    url = reverse("admin:resolutions_meeting_revision", args=[meeting.pk, version.pk])
    response = client.get(url)
    assert response.status_code == 403
    page = response.content.decode()
    assert "Bạn không có quyền khôi phục bản này" in page and "Nhiệm vụ thêm sau" in page
    assert client.post(url, {"_confirm_overwrite": "1"}).status_code == 403
    assert meeting.directives.filter(text="Nhiệm vụ thêm sau.").exists()


# --- 2. A revert restores the record asked for, and never silently overwrites later edits -----


def import_two_meetings(district2, clerk_user):
    first = MeetingFactory(committee=district2, term=3, number=8, started_on=date(2007, 7, 10))
    second = MeetingFactory(committee=district2, term=3, number=9, started_on=date(2007, 10, 16))
    name = district2.name
    csv = (
        "Cấp ủy,Khóa,Hội nghị lần thứ,Mục (thứ tự),Thứ tự,Nội dung nhiệm vụ\n"
        f"{name},III,8,1,1,Nhiệm vụ của hội nghị 8 như khi nhập.\n"
        f"{name},III,9,1,1,Nhiệm vụ của hội nghị 9 như khi nhập.\n"
    )
    import_table(DirectiveResource, csv.encode(), "csv", name="nhiem-vu.csv", user=clerk_user)
    return first.directives.get(), second.directives.get()


def save_directive_page(client, directive, text):
    url = reverse("admin:resolutions_directive_change", args=[directive.pk])
    data = posted_as_shown(client.get(url), text=text)
    response = client.post(url, data)
    assert response.status_code == 302, (
        response.context["adminform"].form.errors,
        [fs.formset.errors for fs in response.context["inline_admin_formsets"]],
        data,
    )


def test_reverting_one_directive_leaves_the_other_rows_of_its_import_alone(clerk_page, district2):
    first, second = import_two_meetings(district2, None)
    save_directive_page(clerk_page, first, "Hội nghị 8: sửa sau khi nhập.")
    save_directive_page(clerk_page, second, "Hội nghị 9: sửa sau khi nhập.")

    imported = Version.objects.get_for_object(second).order_by("pk").first()
    url = reverse("admin:resolutions_directive_revision", args=[second.pk, imported.pk])
    shown = clerk_page.get(url)
    assert shown.status_code == 200
    assert "Nhiệm vụ của hội nghị 9 như khi nhập." in shown.content.decode()
    assert clerk_page.post(url, posted_as_shown(shown)).status_code == 302

    second.refresh_from_db()
    first.refresh_from_db()
    assert second.text == "Nhiệm vụ của hội nghị 9 như khi nhập."
    assert first.text == "Hội nghị 8: sửa sau khi nhập."  # the other meeting's edit is kept


def test_a_revert_whose_form_is_refused_writes_nothing(clerk_page, district2):
    _, second = import_two_meetings(district2, None)
    save_directive_page(clerk_page, second, "Hội nghị 9: sửa sau khi nhập.")
    versions = Version.objects.get_for_object(second).count()
    imported = Version.objects.get_for_object(second).order_by("pk").first()
    url = reverse("admin:resolutions_directive_revision", args=[second.pk, imported.pk])

    refused = clerk_page.post(url, {})  # a form with nothing in it: refused, shown again
    assert refused.status_code == 200
    second.refresh_from_db()
    assert second.text == "Hội nghị 9: sửa sau khi nhập."  # the restore was undone with it
    assert Version.objects.get_for_object(second).count() == versions


def test_reverting_a_meeting_lists_its_rows_changed_since_and_asks_first(clerk_page, district2):
    first, second = import_two_meetings(district2, None)
    meeting = second.meeting
    page = reverse("admin:resolutions_meeting_change", args=[meeting.pk])
    # A version of the whole meeting, then a later edit of its directive on the directive's page.
    response = clerk_page.post(page, posted_as_shown(clerk_page.get(page), title="Kết luận 9"))
    assert response.status_code == 302
    saved = Version.objects.get_for_object(meeting).order_by("pk").last()
    save_directive_page(clerk_page, second, "Sửa sau khi lưu hội nghị.")
    save_directive_page(clerk_page, first, "Hội nghị 8: sửa sau.")

    url = reverse("admin:resolutions_meeting_revision", args=[meeting.pk, saved.pk])
    shown = clerk_page.get(url)
    text = shown.content.decode()
    assert "đã được sửa sau bản này, sẽ bị đưa về bản cũ" in text
    assert "Sửa sau khi lưu hội nghị" in text  # the directive is named
    assert "Hội nghị 8" not in text.split("revert-changed-since")[1].split("</div>")[0]

    # Saved without ticking the confirmation: refused, nothing written.
    refused = clerk_page.post(url, posted_as_shown(shown), follow=True)
    assert refused.status_code == 200
    assert "Chưa khôi phục" in refused.content.decode()
    second.refresh_from_db()
    assert second.text == "Sửa sau khi lưu hội nghị."

    confirmed = clerk_page.post(url, posted_as_shown(shown, _confirm_overwrite="1"))
    assert confirmed.status_code == 302
    second.refresh_from_db()
    first.refresh_from_db()
    assert second.text == "Nhiệm vụ của hội nghị 9 như khi nhập."
    assert first.text == "Hội nghị 8: sửa sau."  # another meeting's row is not part of it
    assert Directive.objects.count() == 2


# --- 14. Carry-forward takes only the previous meeting's open directives --------------------


@pytest.fixture
def carry(district2):
    earlier = MeetingFactory(committee=district2, number=8, started_on=date(2007, 7, 10))
    meeting = MeetingFactory(committee=district2, number=9, started_on=date(2007, 10, 16))
    return {
        "meeting": meeting,
        "open": DirectiveFactory(meeting=earlier, text="Việc còn mở của hội nghị 8."),
        "done": DirectiveFactory(
            meeting=earlier, text="Việc đã xong.", completed_on=date(2007, 9, 1)
        ),
        "elsewhere": DirectiveFactory(
            meeting=MeetingFactory(started_on=date(2019, 3, 1)), text="Của cấp ủy khác, 2019."
        ),
        "url": reverse("admin:resolutions_meeting_carry_forward", args=[meeting.pk]),
    }


@pytest.mark.parametrize("chosen", ["elsewhere", "done", "abc", "²", "", "9" * 30])
def test_carry_forward_refuses_anything_but_the_previous_meetings_open_directives(
    clerk_page, carry, chosen
):
    value = carry[chosen].pk if chosen in carry else chosen
    response = clerk_page.post(carry["url"], {"directive": value}, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Không chuyển được: chỉ chuyển sang hội nghị này được những nhiệm vụ chưa hoàn" in page
    assert carry["meeting"].directives.count() == 0


def test_carry_forward_still_carries_an_open_directive_of_the_previous_meeting(clerk_page, carry):
    response = clerk_page.post(carry["url"], {"directive": carry["open"].pk})
    assert response.status_code == 302
    assert carry["meeting"].directives.get().carried_from == carry["open"]


# --- 15. A text import creates no committee its user may not add ---------------------------

IMPORT_TEXT = reverse("admin:resolutions_meeting_import_text")


def seed_of_a_new_committee():
    from .helpers import SEED

    return SEED.read_text(encoding="utf-8").replace("Quận 2", "Quận 99", 1)


@pytest.mark.parametrize("step", ["preview", "confirm"])
def test_a_clerks_text_import_of_an_unknown_committee_is_refused(clerk_page, step):
    committees = Committee.objects.count()
    response = clerk_page.post(IMPORT_TEXT, {"text": seed_of_a_new_committee(), step: "1"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "chưa có cấp ủy “Ban Chấp hành Đảng bộ Quận 99” trong sổ" in page
    assert "Hãy nhờ người được phép thêm cấp ủy" in page
    assert Committee.objects.count() == committees and Meeting.objects.count() == 0


def test_an_administrators_import_adds_the_committee_and_keeps_it_in_the_history(client):
    admin_page = logged_in(client, "Quản trị viên", "quantri")
    response = admin_page.post(IMPORT_TEXT, {"text": seed_of_a_new_committee(), "confirm": "1"})
    assert response.status_code == 302
    committee = Committee.objects.get(name="Ban Chấp hành Đảng bộ Quận 99")
    version = Version.objects.get_for_object(committee).get()
    assert version.revision.user.username == "quantri"
    assert version.revision.comment.startswith("Nhập từ tệp")


# --- 17. The meeting page without its version is a conflict; SQLite's loser waits ----------


def test_a_meeting_saved_without_its_edit_version_is_refused_then_saved_on_purpose(
    clerk_page, district2
):
    meeting = MeetingFactory(committee=district2, number=9, title="Bản cũ")
    url = reverse("admin:resolutions_meeting_change", args=[meeting.pk])
    shown = posted_as_shown(clerk_page.get(url), title="Bản mới")
    for seen in ([], ["abc"], ["²"]):
        response = clerk_page.post(url, {**shown, "seen_version": seen})
        assert response.status_code == 200
        assert "không cho biết bạn đã mở hội nghị ở phiên bản nào" in response.content.decode()
        meeting.refresh_from_db()
        assert meeting.title == "Bản cũ"
    # The refused page now carries the version: pressing Save again saves.
    again = clerk_page.post(url, posted_as_shown(response))
    assert again.status_code == 302
    meeting.refresh_from_db()
    assert meeting.title == "Bản mới"


def test_sqlites_second_of_two_concurrent_saves_waits_and_sees_the_first(tmp_path, settings):
    """The meeting form's check in two threads against one SQLite file, through Django's
    backend with the register's settings: the second reads the first's version (and gets the
    conflict message) rather than failing with "database is locked"."""
    import threading
    import time

    from django.db.backends.sqlite3.base import DatabaseWrapper

    configured = settings.DATABASES["default"]
    if configured["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("PostgreSQL locks the row instead (select_for_update)")
    database = {**configured, "NAME": str(tmp_path / "register.sqlite3")}
    setup = DatabaseWrapper(database, alias="concurrent")
    with setup.cursor() as cursor:
        cursor.execute("CREATE TABLE meeting (id integer PRIMARY KEY, edit_version integer)")
        cursor.execute("INSERT INTO meeting VALUES (1, 0)")
    setup.close()
    first_wrote, outcomes = threading.Event(), {}

    def save(name, seen, after=None):
        connection = DatabaseWrapper(database, alias="concurrent")
        try:
            if after:
                after.wait(5)
            # What transaction.atomic does on SQLite.
            connection.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
            with connection.cursor() as cursor:
                cursor.execute("SELECT edit_version FROM meeting WHERE id = 1")
                current = cursor.fetchone()[0]
                if current != seen:
                    outcomes[name] = ("conflict", current)
                    connection.rollback()
                    return
                cursor.execute("UPDATE meeting SET edit_version = edit_version + 1")
                if after is None:
                    first_wrote.set()
                    time.sleep(0.5)  # the first save is slow; the second comes meanwhile
            connection.commit()
            outcomes[name] = ("saved", seen + 1)
        except Exception as error:  # what the person would get as a 500
            outcomes[name] = ("error", str(error))
        finally:
            connection.close()

    threads = [
        threading.Thread(target=save, args=("first", 0)),
        threading.Thread(target=save, args=("second", 0, first_wrote)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes == {"first": ("saved", 1), "second": ("conflict", 1)}


# --- 13. Bad filter values are ignored or refused, never a 500 -------------------------------


@pytest.mark.parametrize(
    ("model", "query"),
    [
        ("directive", "linh_vuc=%00"),
        ("directive", "khoa=%C2%B2"),
        ("directive", "nam=%C2%B2"),
        ("directive", "quy=%C2%B2"),
        ("directive", "khoa=" + "9" * 30),
        ("directive", "q=%00"),
        ("directive", "cap_uy=qu%00an"),
        ("meeting", "kind=%00"),
        ("meeting", "q=%00&term=%00"),
        ("indicator", "linh_vuc=%00&nam=%C2%B2"),
        ("finding", "ngay_hop=%00"),
        ("topic", "linh_vuc=%00"),
    ],
)
def test_bad_filter_values_never_give_a_server_error(clerk_page, carry, model, query):
    url = reverse(f"admin:resolutions_{model}_changelist") + "?" + query
    response = clerk_page.get(url, follow=True)
    assert response.status_code == 200
    assert "\x00" not in response.request["QUERY_STRING"]


def test_a_nul_in_a_filter_is_dropped_with_a_word_and_the_filter_still_applies(clerk_page, carry):
    url = reverse("admin:resolutions_directive_changelist") + "?cap_uy=qu%00an+2"
    response = clerk_page.get(url, follow=True)
    page = response.content.decode()
    assert "ký tự rỗng (NUL)" in page
    assert "Việc còn mở của hội nghị 8." in page and "Của cấp ủy khác, 2019." not in page


def test_an_autocomplete_term_with_a_nul_gives_no_server_error(clerk_page, carry):
    url = reverse("admin:autocomplete") + (
        "?term=qu%00an&app_label=resolutions&model_name=meeting&field_name=committee"
    )
    response = clerk_page.get(url)
    assert response.status_code == 200


# --- 19. Logins are throttled by login name and address -------------------------------------

LOGIN = reverse("admin:login")


def log_in(client, password, address="203.0.113.7", username="chuyenvien-that"):
    return client.post(
        LOGIN,
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
    )


@pytest.fixture
def person(db):
    user = UserFactory(username="chuyenvien-that")
    user.groups.set([Group.objects.get(name="Chuyên viên văn phòng")])
    return user


def test_after_repeated_wrong_passwords_the_right_one_is_refused_for_a_while(
    client, person, settings
):
    from axes.models import AccessAttempt
    from django.utils import timezone

    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert log_in(client, "sai-mat-khau").status_code == 200  # the login page again
    assert log_in(client, "sai-mat-khau").status_code == 429  # the fifth locks the name out
    refused = log_in(client, "mat-khau-thu-nghiem")
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "Tạm khóa đăng nhập" in page and "Sổ kết luận Hội nghị Ban Chấp hành" in page
    assert "Đã nhập sai mật khẩu 5 lần cho tên đăng nhập “chuyenvien-that” từ máy này" in page
    assert "trong 15 phút" in page
    assert client.get("/admin/").status_code == 302  # not logged in

    # The same name from another address is not locked out.
    other = client_class()
    assert log_in(other, "mat-khau-thu-nghiem", address="198.51.100.2").status_code == 302

    # After the cool-off period the right password works again.
    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME * 2)
    assert log_in(client, "mat-khau-thu-nghiem").status_code == 302
    assert client.get("/admin/").status_code == 200


def test_a_few_wrong_passwords_then_the_right_one_log_in_and_start_the_count_again(
    client, person, settings
):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, "sai-mat-khau")
    assert log_in(client, "mat-khau-thu-nghiem").status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, "sai-mat-khau")
    assert log_in(client, "mat-khau-thu-nghiem").status_code == 302


def client_class():
    from django.test import Client

    return Client()
