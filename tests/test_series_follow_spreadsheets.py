"""Rows a spreadsheet writes in bulk follow the series as an import's do: a figure imported
from a table joins its series, a task imported from a table is linked to the earlier tasks it
repeats and to the figure it aims at, and a meeting moved to another date by a table has its
tasks' links made anew (issue 15)."""

from datetime import date
from decimal import Decimal

import pytest

from resolutions.models import Directive, DirectiveRepeat, Indicator, Meeting
from resolutions.series.matching import match_meeting
from resolutions.spreadsheets import resources
from resolutions.spreadsheets.archive import export_table, import_table

from .factories import DirectiveFactory, IndicatorFactory, MeetingFactory
from .helpers import CLEARANCE, CLEARANCE_AGAIN

pytestmark = pytest.mark.django_db


@pytest.fixture
def meetings(district2):
    """Two conclusions of District 2: the first entered and matched, the second empty."""
    first = MeetingFactory(committee=district2, number=9, started_on=date(2007, 10, 16))
    second = MeetingFactory(committee=district2, number=10, started_on=date(2008, 4, 10))
    IndicatorFactory(
        meeting=first,
        position=1,
        name="Thu ngân sách trên địa bàn",
        unit="tỷ đồng",
        value=Decimal("1100"),
    )
    DirectiveFactory(meeting=first, position=1, text=CLEARANCE)
    match_meeting(first)
    return first, second


def reimported(resource_class, rows):
    """Rows exported to a workbook, deleted, and brought back from it as a clerk would."""
    data = export_table(resource_class, rows)
    rows.delete()
    outcome = import_table(resource_class, data, "xlsx")
    assert outcome.counts["new"] == 1
    return data


def test_a_figure_imported_from_a_table_joins_its_series(meetings):
    first, second = meetings
    IndicatorFactory(
        meeting=second,
        position=1,
        name="Thu ngân sách trên địa bàn",
        unit="tỷ đồng",
        value=Decimal("1250"),
    )
    reimported(resources.IndicatorResource, Indicator.objects.filter(meeting=second))
    imported = Indicator.objects.get(meeting=second)
    earlier = Indicator.objects.get(meeting=first)
    assert imported.series_match.series_id == earlier.series_match.series_id
    assert imported.series_match.series.matches.count() == 2


def test_a_task_imported_from_a_table_is_linked_to_the_one_it_repeats(meetings):
    first, second = meetings
    DirectiveFactory(meeting=second, position=1, text=CLEARANCE_AGAIN)
    reimported(resources.DirectiveResource, Directive.objects.filter(meeting=second))
    links = list(DirectiveRepeat.objects.values_list("directive__meeting", "earlier__meeting"))
    assert links == [(second.pk, first.pk)]


def test_a_task_naming_its_target_in_a_table_is_tied_to_the_figure(meetings):
    first, second = meetings
    DirectiveFactory(
        meeting=second, position=2, text="Phấn đấu thu ngân sách trên địa bàn đạt 1.300 tỷ đồng."
    )
    reimported(resources.DirectiveResource, Directive.objects.filter(meeting=second))
    aiming = Directive.objects.get(meeting=second)
    assert aiming.target.series == Indicator.objects.get(meeting=first).series_match.series
    assert aiming.target.value == Decimal("1300")


def test_a_meeting_moved_by_a_table_has_its_tasks_linked_anew(meetings):
    first, second = meetings
    DirectiveFactory(meeting=second, position=1, text=CLEARANCE_AGAIN)
    match_meeting(second)
    assert list(DirectiveRepeat.objects.values_list("directive__meeting", flat=True)) == [second.pk]
    # The second meeting was in fact held before the first: the table says so.
    data = export_table(resources.MeetingResource, Meeting.objects.filter(pk=second.pk))
    Meeting.objects.filter(pk=second.pk).update(started_on=date(2007, 1, 5))
    moved = export_table(resources.MeetingResource, Meeting.objects.filter(pk=second.pk))
    Meeting.objects.filter(pk=second.pk).update(started_on=date(2008, 4, 10))
    assert moved != data
    outcome = import_table(resources.MeetingResource, moved, "xlsx")
    assert outcome.counts["update"] == 1
    assert list(DirectiveRepeat.objects.values_list("directive__meeting", flat=True)) == [first.pk]
