"""The register's tool pages in Chromium at 1366 x 768 (issue 12, items 15-18 and the file
inputs of item 6): what the browser paints and what the keyboard reaches.

With README_SCREENSHOTS=<folder> set, the pages are saved there
(`README_SCREENSHOTS=tests/browser/screenshots .venv/bin/python -m pytest tests/browser`).
"""

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from resolutions.models import Directive, Meeting

from ..factories import CommitteeFactory, DirectiveFactory, IndicatorFactory, MeetingFactory
from ..helpers import SEED
from .test_readable_pages import EFFECTIVE_COLOURS, contrast, keep_for_readme

pytestmark = pytest.mark.django_db(transaction=True)
LAPTOP = {"width": 1366, "height": 768}
NO_SIDEWAYS_SCROLL = (
    "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1"
)


@pytest.fixture
def laptop(logged_in_page):
    logged_in_page.set_viewport_size(LAPTOP)
    return logged_in_page


def visible_text(page) -> str:
    return page.locator("body").inner_text()


def test_a_file_is_chosen_with_a_vietnamese_keyboard_reachable_control(laptop, live_server):
    page = laptop
    page.goto(f"{live_server.url}/admin/resolutions/meeting/import-text/")
    button = page.locator("label.file-picker-button")
    expect(button).to_have_text("Chọn tệp…")
    expect(page.locator(".file-picker-name")).to_have_text("Chưa chọn tệp nào")
    # The browser's own control ("Choose File", "No file chosen") is not painted.
    assert page.locator("#id_document").evaluate("e => getComputedStyle(e).opacity") == "0"
    assert "Choose" not in visible_text(page) and "No file" not in visible_text(page)

    # The keyboard reaches the input, and the button shows where the focus is.
    page.locator("#id_document").evaluate("e => e.blur()")
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "id_document":
            break
    assert page.evaluate("document.activeElement.id") == "id_document"
    expect(button).to_have_css("outline-style", "solid")
    with page.expect_file_chooser() as chooser:
        page.locator("#id_document").press("Space")
    chooser.value.set_files(
        files=[{"name": "ket-luan.txt", "mimeType": "text/plain", "buffer": SEED.read_bytes()}]
    )
    expect(page.locator(".file-picker-name")).to_have_text("ket-luan.txt")
    keep_for_readme(page, "import-text-file-chosen")


@pytest.fixture
def quan2_indicators(db):
    committee = CommitteeFactory(name="Ban Chấp hành Đảng bộ Quận 2")
    meeting = MeetingFactory(committee=committee, term=3, number=9)
    IndicatorFactory(meeting=meeting, position=1, name="Vốn đầu tư", value=Decimal("10"))
    IndicatorFactory(meeting=meeting, position=2, name="Bồi thường", value=Decimal("970"))
    return meeting


@pytest.mark.parametrize("theme", ["light", "dark", "dark-by-toggle"])
def test_the_spreadsheet_preview_marks_each_change_readably(
    laptop, live_server, quan2_indicators, theme
):
    page = laptop
    page.emulate_media(color_scheme="light" if theme == "light" else "dark")
    page.goto(f"{live_server.url}/admin/resolutions/indicator/import/")
    expect(page.locator("p.required-columns")).to_contain_text(
        "Cấp ủy, Khóa, Hội nghị lần thứ, Thứ tự, Tên chỉ tiêu"
    )
    csv = (
        "Cấp ủy,Khóa,Hội nghị lần thứ,Thứ tự,Tên chỉ tiêu,Giá trị,Đơn vị tính\n"
        'Ban Chấp hành Đảng bộ Quận 2,III,9,1,Vốn đầu tư,"12,5",tỷ đồng\n'
        "Ban Chấp hành Đảng bộ Quận 2,III,9,2,Bồi thường,970,tỷ đồng\n"
        "Ban Chấp hành Đảng bộ Quận 2,III,9,3,Số hộ được hỗ trợ,800,hộ\n"
    )
    page.set_input_files(
        "#id_import_file",
        files=[{"name": "chi-tieu.csv", "mimeType": "text/csv", "buffer": csv.encode()}],
    )
    expect(page.locator(".file-picker-name")).to_have_text("chi-tieu.csv")
    page.select_option("#id_format", "0")
    page.click("input[type=submit]")
    # The preview is loaded before the theme is switched on it (under load, the script could
    # run while the page was still being replaced).
    expect(page.locator("table.register-preview")).to_be_visible()

    if theme == "dark-by-toggle":
        page.emulate_media(color_scheme="light")
        page.evaluate("document.documentElement.dataset.theme = 'dark'")
    changed = page.locator("table.register-preview td.import-changed")
    expect(changed).to_have_count(1)
    expect(changed).to_have_text("10 → 12,5")
    unchanged = page.locator("table.register-preview tr.skip td")
    assert "Bồi thường" in unchanged.all_inner_texts() and "970" in unchanged.all_inner_texts()

    # Marked: its own background, and every text on the preview readable (WCAG AA).
    _, fg, bg = changed.evaluate(EFFECTIVE_COLOURS)
    plain = page.locator("table.register-preview tr.skip td").nth(4).evaluate(EFFECTIVE_COLOURS)
    assert bg != plain[2]
    assert contrast(fg, bg) >= 4.5
    for cell in page.locator("table.register-preview td, table.register-preview td span").all():
        _, fg, bg = cell.evaluate(EFFECTIVE_COLOURS)
        assert contrast(fg, bg) >= 4.5, cell.inner_text()
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    if theme == "light":
        keep_for_readme(page, "import-preview")


