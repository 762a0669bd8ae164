"""OpenDocument spreadsheets (.ods), written and read exactly.

tablib's ODS support reads only the first paragraph of a cell, expands every repeated empty
row and column (a sheet saved by LibreOffice repeats its last row a million times) and loads the
whole document; odfpy writes a carriage return as a form feed. Here a sheet is written with
each text both as its paragraphs (what a spreadsheet program shows) and as
``office:string-value`` (what we read back, carriage returns included), and read by streaming
``content.xml``: row by row, refused as soon as it holds more rows than allowed.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from defusedxml.ElementTree import iterparse

from . import cells

MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"
NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "number": "urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
    "manifest": "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0",
}
_ROOT_NS = " ".join(f'xmlns:{k}="{v}"' for k, v in NS.items() if k != "manifest")
_ATTRIBUTE_ENTITIES = {"\t": "&#9;", "\n": "&#10;", "\r": "&#13;"}
_TEXT_ENTITIES = {"\r": "&#13;"}
_SPACES = re.compile(r"( {2,}|\t)")


def _q(prefix: str, name: str) -> str:
    return f"{{{NS[prefix]}}}{name}"


# --- Writing ----------------------------------------------------------------------------------


def _paragraphs(text: str) -> str:
    """The text as ODF paragraphs: runs of spaces and tabs as their elements, so that a
    spreadsheet program shows them (ODF collapses plain whitespace)."""
    out = []
    for line in text.split("\n"):

        def runs(match):
            run = match.group(0)
            return "<text:tab/>" if run == "\t" else f' <text:s text:c="{len(run) - 1}"/>'

        body = _SPACES.sub(runs, escape(line, _TEXT_ENTITIES))
        out.append(f"<text:p>{body}</text:p>")
    return "".join(out)


def _cell(value, style: str = "") -> str:
    if value is None or value == "":
        return "<table:table-cell/>"
    if style:  # a header: text, in its style
        text = str(value)
        return (
            f'<table:table-cell table:style-name="{style}" office:value-type="string" '
            f"office:string-value={quoteattr(text, _ATTRIBUTE_ENTITIES)}>"
            f"{_paragraphs(text)}</table:table-cell>"
        )
    if isinstance(value, bool):
        word = "true" if value else "false"
        return (
            f'<table:table-cell office:value-type="boolean" office:boolean-value="{word}">'
            f"<text:p>{word}</text:p></table:table-cell>"
        )
    if isinstance(value, int | float | Decimal):
        number = format(Decimal(repr(value) if isinstance(value, float) else value), "f")
        return (
            f'<table:table-cell office:value-type="float" office:value="{number}">'
            f"<text:p>{number}</text:p></table:table-cell>"
        )
    if isinstance(value, datetime):
        shown = value.strftime("%Y-%m-%dT%H:%M:%S")
        return (
            f'<table:table-cell office:value-type="date" office:date-value="{shown}">'
            f"<text:p>{shown}</text:p></table:table-cell>"
        )
    if isinstance(value, date):
        return (
            '<table:table-cell table:style-name="ngay" office:value-type="date" '
            f'office:date-value="{value.isoformat()}">'
            f"<text:p>{value.strftime('%d/%m/%Y')}</text:p></table:table-cell>"
        )
    text = str(value)
    return (
        '<table:table-cell office:value-type="string" '
        f"office:string-value={quoteattr(text, _ATTRIBUTE_ENTITIES)}>"
        f"{_paragraphs(text)}</table:table-cell>"
    )


# A character of the default font, in centimetres: column widths are counted in characters.
CHARACTER_CM = 0.2
STYLES = (
    '<?xml version="1.0" encoding="UTF-8"?><office:document-styles {ns} office:version="1.2">'
    "<office:automatic-styles>"
    # Printed landscape on A4, every column on one page's width (scale-to-X).
    '<style:page-layout style:name="trang"><style:page-layout-properties fo:page-width="29.7cm" '
    'fo:page-height="21cm" style:print-orientation="landscape" fo:margin-top="1.5cm" '
    'fo:margin-bottom="1.5cm" fo:margin-left="1.5cm" fo:margin-right="1.5cm" '
    'style:scale-to-X="1"/></style:page-layout></office:automatic-styles>'
    '<office:master-styles><style:master-page style:name="Default" '
    'style:page-layout-name="trang"/></office:master-styles></office:document-styles>'
)


def _settings(names) -> str:
    """The view settings that freeze each sheet's header row (LibreOffice's own; a headless
    LibreOffice has no view, so only a person's LibreOffice shows them)."""
    config = "urn:oasis:names:tc:opendocument:xmlns:config:1.0"

    def item(name, kind, value):
        return (
            f'<config:config-item config:name="{name}" config:type="{kind}">{value}'
            "</config:config-item>"
        )

    tables = "".join(
        f"<config:config-item-map-entry config:name={quoteattr(name)}>"
        + item("HorizontalSplitMode", "short", 0)
        + item("VerticalSplitMode", "short", 2)
        + item("HorizontalSplitPosition", "int", 0)
        + item("VerticalSplitPosition", "int", 1)
        + item("ActiveSplitRange", "short", 2)
        + item("PositionLeft", "int", 0)
        + item("PositionRight", "int", 0)
        + item("PositionTop", "int", 0)
        + item("PositionBottom", "int", 1)
        + "</config:config-item-map-entry>"
        for name in names
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<office:document-settings xmlns:office="{NS["office"]}" xmlns:config="{config}" '
        'office:version="1.2"><office:settings>'
        '<config:config-item-set config:name="ooo:view-settings">'
        '<config:config-item-map-indexed config:name="Views"><config:config-item-map-entry>'
        + item("ViewId", "string", "view1")
        + f'<config:config-item-map-named config:name="Tables">{tables}'
        "</config:config-item-map-named></config:config-item-map-entry>"
        "</config:config-item-map-indexed></config:config-item-set>"
        "</office:settings></office:document-settings>"
    )


