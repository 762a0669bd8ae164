"""The indicator series and a clerk's decisions about them travel in the archive workbook: a
register restored from it has the same series (other names included), the same match of each
figure (its series and state, a split kept) and the same confirmed targets, not the
suggestions a restore would make again (issue 16). Runs on SQLite and on PostgreSQL."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command

from resolutions.models import (
    Committee,
    Directive,
    DirectiveTarget,
    Finding,
    Indicator,
    IndicatorSeries,
    Meeting,
    ProgressNote,
    Report,
    SeriesMatch,
    Topic,
    Unit,
)
from resolutions.series.resources import SeriesMatchResource
from resolutions.services.conclusions import import_path
from resolutions.services.fixtures import import_seeds
from resolutions.spreadsheets.archive import (
    export_archive,
    export_table,
    import_table,
    restore_archive,
)
from resolutions.upload_safety import UploadRefused

from .factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

SECOND_MEETING = Path(__file__).parent / "series_documents" / "quan2_hoi_nghi_15_2008.txt"
MODELS = (ProgressNote, Directive, Finding, Indicator, Report, Meeting, Unit, Committee, Topic)
INVESTMENT = "Tổng vốn đầu tư xây dựng cơ bản thực hiện"


@pytest.fixture
def decided():
    """The seed and a second meeting, with what a clerk decided about their figures."""
    call_command("loaddata", "topics", "committees", verbosity=0)
    (seed,) = import_seeds()
    import_path(SECOND_MEETING)
    clerk = UserFactory(username="chuyenvien")
    second = Meeting.objects.get(number=15)
    committee = second.committee
    # A match the clerk confirmed: the second meeting's investment figure.
    investment = SeriesMatch.objects.get(indicator__meeting=second, series__name=INVESTMENT)
    investment.confirm(clerk)
    investment.save()
    # Another name for the series.
    series = investment.series
    series.synonyms = "Vốn đầu tư xây dựng cơ bản\nTổng vốn XDCB"
    series.save()
    # A split: another figure moved to a new series with another name.
    moved = (
        SeriesMatch.objects.filter(indicator__meeting=seed.meeting)
        .exclude(series=series)
        .select_related("indicator")
        .order_by("indicator__position")
        .first()
    )
    assert moved is not None
    split = IndicatorSeries.objects.create(
        committee=committee, name="Chỉ tiêu tách riêng để thử", unit=moved.indicator.unit
    )
    moved.series, moved.reason = split, "tách theo quyết định của chuyên viên"
    moved.confirm(clerk)
    moved.save()
    # A target the clerk confirmed, on a directive of the seed meeting.
    directive = seed.meeting.directives.order_by("section_order", "position").first()
    DirectiveTarget.objects.update_or_create(
        directive=directive,
        defaults={
            "series": series,
            "measure": DirectiveTarget.Measure.VALUE,
            "value": Decimal("80.5"),
            "state": DirectiveTarget.State.CONFIRMED,
            "reason": "mức chuyên viên ghi",
            "confirmed_by": clerk,
        },
    )
    return committee


def snapshot():
    def user(u):
        return u.get_username() if u else None

    return {
        "series": sorted(
            (s.committee.name, s.name, s.unit, s.synonyms)
            for s in IndicatorSeries.objects.select_related("committee")
        ),
        "matches": sorted(
            (
                m.indicator.meeting.number,
                m.indicator.position,
                m.series.name if m.series else None,
                m.series.unit if m.series else None,
                m.state,
                m.reason,
                user(m.confirmed_by),
            )
            for m in SeriesMatch.objects.select_related(
                "indicator__meeting", "series", "confirmed_by"
            )
        ),
        "targets": sorted(
            (
                t.directive.meeting.number,
                t.directive.section_order,
                t.directive.position,
                t.series.name if t.series else None,
                t.measure,
                t.value,
                t.state,
                t.reason,
                user(t.confirmed_by),
            )
            for t in DirectiveTarget.objects.select_related(
                "directive__meeting", "series", "confirmed_by"
            )
        ),
    }


def empty_the_register():
    Committee.objects.update(parent=None, successor=None)
    Topic.objects.update(parent=None)
    for model in MODELS:
        model.objects.all().delete()


def test_a_restore_brings_back_the_series_and_the_clerks_decisions(decided, tmp_path):
    before = snapshot()
    confirmed = [m for m in before["matches"] if m[4] == "confirmed"]
    assert len(confirmed) == 2
    assert any(m[2] == "Chỉ tiêu tách riêng để thử" for m in confirmed)
    assert [t[6] for t in before["targets"] if t[7] == "mức chuyên viên ghi"] == ["confirmed"]
    path = tmp_path / "luu-tru.xlsx"
    counts = export_archive(path)
    assert counts["Chỉ tiêu theo dõi"] == len(before["series"])
    assert counts["Ghép chỉ tiêu"] == len(before["matches"])
    assert counts["Mục tiêu nhiệm vụ"] == len(before["targets"])
    empty_the_register()
    assert not IndicatorSeries.objects.exists() and not SeriesMatch.objects.exists()
    restore_archive(path)
    assert snapshot() == before


def test_a_file_naming_a_series_the_register_lacks_is_refused_and_changes_nothing(decided):
    data = export_table(SeriesMatchResource, file_format="csv").decode("utf-8")
    assert "Thứ tự chỉ tiêu" in data and "Chỉ tiêu tách riêng để thử" in data
    before = snapshot()
    changed = data.replace("Chỉ tiêu tách riêng để thử", "Chỉ tiêu không có trong sổ")
    with pytest.raises(UploadRefused) as refused:
        import_table(SeriesMatchResource, changed.encode("utf-8"), "csv", name="ghep.csv")
    assert "không có chỉ tiêu theo dõi “Chỉ tiêu không có trong sổ”" in str(refused.value)
    assert snapshot() == before


def test_a_clerks_file_confirms_the_suggestion_already_there(decided):
    """An imported match updates the register's match of the same figure, never a second."""
    data = export_table(SeriesMatchResource, file_format="csv").decode("utf-8")
    SeriesMatch.objects.update(state=SeriesMatch.State.SUGGESTED, confirmed_by=None)
    count = SeriesMatch.objects.count()
    import_table(SeriesMatchResource, data.encode("utf-8"), "csv", name="ghep.csv")
    assert SeriesMatch.objects.count() == count
    assert (
        SeriesMatch.objects.filter(state="confirmed", confirmed_by__username="chuyenvien").count()
        == 2
    )
