"""The roles `manage.py setup_roles` creates, walked page by page: what each may open, change,
import and export. The matrix is written out here, not derived from resolutions.roles, so that
a change to the roles shows up as a failing line."""

from datetime import date

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from resolutions.models import Committee, Directive, Topic

from .factories import DirectiveFactory, IndicatorFactory, MeetingFactory, UserFactory

pytestmark = pytest.mark.django_db

REGISTER = ("meeting", "report", "indicator", "directive", "finding")
REFERENCE = ("topic", "committee", "unit")
ACTIONS = ("view", "add", "change", "delete", "history", "import", "export")
READ = {"view", "history", "export"}
EVERYTHING = set(ACTIONS)

MATRIX = {
    "Chuyên viên văn phòng": {
        "meeting": READ | {"add", "change", "import"},
        **dict.fromkeys(REGISTER[1:], EVERYTHING),
        **dict.fromkeys(REFERENCE, READ),
    },
    "Văn thư lưu trữ": dict.fromkeys(REGISTER + REFERENCE, READ),
    "Người xem": dict.fromkeys(REGISTER + REFERENCE, READ),
    "Quản trị viên": dict.fromkeys(REGISTER + REFERENCE, EVERYTHING),
    None: {m: set() for m in REGISTER + REFERENCE},  # staff with no role
}

# The register's own pages: who may open them.
PAGES = {
    "import_text": {"Chuyên viên văn phòng", "Quản trị viên"},
    "archive": {"Văn thư lưu trữ", "Quản trị viên"},
    "follow_up": {"Chuyên viên văn phòng", "Văn thư lưu trữ", "Người xem", "Quản trị viên"},
    "carry_forward": {"Chuyên viên văn phòng", "Quản trị viên"},
}


@pytest.fixture
def records(db):
    call_command("loaddata", "topics", "committees", verbosity=0)
    call_command("setup_roles", verbosity=0)
    district = Committee.objects.get(name="Ban Chấp hành Đảng bộ Quận 2")
    earlier = MeetingFactory(committee=district, number=8, started_on=date(2007, 7, 10))
    meeting = MeetingFactory(committee=district, number=9, started_on=date(2007, 10, 16))
    directive = DirectiveFactory(meeting=meeting)
    return {
        "meeting": meeting,
        "report": meeting.reports.create(title="Báo cáo"),
        "indicator": IndicatorFactory(meeting=meeting),
        "directive": directive,
        "finding": meeting.findings.create(kind="achievement", text="Kết quả"),
        "topic": Topic.objects.first(),
        "committee": district,
        "unit": district.units.first(),
        "open": DirectiveFactory(meeting=earlier),
    }


def login(client, role):
    user = UserFactory(username=f"user-{role or 'none'}")
    if role:
        user.groups.set([Group.objects.get(name=role)])
    client.force_login(user)
    return client


def status(client, url, method="get"):
    return getattr(client, method)(url).status_code


def can(client, model, action, record):
    name = f"admin:resolutions_{model}_"
    if action == "view":
        return status(client, reverse(name + "changelist")) == 200
    if action == "add":
        return status(client, reverse(name + "add")) == 200
    if action == "change":
        response = client.get(reverse(name + "change", args=[record.pk]))
        # A read-only page opens too, but without a Save button.
        return response.status_code == 200 and 'name="_save"' in response.content.decode()
    if action == "delete":
        return status(client, reverse(name + "delete", args=[record.pk])) == 200
    if action == "history":
        return status(client, reverse(name + "history", args=[record.pk])) == 200
    if action == "import":
        return status(client, reverse(name + "import")) == 200
    if action == "export":
        return status(client, reverse(name + "export")) == 200
    raise AssertionError(action)


@pytest.mark.parametrize("role", list(MATRIX))
def test_each_role_may_do_exactly_what_its_row_of_the_matrix_says(client, records, role):
    login(client, role)
    wrong = []
    for model, allowed in MATRIX[role].items():
        for action in ACTIONS:
            if can(client, model, action, records[model]) != (action in allowed):
                wrong.append(f"{model}.{action}: expected {'yes' if action in allowed else 'no'}")
    assert wrong == []


@pytest.mark.parametrize("role", list(MATRIX))
def test_each_role_reaches_exactly_its_pages(client, records, role):
    login(client, role)
    meeting = records["meeting"]
    reached = {
        "import_text": status(client, reverse("admin:resolutions_meeting_import_text")) == 200,
        "archive": status(client, reverse("admin:resolutions_meeting_archive")) == 200,
        "follow_up": status(client, reverse("admin:resolutions_directive_follow_up")) == 200,
        "carry_forward": client.post(
            reverse("admin:resolutions_meeting_carry_forward", args=[meeting.pk]),
            {"directive": records["open"].pk},
        ).status_code
        == 302,
    }
    assert {page for page, ok in reached.items() if ok} == {
        page for page, roles in PAGES.items() if role in roles
    }
    carried = Directive.objects.filter(carried_from=records["open"]).exists()
    assert carried == (role in PAGES["carry_forward"])


def test_a_viewer_sees_no_add_change_or_import_buttons(client, records):
    login(client, "Người xem")
    page = client.get(reverse("admin:resolutions_meeting_changelist")).content.decode()
    assert reverse("admin:resolutions_meeting_add") not in page
    assert reverse("admin:resolutions_meeting_import") not in page
    assert reverse("admin:resolutions_meeting_import_text") not in page
    assert reverse("admin:resolutions_meeting_export") in page  # reading and exporting are allowed


def test_setup_roles_can_run_again_and_restores_each_role(db):
    call_command("setup_roles", verbosity=0)
    viewer = Group.objects.get(name="Người xem")
    viewer.permissions.add(*Group.objects.get(name="Quản trị viên").permissions.all())
    call_command("setup_roles", verbosity=0)
    assert Group.objects.filter(name="Người xem").count() == 1
    assert {p.codename.split("_")[0] for p in viewer.permissions.all()} == {"view"}
