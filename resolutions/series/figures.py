"""A series read as people read it: its values by period, targets beside results, and the
change against the same period of the year before, computed only between comparable periods."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ..models import Indicator
from . import periods
from .models import IndicatorSeries, SeriesMatch


@dataclass
class Point:
    indicator: Indicator
    period: periods.Period
    value: Decimal | None
    target: Decimal | None  # the level set for this period (a target figure, or "x%/y%")
    plan_pct: Decimal | None
    stated_change: Decimal | None  # as the conclusion wrote it
    change: Decimal | None = None  # computed against the same span a year before
    confirmed: bool = False

    @property
    def meeting(self):
        return self.indicator.meeting

    @property
    def met(self) -> bool | None:
        if self.value is None or self.target is None:
            return None
        return self.value >= self.target


@dataclass
class SeriesFigures:
    series: IndicatorSeries | None
    points: list[Point] = field(default_factory=list)

    def spans(self) -> dict[str, list[Point]]:
        """Points by span ("9 tháng", "quý IV", "cả năm"): one line of a chart each."""
        by_span: dict[str, list[Point]] = {}
        for point in self.points:
            by_span.setdefault(point.period.span, []).append(point)
        return by_span


def _period_of(indicator: Indicator) -> periods.Period:
    meeting = indicator.meeting
    fallback = meeting.plan_period if indicator.is_target else meeting.review_period
    return periods.parse(indicator.period or fallback)


def _matches(**where):
    return (
        SeriesMatch.objects.filter(**where)
        .select_related("indicator__meeting__committee")
        # A point needs its figure and its meeting's name and dates, not their long texts.
        .defer(
            "reason",
            "indicator__sentence",
            "indicator__search_text",
            "indicator__meeting__source_text",
            "indicator__meeting__imported_values",
            "indicator__meeting__general_instruction",
            "indicator__meeting__title",
        )
        .order_by("indicator__meeting__started_on", "indicator__position")
    )


def matches_of(series: IndicatorSeries) -> list[SeriesMatch]:
    """The series' matches with their indicators and meetings, as series_figures reads them."""
    return list(_matches(series=series))


def series_figures(series: IndicatorSeries | None, matches=None) -> SeriesFigures:
    if matches is None:
        matches = _matches(series=series)
    # One point per period: a result and the target set for the same period meet in it.
    by_period: dict[periods.Period, Point] = {}
    for match in matches:
        indicator = match.indicator
        period = _period_of(indicator)
        point = by_period.get(period)
        if point is None:
            point = by_period[period] = Point(
                indicator, period, None, None, None, None, confirmed=True
            )
        point.confirmed = point.confirmed and match.state == SeriesMatch.State.CONFIRMED
        if indicator.is_target:
            point.target = indicator.value if indicator.value is not None else point.target
        else:
            point.indicator = indicator
            point.value = indicator.value
            point.plan_pct = indicator.plan_pct
            point.stated_change = indicator.change_pct
            if indicator.target_value is not None:
                point.target = indicator.target_value
    points = sorted(by_period.values(), key=lambda p: p.period.sort_key)
    previous = {(p.period.span, p.period.year): p for p in points}
    for point in points:
        if point.period.year is None:
            continue
        before = previous.get((point.period.span, point.period.year - 1))
        if before and before.value and point.value is not None:
            point.change = ((point.value - before.value) / before.value * 100).quantize(
                Decimal("0.01")
            )
    return SeriesFigures(series, points)


def last_values(indicators, count: int = 3) -> dict[int, tuple[int, list[Point]]]:
    """For each of a meeting's matched indicators, its series and the series' last values up
    to that meeting."""
    matched = {
        m.indicator_id: m.series_id
        for m in SeriesMatch.objects.filter(indicator__in=indicators, series__isnull=False)
    }
    by_series: dict[int, list[SeriesMatch]] = {}
    for match in _matches(series_id__in=set(matched.values())):
        by_series.setdefault(match.series_id, []).append(match)
    figures: dict = {pk: series_figures(None, rows) for pk, rows in by_series.items()}
    shown: dict = {}
    for indicator in indicators:
        if indicator.pk not in matched:
            continue
        points = [
            p
            for p in figures[matched[indicator.pk]].points
            if p.meeting.started_on <= indicator.meeting.started_on
        ]
        shown[indicator.pk] = (matched[indicator.pk], points[-count:])
    return shown
