"""Figures across meetings on the meeting and directive pages (resolutions/series)."""

from django import template
from django.db.models import Q

from ..series import figures, repeats, targets

register = template.Library()


@register.simple_tag
def series_last_values(meeting):
    """(indicator, its series' id, the series' last values) for each matched figure."""
    if meeting is None or meeting.pk is None:
        return []
    indicators = list(meeting.indicators.select_related("meeting").order_by("position"))
    shown = figures.last_values(indicators)
    return [(i, *shown[i.pk]) for i in indicators if i.pk in shown]


@register.simple_tag
def directive_repeats(directive):
    if directive is None or directive.pk is None:
        return None
    found = repeats.repeats_of(directive)
    return {"repeats": found, "meetings": repeats.meetings_count(found)}


@register.simple_tag
def directive_target(directive):
    """The figure the directive aims at and what the next meeting reported, or None."""
    if directive is None or directive.pk is None:
        return None
    target = targets.DirectiveTarget.objects.filter(directive=directive).first()
    return targets.outcome(target) if target else None


@register.simple_tag
def report_targets(report):
    """The follow-up report's tasks tied to a figure, with the figure reported next."""
    scope = Q()
    if report.committee is not None:
        scope &= Q(directive__meeting__committee=report.committee)
    if report.start is not None:
        scope &= Q(directive__meeting__started_on__gte=report.start)
    if report.end is not None:
        scope &= Q(directive__meeting__started_on__lte=report.end)
    return targets.outcomes(scope)


@register.simple_tag
def carried_candidates(meeting):
    if meeting is None or meeting.pk is None:
        return []
    return repeats.carried_candidates(meeting)
