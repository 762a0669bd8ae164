"""The admin's index: the lists in the order of the work, and the pages each role may open."""

import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from .factories import IndicatorFactory, UserFactory


@pytest.fixture
def roles(db):
    call_command("setup_roles", verbosity=0)


def index_for(client, role):
    user = UserFactory(username=f"user-{abs(hash(role))}")
    user.groups.set([Group.objects.get(name=role)])
    client.force_login(user)
    return client.get("/admin/").content.decode()


def test_the_register_comes_first_in_the_order_of_the_work(admin_client):
    page = admin_client.get("/admin/").content.decode()
    rows = re.findall(r'<th scope="row" id="(\w+)-(\w+)">', page)
    assert rows == [
        ("resolutions", "meeting"),
        ("resolutions", "directive"),
        ("resolutions", "indicator"),
        ("resolutions", "indicatorseries"),
        ("resolutions", "seriesmatch"),
        ("resolutions", "directivetarget"),
        ("resolutions", "finding"),
        ("resolutions", "report"),
        ("resolutions", "registerednumber"),
        ("resolutions", "issuance"),
        ("resolutions", "unit"),
        ("resolutions", "committee"),
        ("resolutions", "issuingprofile"),
        ("resolutions", "topic"),
        ("resolutions", "apitoken"),
        ("auth", "group"),
        ("auth", "user"),
    ]


@pytest.mark.parametrize(
    ("role", "shown", "hidden"),
    [
        (
            "Chuyên viên văn phòng",
            ["Nhập kết luận từ văn bản", "Báo cáo theo dõi thực hiện"],
            ["Tệp lưu trữ"],
        ),
        ("Văn thư lưu trữ", ["Tệp lưu trữ", "Báo cáo theo dõi thực hiện"], ["Nhập kết luận"]),
        ("Người xem", ["Báo cáo theo dõi thực hiện"], ["Nhập kết luận", "Tệp lưu trữ"]),
    ],
)
def test_each_role_finds_the_pages_it_may_open_on_the_index(client, roles, role, shown, hidden):
    page = index_for(client, role)
    tools = page.split('id="register-tools"')[1].split("</table>")[0]
    for label in shown:
        link = re.search(rf'<a href="([^"]+)">{label}</a>', tools)
        assert link, label
        assert client.get(link.group(1)).status_code == 200, label
    for label in hidden:
        assert label not in tools


def test_the_meetings_list_filters_the_term_by_its_roman_numeral(admin_client, meeting9):
    page = admin_client.get("/admin/resolutions/meeting/").content.decode()
    assert '<a href="?khoa=3">III</a>' in page
    assert ">3</a>" not in page
    filtered = admin_client.get("/admin/resolutions/meeting/", {"khoa": "3"})
    assert list(filtered.context["cl"].result_list) == [meeting9]


@pytest.fixture
def figures(meeting9):
    return IndicatorFactory(
        meeting=meeting9,
        value=Decimal("1234.5"),
        change_pct=Decimal("79.5"),
        plan_pct=Decimal("50.14"),
    )


def test_a_list_shows_figures_as_written(admin_client, figures):
    page = admin_client.get("/admin/resolutions/indicator/").content.decode()
    row = page.split('id="result_list"')[1]
    for written in (">1.234,5<", ">79,5<", ">50,14<"):
        assert written in row
    assert "0000" not in row


def test_a_viewer_reads_figures_as_written_on_the_record_and_the_meeting(client, roles, figures):
    user = UserFactory(username="nguoixem")
    user.groups.set([Group.objects.get(name="Người xem")])
    client.force_login(user)
    for url in (
        f"/admin/resolutions/indicator/{figures.pk}/change/",
        f"/admin/resolutions/meeting/{figures.meeting_id}/change/",
    ):
        page = client.get(url).content.decode()
        assert "79,5" in page and "1.234,5" in page and "50,14" in page, url
        assert "79,5000" not in page and "1.234,5000" not in page, url