def write(sheets, target=None) -> bytes:
    """Write ``sheets`` — (name, rows) pairs, the first row the headers — as an .ods file:
    columns as wide as what they hold (``cells.widths``; longer text wraps), the header row
    bold, frozen and repeated on every printed page, printed landscape one page wide."""
    tables = io.StringIO()
    column_styles = set()
    names = []
    for name, rows in sheets:
        name = name or "Bảng"
        names.append(name)
        rows = iter(rows)
        headers: list[Any] = next(rows, [])
        rows = list(rows)
        sized = cells.widths(headers, rows[: cells.SAMPLE])
        tables.write(f'<table:table table:name={quoteattr(name)} table:style-name="bang">')
        for width in sized:
            column_styles.add(width)
            wrap = ' table:default-cell-style-name="xuong-dong"' if width >= cells.MAX_WIDTH else ""
            tables.write(f'<table:table-column table:style-name="cot{width}"{wrap}/>')
        tables.write("<table:table-header-rows><table:table-row>")
        tables.write("".join(_cell(h, style="dau") for h in headers))
        tables.write("</table:table-row></table:table-header-rows>")
        for row in rows:
            tables.write("<table:table-row>")
            tables.write("".join(_cell(value) for value in row))
            tables.write("</table:table-row>")
        tables.write("</table:table>")
    content = io.StringIO()
    content.write(
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_ROOT_NS} '
        'office:version="1.2"><office:automatic-styles>'
        '<number:date-style style:name="ngay-so"><number:day number:style="long"/>'
        '<number:text>/</number:text><number:month number:style="long"/>'
        '<number:text>/</number:text><number:year number:style="long"/></number:date-style>'
        '<style:style style:name="ngay" style:family="table-cell" '
        'style:data-style-name="ngay-so"/>'
        '<style:style style:name="dau" style:family="table-cell"><style:table-cell-properties '
        'fo:wrap-option="wrap" style:vertical-align="top"/><style:text-properties '
        'fo:font-weight="bold"/></style:style>'
        '<style:style style:name="xuong-dong" style:family="table-cell">'
        '<style:table-cell-properties fo:wrap-option="wrap" style:vertical-align="top"/>'
        "</style:style>"
        '<style:style style:name="bang" style:family="table" style:master-page-name="Default">'
        '<style:table-properties table:display="true"/></style:style>'
    )
    for width in sorted(column_styles):
        content.write(
            f'<style:style style:name="cot{width}" style:family="table-column">'
            f'<style:table-column-properties style:column-width="{width * CHARACTER_CM:.2f}cm"/>'
            "</style:style>"
        )
    content.write("</office:automatic-styles><office:body><office:spreadsheet>")
    content.write(tables.getvalue())
    content.write("</office:spreadsheet></office:body></office:document-content>")
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<manifest:manifest xmlns:manifest="{NS["manifest"]}" manifest:version="1.2">'
        f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{MIMETYPE}"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        '<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>'
        '<manifest:file-entry manifest:full-path="settings.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), MIMETYPE, compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", manifest)
        archive.writestr("content.xml", content.getvalue().encode("utf-8"))
        archive.writestr("styles.xml", STYLES.format(ns=_ROOT_NS).encode("utf-8"))
        archive.writestr("settings.xml", _settings(names).encode("utf-8"))
    return stream.getvalue()


