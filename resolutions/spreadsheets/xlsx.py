"""XLSX workbooks written as a stream (write-only), with text and dates kept exactly, laid out
for a person: columns as wide as what they hold (capped, longer text wrapped), the header row
bold and frozen, dates dd/mm/yyyy, and printed landscape, one page wide, the header repeated on
every page.

A write-only sheet writes its column widths, frozen panes and page properties with its first
row, so ``table`` decides them from the headers and the first ``SAMPLE`` rows, kept in memory
only until they are written: memory stays flat however long the table. Page setup, print titles
and merged cells are written when the workbook is saved.
"""

import io
from copy import copy
from datetime import date, datetime
from itertools import islice

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from . import cells
from .cells import MAX_WIDTH, SAMPLE, shown_width, widths

DATE_FORMAT = "dd/mm/yyyy"
PERCENT_FORMAT = "0.0%"
LINE_HEIGHT = 15  # points, one line of the default font

BOLD = Font(bold=True)
HEADER_ALIGNMENT = Alignment(wrap_text=True, vertical="top")
WRAPPED = Alignment(wrap_text=True, vertical="top")


class Percent(float):
    """A share (0.667) to be shown as a percentage cell ("66,7%")."""


def _look(sheet, number_format=None, alignment=None):
    """The style of a cell with this number format or alignment, registered with the workbook
    once: each cell then copies it (setting a style on every cell looks it up every time,
    which costs more than writing the cell)."""
    looks = sheet.__dict__.setdefault("_register_looks", {})
    key = (number_format, alignment)
    if key not in looks:
        model = WriteOnlyCell(sheet)
        if number_format is not None:
            model.number_format = number_format
        if alignment is not None:
            model.alignment = alignment
        looks[key] = model._style
    return looks[key]


def _looking(sheet, value, number_format=None, alignment=None):
    written = WriteOnlyCell(sheet, value=value)
    written._style = copy(_look(sheet, number_format, alignment))
    return written


def cell(sheet, value, wrap: bool = False):
    """A value as an XLSX cell: text spelled as Office Open XML keeps it (``cells.to_ooxml``;
    an empty text is an empty cell), dates shown as people write them, dd/mm/yyyy, while
    staying real date cells; a ``Percent`` as a percentage cell. ``wrap``: a text that may be
    longer than its column wraps inside it."""
    return _Column(sheet, wrap)(value)


class _Column:
    """Writes the cells of one column. A styled cell is one cell object per column and look,
    given each row's value in turn: a write-only sheet writes a row as it is appended, so the
    object is free again for the next row (a new cell and a copy of its style for every date
    or wrapped text made the export half as fast as bare openpyxl)."""

    def __init__(self, sheet, wrap: bool = False):
        self.sheet = sheet
        self.wrap = wrap
        self.styled: dict[tuple, WriteOnlyCell] = {}

    def __call__(self, value):
        if isinstance(value, str):
            if not value:
                return None
            text = cells.to_ooxml(value)
            return self.look(text, alignment=WRAPPED) if self.wrap else text
        if isinstance(value, Percent):
            return self.look(float(value), number_format=PERCENT_FORMAT)
        if isinstance(value, date) and not isinstance(value, datetime):
            return self.look(value, number_format=DATE_FORMAT)
        return value

    def look(self, value, number_format=None, alignment=None):
        key = (number_format, alignment)
        written = self.styled.get(key)
        if written is None:
            written = self.styled[key] = _looking(self.sheet, None, number_format, alignment)
        written.value = value
        return written


def _styled(sheet, value, font=None, alignment=None):
    written = cell(sheet, value)
    if not isinstance(written, Cell):
        written = WriteOnlyCell(sheet, value=written)
    if font is not None:
        written.font = font
    if alignment is not None:
        written.alignment = alignment
    return written


def table(sheet, headers, rows, *, title_rows=(), on_row=None) -> int:
    """Write a table into an empty write-only *sheet*: ``title_rows`` (each a text, bold,
    across the table's width, or a list: a bold label and its values), the bold header row,
    then *rows* (an iterable of value lists), laid out for reading and printing. ``on_row`` is
    called with each row as written. Returns the number of rows written after the header."""
    rows = iter(rows)
    sample = list(islice(rows, SAMPLE))
    sized = widths(headers, sample)
    for i, width in enumerate(sized, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    wrapped = [width >= MAX_WIDTH for width in sized]
    header_row = len(title_rows) + 1
    sheet.freeze_panes = f"A{header_row + 1}"
    # Printed landscape on A4, every column on one page's width, as many pages down as needed,
    # the header row at the top of each.
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.print_title_rows = f"{header_row}:{header_row}"
    last = get_column_letter(max(len(sized), 1))
    for number, title in enumerate(title_rows, start=1):
        if not isinstance(title, str):  # a label and its values
            sheet.append(
                [_styled(sheet, t, BOLD) if i == 0 else cell(sheet, t) for i, t in enumerate(title)]
            )
            continue
        # A title spans the table's width, so that it prints within the page, wrapped; no
        # program fits a merged row's height to its text, so it is given one line per width.
        sheet.merged_cells.add(f"A{number}:{last}{number}")
        lines = -(-shown_width(title) * 11 // (10 * sum(sized)))
        if lines > 1:
            sheet.row_dimensions[number].height = LINE_HEIGHT * lines
        sheet.append([_styled(sheet, cells.escape(title), BOLD, WRAPPED)])
    sheet.append([_styled(sheet, cells.escape(h), BOLD, HEADER_ALIGNMENT) for h in headers])
    count = 0
    columns = [_Column(sheet, wrap) for wrap in wrapped]
    for row in _chain(sample, rows):
        if len(row) > len(columns):  # a row longer than its headers (never ours)
            columns += [_Column(sheet) for _ in range(len(row) - len(columns))]
        sheet.append([write(value) for write, value in zip(columns, row, strict=False)])
        if on_row is not None:
            on_row(row)
        count += 1
    return count


def _chain(first, rest):
    yield from first
    yield from rest


def write(sheets, target=None):
    """``sheets`` — (name, rows) pairs, the first row the headers — as a write-only workbook,
    each sheet laid out by ``table``; saved to *target* or returned as bytes."""
    book = Workbook(write_only=True)
    for name, rows in sheets:
        rows = iter(rows)
        headers = next(rows, [])
        table(book.create_sheet(name), headers, rows)
    if target is not None:
        book.save(target)
        return None
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()