def test_the_text_preview_shows_every_figure_and_each_warning_on_its_line(laptop, live_server, db):
    call_command("loaddata", "topics", "committees", verbosity=0)
    page = laptop
    page.goto(f"{live_server.url}/admin/resolutions/meeting/import-text/")
    page.fill("#id_text", SEED.read_text(encoding="utf-8"))
    page.click("input[name=preview]")
    figures = page.locator("table.import-figures tbody tr")
    expect(figures).to_have_count(6)
    row = figures.filter(has_text="Tổng vốn đầu tư xây dựng cơ bản thực hiện")
    assert row.locator("td").all_inner_texts()[1:5] == ["55,699", "tỷ đồng", "—", "50,14%"]
    warnings = page.locator(".import-warnings li")
    expect(warnings).to_have_count(4)
    tops = [w.bounding_box()["y"] for w in warnings.all()]
    assert tops == sorted(set(tops))  # one a line, each below the last
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    page.locator("table.import-figures").scroll_into_view_if_needed()
    keep_for_readme(page, "import-text-figures")

    page.click("input[name=confirm]")
    listed = page.locator("ul.messagelist ul.import-warning-list li")
    expect(listed).to_have_count(4)
    tops = [w.bounding_box()["y"] for w in listed.all()]
    assert tops == sorted(set(tops))


def test_all_open_directives_are_carried_with_one_button(laptop, live_server, db):
    committee = CommitteeFactory()
    earlier = MeetingFactory(committee=committee, number=8, started_on=date(2020, 1, 10))
    meeting = MeetingFactory(committee=committee, number=9, started_on=date(2020, 4, 10))
    DirectiveFactory(meeting=earlier, position=1, section_order=3, section_number="III")
    DirectiveFactory(meeting=earlier, position=2, text="Việc thứ hai còn mở.")
    page = laptop
    page.goto(f"{live_server.url}/admin/resolutions/meeting/{meeting.pk}/change/#open-directives")
    expect(page.locator(".carry-forward-table tbody tr td:first-child")).to_have_text(
        ["1", "3 (III)"]
    )
    page.get_by_role("button", name="Chuyển tất cả sang hội nghị này (2 nhiệm vụ)").click()
    expect(page.locator("ul.messagelist li.success")).to_have_text(
        "Đã chuyển 2 nhiệm vụ chưa hoàn thành sang hội nghị này."
    )
    assert Directive.objects.filter(meeting=meeting, carried_from__isnull=False).count() == 2

    page.goto(f"{live_server.url}/admin/resolutions/directive/?o=2")
    expect(page.locator("td.field-section_display").first).to_have_text("1. Kinh tế")
    expect(page.locator("td.field-section_display").last).to_have_text("3 (III). Kinh tế")


def test_the_follow_up_dates_are_picked_from_the_admins_calendar(laptop, live_server, db):
    MeetingFactory()
    page = laptop
    page.goto(f"{live_server.url}/admin/resolutions/directive/follow-up/")
    page.locator(".field-start .date-icon").click()
    calendar = page.locator(".calendarbox").first
    expect(calendar).to_be_visible()
    keep_for_readme(page, "follow-up-date-picker")
    calendar.get_by_text("Hôm nay").click()
    today = timezone.localdate().strftime("%d/%m/%Y")
    expect(page.locator("#id_start")).to_have_value(today)
    page.locator(".field-end .datetimeshortcuts a").first.click()  # "Hôm nay" beside the box
    expect(page.locator("#id_end")).to_have_value(today)
    page.click("input[type=submit][value='Xem báo cáo']")
    expect(page.locator("#by-status")).to_be_visible()
    assert page.evaluate(NO_SIDEWAYS_SCROLL)


def test_the_archive_page_and_the_icon(laptop, live_server, db):
    page = laptop
    page.goto(f"{live_server.url}/admin/resolutions/meeting/archive/")
    sheets = page.locator("table.archive-contents tbody th").all_inner_texts()
    assert sheets[0] == "Thông tin tệp" and "Tiến độ" in sheets and "Đơn vị" in sheets
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    keep_for_readme(page, "archive-page")
    icon = page.evaluate(
        """async () => {
            const href = document.querySelector("link[rel=icon]").href;
            const response = await fetch(href);
            return [response.status, response.headers.get("content-type")];
        }"""
    )
    assert icon[0] == 200 and icon[1].startswith("image/svg+xml")
    assert Meeting.objects.count() == 0
