"""A series drawn: an SVG chart for its page, and a workbook with a native chart for export.

Server-side SVG rather than a JavaScript library: the page works offline and printed, nothing
is served but the page itself, the chart is there for readers without scripts, and the tests
read the chart's values from the HTML. A series has at most a few dozen points, which SVG
draws without help.
"""

from __future__ import annotations

import html
from decimal import Decimal
from io import BytesIO

from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from openpyxl import Workbook
from openpyxl.chart import LineChart, Reference

from .. import vietnamese
from ..spreadsheets.cells import escape, to_ooxml
from .figures import Point, SeriesFigures

WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 640, 280, 70, 20, 20, 50


def _number(value: Decimal | None) -> str:
    return "—" if value is None else vietnamese.format_decimal(value, grouping=True)


def _tick(level: Decimal) -> str:
    # Axis levels are fractions of the top; people read "1.200", not "1.199,9999".
    level = level.quantize(Decimal(1)) if abs(level) >= 10 else level.quantize(Decimal("0.01"))
    return vietnamese.format_decimal(level.normalize(), grouping=True)


def _join(template: str, rows, separator: str = "") -> SafeString:
    """format_html_join, without its per-argument machinery: each argument as text, escaped
    (a chart and a table write some thousands of them)."""
    return mark_safe(  # every argument is escaped here
        separator.join(template.format(*(html.escape(str(value)) for value in row)) for row in rows)
    )


def _met(point: Point) -> str:
    return "—" if point.met is None else ("Đạt" if point.met else "Chưa đạt")


def _change(point: Point) -> str:
    if point.change is not None:
        return f"{_number(point.change)} (tính từ số liệu)"
    if point.stated_change is not None:
        return f"{_number(point.stated_change)} (văn bản ghi)"
    return "—"


def table_rows(points: list[Point]) -> str:
    """The series table's rows (period, meeting, value, target, met, % of plan, change vs
    the same period, match state), written here: a series has a hundred periods at most, and
    the template language took most of the page's time to write them (benchmark_series)."""
    meeting_url = reverse("admin:resolutions_meeting_change", args=[0])[: -len("0/change/")]
    return _join(
        '<tr><td>{}</td><td><a href="{}{}/change/">{}</a></td>'
        '<td class="number">{}</td><td class="number">{}</td><td>{}</td>'
        '<td class="number">{}</td><td class="number">{}</td><td>{}</td></tr>',
        (
            (
                p.period.label,
                meeting_url,
                p.meeting.pk,
                p.meeting,
                _number(p.value),
                _number(p.target),
                _met(p),
                _number(p.plan_pct),
                _change(p),
                "đã xác nhận" if p.confirmed else "chờ xác nhận",
            )
            for p in points
        ),
        "\n",
    )


