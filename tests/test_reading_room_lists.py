"""The reading room's filter lists (committees and years with a public conclusion, topics) are
read once a minute per process, not on every page: on a large register they cost more than the
page itself (issue 17's load). What is published is listed and readable at once."""

import time
from datetime import date
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from resolutions.models import Committee
from resolutions.reading.views import CHOICES_SECONDS, PAGE_SIZE

from .factories import MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_lists():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def district(db):
    return Committee.objects.create(
        name="Ban Chấp hành Đảng bộ Quận 2", short_name="Quận ủy Quận 2", level="district"
    )


def publish(committee, number, year=2008):
    return MeetingFactory(
        committee=committee,
        number=number,
        is_public=True,
        started_on=date(year, 1 + number % 12, 1),
        title=f"Kết luận Hội nghị lần thứ {number}",
    )


def test_the_lists_are_read_once_and_the_page_each_time(client, district):
    for n in range(3):
        publish(district, n + 1)
    with CaptureQueriesContext(connection) as first:
        assert client.get("/").status_code == 200
    with CaptureQueriesContext(connection) as again:
        response = client.get("/")
    assert district.name in response.content.decode()
    assert len(first.captured_queries) > len(again.captured_queries)
    # Only the page of conclusions: its count comes from the years' list.
    assert len(again.captured_queries) == 1


def test_a_new_conclusion_is_listed_at_once_and_its_committee_offered_within_a_minute(
    client, district
):
    publish(district, 1)
    client.get("/")
    other = Committee.objects.create(name="Ban Chấp hành Đảng bộ Quận 9", short_name="Quận 9")
    new = publish(other, 4, year=2009)
    page = client.get("/").content.decode()
    assert new.title in page  # listed at once
    assert '<option value="2009"' not in page  # the lists as they were a moment ago
    later = time.time() + CHOICES_SECONDS + 1
    with mock.patch("django.core.cache.backends.locmem.time.time", return_value=later):
        page = client.get("/").content.decode()
    assert f'<option value="{other.pk}">{other.name}</option>' in page
    assert '<option value="2009">2009 (1)</option>' in page


def test_the_pages_of_every_public_conclusion_count_them_all(client, district):
    for n in range(PAGE_SIZE + 5):
        publish(district, n + 1)
    MeetingFactory(committee=district, number=99, is_public=False, title="Chưa công khai")
    first = client.get("/").content.decode()
    assert "Trang 1/2" in first
    last = client.get("/", {"trang": 2}).content.decode()
    assert last.count('<a href="/ket-luan/') == 5
    assert "Chưa công khai" not in first + last


def test_the_chosen_committee_stays_chosen_and_names_are_escaped(client, district):
    other = Committee.objects.create(name="Đảng ủy <Khối> & “Cơ quan”", short_name="Khối")
    publish(district, 1)
    publish(other, 2)
    page = client.get("/", {"cap_uy": other.pk}).content.decode()
    escaped = "Đảng ủy &lt;Khối&gt; &amp; “Cơ quan”"
    assert f'<option value="{other.pk}" selected>{escaped}</option>' in page
    assert f'<option value="{district.pk}">{district.name}</option>' in page
    assert page.count(" selected>") == 1


def test_an_unknown_topic_lists_nothing_and_counts_nothing(client, district):
    for n in range(PAGE_SIZE + 5):
        publish(district, n + 1)
    page = client.get("/", {"linh_vuc": "khong-co"})
    assert page.status_code == 400
    text = page.content.decode()
    assert "Không có lĩnh vực này." in text
    assert "Chưa có kết luận công khai nào phù hợp." in text and "Trang 1/" not in text
