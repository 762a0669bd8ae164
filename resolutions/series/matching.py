"""Match each meeting's indicators to their committee's series, saying why.

A figure joins the series whose name (or one of its other names) it bears, with the same unit;
failing that, the series whose name its own contains or that contains it. Where two series fit
equally the match is left for a clerk to choose (never made silently); where none fits, a new
series is opened from the figure. Every match is a suggestion until a clerk confirms it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import groupby

from ..models import Directive, Indicator, Meeting
from . import repeats
from .models import IndicatorSeries, SeriesMatch, name_key, unit_key
from .targets import suggest_targets, suggest_targets_in


@dataclass
class Suggestion:
    series: IndicatorSeries | None
    state: str
    reason: str


def _contains(longer: str, shorter: str) -> bool:
    return f" {shorter} " in f" {longer} "


class SeriesMatcher:
    """The series of one committee, read once, matched against any number of figures."""

    def __init__(self, committee_id: int):
        self.committee_id = committee_id
        self.series = list(IndicatorSeries.objects.filter(committee_id=committee_id))

    def suggest(self, name: str, unit: str) -> Suggestion:
        key, unit_wanted = name_key(name), unit_key(unit)
        fitting = [s for s in self.series if not unit_wanted or s.unit_key == unit_wanted]
        exact = []
        for series in fitting:
            keys = series.name_keys()
            if key in keys:
                said = keys[key]
                how = "trùng tên" if key == series.name_key else "trùng tên gọi khác"
                exact.append((series, f"{how} “{said}”"))
        found = exact or [
            (series, f"tên gần giống “{written}”")
            for series in fitting
            for written in [
                next(
                    (
                        n
                        for k, n in series.name_keys().items()
                        if _contains(key, k) or _contains(k, key)
                    ),
                    None,
                )
            ]
            if written
        ]
        if unit_wanted:
            found = [(s, f"{why}, cùng đơn vị “{s.unit}”") for s, why in found]
        if len(found) == 1:
            return Suggestion(found[0][0], SeriesMatch.State.SUGGESTED, found[0][1])
        if found:
            names = "; ".join(f"“{s}”" for s, _ in found[:5])
            return Suggestion(
                None, SeriesMatch.State.AMBIGUOUS, f"{len(found)} chỉ tiêu cùng khớp: {names}"
            )
        return Suggestion(None, SeriesMatch.State.SUGGESTED, "")

    def open_series(self, name: str, unit: str) -> IndicatorSeries:
        """A new series, written with the matches (match_indicators)."""
        series = IndicatorSeries(committee_id=self.committee_id, name=name[:500], unit=unit)
        series.normalize_text()
        series.derive_fields()
        self.series.append(series)
        return series


def match_indicators(indicators: Iterable[Indicator], matcher: SeriesMatcher) -> list[SeriesMatch]:
    """Suggest a series for each indicator that has no match yet; returns the matches made."""
    made, opened = [], []
    for indicator in indicators:
        suggestion = matcher.suggest(indicator.name, indicator.unit)
        if suggestion.state == SeriesMatch.State.SUGGESTED and suggestion.series is None:
            suggestion.series = matcher.open_series(indicator.name, indicator.unit)
            suggestion.reason = "chỉ tiêu theo dõi mới, lập từ chỉ tiêu này"
            opened.append(suggestion.series)
        made.append(
            SeriesMatch(
                indicator=indicator,
                series=suggestion.series,
                state=suggestion.state,
                reason=suggestion.reason[:500],
            )
        )
    # In bulk, and outside the revision being recorded: a suggestion is not a person's change
    # (a meeting's history would otherwise list it as rows of the conclusion); what a clerk
    # then confirms, changes or splits is recorded (admin.py).
    IndicatorSeries.objects.bulk_create(opened)
    SeriesMatch.objects.bulk_create(made)
    # The series these figures joined have new points.
    IndicatorSeries.objects.of_links(*(match.series_id for match in made)).mark_changed()
    return made


def match_meeting(meeting: Meeting) -> list[SeriesMatch]:
    """On import and on entry: match the meeting's indicators not matched yet to their series,
    suggest the figure each new directive aims at (targets.py) and link its directives to the
    earlier ones they repeat (repeats.py)."""
    unmatched = Indicator.objects.filter(meeting=meeting, series_match__isnull=True).order_by(
        "position"
    )
    made = match_indicators(unmatched, SeriesMatcher(meeting.committee_id))
    suggest_targets(meeting)
    repeats.refresh_meeting(meeting)  # the tasks given before that it gives again
    return made


def match_written_rows(model, meeting_ids) -> None:
    """After rows were written in bulk (a table imported from a spreadsheet, an archive
    restored), what match_meeting does on import, for every meeting they belong to: new
    figures matched to their series (each committee's read once, its meetings oldest first),
    then the targets the new directives name and the tasks they give again. *model* says
    which rows were written; the queries do not grow with the number of meetings, only with
    the committees they belong to."""
    ids = list(meeting_ids)
    if not ids:
        return
    if model is Indicator:
        unmatched = (
            Indicator.objects.filter(meeting_id__in=ids, series_match__isnull=True)
            .select_related("meeting")
            .order_by("meeting__committee_id", "meeting__started_on", "meeting_id", "position")
        )
        for committee_id, indicators in groupby(unmatched, key=lambda i: i.meeting.committee_id):
            match_indicators(indicators, SeriesMatcher(committee_id))
    elif model is Directive:
        suggest_targets_in(ids)
    if model in (Directive, Meeting):  # new tasks, or a meeting moved to another date
        repeats.refresh(Directive.objects.filter(meeting_id__in=ids).values_list("pk", flat=True))


def follow_written_rows(sender, *, model, meeting_ids, **kwargs) -> None:
    """Receiver of spreadsheets.signals.rows_written."""
    match_written_rows(model, meeting_ids)