# --- Reading ----------------------------------------------------------------------------------


class TooManyRows(ValueError):
    pass


def _text(element) -> str:
    """A cell's shown text: its paragraphs joined by line breaks, spaces and tabs restored."""
    lines = []
    for paragraph in element.iter(_q("text", "p")):
        parts: list[str] = []
        _inline(paragraph, parts)
        lines.append("".join(parts))
    return "\n".join(lines)


def _inline(element, parts):
    if element.text:
        parts.append(element.text)
    for child in element:
        if child.tag == _q("text", "s"):
            parts.append(" " * int(child.get(_q("text", "c"), "1") or 1))
        elif child.tag == _q("text", "tab"):
            parts.append("\t")
        elif child.tag == _q("text", "line-break"):
            parts.append("\n")
        else:
            _inline(child, parts)
        if child.tail:
            parts.append(child.tail)


def _value(cell):
    kind = cell.get(_q("office", "value-type"))
    if kind in ("float", "percentage", "currency"):
        raw = cell.get(_q("office", "value"), "")
        try:
            number = Decimal(raw)
        except InvalidOperation:
            return raw
        return int(number) if number == number.to_integral() and "." not in raw else number
    if kind == "date":
        raw = cell.get(_q("office", "date-value"), "")
        if "T" in raw:
            return datetime.fromisoformat(raw)
        return date.fromisoformat(raw)
    if kind == "boolean":
        return cell.get(_q("office", "boolean-value")) == "true"
    exact = cell.get(_q("office", "string-value"))
    if exact is not None:
        return exact
    text = _text(cell)
    return text if text or kind else None


def read_rows(data: bytes, max_rows: int | None = None):
    """The first sheet's rows, as lists of values; entirely empty rows are left out.
    ``max_rows`` counts the rows after the header."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open("content.xml") as source:
        table_tag, row_tag = _q("table", "table"), _q("table", "table-row")
        cell_tags = (_q("table", "table-cell"), _q("table", "covered-table-cell"))
        repeat_rows, repeat_cols = (
            _q("table", "number-rows-repeated"),
            _q("table", "number-columns-repeated"),
        )
        width = None
        count = 0
        depth = 0
        for event, element in iterparse(source, events=("start", "end")):
            if element.tag == table_tag:
                if event == "start":
                    depth += 1
                    continue
                return  # only the first sheet
            if event != "end" or element.tag != row_tag or depth != 1:
                continue
            values: list[Any] = []
            pending = 0  # empty cells, written only when a filled cell follows them
            for cell in element:
                if cell.tag not in cell_tags:
                    continue
                repeat = int(cell.get(repeat_cols, "1") or 1)
                value = _value(cell)
                if value is None:
                    pending += repeat
                    continue
                if width is not None and len(values) + pending + repeat > width:
                    repeat = max(width - len(values) - pending, 0)
                values.extend([None] * pending + [value] * repeat)
                pending = 0
            times = int(element.get(repeat_rows, "1") or 1)
            element.clear()
            if not any(v not in (None, "") for v in values):
                continue
            if width is None:
                width = len(values)
                yield values
                continue
            count += times
            if max_rows is not None and count > max_rows:
                raise TooManyRows(max_rows)
            for _ in range(times):
                yield list(values)
