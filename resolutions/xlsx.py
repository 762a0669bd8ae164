"""XLSX workbooks written as a stream (write-only), with text and dates kept exactly."""

import io
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from . import cells


def cell(sheet, value):
    """A value as an XLSX cell: text spelled as Office Open XML keeps it (``cells.to_ooxml``;
    an empty text is an empty cell), dates shown as people write them, dd/mm/yyyy, while
    staying real date cells."""
    if isinstance(value, str):
        return cells.to_ooxml(value) if value else None
    if isinstance(value, date) and not isinstance(value, datetime):
        written = WriteOnlyCell(sheet, value=value)
        written.number_format = "dd/mm/yyyy"
        return written
    return value


def write(sheets, target=None):
    """``sheets`` — (name, rows) pairs — as a write-only workbook, saved to *target* or
    returned as bytes."""
    book = Workbook(write_only=True)
    for name, rows in sheets:
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append([cell(sheet, value) for value in row])
    if target is not None:
        book.save(target)
        return None
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()
