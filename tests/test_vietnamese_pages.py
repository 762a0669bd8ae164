"""No English a user can see: every admin page, as each role, read as a person reads it."""

import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from . import test_roles
from .factories import UserFactory
from .test_roles import REFERENCE, REGISTER

records = test_roles.records  # the same records as the roles' walk

# Words of the admin's and its libraries' English that are not Vietnamese syllables written
# without accents, as slugs show them ("an", "to", "do", "no", "the", "go" are left out).
ENGLISH = {
    "action", "add", "all", "and", "breadcrumbs", "cancel", "change", "choose", "chosen",
    "committee", "confirm", "content", "correct", "counts", "dataset", "delete", "error",
    "errors", "export", "false", "file", "filter", "for", "forbidden", "format", "found",
    "hide", "history", "home", "import", "items", "kind", "line", "link", "list", "log",
    "meeting", "model", "name", "navigation", "new", "none", "not", "now", "number", "object",
    "objects", "of", "out", "page", "parent", "password", "period", "please", "position",
    "preview", "remove", "resource", "row", "save", "search", "section", "seen", "select",
    "selected", "show", "sidebar", "skip", "skipped", "source", "submit", "symbol", "tablib",
    "term", "text", "theme", "this", "title", "today", "toggle", "topic", "true",
    "unit", "unknown", "update", "user", "value", "version", "view", "was", "welcome", "with",
    "you", "your",
}  # fmt: skip
HIDDEN = {"script", "style", "template"}
SPOKEN = ("title", "placeholder", "aria-label")  # read aloud or shown on hover


class VisibleText(HTMLParser):
    """The words a person sees or hears on a page: text, tooltips, labels, button captions."""

    def __init__(self):
        super().__init__()
        self.hidden = 0
        self.parts = []

    def handle_starttag(self, tag, attrs):
        if tag in HIDDEN:
            self.hidden += 1
        attrs = dict(attrs)
        self.parts += [attrs[name] for name in SPOKEN if attrs.get(name)]
        if tag == "input" and attrs.get("type") in {"submit", "button", "reset"}:
            self.parts.append(attrs.get("value") or "")

    def handle_endtag(self, tag):
        if tag in HIDDEN:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def english_in(html: str) -> set[str]:
    reader = VisibleText()
    reader.feed(html)
    words = re.findall(r"[A-Za-z]+", " ".join(reader.parts))
    return {word for word in words if word.lower() in ENGLISH}


def test_the_reader_finds_english_and_only_english():
    page = '<p title="Toggle theme">Hội nghị <b>Save</b></p><script>var all = 1</script>'
    assert english_in(page) == {"Toggle", "theme", "Save"}
    assert english_in("<p>Phát triển đảng viên, an ninh, to lớn, do đó</p>") == set()


def pages(records):
    yield from ("/admin/", "/admin/password_change/", "/khong-co-trang-nay/")
    yield from (
        reverse("admin:resolutions_meeting_import_text"),
        reverse("admin:resolutions_meeting_archive"),
        reverse("admin:resolutions_directive_follow_up"),
        reverse("admin:resolutions_meeting_carry_forward", args=[records["meeting"].pk]),
    )
    # A search's marks and labels, a corrected word (PostgreSQL), the two topic filters.
    directives = reverse("admin:resolutions_directive_changelist")
    yield from (f"{directives}?q=khieu+naii+to+cao", f"{directives}?linh_vuc=kinh-te&the=dan-van")
    for model in REGISTER + REFERENCE:
        pk = records[model].pk
        changelist = reverse(f"admin:resolutions_{model}_changelist")
        yield from (changelist, f"{changelist}?q=khong+co+gi", f"{changelist}?_facets=True")
        for view in ("add", "import", "export"):
            yield reverse(f"admin:resolutions_{model}_{view}")
        for view in ("change", "history", "delete"):
            yield reverse(f"admin:resolutions_{model}_{view}", args=[pk])
        yield reverse(f"admin:resolutions_{model}_change", args=[999_999])


@pytest.mark.parametrize(
    "role", ["Chuyên viên văn phòng", "Văn thư lưu trữ", "Người xem", "Quản trị viên"]
)
def test_no_page_shows_english(client, records, role):
    user = UserFactory(username="lan", first_name="Lan")
    user.groups.set([Group.objects.get(name=role)])
    client.force_login(user)
    found = {}
    for url in pages(records):
        response = client.get(url, follow=True)
        words = english_in(response.content.decode())
        if words:
            found[url] = sorted(words)
    assert found == {}


def test_a_refusal_is_a_vietnamese_page_inside_the_admin_with_a_way_back(client, records):
    user = UserFactory(username="lan", first_name="Lan")
    user.groups.set([Group.objects.get(name="Người xem")])
    client.force_login(user)
    changelist = reverse("admin:resolutions_meeting_changelist")
    response = client.get(
        reverse("admin:resolutions_meeting_add"), HTTP_REFERER=f"http://testserver{changelist}"
    )
    assert response.status_code == 403
    page = response.content.decode()
    assert "<h1>Không có quyền</h1>" in page
    assert f'<a href="http://testserver{changelist}">← Quay lại trang trước</a>' in page
    assert 'id="nav-sidebar"' in page  # the admin's own frame, with its menu
    assert english_in(page) == set()


def test_a_missing_page_and_a_server_error_are_vietnamese_pages(client, records, rf):
    from resolutions.errors_views import server_error

    response = client.get("/khong-co-trang-nay/", HTTP_REFERER="https://evil.example/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "<h1>Không tìm thấy trang</h1>" in page
    assert "evil.example" not in page  # a way back only to our own pages
    assert '<a href="/admin/">← Quay lại trang trước</a>' in page

    response = server_error(rf.get("/admin/"))
    assert response.status_code == 500
    assert "<h1>Lỗi hệ thống</h1>" in response.content.decode()
    assert english_in(response.content.decode()) == set()


def test_a_form_posted_without_its_token_is_refused_in_vietnamese(records):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    user = UserFactory(username="lan", first_name="Lan")
    user.groups.set([Group.objects.get(name="Chuyên viên văn phòng")])
    client.force_login(user)
    response = client.post(reverse("admin:resolutions_directive_add"), {"text": "x"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "<h1>Trang đã hết hạn</h1>" in page
    assert english_in(page) == set()
