"""A series' chart and a directive with its repeats, as Chromium shows them at 1366×768: the
seed and a second meeting of District 2 a year later (issue 15).

With README_SCREENSHOTS=<folder> set, the pages are saved there for the README.
"""

from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from resolutions.models import Directive, IndicatorSeries
from resolutions.services.conclusions import import_path
from resolutions.services.fixtures import import_seeds

from .test_readable_pages import keep_for_readme

pytestmark = pytest.mark.django_db(transaction=True)

SECOND_MEETING = Path(__file__).parents[1] / "series_documents" / "quan2_hoi_nghi_15_2008.txt"


@pytest.fixture
def two_meetings(db):
    call_command("loaddata", "topics", "committees", verbosity=0)
    import_seeds()
    import_path(SECOND_MEETING)


@pytest.fixture
def laptop(logged_in_page, two_meetings):
    logged_in_page.set_viewport_size({"width": 1366, "height": 768})
    return logged_in_page


def test_a_series_chart_shows_both_years(laptop, live_server):
    page = laptop
    series = IndicatorSeries.objects.get(name="Tổng vốn đầu tư xây dựng cơ bản thực hiện")
    page.goto(f"{live_server.url}/admin/resolutions/indicatorseries/{series.pk}/change/")
    chart = page.locator("svg.series-chart")
    expect(chart).to_have_count(1)
    expect(chart.locator("rect.result")).to_have_count(2)
    expect(chart.locator("text.value")).to_have_text(["55,699", "72,4"])
    box = chart.bounding_box()
    assert box["width"] > 400 and box["height"] > 150  # drawn, not collapsed
    rows = page.locator("#series-table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(1)).to_contain_text("9 tháng năm 2008")
    expect(rows.nth(1)).to_contain_text("29,98 (tính từ số liệu)")
    page.locator("#series-figures").scroll_into_view_if_needed()
    keep_for_readme(page, "series-chart")


def test_a_directive_shows_the_conclusions_that_gave_it_before(laptop, live_server):
    page = laptop
    directive = Directive.objects.get(
        meeting__number=15, text__startswith="Tập trung đẩy nhanh công tác bồi thường"
    )
    page.goto(f"{live_server.url}/admin/resolutions/directive/{directive.pk}/change/")
    block = page.locator("#directive-repeats")
    expect(block.locator("h2")).to_have_text("Đã giao trong 1 kết luận trước")
    expect(block.locator("tbody tr")).to_have_count(1)
    expect(block.locator("tbody tr")).to_contain_text("Hội nghị lần thứ 9")
    expect(block.locator(".status")).to_have_text("Quá hạn chưa hoàn thành")
    block.scroll_into_view_if_needed()
    keep_for_readme(page, "directive-repeats")