def svg_chart(span: str, points: list[Point], unit: str) -> str:
    """One span's values (and targets) across its periods, as an accessible SVG."""
    values = [v for p in points for v in (p.value, p.target) if v is not None]
    if not values:
        return ""
    top = max(values) * Decimal("1.1") or Decimal(1)
    step = (WIDTH - LEFT - RIGHT) / max(len(points), 1)

    # Coordinates as text: format_html escapes its arguments, so they come formatted.
    def x(i: int, shift: float = 0) -> str:
        return f"{LEFT + step * (i + 0.5) + shift:.1f}"

    def y(value: Decimal, shift: float = 0) -> str:
        return f"{TOP + (HEIGHT - TOP - BOTTOM) * (1 - float(value / top)) + shift:.1f}"

    def height(value: Decimal) -> str:
        return f"{(HEIGHT - TOP - BOTTOM) * float(value / top):.1f}"

    bars = _join(
        '<rect class="result" x="{}" y="{}" width="{}" height="{}">'
        "<title>{}: {} {}</title></rect>"
        '<text class="value" x="{}" y="{}" text-anchor="middle">{}</text>',
        (
            (
                x(i, -step * 0.3),
                y(p.value),
                f"{step * 0.6:.1f}",
                height(p.value),
                p.period.label,
                _number(p.value),
                unit,
                x(i),
                y(p.value, -4),
                _number(p.value),
            )
            for i, p in enumerate(points)
            if p.value is not None
        ),
    )
    targets = [(x(i), y(p.target), p) for i, p in enumerate(points) if p.target is not None]
    target_line = format_html(
        '<polyline class="target" points="{}"/>',
        " ".join(f"{tx},{ty}" for tx, ty, _ in targets),
    )
    target_marks = _join(
        '<circle class="target" cx="{}" cy="{}" r="4"><title>Mục tiêu {}: {} {}</title></circle>',
        ((tx, ty, p.period.label, _number(p.target), unit) for tx, ty, p in targets),
    )
    labels = _join(
        '<text class="period" x="{}" y="{}" text-anchor="middle">{}</text>',
        ((x(i), HEIGHT - BOTTOM + 18, p.period.label) for i, p in enumerate(points)),
    )
    ticks = _join(
        '<line class="grid" x1="{}" x2="{}" y1="{}" y2="{}"/>'
        '<text class="tick" x="{}" y="{}" text-anchor="end">{}</text>',
        (
            (LEFT, WIDTH - RIGHT, y(level), y(level), LEFT - 6, y(level, 4), _tick(level))
            for level in (top * k / 4 for k in range(5))
        ),
    )
    return format_html(
        '<svg class="series-chart" role="img" viewBox="0 0 {} {}" width="{}" height="{}" '
        'aria-label="{} ({})"><title>{} ({})</title>{}{}{}{}{}</svg>',
        WIDTH,
        HEIGHT,
        WIDTH,
        HEIGHT,
        span or "Số liệu",
        unit,
        span or "Số liệu",
        unit,
        ticks,
        bars,
        target_line if len(targets) > 1 else "",
        target_marks,
        labels,
    )


HEADERS = ("Kỳ", "Hội nghị", "Giá trị", "Mục tiêu", "Đạt (% kế hoạch)", "So cùng kỳ (%)")


def _text(value: str) -> str:
    return to_ooxml(escape(value))


def _cell(value):
    return float(value) if isinstance(value, Decimal) else value


def series_workbook(figures: SeriesFigures) -> BytesIO:
    """The series' numbers, a sheet per span, each with a native line chart beside them."""
    book = Workbook()
    book.remove(book.active)
    series = figures.series
    assert series is not None  # a page's figures are those of one series
    for number, (span, points) in enumerate(figures.spans().items(), start=1):
        sheet = book.create_sheet(title=(span or "Số liệu")[:31] or f"Kỳ {number}")
        sheet.append([_text(f"{series} — {series.committee}")])
        sheet.append(list(HEADERS))
        for point in points:
            change = point.change if point.change is not None else point.stated_change
            sheet.append(
                [
                    point.period.label,
                    _text(str(point.meeting)),
                    _cell(point.value),
                    _cell(point.target),
                    _cell(point.plan_pct),
                    _cell(change),
                ]
            )
        last = sheet.max_row
        chart = LineChart()
        chart.title = f"{series.name} ({span})" if span else series.name
        chart.y_axis.title = series.unit or None
        chart.x_axis.title = "Kỳ"
        data = Reference(sheet, min_col=3, max_col=4, min_row=2, max_row=last)
        chart.add_data(data, titles_from_data=True)
        chart.set_categories(Reference(sheet, min_col=1, min_row=3, max_row=last))
        sheet.add_chart(chart, "H2")
        sheet.column_dimensions["A"].width = 20
        sheet.column_dimensions["B"].width = 50
        sheet.freeze_panes = "A3"
    if not book.worksheets:
        book.create_sheet("Số liệu").append(["Chưa có số liệu nào trong chỉ tiêu theo dõi này."])
    stream = BytesIO()
    book.save(stream)
    stream.seek(0)
    return stream
