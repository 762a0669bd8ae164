"""The follow-up report: how a committee's directives of a period stand today, counted the way
offices report them (by status, and by lead unit with its completion rate), with the overdue
ones listed."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, QuerySet
from django.utils import timezone
from openpyxl import Workbook

from .. import vietnamese
from ..models import Committee, Directive, Unit
from ..spreadsheets import cells, xlsx

Status = Directive.Status
DONE = (Status.DONE_ON_TIME, Status.DONE_LATE)
OVERDUE_LISTED = 500  # the page lists this many; the workbook lists them all


@dataclass
class Tally:
    """Directives counted by status, for the whole report or for one lead unit."""

    name: str
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def done(self) -> int:
        return sum(self.counts.get(s, 0) for s in DONE)

    @property
    def completion_rate(self) -> float | None:
        return 100 * self.done / self.total if self.total else None

    @property
    def on_time_rate(self) -> float | None:
        return 100 * self.counts.get(Status.DONE_ON_TIME, 0) / self.total if self.total else None

    def ordered(self) -> list[tuple[str, int]]:
        return [(status.label, self.counts.get(status, 0)) for status in Status]


@dataclass
class FollowUpReport:
    committee: Committee | None
    start: date | None
    end: date | None
    today: date
    overall: Tally
    units: list[Tally]
    overdue_count: int
    overdue: list[Directive]  # the first OVERDUE_LISTED, for the page
    overdue_all: QuerySet  # every one, for the workbook

    @property
    def scope(self) -> str:
        who = str(self.committee) if self.committee else "Tất cả cấp ủy"
        if self.start and self.end:
            when = f"hội nghị từ {vietnamese.format_date(self.start)} đến "
            when += vietnamese.format_date(self.end)
        elif self.start:
            when = f"hội nghị từ {vietnamese.format_date(self.start)}"
        elif self.end:
            when = f"hội nghị đến {vietnamese.format_date(self.end)}"
        else:
            when = "mọi hội nghị"
        return f"{who}, {when}; tình trạng tính đến {vietnamese.format_date(self.today)}"

    def file_name(self) -> str:
        who = self.committee.file_slug if self.committee else "tat-ca"
        return f"theo-doi-nhiem-vu-{who}-{self.today:%Y%m%d}.xlsx"


def build_report(
    *,
    committee: Committee | None = None,
    start: date | None = None,
    end: date | None = None,
    today: date | None = None,
) -> FollowUpReport:
    today = today or timezone.localdate()
    directives = Directive.objects.all()
    if committee:
        directives = directives.filter(meeting__committee=committee)
    if start:
        directives = directives.filter(meeting__started_on__gte=start)
    if end:
        directives = directives.filter(meeting__started_on__lte=end)

    counted = (
        directives.with_status(today)
        .values_list("lead_unit", "follow_up_status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    overall = Tally("Tổng cộng")
    per_unit: dict[int | None, Tally] = {}
    for unit_id, status, n in counted:
        overall.counts[status] = overall.counts.get(status, 0) + n
        tally = per_unit.setdefault(unit_id, Tally(""))
        tally.counts[status] = tally.counts.get(status, 0) + n
    names = {u.pk: str(u) for u in Unit.objects.filter(pk__in=[k for k in per_unit if k])}
    units = []
    for unit_id, tally in per_unit.items():
        tally.name = names.get(unit_id, "Chưa giao đơn vị chủ trì")
        units.append(tally)
    # Units with the most directives first; the unassigned ones last, to be assigned.
    units.sort(key=lambda t: (t.name == "Chưa giao đơn vị chủ trì", -t.total, t.name))

    overdue = (
        directives.in_status(Status.OVERDUE, today=today)
        .select_related("meeting__committee", "lead_unit")
        .order_by("due_on", "meeting__started_on", "section_order", "position")
    )
    return FollowUpReport(
        committee=committee,
        start=start,
        end=end,
        today=today,
        overall=overall,
        units=units,
        overdue_count=overall.counts.get(Status.OVERDUE, 0),
        overdue=list(overdue[:OVERDUE_LISTED]),
        overdue_all=overdue,
    )


def _share(value: float | None) -> xlsx.Percent | None:
    """A rate as a spreadsheet's own percentage: a number the cell shows as "66,7%"."""
    return None if value is None else xlsx.Percent(round(value / 100, 4))


def report_workbook(report: FollowUpReport) -> io.BytesIO:
    """The report as an XLSX workbook: a summary, the units, and every overdue directive.
    Written as a stream (the overdue list may be long), laid out by ``xlsx.table``."""
    book = Workbook(write_only=True)
    xlsx.table(
        book.create_sheet("Tổng hợp"),
        ["Tình trạng", "Số nhiệm vụ"],
        [
            *([label, n] for label, n in report.overall.ordered()),
            ["Tổng cộng", report.overall.total],
            ["Tỷ lệ hoàn thành", _share(report.overall.completion_rate)],
        ],
        title_rows=["Báo cáo theo dõi thực hiện nhiệm vụ", report.scope],
    )
    xlsx.table(
        book.create_sheet("Theo đơn vị"),
        [
            "Đơn vị chủ trì",
            *(status.label for status in Status),
            "Tổng số",
            "Tỷ lệ hoàn thành",
            "Tỷ lệ đúng hạn",
        ],
        (
            [
                cells.escape(tally.name),
                *(n for _, n in tally.ordered()),
                tally.total,
                _share(tally.completion_rate),
                _share(tally.on_time_rate),
            ]
            for tally in report.units
        ),
    )
    xlsx.table(
        book.create_sheet("Quá hạn"),
        ["Hội nghị", "Mục", "Thứ tự", "Nhiệm vụ", "Đơn vị chủ trì", "Hạn hoàn thành"],
        (
            [
                cells.escape(directive.meeting),
                cells.escape(directive.section_number) or directive.section_order,
                directive.position,
                cells.escape(directive.text),
                cells.escape(directive.lead_unit or ""),
                directive.due_on,
            ]
            for directive in report.overdue_all.iterator(chunk_size=2000)
        ),
    )
    stream = io.BytesIO()
    book.save(stream)
    stream.seek(0)
    return stream
