"""A task tied to its figure: suggested from the number and the words of the directive,
confirmed by a clerk, and shown met or not met from the next meeting's figure (issue 15)."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from reversion.models import Version

from resolutions.models import DirectiveTarget, IndicatorSeries
from resolutions.series import targets
from resolutions.series.matching import match_meeting

from .factories import DirectiveFactory, IndicatorFactory, MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def budget(district2):
    """Budget revenue reported in 2007; the 2007 conclusion asks for 100% of the estimate and
    for 350 fewer poor households; the 2008 meeting reports both figures."""
    first = MeetingFactory(
        committee=district2,
        number=9,
        started_on=date(2007, 10, 16),
        review_period="9 tháng năm 2007",
    )
    second = MeetingFactory(
        committee=district2,
        number=15,
        started_on=date(2008, 10, 15),
        review_period="9 tháng năm 2008",
    )
    IndicatorFactory(
        meeting=first,
        name="Thu ngân sách",
        value=Decimal("900"),
        unit="tỷ đồng",
        plan_pct=Decimal("70"),
    )
    IndicatorFactory(
        meeting=first, name="Số hộ thoát nghèo", value=Decimal("310"), unit="hộ", position=2
    )
    budget_task = DirectiveFactory(
        meeting=first, text="Phấn đấu thu ngân sách đạt 100% dự toán năm 2007."
    )
    poverty_task = DirectiveFactory(
        meeting=first,
        position=2,
        text="Tập trung hỗ trợ để giảm 350 hộ nghèo, số hộ thoát nghèo cả năm.",
    )
    DirectiveFactory(meeting=first, position=3, text="Kiện toàn 12 tổ dân phố.")
    match_meeting(first)
    IndicatorFactory(
        meeting=second,
        name="Thu ngân sách",
        value=Decimal("1100"),
        unit="tỷ đồng",
        plan_pct=Decimal("104.5"),
    )
    IndicatorFactory(
        meeting=second, name="Số hộ thoát nghèo", value=Decimal("290"), unit="hộ", position=2
    )
    match_meeting(second)
    return budget_task, poverty_task


def test_the_figure_a_task_names_is_suggested_with_its_reason(budget):
    budget_task, poverty_task = budget
    share = DirectiveTarget.objects.get(directive=budget_task)
    assert (share.series.name, share.measure, share.value) == (
        "Thu ngân sách",
        DirectiveTarget.Measure.PLAN_PCT,
        Decimal("100"),
    )
    assert share.reason == "số “100%” và tên chỉ tiêu “Thu ngân sách” trong nội dung"
    households = DirectiveTarget.objects.get(directive=poverty_task)
    assert (households.series.unit, households.value) == ("hộ", Decimal("350"))
    # "12 tổ dân phố" has no series with that unit: no target is made up.
    assert DirectiveTarget.objects.count() == 2


def test_the_next_meeting_says_whether_it_was_met(budget):
    budget_task, poverty_task = budget
    share = targets.outcome(DirectiveTarget.objects.get(directive=budget_task))
    assert (share.reached, share.met) == (Decimal("104.5"), True)
    assert share.reported.period.label == "9 tháng năm 2008"
    households = targets.outcome(DirectiveTarget.objects.get(directive=poverty_task))
    assert (households.reached, households.met) == (Decimal("290"), False)


def test_two_series_that_fit_equally_are_left_for_the_clerk(district2):
    meeting = MeetingFactory(committee=district2, started_on=date(2009, 1, 5))
    for name in ("hộ nghèo", "hộ cận nghèo"):
        IndicatorSeries.objects.create(committee=district2, name=name, unit="hộ")
    task = DirectiveFactory(meeting=meeting, text="Giảm 200 hộ nghèo và cận nghèo.")
    match_meeting(meeting)
    target = DirectiveTarget.objects.get(directive=task)
    assert target.series is None
    assert target.reason.startswith("số “200”: 2 chỉ tiêu cùng khớp:")


def test_the_follow_up_report_and_the_directive_page_show_met_or_not(
    budget, clerk_client, district2
):
    budget_task, _ = budget
    report = clerk_client.get(
        reverse("admin:resolutions_directive_follow_up"),
        {"committee": district2.pk, "start": "01/01/2007", "end": "31/12/2007"},
    ).content.decode()
    table = report[report.index('id="targets-met"') :]
    assert table.count('<td class="target-met">Đạt</td>') == 1
    assert table.count('<td class="target-met">Chưa đạt</td>') == 1
    page = clerk_client.get(
        reverse("admin:resolutions_directive_change", args=[budget_task.pk])
    ).content.decode()
    block = page[page.index('id="directive-target"') :]
    assert "100% kế hoạch" in block and "104,5%" in block and "Đạt" in block


def test_a_clerk_confirms_a_target_and_it_is_audited(budget, clerk_client, clerk):
    target = DirectiveTarget.objects.get(directive=budget[0])
    response = clerk_client.post(
        reverse("admin:resolutions_directivetarget_changelist"),
        {"action": "confirm", "_selected_action": [target.pk]},
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert (target.state, target.confirmed_by) == ("confirmed", clerk)
    assert Version.objects.get_for_object(target).first().revision.user == clerk
