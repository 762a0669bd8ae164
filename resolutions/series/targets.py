"""A task tied to its figure: "giảm 350 hộ nghèo", "thu ngân sách đạt 100% dự toán".

A directive's figure (a number with the unit of one of its committee's series, or a percentage
of the plan) is linked to the series whose name its words carry, with the level it sets. As
with figures, a tie between two series is left for a clerk, never decided here. The follow-up
shows the figure the next meeting reported and whether it reached the level.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db.models import Q

from .. import vietnamese
from ..models import Directive, Meeting
from .figures import Point, series_figures
from .models import DirectiveTarget, IndicatorSeries, SeriesMatch, unit_key

_FIGURE_RE = re.compile(r"(?<![\d.,/])(\d[\d.]*(?:,\d+)?)\s*(%|[^\W\d_]+(?:\s+[^\W\d_]+){0,3})")
_OF_PLAN = ("du toan", "ke hoach")
# Share of a series' name words the directive must say to be taken as aiming at it.
NAME_SHARE = 0.6


@dataclass
class Aim:
    measure: str
    value: Decimal
    number: str  # as written, "1.200"
    follows: str  # the folded words after the number, units spelled one way


def aims(text: str) -> list[Aim]:
    """The figures a directive's text names, in order."""
    found = []
    for match in _FIGURE_RE.finditer(vietnamese.nfc(text)):
        number, after = match.groups()
        try:
            value = vietnamese.parse_decimal(number)
        except (ValueError, InvalidOperation):
            continue
        follows = unit_key(
            " ".join(vietnamese.search_words(text[match.end(1) : match.end(1) + 40]))
        )
        if after == "%":
            measure = DirectiveTarget.Measure.PLAN_PCT
            if not follows.startswith(_OF_PLAN):
                continue  # a share of something else ("giảm 5% tai nạn") names no plan
        else:
            measure = DirectiveTarget.Measure.VALUE
        found.append(Aim(measure, value, number, follows))
    return found


def _name_share(series: IndicatorSeries, words: set[str]) -> tuple[float, str]:
    best, said = 0.0, ""
    for key, written in series.name_keys().items():
        name_words = key.split()
        if name_words:
            share = sum(w in words for w in name_words) / len(name_words)
            if share > best:
                best, said = share, written
    return best, said


def suggest(directive: Directive, series: list[IndicatorSeries]) -> DirectiveTarget | None:
    words = set(vietnamese.search_words(directive.text))
    for aim in aims(directive.text):
        fitting = series
        if aim.measure == DirectiveTarget.Measure.VALUE:
            fitting = [
                s for s in series if s.unit_key and f"{aim.follows} ".startswith(f"{s.unit_key} ")
            ]
        scored = [(s, *_name_share(s, words)) for s in fitting]
        scored = [(s, share, said) for s, share, said in scored if share >= NAME_SHARE]
        if not scored:
            continue
        top = max(share for _, share, _ in scored)
        best = [(s, said) for s, share, said in scored if share == top]
        if len(best) == 1:
            chosen, said = best[0]
            unit = "%" if aim.measure == DirectiveTarget.Measure.PLAN_PCT else f" {chosen.unit}"
            reason = f"số “{aim.number}{unit}” và tên chỉ tiêu “{said}” trong nội dung"
            state = SeriesMatch.State.SUGGESTED
        else:
            chosen = None
            names = "; ".join(f"“{s}”" for s, _ in best[:5])
            reason = f"số “{aim.number}”: {len(best)} chỉ tiêu cùng khớp: {names}"
            state = SeriesMatch.State.AMBIGUOUS
        return DirectiveTarget(
            directive=directive,
            series=chosen,
            measure=aim.measure,
            value=aim.value,
            state=state,
            reason=reason[:500],
        )
    return None


def suggest_targets(meeting: Meeting) -> list[DirectiveTarget]:
    """Suggest the figure each of the meeting's directives aims at, where none is set yet."""
    return suggest_targets_in([meeting.pk])


def suggest_targets_in(meeting_ids) -> list[DirectiveTarget]:
    """The same for the directives of any number of meetings, in three queries."""
    directives = Directive.objects.filter(meeting_id__in=meeting_ids, target__isnull=True)
    # Only directives with a digit can name a level.
    directives = [
        d for d in directives.filter(text__regex=r"[0-9]").select_related("meeting") if aims(d.text)
    ]
    if not directives:
        return []
    series: dict[int, list[IndicatorSeries]] = {}
    committees = {d.meeting.committee_id for d in directives}
    for each in IndicatorSeries.objects.filter(committee_id__in=committees):
        series.setdefault(each.committee_id, []).append(each)
    made = [
        t
        for d in directives
        if (t := suggest(d, series.get(d.meeting.committee_id, []))) is not None
    ]
    DirectiveTarget.objects.bulk_create(made)
    return made


@dataclass
class Outcome:
    target: DirectiveTarget
    reported: Point | None  # the next meeting's figure

    @property
    def reached(self) -> Decimal | None:
        if self.reported is None:
            return None
        if self.target.measure == DirectiveTarget.Measure.PLAN_PCT:
            return self.reported.plan_pct
        return self.reported.value

    @property
    def met(self) -> bool | None:
        return None if self.reached is None else self.reached >= self.target.value


def outcome(target: DirectiveTarget) -> Outcome:
    """The figure of the target's series reported by the first later meeting."""
    if target.series is None:
        return Outcome(target, None)
    started = target.directive.meeting.started_on
    later = [
        p
        for p in series_figures(target.series).points
        if p.meeting.started_on > started
        and (p.value is not None or p.plan_pct is not None)
        and not p.indicator.is_target
    ]
    later.sort(key=lambda p: p.meeting.started_on)
    return Outcome(target, later[0] if later else None)


def outcomes(directives: Q) -> list[Outcome]:
    """Outcomes of the confirmed or suggested targets of the directives chosen by *directives*."""
    targets = (
        DirectiveTarget.objects.filter(series__isnull=False)
        .filter(directives)
        .select_related("directive__meeting", "series")
        .order_by("directive__meeting__started_on", "directive__section_order")
    )
    return [outcome(t) for t in targets]
