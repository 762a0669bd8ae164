"""Every spreadsheet costs the same number of queries whatever its number of rows.

The resources promise one lookup of each related table per file, never one per row: a clerk's
file of 400 rows must cost what a file of 40 does. For every resource of the register, the
same rows (with every kind of related cell filled: topics, tags, units, a parent, a directive
cited, an author) are exported, deleted and imported again as new rows, then imported once
more unchanged; each step is counted at 40 and at 400 rows.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from resolutions.models import (
    Committee,
    Directive,
    Finding,
    Indicator,
    Meeting,
    ProgressNote,
    Report,
    Topic,
    Unit,
)
from resolutions.series import resources as series_resources
from resolutions.series.models import DirectiveTarget, IndicatorSeries, SeriesMatch
from resolutions.spreadsheets import resources
from resolutions.spreadsheets.archive import export_table, import_table

from .factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(meeting9):
    """What the rows name: two topics, two units, an earlier meeting with directives to cite,
    a person who writes progress notes."""
    district = meeting9.committee
    broad = Topic.objects.create(slug="kinh-te", name="Kinh tế")
    narrow = Topic.objects.create(slug="dau-tu", name="Đầu tư", parent=broad)
    units = [
        Unit.objects.create(committee=district, name=name, kind=Unit.Kind.GOVERNMENT)
        for name in ("UBND quận", "Phòng Tài chính – Kế hoạch")
    ]
    earlier = Meeting.objects.create(
        committee=district, term=3, number=8, started_on=date(2007, 7, 10), title="Lần 8"
    )
    cited = Directive.objects.bulk_create(
        Directive(meeting=earlier, section_order=1, position=i + 1, text=f"Việc cũ {i + 1}.")
        for i in range(5)
    )
    # The audit trail names each model by its content type, read once per process and cached:
    # read here, so that the first count does not pay for it.
    ContentType.objects.get_for_models(*(resource._meta.model for resource, _ in TABLES.values()))
    return {
        "meeting": meeting9,
        "district": district,
        "topics": (broad, narrow),
        "units": units,
        "cited": cited,
        "author": UserFactory(username="chuyenvien"),
    }


def make_topics(w, n):
    for i in range(n):
        Topic.objects.create(slug=f"lv-{i}", name=f"Lĩnh vực số {i}", parent=w["topics"][0])
    return Topic.objects.filter(slug__startswith="lv-")


def make_committees(w, n):
    for i in range(n):
        Committee.objects.create(
            name=f"Ban Chấp hành Đảng bộ Phường {i}",
            level=Committee.Level.WARD,
            parent=w["district"],
        )
    return Committee.objects.filter(level=Committee.Level.WARD)


def make_units(w, n):
    for i in range(n):
        Unit.objects.create(committee=w["district"], name=f"Ban số {i}", kind=Unit.Kind.PARTY_BODY)
    return Unit.objects.filter(name__startswith="Ban số")


def make_meetings(w, n):
    for i in range(n):
        Meeting.objects.create(
            committee=w["district"],
            term=4,
            number=i + 1,
            started_on=date(2010, 1, 1) + timedelta(days=i),
            title=f"Kết luận Hội nghị lần thứ {i + 1}",
        )
    return Meeting.objects.filter(term=4)


def make_reports(w, n):
    for i in range(n):
        Report.objects.create(meeting=w["meeting"], position=i + 1, title=f"Báo cáo {i + 1}")
    return Report.objects.all()


def make_indicators(w, n):
    first = Indicator.objects.create(
        meeting=w["meeting"], position=1, name="Tổng vốn đầu tư", value=Decimal("55.699")
    )
    for i in range(1, n):
        Indicator.objects.create(
            meeting=w["meeting"],
            position=i + 1,
            name=f"Trong đó, vốn số {i}",
            value=Decimal(i),
            parent=first,
            topic=w["topics"][1],
        )
    return Indicator.objects.all()


def make_directives(w, n):
    lead, support = w["units"]
    for i in range(n):
        directive = Directive.objects.create(
            meeting=w["meeting"],
            section_order=1,
            position=i + 1,
            text=f"Nhiệm vụ số {i + 1}.",
            topic=w["topics"][0],
            lead_unit=lead,
            carried_from=w["cited"][i % len(w["cited"])],
        )
        directive.tags.set(w["topics"])
        directive.supporting_units.set([support])
    return Directive.objects.filter(meeting=w["meeting"])


def make_findings(w, n):
    for i in range(n):
        Finding.objects.create(
            meeting=w["meeting"],
            position=i + 1,
            kind=Finding.Kind.ACHIEVEMENT,
            text=f"Kết quả {i + 1}.",
            topic=w["topics"][1],
        )
    return Finding.objects.all()


def make_notes(w, n):
    for i in range(n):
        ProgressNote.objects.create(
            directive=w["cited"][i % len(w["cited"])],
            noted_on=date(2008, 1, 1) + timedelta(days=i),
            text=f"Đã làm phần {i + 1}.",
            author=w["author"],
        )
    return ProgressNote.objects.all()


def make_series(w, n):
    for i in range(n):
        IndicatorSeries.objects.create(
            committee=w["district"], name=f"Chỉ tiêu số {i}", unit="tỷ đồng", synonyms=f"Số {i}"
        )
    return IndicatorSeries.objects.filter(name__startswith="Chỉ tiêu số")


def one_series(w):
    series, _ = IndicatorSeries.objects.get_or_create(
        committee=w["district"], name="Vốn đầu tư", unit="tỷ đồng"
    )
    return series


def make_matches(w, n):
    series = one_series(w)
    for i in range(n):
        indicator = Indicator.objects.create(
            meeting=w["meeting"], position=i + 1, name=f"Vốn {i}", value=Decimal(i), unit="tỷ đồng"
        )
        SeriesMatch.objects.create(
            indicator=indicator,
            series=series,
            state=SeriesMatch.State.CONFIRMED,
            reason="trùng tên",
            confirmed_by=w["author"],
        )
    return SeriesMatch.objects.all()


def make_targets(w, n):
    series = one_series(w)
    for i in range(n):
        directive = Directive.objects.create(
            meeting=w["meeting"], section_order=1, position=i + 1, text=f"Đạt mức {i + 1}."
        )
        DirectiveTarget.objects.create(
            directive=directive,
            series=series,
            value=Decimal(i + 1),
            state=DirectiveTarget.State.CONFIRMED,
            confirmed_by=w["author"],
        )
    return DirectiveTarget.objects.all()


TABLES = {
    "topics": (resources.TopicResource, make_topics),
    "committees": (resources.CommitteeResource, make_committees),
    "units": (resources.UnitResource, make_units),
    "meetings": (resources.MeetingResource, make_meetings),
    "reports": (resources.ReportResource, make_reports),
    "indicators": (resources.IndicatorResource, make_indicators),
    "directives": (resources.DirectiveResource, make_directives),
    "findings": (resources.FindingResource, make_findings),
    "progress notes": (resources.ProgressNoteResource, make_notes),
    "series": (series_resources.SeriesResource, make_series),
    "series matches": (series_resources.SeriesMatchResource, make_matches),
    "directive targets": (series_resources.DirectiveTargetResource, make_targets),
}


WRITES = ("INSERT", "UPDATE", "DELETE", "COPY")


def queries(action) -> tuple[dict, object]:
    """What the action asked the database: reads (lookups) and writes, counted apart."""
    with CaptureQueriesContext(connection) as captured:
        result = action()
    statements = [q["sql"].lstrip().upper() for q in captured.captured_queries]
    writes = sum(sql.startswith(WRITES) for sql in statements)
    return {"reads": len(statements) - writes, "writes": writes}, result


def counts(world, table, n, file_format):
    """Queries to export n rows, import them as new rows, and import them again unchanged."""
    resource_class, make = TABLES[table]
    rows = make(world, n)
    assert rows.count() == n
    export, data = queries(lambda: export_table(resource_class, rows, file_format))
    rows.delete()
    created, outcome = queries(lambda: import_table(resource_class, data, file_format))
    assert outcome.counts["new"] == n
    unchanged, outcome = queries(lambda: import_table(resource_class, data, file_format))
    assert outcome.counts["skip"] == n
    return {"export": export, "new rows": created, "unchanged rows": unchanged}


def assert_same_cost(small, large):
    """Lookups are the same at 400 rows as at 40. Writes are batched: PostgreSQL writes new rows
    by one COPY, and SQLite splits a bulk write into statements of 999 parameters at most, so
    there the number of writes may grow with the rows, by batches, never one a row."""
    for step in small:
        assert large[step]["reads"] == small[step]["reads"], step
        if connection.vendor == "postgresql":
            assert large[step]["writes"] == small[step]["writes"], step
        else:
            assert large[step]["writes"] <= small[step]["writes"] + 400 // 20, step


def clear(world):
    """Every row the makers above add, so that the next count starts from the same world."""
    ProgressNote.objects.all().delete()
    for model in (Indicator, Report, Finding, Directive):
        model.objects.filter(meeting=world["meeting"]).delete()
    Topic.objects.filter(slug__startswith="lv-").delete()
    Committee.objects.filter(level=Committee.Level.WARD).delete()
    Unit.objects.filter(name__startswith="Ban số").delete()
    Meeting.objects.filter(term=4).delete()
    IndicatorSeries.objects.all().delete()


@pytest.mark.parametrize("table", TABLES)
def test_a_file_of_400_rows_costs_the_queries_of_a_file_of_40(world, table):
    small = counts(world, table, 40, "xlsx")
    clear(world)
    large = counts(world, table, 400, "xlsx")
    assert_same_cost(small, large)


@pytest.mark.parametrize(
    "table", ["directives", "indicators", "progress notes", "series matches", "directive targets"]
)
def test_a_csv_file_of_400_rows_costs_the_queries_of_a_file_of_40(world, table):
    small = counts(world, table, 40, "csv")
    clear(world)
    large = counts(world, table, 400, "csv")
    assert_same_cost(small, large)
