"""Indicator series through the read API: each series with its figures by period (value,
target, % of plan, change against the same period a year before) as its admin page shows them,
scoped to the token's committees, paged by cursor, and polled with 304s (issue 17)."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from resolutions.api.tokens import ApiToken
from resolutions.models import Committee, Indicator, IndicatorSeries, Meeting, SeriesMatch
from resolutions.series.matching import match_meeting
from resolutions.series.resources import SeriesMatchResource
from resolutions.spreadsheets.archive import export_table, import_table

from .factories import IndicatorFactory
from .helpers import meeting_of
from .query_counting import register_queries

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_counts():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def two_years(district2):
    first = meeting_of(district2, 9, date(2007, 10, 16), "9 tháng năm 2007")
    second = meeting_of(district2, 15, date(2008, 10, 15), "9 tháng năm 2008")
    IndicatorFactory(
        meeting=first, name="Thu ngân sách trên địa bàn", value=Decimal("500"), unit="tỷ đồng"
    )
    IndicatorFactory(
        meeting=second,
        name="Thu ngân sách trên địa bàn",
        value=Decimal("600"),
        unit="tỷ đồng",
        plan_pct=Decimal("75"),
        change_pct=Decimal("19.5"),
    )
    # The target the first meeting set for the next nine months.
    IndicatorFactory(
        meeting=first,
        name="Thu ngân sách trên địa bàn",
        value=Decimal("800"),
        unit="tỷ đồng",
        is_target=True,
        period="9 tháng năm 2008",
        position=2,
    )
    match_meeting(first)
    match_meeting(second)
    return first, second


def token_client(committee, rate=1000):
    token = ApiToken(name="Cổng theo dõi", committee=committee, rate_per_minute=rate)
    key = token.issue_key()
    token.save()
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def detail_url(series):
    return reverse("api:series-detail", args=[series.pk])


def test_a_series_gives_its_figures_by_period_as_its_admin_page(two_years, district2):
    series = IndicatorSeries.objects.get()
    body = token_client(district2).get(detail_url(series)).json()
    assert (body["name"], body["unit"], body["committee"]) == (
        "Thu ngân sách trên địa bàn",
        "tỷ đồng",
        district2.pk,
    )
    first, second = body["points"]
    assert (first["period"], first["year"], first["span"]) == ("9 tháng năm 2007", 2007, "9 tháng")
    assert Decimal(first["value"]) == 500 and first["change"] is None
    assert first["meeting"] == two_years[0].pk
    assert second["period"] == "9 tháng năm 2008"
    assert second["meeting"] == two_years[1].pk
    assert Decimal(second["value"]) == 600
    assert Decimal(second["target"]) == 800  # set by the meeting before
    assert second["met"] is False
    assert Decimal(second["plan_pct"]) == 75
    assert Decimal(second["change"]) == 20  # 600 against 500 a year before, computed
    assert Decimal(second["stated_change"]) == Decimal("19.5")  # as the conclusion wrote it
    assert second["confirmed"] is False  # suggested, not yet confirmed by a clerk


def test_the_list_names_each_series_without_its_points_and_pages_by_cursor(district2):
    for n in range(5):
        IndicatorSeries.objects.create(committee=district2, name=f"Chỉ tiêu {n}", synonyms="a\nb")
    client = token_client(district2)
    seen, url = [], reverse("api:series-list") + "?page_size=2"
    while url:
        body = client.get(url).json()
        assert all("points" not in row for row in body["results"])
        seen += [row["id"] for row in body["results"]]
        url = body["next"]
    assert seen == sorted(IndicatorSeries.objects.values_list("pk", flat=True), reverse=True)
    assert client.get(reverse("api:series-list")).json()["results"][0]["synonyms"] == ["a", "b"]


def test_a_token_reads_the_series_of_its_committees_only(two_years, district2):
    other = Committee.objects.create(name="Ban Chấp hành Đảng bộ Quận 9", short_name="Quận 9")
    theirs = IndicatorSeries.objects.create(committee=other, name="Thu ngân sách", unit="tỷ đồng")
    ours = IndicatorSeries.objects.get(committee=district2)
    client = token_client(other)
    assert [row["id"] for row in client.get(reverse("api:series-list")).json()["results"]] == [
        theirs.pk
    ]
    assert client.get(detail_url(ours)).status_code == 404
    assert client.get(reverse("api:series-list"), {"committee": district2.pk}).json() == {
        "next": None,
        "previous": None,
        "results": [],
    }


def test_a_polling_system_gets_304_until_a_figure_or_a_clerks_decision_changes(
    two_years, district2, clerk_client
):
    series = IndicatorSeries.objects.get()
    client = token_client(district2)
    first = client.get(detail_url(series))
    etag, modified = first["ETag"], first["Last-Modified"]
    assert "private" in first["Cache-Control"]
    assert client.get(detail_url(series), HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(detail_url(series), HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    # A clerk confirms the matches: the points say so, and the series is newer.
    chosen = list(SeriesMatch.objects.values_list("pk", flat=True))
    clerk_client.post(
        reverse("admin:resolutions_seriesmatch_changelist"),
        {"action": "confirm", "_selected_action": chosen},
    )
    again = client.get(detail_url(series), HTTP_IF_MODIFIED_SINCE="Mon, 01 Jan 2001 00:00:00 GMT")
    assert all(point["confirmed"] for point in again.json()["points"])
    later = client.get(detail_url(series), HTTP_IF_NONE_MATCH=etag)
    assert later.status_code == 200 and later["ETag"] != etag
    assert IndicatorSeries.objects.get().updated_at > series.updated_at


def test_a_match_moved_to_another_series_marks_both_changed(two_years, district2):
    series = IndicatorSeries.objects.get()
    other = IndicatorSeries.objects.create(committee=district2, name="Thu nội địa")
    before = (series.updated_at, other.updated_at)
    match = SeriesMatch.objects.filter(series=series).first()
    match.series = other
    match.save()
    series.refresh_from_db()
    other.refresh_from_db()
    assert series.updated_at > before[0] and other.updated_at > before[1]


def test_matches_written_by_a_spreadsheet_give_both_series_a_new_last_modified(
    two_years, district2
):
    """A match moved by a table (the archive's "Ghép chỉ tiêu" sheet) changes the figures of
    the series it leaves and of the one it joins, though no indicator or meeting changed: a
    system polling either with If-Modified-Since gets the new figures, not a 304."""
    series = IndicatorSeries.objects.get()
    other = IndicatorSeries.objects.create(committee=district2, name="Thu nội địa", unit="tỷ đồng")
    long_ago = datetime(2020, 1, 1, tzinfo=UTC)
    for model in (IndicatorSeries, Indicator, Meeting):
        model.objects.update(updated_at=long_ago)
    client = token_client(district2)
    seen = {s.pk: client.get(detail_url(s))["Last-Modified"] for s in (series, other)}
    data = export_table(SeriesMatchResource, file_format="csv").decode("utf-8")
    first, *rest = data.splitlines()
    moved = "\n".join(
        [first, rest[0].replace("Thu ngân sách trên địa bàn", "Thu nội địa"), *rest[1:]]
    )
    import_table(SeriesMatchResource, moved.encode("utf-8"), "csv", name="ghep.csv")
    assert SeriesMatch.objects.filter(series=other).count() == 1
    for each in (series, other):
        again = client.get(detail_url(each), HTTP_IF_MODIFIED_SINCE=seen[each.pk])
        assert again.status_code == 200, each
    # The same file again changes nothing, and says so to a polling system.
    latest = client.get(detail_url(other))["Last-Modified"]
    import_table(SeriesMatchResource, moved.encode("utf-8"), "csv", name="ghep.csv")
    assert client.get(detail_url(other), HTTP_IF_MODIFIED_SINCE=latest).status_code == 304


def test_a_series_costs_the_same_queries_however_many_points(two_years, district2):
    series = IndicatorSeries.objects.get()
    client = token_client(district2)
    client.get(detail_url(series))  # the token's last use and committees, once
    with CaptureQueriesContext(connection) as few:
        client.get(detail_url(series))
    # The token, the series, its matches with their indicators and meetings.
    assert len(register_queries(few.captured_queries)) == 3
    for year in range(2009, 2019):
        meeting = meeting_of(district2, year, date(year, 10, 10), f"9 tháng năm {year}")
        IndicatorFactory(meeting=meeting, name="Thu ngân sách trên địa bàn", unit="tỷ đồng")
        match_meeting(meeting)
    with CaptureQueriesContext(connection) as many:
        body = client.get(detail_url(series)).json()
    assert len(register_queries(many.captured_queries)) == 3
    assert len(body["points"]) == 12


def test_the_schema_describes_the_points(client):
    schema = client.get(reverse("api:schema"), {"format": "json"}).json()
    detail = schema["paths"]["/api/v1/series/{id}/"]["get"]
    ref = detail["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    component = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
    points = component["properties"]["points"]
    point_ref = points["items"]["$ref"].rsplit("/", 1)[1]
    fields = set(schema["components"]["schemas"][point_ref]["properties"])
    assert {"period", "value", "target", "plan_pct", "change", "stated_change"} <= fields
    listed = schema["paths"]["/api/v1/series/"]["get"]
    assert "committee" in {p["name"] for p in listed["parameters"]}


@pytest.mark.parametrize("value", ["99999999999999999999999", "abc", "-1", "１２"])
def test_a_committee_id_out_of_range_is_refused_with_words_not_an_error(district2, value):
    response = token_client(district2).get(reverse("api:series-list"), {"committee": value})
    assert response.status_code == 400
    assert response.json() == {"committee": ["Mã cấp ủy phải là một số."]}
