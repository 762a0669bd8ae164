"""What a search result and a directive's tags tell a clerk, as Chromium shows them at
1366×768: the words that matched marked (the phrase, not a stray "dẫn"), rows found through
their section's heading labelled, a corrected word named (PostgreSQL), and why each tag.

With README_SCREENSHOTS=<folder> set, the pages are saved there for the README.
"""

import re

import pytest
from django.core.management import call_command
from django.db import connection
from playwright.sync_api import expect

from resolutions.models import Directive
from resolutions.services.fixtures import import_seeds

from .test_readable_pages import keep_for_readme

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def register(db):
    call_command("loaddata", "topics", "committees", verbosity=0)
    import_seeds()


@pytest.fixture
def laptop(logged_in_page, register):
    logged_in_page.set_viewport_size({"width": 1366, "height": 768})
    return logged_in_page


def test_the_phrase_is_marked_and_heading_matches_are_labelled(laptop, live_server):
    page = laptop
    page.goto(f"{live_server.url}/admin/resolutions/directive/?q=van+dong+nhan+dan")
    rows = page.locator("#result_list tbody tr")
    # Section 4's seven, and 1.6 and 2.6 that hold the words apart ("cuộc vận động", "phục
    # vụ nhân dân").
    expect(rows).to_have_count(9)
    first = rows.first
    expect(first.locator(".field-text_display mark")).to_have_text(["vận", "động", "nhân", "dân"])
    expect(first.locator(".search-context")).to_have_count(0)
    # The six other directives of section 4 were found by its heading, and say so.
    labels = page.locator("#result_list .field-text_display .search-context")
    expect(labels).to_have_count(6)
    expect(labels.first).to_have_text("khớp tên mục")
    expect(labels.first).to_be_visible()
    heading_marks = rows.nth(1).locator("td.field-section_display mark")
    expect(heading_marks).to_have_text(["vận", "động", "nhân", "dân"])
    marked = page.locator("#result_list mark").all_inner_texts()
    assert "dẫn" not in marked
    keep_for_readme(page, "directive-search-marked")


def test_a_corrected_word_is_named_above_the_results(laptop, live_server):
    page = laptop
    page.goto(f"{live_server.url}/admin/resolutions/directive/?q=giai+phong+mat+bangg")
    notices = page.locator(".messagelist li")
    if connection.vendor == "postgresql":
        expect(notices.filter(has_text="Đã tìm")).to_have_text(
            re.compile(r"^Đã tìm “bang”.* thay cho “bangg”\.$")
        )
        expect(page.locator("#result_list tbody tr")).to_have_count(1)
        expect(page.locator("#result_list mark").filter(has_text="bằng")).to_be_visible()
        keep_for_readme(page, "directive-search-corrected")
    else:  # SQLite matches whole folded words only: nothing found, nothing corrected
        expect(page.locator("#result_list")).to_have_count(0)
        expect(notices.filter(has_text="Đã tìm")).to_have_count(0)


def test_the_directive_page_says_why_each_tag(laptop, live_server):
    page = laptop
    target = Directive.objects.get(section_order=4, position=3)
    page.goto(f"{live_server.url}/admin/resolutions/directive/{target.pk}/change/")
    reasons = page.locator(".field-tag_reasons")
    expect(reasons.locator("li")).to_have_text(
        [
            "Thanh niên — khớp từ khóa “Đoàn Thanh niên”",
            "Dân vận — khớp từ khóa “vận động quần chúng”",
        ],
        ignore_case=False,
    )
    reasons.scroll_into_view_if_needed()
    expect(reasons).to_be_visible()
    keep_for_readme(page, "directive-tag-reasons")
