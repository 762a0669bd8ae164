"""The synthetic register the issue 15 benchmark runs on (bench/synthetic.py): each committee
reports the same figures meeting after meeting, drifting, beside their plans, sometimes under
another name; a target for the coming period and a task naming it, linked; and tasks given
again in other words, which the repeat finder finds (both databases)."""

from collections import Counter

import pytest
from django.db.models import Count

from bench.synthetic import INDICATORS_PER_MEETING, generate
from resolutions.models import (
    Committee,
    DirectiveTarget,
    Indicator,
    IndicatorSeries,
    SeriesMatch,
)
from resolutions.series import periods, repeats
from resolutions.series.figures import series_figures

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive():
    return generate(3000, seed=15)


def test_every_meeting_reports_its_figures_beside_their_plans(archive):
    assert archive.directives == 3000
    assert archive.indicators == archive.meetings * INDICATORS_PER_MEETING
    counts = Counter(Indicator.objects.values_list("meeting_id", flat=True))
    assert set(counts.values()) == {INDICATORS_PER_MEETING}
    results = Indicator.objects.filter(is_target=False)
    assert not results.filter(target_value__isnull=True).exists()
    assert not results.filter(plan_pct__isnull=True).exists()
    # Cumulative periods and single quarters both, never on one line of a chart.
    spans = {periods.parse(p).span for p in results.values_list("period", flat=True)}
    assert {"3 tháng", "6 tháng", "9 tháng", "cả năm"} <= spans
    assert any(span.startswith("quý") for span in spans)
    # Targets for the coming period, as the conclusions set them.
    assert Indicator.objects.filter(is_target=True).count() == archive.meetings


def test_each_figure_is_matched_and_its_series_drifts(archive):
    assert not Indicator.objects.filter(series_match__isnull=True).exists()
    assert archive.series == IndicatorSeries.objects.count()
    # Figures under another name join the series by its name ("tên gần giống") or open one.
    reasons = Counter(
        r.split(" “")[0] for r in SeriesMatch.objects.values_list("reason", flat=True)
    )
    assert reasons["trùng tên"] > reasons["tên gần giống"] > 0
    longest = max(IndicatorSeries.objects.all(), key=lambda s: s.matches.count())
    points = [p for p in series_figures(longest).points if p.value is not None]
    assert len(points) >= 4
    assert len({p.value for p in points}) == len(points)  # values that move


def test_tasks_naming_a_target_are_linked_to_its_series(archive):
    targets = DirectiveTarget.objects.select_related("directive", "series")
    assert targets.count() == archive.targets >= archive.meetings * 0.9
    for target in targets[:50]:
        assert target.directive.text.startswith("Phấn đấu")
        assert target.series is not None
        assert target.series.committee_id == target.directive.meeting.committee_id


def test_tasks_come_back_in_other_words(archive):
    assert archive.repeat_links > 0  # linked as it is made
    committee = Committee.objects.annotate(n=Count("meetings")).order_by("-n", "pk").first()
    listed = repeats.repeated_tasks(committee, at_least=3)
    assert listed, "some task given three times or more"
    directive, found = listed[0]
    assert repeats.meetings_count(found) >= 2
    assert all(r.directive.text != directive.text or r.similarity == 1 for r in found)
    assert any(r.directive.text != directive.text for _, rs in listed for r in rs)
