"""Indicator series: each meeting's figure matched to its committee's series with the reason
shown, never silently where two fit; a clerk confirms, changes or splits; the series page shows
values by comparable period with a chart; the export carries a native chart (issue 15)."""

import zipfile
from datetime import date
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook
from reversion.models import Version

from resolutions.models import Indicator, IndicatorSeries, Meeting, SeriesMatch
from resolutions.series import periods
from resolutions.series.matching import match_meeting
from resolutions.services.conclusions import import_path
from resolutions.services.fixtures import import_seeds

from .factories import IndicatorFactory
from .helpers import meeting_of

pytestmark = pytest.mark.django_db

SECOND_MEETING = Path(__file__).parent / "series_documents" / "quan2_hoi_nghi_15_2008.txt"


@pytest.fixture
def two_years(district2):
    first = meeting_of(district2, 9, date(2007, 10, 16), "9 tháng năm 2007")
    second = meeting_of(district2, 15, date(2008, 10, 15), "9 tháng năm 2008")
    IndicatorFactory(
        meeting=first, name="Thu ngân sách trên địa bàn", value=Decimal("500"), unit="tỷ đồng"
    )
    IndicatorFactory(
        meeting=second,
        name="Thu ngân sách  trên địa bàn",
        value=Decimal("600"),
        unit="tỉ đồng",
        plan_pct=Decimal("75"),
    )
    match_meeting(first)
    match_meeting(second)
    return first, second


def test_periods_compare_only_the_same_span():
    assert periods.parse("9 tháng năm 2007") == periods.Period(2007, "9 tháng")
    assert periods.parse("quý IV/2007") == periods.Period(2007, "quý IV")
    assert periods.parse("năm 2008").span == "cả năm"
    assert periods.parse("6 tháng đầu năm 2008") == periods.Period(2008, "6 tháng")
    assert periods.parse("9 tháng năm 2007").span != periods.parse("quý III/2007").span


def test_the_same_figure_in_two_meetings_is_one_series_with_its_reason(two_years):
    first, second = two_years
    series = IndicatorSeries.objects.get()
    assert (series.name, series.unit) == ("Thu ngân sách trên địa bàn", "tỷ đồng")
    opened = SeriesMatch.objects.get(indicator__meeting=first)
    joined = SeriesMatch.objects.get(indicator__meeting=second)
    assert opened.reason == "chỉ tiêu theo dõi mới, lập từ chỉ tiêu này"
    # "tỉ" and "tỷ" are one unit; a doubled space is not another name.
    assert joined.series == series
    assert joined.reason == "trùng tên “Thu ngân sách trên địa bàn”, cùng đơn vị “tỷ đồng”"
    assert joined.state == SeriesMatch.State.SUGGESTED


def test_another_name_a_clerk_added_matches(district2):
    series = IndicatorSeries.objects.create(
        committee=district2,
        name="Thu ngân sách",
        unit="tỷ đồng",
        synonyms="Tổng thu ngân sách nhà nước\n",
    )
    indicator = IndicatorFactory(
        meeting=meeting_of(district2, 3, date(2009, 1, 10), "năm 2008"),
        name="tổng thu ngân sách Nhà nước",
        unit="tỷ đồng",
    )
    (match,) = match_meeting(indicator.meeting)
    assert match.series == series
    assert match.reason.startswith("trùng tên gọi khác “Tổng thu ngân sách nhà nước”")


def test_two_series_that_fit_equally_are_left_for_the_clerk(district2):
    for name in ("vốn đầu tư ngân sách", "vốn đầu tư ngoài ngân sách"):
        IndicatorSeries.objects.create(committee=district2, name=name, unit="tỷ đồng")
    indicator = IndicatorFactory(
        meeting=meeting_of(district2, 4, date(2009, 4, 10), "quý I/2009"),
        name="Vốn đầu tư",
        unit="tỷ đồng",
    )
    (match,) = match_meeting(indicator.meeting)
    assert match.series is None
    assert match.state == SeriesMatch.State.AMBIGUOUS
    assert match.reason.startswith("2 chỉ tiêu cùng khớp:")
    assert IndicatorSeries.objects.count() == 2  # no third series made behind the clerk's back


def test_a_different_unit_is_another_series(two_years, district2):
    indicator = IndicatorFactory(
        meeting=meeting_of(district2, 16, date(2009, 1, 12), "năm 2008"),
        name="Thu ngân sách trên địa bàn",
        value=None,
        plan_pct=None,
        change_pct=Decimal("12"),
        unit="%",
    )
    (match,) = match_meeting(indicator.meeting)
    assert match.series.unit == "%"
    assert IndicatorSeries.objects.count() == 2


