"""Uploaded tables read into datasets: streamed, capped, and exactly as they were written.

Each reader goes through the file row by row and stops as soon as it holds more data rows than
``settings.IMPORT_MAX_ROWS`` allows, before the rest is read (a million-row workbook is
refused in the time it takes to read the first hundred thousand rows, not loaded whole). A
workbook cell holding a formula is refused with its place: we never write formulas, and what a
formula would show is not in the file when a program other than a spreadsheet saved it.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator

import tablib
from django.conf import settings
from openpyxl import load_workbook
from openpyxl.reader.excel import ExcelReader
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._reader import ROW_TAG, WorkSheetParser
from openpyxl.xml.constants import SHEET_MAIN_NS
from openpyxl.xml.functions import iterparse

from . import cells, ods

_SHEET_DATA = f"{{{SHEET_MAIN_NS}}}sheetData"


class Unreadable(ValueError):
    """The file cannot be read as a table; the message says why, in Vietnamese."""


def row_limit() -> int:
    return settings.IMPORT_MAX_ROWS


def too_many_rows(name: str, limit: int) -> Unreadable:
    return Unreadable(
        f"{name}: tệp có hơn {limit} dòng dữ liệu, quá giới hạn {limit} dòng cho một lần nhập; "
        "hãy chia tệp thành nhiều phần. Không có gì được ghi."
    )


def _table(rows) -> tuple[list, Iterator[list]]:
    """The headers of a table given row by row, and its data rows cut to their width, blank
    rows left out: read as they come, nothing kept."""
    first = next(rows, None)
    headers = [h for h in first if h is not None] if first else []
    width = len(headers)

    def data():
        for row in rows:
            values = list(row[:width]) + [None] * (width - len(row))
            if any(v not in (None, "") for v in values):
                yield values

    return headers, data()


def _dataset(rows, name: str, limit: int | None) -> tablib.Dataset:
    headers, data = _table(rows)
    dataset = tablib.Dataset(headers=headers)
    for values in data:
        if limit is not None and len(dataset) >= limit:
            raise too_many_rows(name, limit)
        dataset.append(values)
    return dataset


def _parsed_rows(sheet):
    """A read-only sheet's rows as openpyxl's parser reads them, ``(number, cells)``, each cell
    a dict (column, value, data_type). openpyxl's own loop clears each row it has read but
    leaves it in the tree (80 bytes a row: 80 MB for a million rows); here each row leaves
    the tree once read, so that reading a sheet keeps nothing of the rows before."""
    book = sheet.parent
    with sheet._get_source() as source:
        parser = WorkSheetParser(
            source,
            sheet._shared_strings,
            data_only=book.data_only,
            epoch=book.epoch,
            date_formats=book._date_formats,
            timedelta_formats=book._timedelta_formats,
        )
        data = None
        for event, element in iterparse(source, events=("start", "end")):
            if event == "start":
                if element.tag == _SHEET_DATA:
                    data = element
                continue
            if element.tag == ROW_TAG:
                yield parser.parse_row(element)
                if data is not None:
                    del data[:]


def _sheet_rows(sheet, name: str):
    expected = 1  # rows missing from the file are blank rows
    for number, found in _parsed_rows(sheet):
        while expected < number:
            expected += 1
            yield []
        expected = number + 1
        values: list = []
        for cell in found:
            value = cell["value"]
            if cell["data_type"] == "f":
                raise Unreadable(
                    f"{name}: ô {get_column_letter(cell['column'])}{number} của bảng "
                    f"“{sheet.title}” chứa công thức ({str(value)[:60]}); hãy chép giá trị "
                    "thay cho công thức rồi nhập lại."
                )
            if isinstance(value, str):
                value = cells.from_ooxml(value)
            values += [None] * (cell["column"] - 1 - len(values))  # cells left out are empty
            values.append(value)
        yield values


def sheet_dataset(sheet, name: str, limit: int | None = None) -> tablib.Dataset:
    """One sheet of a workbook opened read-only with formulas kept (``data_only=False``)."""
    return _dataset(_sheet_rows(sheet, name), name, limit)


def sheet_rows(sheet, name: str) -> tuple[list, Iterator[list]]:
    """One sheet's headers and its data rows, streamed (``sheet_dataset``'s rows, none kept);
    a read-only sheet can be read this way again, from its first row."""
    return _table(_sheet_rows(sheet, name))


# In a worksheet's XML: a row starts, or a cell's value (<v>, or <is> for inline text).
_ROW_OR_VALUE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|v|is)[\s>/]")


def _first_sheet_rows(data: bytes, limit: int) -> int:
    """How many rows of the first worksheet hold a value, counted on its raw XML and stopping
    past ``limit``. openpyxl reads a workbook's whole table of shared strings before its first
    row (a minute for a million rows): this scan refuses such a file in about a second."""
    reader = ExcelReader(io.BytesIO(data), read_only=True)
    reader.read_manifest()
    reader.read_workbook()
    target = next(
        (rel.target for _, rel in reader.parser.find_sheets() if rel.Type.endswith("/worksheet")),
        None,
    )
    if target is None or target not in reader.valid_files:
        return 0
    count, counted, carry = 0, True, b""
    with reader.archive.open(target) as source:
        while chunk := source.read(1 << 20):
            text = carry + chunk
            end = text.rfind(b"<")  # a tag cut by the chunk is read with the next one
            text, carry = (text[:end], text[end:]) if end > 0 else (text, b"")
            for match in _ROW_OR_VALUE.finditer(text):
                if match.group(1) == b"row":
                    counted = False
                elif not counted:
                    counted = True
                    count += 1
                    if count > limit + 1:  # the header row and one row too many
                        return count
    return count


def open_workbook(source):
    return load_workbook(source, read_only=True, data_only=False)


def read(data: bytes, file_format: str, name: str, limit: int | None = None) -> tablib.Dataset:
    """The table an uploaded file holds (its first sheet, for a workbook)."""
    limit = row_limit() if limit is None else limit
    try:
        return _read(data, file_format, name, limit)
    except Unreadable:
        raise
    except csv.Error as error:
        line = getattr(error, "line", "?")  # set by _Rows, below
        raise Unreadable(f"{name}: dòng {line} không đọc được như CSV.") from None
    except Exception:  # each reader fails in its own way on a damaged file
        raise Unreadable(
            f"{name}: không đọc được tệp .{file_format} (tệp hỏng hoặc không đúng định dạng)."
        ) from None


class _Lines:
    """csv.reader's rows, with the line a bad one was on."""

    def __init__(self, text: str):
        # A meeting's source text may be longer than csv's default 128 KiB per field; this
        # limit is the whole process's, and only ever raised.
        csv.field_size_limit(max(csv.field_size_limit(), 16 * 1024 * 1024))
        self.reader = csv.reader(io.StringIO(text, newline=""))

    def __iter__(self):
        while True:
            try:
                yield next(self.reader)
            except StopIteration:
                return
            except csv.Error as error:
                error.line = self.reader.line_num  # type: ignore[attr-defined]
                raise


def _read(data: bytes, file_format: str, name: str, limit: int) -> tablib.Dataset:
    if file_format in ("csv", "json"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise Unreadable(f"{name}: tệp không phải văn bản Unicode (UTF-8).") from None
        if file_format == "json":
            dataset = tablib.Dataset().load(text, format="json")
            if len(dataset) > limit:
                raise too_many_rows(name, limit)
            return dataset
        return _dataset(iter(_Lines(text)), name, limit)
    if file_format == "ods":
        try:
            return _dataset(ods.read_rows(data, limit), name, limit)
        except ods.TooManyRows:
            raise too_many_rows(name, limit) from None
    if _first_sheet_rows(data, limit) > limit + 1:
        raise too_many_rows(name, limit)
    book = open_workbook(io.BytesIO(data))
    try:
        return sheet_dataset(book.worksheets[0], name, limit)
    finally:
        book.close()
