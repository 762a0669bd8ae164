"""Figures across meetings on the meeting and directive pages (resolutions/series)."""

from django import template

from ..series import figures, repeats

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