def test_the_series_page_shows_values_change_and_a_chart(two_years, clerk_client):
    series = IndicatorSeries.objects.get()
    page = clerk_client.get(reverse("admin:resolutions_indicatorseries_change", args=[series.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    table = html[html.index('id="series-table"') :]
    assert "9 tháng năm 2007" in table and "9 tháng năm 2008" in table
    assert '<td class="number">600</td>' in table
    assert "20 (tính từ số liệu)" in table  # 600 against 500 a year before
    assert '<td class="number">75</td>' in table  # % of plan
    start = html.index('<svg class="series-chart"')
    chart = html[start : html.index("</svg>", start)]
    assert "9 tháng năm 2008: 600 tỷ đồng" in chart
    assert chart.count('<rect class="result"') == 2


def test_the_meeting_page_shows_the_last_values_of_each_figure(two_years, clerk_client):
    _, second = two_years
    page = clerk_client.get(reverse("admin:resolutions_meeting_change", args=[second.pk]))
    html = page.content.decode()
    block = html[html.index('id="series-last-values"') :]
    assert "9 tháng năm 2007: 500 tỷ đồng; 9 tháng năm 2008: 600 tỉ đồng" in block


def test_the_export_has_the_numbers_and_a_native_chart(two_years, clerk_client):
    series = IndicatorSeries.objects.get()
    response = clerk_client.get(reverse("admin:resolutions_indicatorseries_xlsx", args=[series.pk]))
    data = b"".join(response.streaming_content)
    sheet = load_workbook(BytesIO(data))["9 tháng"]
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert [(r[0], r[2]) for r in rows] == [("9 tháng năm 2007", 500), ("9 tháng năm 2008", 600)]
    with zipfile.ZipFile(BytesIO(data)) as book:
        chart = book.read("xl/charts/chart1.xml").decode()
    assert "lineChart" in chart and "'9 tháng'!$C$3:$C$4" in chart


def test_a_clerk_changes_a_match_and_the_change_is_audited(two_years, clerk_client, clerk):
    _, second = two_years
    other = IndicatorSeries.objects.create(
        committee=second.committee, name="Thu nội địa", unit="tỷ đồng"
    )
    match = SeriesMatch.objects.get(indicator__meeting=second)
    response = clerk_client.post(
        reverse("admin:resolutions_seriesmatch_change", args=[match.pk]),
        {"series": other.pk, "state": SeriesMatch.State.SUGGESTED},
    )
    assert response.status_code == 302
    match.refresh_from_db()
    assert (match.series, match.state, match.confirmed_by) == (
        other,
        SeriesMatch.State.CONFIRMED,
        clerk,
    )
    assert match.reason == "người dùng chọn"
    version = Version.objects.get_for_object(match).first()
    assert version.revision.user == clerk


def test_confirm_and_split_actions(two_years, clerk_client):
    _, second = two_years
    matches = SeriesMatch.objects.order_by("indicator__meeting__started_on")
    url = reverse("admin:resolutions_seriesmatch_changelist")
    clerk_client.post(
        url, {"action": "confirm", "_selected_action": [m.pk for m in matches]}, follow=True
    )
    assert set(SeriesMatch.objects.values_list("state", flat=True)) == {"confirmed"}
    Indicator.objects.filter(meeting=second).update(name="Thu ngân sách khu công nghiệp")
    response = clerk_client.post(
        url, {"action": "split", "_selected_action": [matches[1].pk]}, follow=True
    )
    assert "Đã tách 1 chỉ tiêu" in response.content.decode()
    assert SeriesMatch.objects.get(indicator__meeting=second).series.name == (
        "Thu ngân sách khu công nghiệp"
    )


@pytest.mark.django_db(transaction=True)
def test_the_seed_and_a_second_meeting_make_a_two_point_series():
    call_command("loaddata", "topics", "committees", verbosity=0)
    import_seeds()
    import_path(SECOND_MEETING)
    series = IndicatorSeries.objects.get(name="Tổng vốn đầu tư xây dựng cơ bản thực hiện")
    values = list(
        series.matches.order_by("indicator__meeting__started_on").values_list(
            "indicator__value", flat=True
        )
    )
    assert values == [Decimal("55.699"), Decimal("72.4")]
    # Every figure of both meetings has a series, and a re-import makes none again.
    assert not Indicator.objects.filter(series_match__isnull=True).exists()
    before = IndicatorSeries.objects.count()
    import_path(SECOND_MEETING)
    assert IndicatorSeries.objects.count() == before
    assert Meeting.objects.count() == 2


def test_the_series_page_costs_the_same_queries_however_many_points(
    two_years, clerk_client, district2, django_assert_max_num_queries
):
    series = IndicatorSeries.objects.get()
    url = reverse("admin:resolutions_indicatorseries_change", args=[series.pk])
    with django_assert_max_num_queries(30) as few:
        clerk_client.get(url)
    for year in range(2009, 2019):
        meeting = meeting_of(district2, year, date(year, 10, 10), f"9 tháng năm {year}")
        IndicatorFactory(meeting=meeting, name="Thu ngân sách trên địa bàn", unit="tỷ đồng")
        match_meeting(meeting)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = clerk_client.get(url)
    assert page.content.decode().count("9 tháng năm 20") >= 12


def test_the_series_page_links_to_its_matches_for_confirming(two_years, clerk_client):
    series = IndicatorSeries.objects.get()
    html = clerk_client.get(
        reverse("admin:resolutions_indicatorseries_change", args=[series.pk])
    ).content.decode()
    link = html.split('id="series-matches" href="')[1].split('"')[0].replace("&amp;", "&")
    listed = clerk_client.get(link)
    assert listed.status_code == 200
    assert "2 ghép chỉ tiêu vào chuỗi" in listed.content.decode()
