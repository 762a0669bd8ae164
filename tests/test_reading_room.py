"""The public reading room at /: the conclusions the office marked public, and nothing else,
whatever address or filter is tried."""

import re

import pytest
from django.apps import apps
from django.core.cache import cache
from django.db import connection
from django.urls import reverse

from resolutions.api.tokens import ApiToken
from resolutions.models import Meeting

from .factories import DirectiveFactory, MeetingFactory
from .public_register import build_register

pytestmark = pytest.mark.django_db

HIDDEN_WORDS = ("bí mật hồ sơ", "nạo vét kênh rạch", "lần thứ 10", "lần thứ 4")


@pytest.fixture
def register(db):
    cache.clear()  # the API's rate counts
    return build_register()


def page_text(response):
    return response.content.decode()


def assert_nothing_hidden(response):
    text = page_text(response)
    for words in HIDDEN_WORDS:
        assert words not in text


def test_a_new_conclusion_is_not_public_until_the_office_marks_it(db):
    assert MeetingFactory().is_public is False
    assert Meeting._meta.get_field("is_public").default is False


def test_the_meeting_page_in_the_admin_has_the_public_box(admin_client, register):
    meeting = register.hidden["meeting"]
    page = admin_client.get(reverse("admin:resolutions_meeting_change", args=[meeting.pk]))
    assert 'name="is_public"' in page_text(page)
    assert "công khai trên trang đọc" in page_text(page).lower()


def test_the_front_page_lists_public_conclusions_only(client, register):
    response = client.get("/")
    assert response.status_code == 200
    assert register.public["meeting"].title in page_text(response)
    assert_nothing_hidden(response)


def test_a_conclusion_reads_as_its_issued_document_with_headings(client, register):
    meeting = register.public["meeting"]
    response = client.get(reverse("reading:conclusion", args=[meeting.pk]))
    html = page_text(response)
    assert response.status_code == 200
    assert '<html lang="vi">' in html
    # The issued document's layout (resolutions.issuing): type name and subject as the title.
    assert re.search(r"<h1>.*KẾT LUẬN.*Hội nghị lần thứ 9 của Quận ủy Quận 2</span></h1>", html)
    assert re.search(r"<h2>[^<]*Kinh tế[^<]*</h2>", html)  # the directives' section
    assert "Đẩy nhanh giải phóng mặt bằng dự án khu đô thị mới Thủ Thiêm." in html
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in html
    assert 'href="#noi-dung"' in html  # the keyboard's way past the header
    assert "Tổng vốn đầu tư xây dựng cơ bản thực hiện" in html


def test_every_id_of_every_model_leads_to_the_public_conclusion_or_to_not_found(client, register):
    ids = {
        pk
        for model in apps.get_app_config("resolutions").get_models()
        for pk in model.objects.values_list("pk", flat=True)
    }
    public_id = register.public["meeting"].pk
    for pk in [0, *range(min(ids) - 2, max(ids) + 3), 2**31, 2**63 - 1, 2**63, 10**30]:
        response = client.get(f"/ket-luan/{pk}/")
        assert response.status_code == (200 if pk == public_id else 404), pk
        if pk != public_id:
            assert "Không tìm thấy" in page_text(response)
        assert_nothing_hidden(response)


def test_filters_and_search_never_reveal_an_unpublished_conclusion(client, register):
    tries = [
        {"cap_uy": register.other.pk},
        {"cap_uy": register.own.pk},
        {"nam": 2008},
        {"linh_vuc": register.topic.slug},
        {"q": "bi mat ho so"},
        {"q": "nao vet kenh rach"},
        {"q": "giai phong mat bang", "cap_uy": register.other.pk},
    ]
    for params in tries:
        response = client.get("/", params)
        assert response.status_code == 200, params
        assert_nothing_hidden(response)
    found = client.get("/", {"q": "giai phong mat bang"})
    assert "<mark>giải phóng</mark>" in page_text(found) or "<mark>giải</mark>" in page_text(found)
    # Only committees and years that have a public conclusion are offered.
    assert register.other.name not in page_text(client.get("/"))


