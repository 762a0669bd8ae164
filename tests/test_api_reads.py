"""The read API as another system uses it: its token reads its committees and nothing else,
pages by cursor, filters and searches as the admin does, and polls cheaply (304)."""

import hashlib

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from resolutions.api.tokens import ApiToken
from resolutions.models import Directive

from .factories import DirectiveFactory, UserFactory
from .public_register import build_register
from .query_counting import register_queries

pytestmark = pytest.mark.django_db

ENDPOINTS = (
    "committee",
    "topic",
    "unit",
    "meeting",
    "report",
    "indicator",
    "finding",
    "directive",
    "series",
)
ROLES = ("Chuyên viên văn phòng", "Văn thư lưu trữ", "Người xem", "Quản trị viên")


@pytest.fixture(autouse=True)
def fresh_rate_counts():
    cache.clear()  # the throttle's counts live in the cache
    yield
    cache.clear()


@pytest.fixture
def register(db):
    return build_register()


def bearer(key):
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def list_url(name, **params):
    url = reverse(f"api:{name}-list")
    if params:
        from urllib.parse import urlencode

        url += "?" + urlencode(params)
    return url


def ids(response):
    return {row["id"] for row in response.json()["results"]}


def test_a_token_reads_its_committee_and_those_under_it_only(client, register):
    key = register.keys[register.own.name]
    committees = ids(client.get(list_url("committee"), **bearer(key)))
    assert committees == {register.own.pk, register.ward.pk}
    for name in ("meeting", "report", "indicator", "finding", "directive", "unit", "series"):
        listed = ids(client.get(list_url(name), **bearer(key)))
        # Public or not: the API is for the committee's own systems.
        assert listed == {register.public[name].pk, register.hidden[name].pk}, name


@pytest.mark.parametrize("name", ENDPOINTS)
def test_a_token_of_another_committee_gets_not_found_for_each_record(client, register, name):
    key = register.keys[register.other.name]
    if name == "topic":  # the shared catalogue: every committee reads it
        record = register.topic
        assert (
            client.get(reverse("api:topic-detail", args=[record.pk]), **bearer(key)).status_code
            == 200
        )
        return
    record = register.own if name == "committee" else register.public[name]
    response = client.get(reverse(f"api:{name}-detail", args=[record.pk]), **bearer(key))
    assert response.status_code == 404
    # Said as for an id that does not exist: nothing leaks about the other committee.
    missing = client.get(reverse(f"api:{name}-detail", args=[10**9]), **bearer(key))
    assert response.json() == missing.json()
    assert response.json()["detail"] == "Không có bản ghi này trong phạm vi khóa truy cập được đọc."
    assert record.pk not in ids(client.get(list_url(name), **bearer(key)))


@pytest.mark.parametrize("name", ENDPOINTS)
def test_every_endpoint_refuses_no_token_a_wrong_one_and_a_revoked_one(client, register, name):
    detail = reverse(f"api:{name}-detail", args=[1])
    for url in (list_url(name), detail):
        response = client.get(url)
        assert response.status_code == 401
        assert "khóa truy cập" in response.json()["detail"]
        assert client.get(url, **bearer("sai" * 20)).status_code == 401
    token = ApiToken.objects.get(committee=register.own)
    token.revoke()
    response = client.get(list_url(name), **bearer(register.keys[register.own.name]))
    assert response.status_code == 401
    assert response.json()["detail"] == "Khóa truy cập không đúng hoặc đã bị thu hồi."


@pytest.mark.parametrize("role", ROLES)
def test_each_role_reads_every_endpoint_with_its_login(client, register, role):
    call_command("setup_roles", verbosity=0)
    from django.contrib.auth.models import Group

    user = UserFactory(username=f"user-{ROLES.index(role)}")
    user.groups.add(Group.objects.get(name=role))
    client.force_login(user)
    for name in ENDPOINTS:
        response = client.get(list_url(name))
        assert response.status_code == 200, name
        assert response.json()["results"], name  # staff read every committee
    assert register.foreign["directive"].pk in ids(client.get(list_url("directive")))


