"""Pages a clerk can read: what the browser really paints, measured in the browser.

With README_SCREENSHOTS=<folder> set, two of the pages measured here are saved there
(`README_SCREENSHOTS=tests/browser/screenshots .venv/bin/python -m pytest tests/browser`): the
meeting page and the directives list at 1366 x 768.
"""

import os
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from resolutions.models import Directive, Meeting, Unit

from ..factories import DirectiveFactory, MeetingFactory

pytestmark = pytest.mark.django_db(transaction=True)


def keep_for_readme(page, name):
    folder = os.environ.get("README_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"))


def relative_luminance(css_color: str) -> float:
    """WCAG 2.x relative luminance of an ``rgb(r, g, b)`` or ``rgba(…)`` colour."""
    channels = [int(part) for part in css_color.split("(")[1].split(")")[0].split(",")[:3]]

    def linear(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(foreground: str, background: str) -> float:
    lighter, darker = sorted(
        (relative_luminance(foreground), relative_luminance(background)), reverse=True
    )
    return (lighter + 0.05) / (darker + 0.05)


def test_contrast_is_computed_as_wcag_defines_it():
    assert contrast("rgb(0, 0, 0)", "rgb(255, 255, 255)") == pytest.approx(21)
    assert contrast("rgb(119, 119, 119)", "rgb(255, 255, 255)") == pytest.approx(4.48, abs=0.01)


# The text colour and the first opaque background behind it (the badge's, or its row's).
EFFECTIVE_COLOURS = """el => {
    let back = el;
    while (back && /rgba\\(.*, 0\\)|transparent/.test(getComputedStyle(back).backgroundColor)) {
        back = back.parentElement;
    }
    return [el.className, getComputedStyle(el).color,
            back ? getComputedStyle(back).backgroundColor : "rgb(255, 255, 255)"];
}"""


@pytest.fixture
def one_directive_per_status(db):
    today = timezone.localdate()
    earlier = MeetingFactory(started_on=date(2019, 1, 10))
    later = MeetingFactory(committee=earlier.committee, started_on=date(2019, 4, 10))
    DirectiveFactory(meeting=earlier, due_on=today, completed_on=today)
    DirectiveFactory(meeting=earlier, due_on=today - timedelta(days=9), completed_on=today)
    DirectiveFactory(meeting=earlier, due_on=today + timedelta(days=30))
    DirectiveFactory(meeting=earlier, due_on=today - timedelta(days=1))
    carried = DirectiveFactory(meeting=earlier, due_on=today - timedelta(days=1))
    carried.carry_forward(later)
    statuses = {d.status for d in Directive.objects.filter(meeting=earlier)}
    assert statuses == set(Directive.Status)


@pytest.mark.parametrize("theme", ["light", "dark-by-system", "dark-by-toggle"])
def test_every_status_badge_is_readable_in_both_themes(
    logged_in_page, live_server, one_directive_per_status, theme
):
    page = logged_in_page
    page.emulate_media(color_scheme="light" if theme == "light" else "dark")
    page.goto(f"{live_server.url}/admin/resolutions/directive/")
    if theme == "dark-by-toggle":
        page.emulate_media(color_scheme="light")
        page.evaluate("document.documentElement.dataset.theme = 'dark'")

    badges = page.locator("#result_list span.status")
    seen = {}
    for i in range(badges.count()):
        colours = badges.nth(i).evaluate(EFFECTIVE_COLOURS)
        seen[colours[0]] = contrast(colours[1], colours[2])
    assert {name.split("status-")[1] for name in seen} == set(Directive.Status)
    assert all(ratio >= 4.5 for ratio in seen.values()), seen


@pytest.fixture
def seed_register(db):
    from django.core.management import call_command

    from resolutions.services.conclusions import import_path

    from ..helpers import SEED

    call_command("loaddata", "topics", "committees", verbosity=0)
    import_path(SEED)
    Directive.objects.filter(position=1).update(
        lead_unit=Unit.objects.first(), due_on=date(2007, 12, 31)
    )
    return Meeting.objects.get()


LISTS = ("meeting", "directive", "indicator", "finding", "report", "committee", "unit", "topic")


@pytest.mark.parametrize("width", [1366, 1920])
def test_pages_fit_the_screen_without_sideways_scrolling(
    logged_in_page, live_server, seed_register, width
):
    page = logged_in_page
    page.set_viewport_size({"width": width, "height": 768})
    pages = [f"/admin/resolutions/{model}/" for model in LISTS]
    pages.append(f"/admin/resolutions/meeting/{seed_register.pk}/change/")
    for url in pages:
        page.goto(live_server.url + url)
        overflow = page.evaluate(
            """() => [document.documentElement, ...document.querySelectorAll('.results')]
                .filter(e => e.scrollWidth > e.clientWidth + 1)
                .map(e => [e.className || e.tagName, e.scrollWidth, e.clientWidth])"""
        )
        assert overflow == [], url
        if width == 1366 and ("change" in url or "directive" in url):
            keep_for_readme(page, f"laptop-{'meeting' if 'change' in url else 'directives'}")

    # What a clerk follows a directive by is on screen, not past its right edge.
    page.goto(f"{live_server.url}/admin/resolutions/directive/")
    for column in ("meeting_link", "lead_unit", "due_on", "status_display"):
        right = page.locator(f"#result_list th.column-{column}").evaluate(
            "th => th.getBoundingClientRect().right"
        )
        assert right <= width, column


def log_in_as(page, live_server, role):
    from django.contrib.auth.models import Group
    from django.core.management import call_command

    from ..factories import UserFactory

    call_command("setup_roles", verbosity=0)
    user = UserFactory(username="lan", first_name="Lan", password="mat-khau-thu-nghiem")
    user.groups.set([Group.objects.get(name=role)])
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "lan")
    page.fill("#id_password", "mat-khau-thu-nghiem")
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")