def test_hostile_parameters_get_a_vietnamese_message(client, register):
    for params, words in (
        ({"nam": "abc"}, "Năm phải là một số"),
        ({"cap_uy": "x"}, "Mã cấp ủy phải là một số."),
        ({"linh_vuc": "khong-co"}, "Không có lĩnh vực này."),
        ({"q": "y" * 500}, "quá giới hạn 200 ký tự"),
        ({"q": "\x00"}, ""),
        ({"trang": "-1"}, ""),
    ):
        response = client.get("/", params)
        assert response.status_code in (200, 400), params
        assert words in page_text(response)
        assert_nothing_hidden(response)


def test_pages_can_be_served_again_by_a_proxy(client, register):
    response = client.get("/")
    assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
    assert client.get("/", HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    assert client.post("/").status_code == 405  # nothing to write here


@pytest.mark.parametrize(
    "name", ["committee", "topic", "unit", "meeting", "report", "indicator", "finding", "directive"]
)
def test_every_api_id_answers_only_for_the_tokens_committees(client, register, name):
    key = register.keys[register.own.name]
    model = apps.get_model("resolutions", name)
    readable = set(
        model.objects.values_list("pk", flat=True)
        if name == "topic"
        else register_scope(model, register)
    )
    ApiToken.objects.filter(committee=register.own).update(rate_per_minute=10_000)
    # Every id from below the first to past the last (PostgreSQL's sequences do not restart
    # between tests, so the range is read, not assumed).
    pks = model.objects.order_by("pk").values_list("pk", flat=True)
    for pk in [0, *range(max(pks[0] - 2, 1), pks.reverse()[0] + 3)]:
        response = client.get(
            reverse(f"api:{name}-detail", args=[pk]), HTTP_AUTHORIZATION=f"Bearer {key}"
        )
        assert response.status_code == (200 if pk in readable else 404), (name, pk)


def register_scope(model, register):
    committees = {register.own.pk, register.ward.pk}
    if model._meta.model_name == "committee":
        return committees
    path = "committee" if model._meta.model_name in ("unit", "meeting") else "meeting__committee"
    return model.objects.filter(**{f"{path}__in": committees}).values_list("pk", flat=True)


def test_pages_cost_the_same_few_queries_however_many_rows(
    client, register, django_assert_max_num_queries
):
    meeting = register.public["meeting"]
    for n in range(30):
        DirectiveFactory(meeting=meeting, section_order=2 + n % 3, text=f"Nhiệm vụ số {n}")
        MeetingFactory(committee=register.own, number=20 + n, is_public=True)
    with django_assert_max_num_queries(6):
        assert client.get("/").status_code == 200
    with django_assert_max_num_queries(5):
        assert client.get(f"/ket-luan/{meeting.pk}/").status_code == 200
    # A search adds one: the newest matches are found first, then counted and paged; on
    # PostgreSQL one more looks the words up among the register's (to correct a typo).
    with django_assert_max_num_queries(8 if connection.vendor == "postgresql" else 7):
        assert client.get("/", {"q": "nhiem vu so"}).status_code == 200


@pytest.mark.parametrize(
    "role", [None, "Chuyên viên văn phòng", "Văn thư lưu trữ", "Người xem", "Quản trị viên"]
)
def test_a_login_of_any_role_sees_no_more_in_the_reading_room(client, register, role):
    from django.contrib.auth.models import Group
    from django.core.management import call_command

    from .factories import UserFactory

    call_command("setup_roles", verbosity=0)
    user = UserFactory(username="docgia", is_superuser=role is None)
    if role:
        user.groups.add(Group.objects.get(name=role))
    client.force_login(user)
    assert_nothing_hidden(client.get("/"))
    assert_nothing_hidden(client.get("/", {"q": "bi mat ho so"}))
    hidden = register.hidden["meeting"].pk
    assert client.get(f"/ket-luan/{hidden}/").status_code == 404
