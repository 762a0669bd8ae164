"""The admin's index: the lists in the order of the work, and the pages each role may open."""

import re

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from .factories import UserFactory


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
        ("resolutions", "finding"),
        ("resolutions", "report"),
        ("resolutions", "unit"),
        ("resolutions", "committee"),
        ("resolutions", "topic"),
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