def test_the_archivist_reaches_the_archive_from_the_index(page, live_server, seed_register):
    log_in_as(page, live_server, "Văn thư lưu trữ")
    tools = page.locator("#register-tools")
    assert tools.locator("a").all_inner_texts() == [
        "Báo cáo theo dõi thực hiện",
        "Nhiệm vụ được giao lại nhiều lần",
        "Tệp lưu trữ",
        "Gói nộp lưu",
    ]
    first_lists = page.locator("#content-main .app-resolutions th[scope=row] a")
    assert first_lists.all_inner_texts()[:3] == ["Hội nghị", "Nhiệm vụ", "Chỉ tiêu"]
    keep_for_readme(page, "laptop-index")
    tools.get_by_role("link", name="Tệp lưu trữ").click()
    assert page.locator("h1").inner_text() == "Tệp lưu trữ"
    page.go_back()
    page.locator("#register-tools").get_by_role("link", name="Gói nộp lưu").click()
    assert page.locator("h1").inner_text() == "Gói nộp lưu"


def test_a_clerk_entering_a_meeting_twice_is_led_to_the_one_there(page, live_server, seed_register):
    log_in_as(page, live_server, "Chuyên viên văn phòng")
    from ..helpers import SEED

    page.goto(f"{live_server.url}/admin/resolutions/meeting/add/")
    page.fill("#id_source_text", SEED.read_text(encoding="utf-8"))
    page.get_by_role("button", name="Điền từ văn bản").click()
    page.get_by_role("button", name="Lưu", exact=True).first.click()
    error = page.locator(".errornote + ul.errorlist, ul.errorlist.nonfield").first
    assert "Sổ đã có Hội nghị lần thứ 9" in error.inner_text()
    error.get_by_role("link", name="mở hội nghị này").click()
    page.wait_for_url(f"**/admin/resolutions/meeting/{seed_register.pk}/change/")


def test_a_viewer_reads_figures_as_written(page, live_server, seed_register):
    log_in_as(page, live_server, "Người xem")
    page.goto(f"{live_server.url}/admin/resolutions/indicator/?q=v%E1%BB%91n")
    cells = page.locator("#result_list td").all_inner_texts()
    assert "55,699" in cells and "50,14" in cells
    assert not [c for c in cells if c.endswith("000") and "," in c]