def test_staff_without_a_role_and_a_non_staff_user_are_refused(client, register):
    client.force_login(UserFactory(username="khongvaitro"))
    for name in ENDPOINTS:
        response = client.get(list_url(name))
        assert response.status_code == 403
        assert response.json()["detail"] == "Tài khoản này không có quyền xem dữ liệu này."


def test_writes_are_refused_even_with_a_token(client, register):
    key = register.keys[register.own.name]
    before = Directive.objects.count()
    response = client.post(
        list_url("directive"), {"text": "x"}, content_type="application/json", **bearer(key)
    )
    assert response.status_code == 403
    detail = reverse("api:directive-detail", args=[register.public["directive"].pk])
    assert client.delete(detail, **bearer(key)).status_code == 403
    assert (
        client.patch(detail, {}, content_type="application/json", **bearer(key)).status_code == 403
    )
    assert Directive.objects.count() == before


def test_tokens_are_stored_hashed(register):
    key = register.keys[register.own.name]
    token = ApiToken.objects.get(committee=register.own)
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    stored = [str(value) for value in ApiToken.objects.values_list(flat=False)[0]]
    assert key not in " ".join(stored)
    assert ApiToken.objects.matching(key) == token
    assert ApiToken.objects.matching(key[:-1] + ("A" if key[-1] != "A" else "B")) is None


def test_the_cursor_walks_every_directive_once_while_rows_are_added(client, register):
    key = register.keys[register.own.name]
    meeting = register.public["meeting"]
    for n in range(7):
        DirectiveFactory(meeting=meeting, section_order=2, position=n + 1, text=f"Nhiệm vụ {n}")
    expected = set(
        Directive.objects.filter(meeting__committee=register.own).values_list("pk", flat=True)
    )
    seen, url = [], list_url("directive", page_size=3)
    while url:
        body = client.get(url, **bearer(key)).json()
        seen += [row["id"] for row in body["results"]]
        if len(seen) == 3:  # a new row while the system pages: newest first, not seen again
            DirectiveFactory(meeting=meeting, section_order=3, text="Nhiệm vụ thêm sau")
        url = body["next"]
    assert len(seen) == len(set(seen))
    assert set(seen) == expected
    response = client.get(list_url("directive", cursor="khong-hop-le"), **bearer(key))
    assert response.status_code == 404
    assert response.json()["detail"] == "Con trỏ trang (cursor) không hợp lệ."


def test_search_ignores_accents_as_the_admin_does(client, register):
    key = register.keys[register.own.name]
    response = client.get(list_url("directive", q="giai phong mat bang"), **bearer(key))
    assert ids(response) == {register.public["directive"].pk}
    response = client.get(list_url("directive", q="x" * 300), **bearer(key))
    assert response.status_code == 400
    assert "quá giới hạn 200 ký tự" in response.json()["q"][0]


def test_filters_are_the_admin_filters_and_give_the_admins_rows(client, register, admin_client):
    key = register.keys[register.own.name]
    DirectiveFactory(
        meeting=register.public["meeting"],
        section_order=2,
        text="Đã xong",
        completed_on="2007-11-01",
    )
    DirectiveFactory(
        meeting=register.public["meeting"], section_order=3, text="Còn dở", due_period="quý IV/2007"
    )
    for params in (
        {"linh_vuc": register.topic.slug},
        {"tinh_trang": "done_on_time"},
        {"tinh_trang": "overdue"},
        {"ngay_hop": "01/01/2008 - 31/12/2008"},
        {"khoa": "3", "cap_uy": "quan 2"},
    ):
        api = ids(client.get(list_url("directive", **params), **bearer(key)))
        page = admin_client.get(reverse("admin:resolutions_directive_changelist"), params)
        in_admin = {
            d.pk
            for d in page.context["cl"].result_list
            if d.meeting.committee_id in {register.own.pk, register.ward.pk}
        }
        assert api == in_admin, params
        assert api, params


