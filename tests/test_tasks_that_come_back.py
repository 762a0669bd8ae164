"""Tasks that come back: a directive's page lists the committee's earlier directives that say
nearly the same, with how each stands; a report lists the tasks given three times or more. The
same answers on SQLite (the measure computed in Python) and PostgreSQL (pg_trgm) (issue 15)."""

from datetime import date

import pytest
from django.db import connection
from django.urls import reverse
from reversion.models import Version

from resolutions.models import Meeting
from resolutions.series import repeats
from resolutions.series.matching import match_meeting

from .factories import CommitteeFactory, DirectiveFactory, MeetingFactory
from .helpers import CLEARANCE, CLEARANCE_AGAIN

pytestmark = pytest.mark.django_db

OTHER = "Tăng cường công tác tiếp công dân và giải quyết khiếu nại tố cáo của công dân."


@pytest.fixture
def three_conclusions(district2):
    meetings = [
        MeetingFactory(committee=district2, number=n, started_on=day)
        for n, day in ((9, date(2007, 10, 16)), (12, date(2008, 4, 10)), (15, date(2008, 10, 15)))
    ]
    first = DirectiveFactory(meeting=meetings[0], text=CLEARANCE, due_on=date(2007, 12, 31))
    DirectiveFactory(meeting=meetings[0], text=OTHER, position=2)
    second = DirectiveFactory(meeting=meetings[1], text=CLEARANCE.upper(), section_heading="")
    third = DirectiveFactory(meeting=meetings[2], text=CLEARANCE_AGAIN)
    # Another committee said the same: not this committee's task.
    DirectiveFactory(
        meeting=MeetingFactory(committee=CommitteeFactory(), started_on=date(2006, 1, 5)),
        text=CLEARANCE,
    )
    # Each conclusion matched as its import or its page's saving does (the stored links).
    for meeting in Meeting.objects.order_by("started_on"):
        match_meeting(meeting)
    return first, second, third


def test_the_pg_trgm_measure_is_reproduced():
    assert repeats.trigrams("ab") == {"  a", " ab", "ab "}
    assert repeats.similarity("giai phong mat bang", "giai phong mat bang") == 1
    assert repeats.similarity("giai phong", "") == 0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="compares with pg_trgm itself")
def test_the_python_measure_equals_postgres_similarity(three_conclusions):
    texts = [d.search_text for d in three_conclusions]
    with connection.cursor() as cursor:
        for a in texts:
            for b in texts:
                first, second = repeats.own_words(a), repeats.own_words(b)
                cursor.execute("SELECT similarity(%s, %s)", [first, second])
                assert cursor.fetchone()[0] == pytest.approx(
                    repeats.similarity(first, second), abs=1e-6
                )


def test_earlier_directives_of_the_committee_that_say_nearly_the_same(three_conclusions):
    first, second, third = three_conclusions
    found = repeats.repeats_of(third)
    assert [r.directive for r in found] == [second, first]  # newest first
    assert all(r.similarity >= repeats.SIMILARITY for r in found)
    assert repeats.repeats_of(first) == []  # nothing before the first


def test_the_directive_page_says_how_often_it_was_given(three_conclusions, clerk_client):
    _, second, third = three_conclusions
    second.completed_on = date(2008, 6, 30)
    second.save()
    html = clerk_client.get(
        reverse("admin:resolutions_directive_change", args=[third.pk])
    ).content.decode()
    block = html[html.index('id="directive-repeats"') :]
    assert "Đã giao trong 2 kết luận trước" in block
    assert "Hoàn thành đúng hạn" in block  # the second, done
    assert "Quá hạn chưa hoàn thành" in block  # the first, never done


def test_a_task_given_three_times_is_reported(three_conclusions, clerk_client, district2):
    _, _, third = three_conclusions
    url = reverse("admin:resolutions_directive_repeated")
    html = clerk_client.get(url, {"committee": district2.pk, "at_least": 3}).content.decode()
    table = html[html.index('id="repeated-tasks"') :]
    assert table.count("<tr>") == 2  # the header and one task, at its latest appearance
    assert reverse("admin:resolutions_directive_change", args=[third.pk]) in table
    assert '<td class="number">3</td>' in table
    html = clerk_client.get(url, {"committee": district2.pk, "at_least": 4}).content.decode()
    assert "Không có nhiệm vụ nào được giao lại từng ấy lần." in html


def test_a_bad_report_request_is_refused_in_vietnamese(clerk_client):
    response = clerk_client.get(
        reverse("admin:resolutions_directive_repeated"), {"committee": "x", "at_least": "1"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Hãy chọn một lựa chọn hợp lệ." in html  # the committee
    assert "Đảm bảo giá trị này lớn hơn hoặc bằng với 2" in html  # the count
    assert 'id="repeated-tasks"' not in html


def test_a_repeated_open_task_is_offered_and_linked_as_carried_forward(
    three_conclusions, clerk_client
):
    _, second, third = three_conclusions
    second.due_on = date(2008, 6, 30)  # left open: overdue at the third meeting
    second.save()
    url = reverse("admin:resolutions_meeting_change", args=[third.meeting_id])
    html = clerk_client.get(url).content.decode()
    block = html[html.index('id="repeated-open-tasks"') :]
    assert f'name="directive" value="{third.pk}">Liên kết là tiếp nối' in block
    response = clerk_client.post(
        reverse("admin:resolutions_meeting_link_carried", args=[third.meeting_id]),
        {"directive": third.pk},
    )
    assert response.status_code == 302
    third.refresh_from_db()
    assert third.carried_from == second
    assert (
        Version.objects.get_for_object(third)
        .first()
        .revision.comment.startswith("Liên kết nhiệm vụ")
    )
    # Linked: offered no more, and the earlier one now reads as carried over.
    assert 'id="repeated-open-tasks"' not in clerk_client.get(url).content.decode()
    assert second.status == "carried_over"
    # A directive the page did not offer is refused, and nothing changes.
    refused = clerk_client.post(
        reverse("admin:resolutions_meeting_link_carried", args=[third.meeting_id]),
        {"directive": "abc"},
        follow=True,
    )
    assert "Không liên kết được" in refused.content.decode()
