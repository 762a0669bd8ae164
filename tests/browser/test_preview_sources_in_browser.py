"""The text previews show, beside each figure and each task, the line it was read from, and
mark a guessed value so that the clerk checks it first (issue 11 item 3), as a person sees
them in a browser. Screenshots are saved to test-artifacts/."""

from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)
# A news report of Châu Đức's conference: the new party members' figure is put together from
# the words around it, so it is a guessed value.
REPORT = Path(__file__).parents[1] / "documents" / "huyen_chau_duc_2023.txt"
ARTIFACTS = Path(__file__).parents[2] / "test-artifacts"
FIGURE_SOURCE = "dòng 7: “giá trị sản xuất nông nghiệp ước đạt 1.560”"
TASK_SOURCE = "dòng 9: “quan tâm phát triển con người, trước hết là công tác giảm nghèo”"


@pytest.fixture
def reference_data(db):
    call_command("loaddata", "topics", "committees", verbosity=0)


def test_the_import_preview_shows_each_figures_and_tasks_source_and_marks_guesses(
    logged_in_page, live_server, reference_data
):
    page = logged_in_page
    page.goto(f"{live_server.url}/admin/resolutions/meeting/import-text/")
    page.fill("textarea[name=text]", REPORT.read_text(encoding="utf-8"))
    page.get_by_role("button", name="Đọc văn bản").click()

    figures = page.locator("table.import-figures tbody tr")
    farming = figures.filter(has_text="giá trị sản xuất nông nghiệp")
    expect(farming.locator(".import-source")).to_have_text(FIGURE_SOURCE)
    expect(farming.locator(".evidence-exact")).to_have_attribute("title", FIGURE_SOURCE)
    task = page.locator("ol.import-directives li", has_text="quan tâm phát triển con người")
    expect(task.locator(".import-source")).to_have_text(TASK_SOURCE)
    # The guessed figure is marked, and listed first among the values to check.
    members = figures.filter(has_text="kết nạp đảng viên mới").locator(".evidence-guessed")
    expect(members).to_contain_text("dòng 7:")
    expect(members).to_contain_text("(đoán, cần kiểm tra trước)")
    unsure = page.locator(".import-unsure li").first
    expect(unsure).to_contain_text("kết nạp đảng viên mới")
    expect(unsure.locator(".evidence-guessed")).to_be_visible()
    # Drawn in red with a warning sign before it, unlike a value read as written.
    assert members.evaluate("e => getComputedStyle(e, '::before').content") == '"⚠ "'
    colour = members.evaluate("e => getComputedStyle(e).color")
    assert colour != farming.locator(".evidence-exact").evaluate("e => getComputedStyle(e).color")
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 1440, "height": 1000})
    figures.first.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "import-preview-sources.png"), full_page=True)


def test_fill_from_text_lists_each_rows_source_beside_the_form(
    logged_in_page, live_server, reference_data
):
    page = logged_in_page
    page.goto(f"{live_server.url}/admin/resolutions/meeting/add/")
    page.fill("#id_source_text", REPORT.read_text(encoding="utf-8"))
    page.get_by_role("button", name="Điền từ văn bản").click()

    sources = page.locator(".fill-sources tbody tr")
    expect(sources.filter(has_text="giá trị sản xuất nông nghiệp")).to_contain_text(FIGURE_SOURCE)
    expect(sources.filter(has_text="quan tâm phát triển con người")).to_contain_text(TASK_SOURCE)
    guessed = sources.filter(has_text="kết nạp đảng viên mới").locator(".evidence-guessed")
    expect(guessed).to_contain_text("(đoán, cần kiểm tra trước)")
    # The form below is filled from the same reading, nothing saved yet.
    expect(page.locator("#id_number")).to_have_value("14")
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 1440, "height": 1000})
    page.screenshot(path=str(ARTIFACTS / "fill-from-text-sources.png"), full_page=False)