def test_a_filter_value_the_admin_cannot_read_is_refused_with_its_words(client, register):
    key = register.keys[register.own.name]
    response = client.get(list_url("directive", ngay_hop="31/02/2008 -"), **bearer(key))
    assert response.status_code == 400
    assert "không đúng dạng ngày/tháng/năm" in response.json()["detail"][0]
    response = client.get(list_url("meeting", kind="khong-co"), **bearer(key))
    assert response.status_code == 400
    assert response.json()["kind"] == ["Giá trị “khong-co” không có trong danh mục."]


def test_a_polling_system_gets_304_until_something_changes(client, register):
    key = register.keys[register.own.name]
    url = reverse("api:directive-detail", args=[register.public["directive"].pk])
    first = client.get(url, **bearer(key))
    assert first.status_code == 200
    assert "private" in first["Cache-Control"] and "no-cache" in first["Cache-Control"]
    etag, modified = first["ETag"], first["Last-Modified"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag, **bearer(key)).status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=modified, **bearer(key)).status_code == 304
    listed = client.get(list_url("meeting"), **bearer(key))
    assert (
        client.get(
            list_url("meeting"), HTTP_IF_NONE_MATCH=listed["ETag"], **bearer(key)
        ).status_code
        == 304
    )
    directive = register.public["directive"]
    directive.completed_on = "2007-12-01"
    directive.save()
    again = client.get(url, HTTP_IF_NONE_MATCH=etag, **bearer(key))
    assert again.status_code == 200
    assert again.json()["status"] == "done_on_time"
    assert again["ETag"] != etag


def test_each_token_has_its_own_rate_limit(client, register):
    token = ApiToken.objects.get(committee=register.own)
    token.rate_per_minute = 3
    token.save()
    key = register.keys[register.own.name]
    codes = [client.get(list_url("topic"), **bearer(key)).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    refused = client.get(list_url("topic"), **bearer(key))
    assert "Quá số yêu cầu cho phép" in refused.json()["detail"]
    assert int(refused["Retry-After"]) > 0
    other = register.keys[register.other.name]
    assert client.get(list_url("topic"), **bearer(other)).status_code == 200


def test_the_openapi_schema_is_valid_and_lists_every_endpoint_and_filter(client):
    from drf_spectacular.validation import validate_schema

    response = client.get(reverse("api:schema"), {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    validate_schema(schema)  # raises on an invalid OpenAPI 3 document
    paths = schema["paths"]
    for name in ENDPOINTS:
        plural = "directives" if name == "directive" else f"{name}s"
        plural = {"committee": "committees", "unit": "units", "series": "series"}.get(name, plural)
        assert f"/api/v1/{plural}/" in paths
        assert f"/api/v1/{plural}/{{id}}/" in paths
        assert set(paths[f"/api/v1/{plural}/"]) == {"get"}  # read only
    parameters = {p["name"] for p in paths["/api/v1/directives/"]["get"]["parameters"]}
    assert {"q", "cursor", "committee", "linh_vuc", "the", "tinh_trang", "ngay_hop"} <= parameters
    assert schema["components"]["securitySchemes"]["khoaTruyCap"]["scheme"] == "bearer"


def test_a_page_of_directives_costs_the_same_few_queries_however_many_rows(client, register):
    key = register.keys[register.own.name]
    # The token's last use is recorded, and its committees are cached, once.
    client.get(list_url("directive"), **bearer(key))
    for n in range(60):
        DirectiveFactory(meeting=register.public["meeting"], section_order=2, text=f"Việc {n}")
    # The token, the page, its tags and its units (the token's committees are cached), beside
    # the rate count (tests/test_shared_throttle.py).
    with CaptureQueriesContext(connection) as queries:
        response = client.get(list_url("directive", page_size=50), **bearer(key))
    assert len(register_queries(queries.captured_queries)) <= 4
    assert len(response.json()["results"]) == 50


def test_a_pending_admin_message_is_neither_an_api_error_nor_lost(admin_client, register):
    token = ApiToken.objects.get(committee=register.other)
    # An action in the admin leaves its notice for the next admin page.
    admin_client.post(
        reverse("admin:resolutions_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    response = admin_client.get(list_url("directive", tinh_trang="overdue"))
    assert response.status_code == 200
    later = admin_client.get(reverse("admin:index"))
    assert "Đã thu hồi 1 khóa." in later.content.decode()
