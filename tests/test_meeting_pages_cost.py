"""A meeting's page and the meeting list cost the same number of queries however many rows a
meeting holds or the register counts (issue 13 item 9): one query per related table, not one
per row."""

import re
from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from resolutions.models import (
    Committee,
    Directive,
    Finding,
    Indicator,
    Meeting,
    Report,
    Topic,
    Unit,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def reference_data(db):
    call_command("loaddata", "topics", "committees", verbosity=0)


def meeting_with(rows: int, number: int) -> Meeting:
    """A meeting whose every row points to a topic (tasks also to tags and a lead unit), the
    topics differing from row to row."""
    committee = Committee.objects.get(name="Ban Chấp hành Đảng bộ Quận 2")
    meeting = Meeting.objects.create(
        committee=committee, term=3, number=number, started_on=date(2007, 10, 16)
    )
    topics = list(Topic.objects.order_by("pk"))
    units = [
        Unit.objects.get_or_create(committee=committee, name=f"Phòng số {i}")[0]
        for i in range(1, 6)
    ]
    for i in range(rows):
        topic = topics[i % len(topics)]
        Report.objects.create(meeting=meeting, position=i + 1, title=f"Báo cáo {i + 1}")
        Indicator.objects.create(
            meeting=meeting,
            position=i + 1,
            name=f"Chỉ tiêu {i}",
            value=i + 1,
            unit="ha",
            topic=topic,
        )
        Finding.objects.create(
            meeting=meeting, position=i + 1, kind="achievement", text=f"Kết quả {i}", topic=topic
        )
        directive = Directive.objects.create(
            meeting=meeting,
            section_order=1,
            position=i + 1,
            text=f"Nhiệm vụ thứ {i + 1}.",
            topic=topic,
            lead_unit=units[i % len(units)],
        )
        directive.tags.set([topics[(i + 1) % len(topics)], topics[(i + 2) % len(topics)]])
    return meeting


def queries_of(client, url) -> tuple[int, str]:
    client.get(url)  # sessions, content types and the like read once per process
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def selected(page: str, prefix: str, field: str) -> list[str]:
    """The labels a row's choice box shows as chosen."""
    box = re.search(rf'<select name="{prefix}-{field}"[^>]*>(.*?)</select>', page, re.S)
    return re.findall(r"<option[^>]*selected[^>]*>([^<]*)</option>", box.group(1))


def test_a_meeting_page_costs_as_many_queries_for_fifty_rows_as_for_one(admin_client):
    one = meeting_with(1, number=1)
    fifty = meeting_with(50, number=2)
    one_queries, _ = queries_of(
        admin_client, reverse("admin:resolutions_meeting_change", args=[one.pk])
    )
    fifty_queries, page = queries_of(
        admin_client, reverse("admin:resolutions_meeting_change", args=[fifty.pk])
    )
    assert fifty_queries == one_queries
    # Every row still shows its own choices.
    last = Directive.objects.get(meeting=fifty, position=50)
    index = 49
    assert selected(page, f"directives-{index}", "topic") == [last.topic.name]
    assert sorted(selected(page, f"directives-{index}", "tags")) == sorted(
        t.name for t in last.tags.all()
    )
    assert selected(page, f"directives-{index}", "lead_unit") == [str(last.lead_unit)]
    indicator = Indicator.objects.get(meeting=fifty, position=50)
    assert selected(page, f"indicators-{index}", "topic") == [indicator.topic.name]


def test_the_meeting_list_costs_the_same_for_one_meeting_or_thirty(admin_client):
    url = reverse("admin:resolutions_meeting_changelist")
    meeting_with(3, number=1)
    few, page = queries_of(admin_client, url)
    assert re.search(r'<td class="field-directive_total">3</td>', page)
    for number in range(2, 31):
        meeting_with(2, number=number)
    many, page = queries_of(admin_client, url)
    assert many == few
    assert len(re.findall(r'<td class="field-directive_total">2</td>', page)) == 29
    # Sorting by the count still sorts by it.
    ordered, page = queries_of(admin_client, url + "?o=-9")
    counts = re.findall(r'<td class="field-directive_total">(\d+)</td>', page)
    assert counts[0] == "3" and ordered == many
