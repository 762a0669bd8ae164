"""The official document as a .docx, written with python-docx over template.docx.

The template holds the named styles the office may restyle in Word or LibreOffice (spacing,
colour, anything the ruleset does not fix); the ruleset in force on the document's date sets
what the form fixes: the page, its margins, the font and every size. The template is
python-docx's default document cut to the styles the form uses (no latent styles, no
thumbnail): it opens and saves in ~5 ms instead of ~65 ms.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt

from .layout import IssuedDocument

TEMPLATE = Path(__file__).with_name("template.docx")
# Control characters XML cannot hold (a form feed pasted from an old file): python-docx would
# refuse the whole document for one of them.
_NOT_XML_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
CENTER, JUSTIFY = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.JUSTIFY


def write_docx(document: IssuedDocument) -> bytes:
    rules = document.ruleset
    size = rules.sizes_pt
    word = Document(str(TEMPLATE))
    _page(word, document)
    normal = word.styles["Normal"]
    normal.font.name = rules.font
    normal.font.size = Pt(size["body"])

    left, right = _two_columns(word, (0.45, 0.55), document)
    _lines(left, document.superior_body, size["superior_body"])
    _lines(left, document.issuing_body, size["issuing_body"], bold=True)
    _lines(left, rules.labels["star"], size["issuing_body"])
    _lines(left, document.symbol, size["symbol"])
    _lines(right, document.party_title, size["party_title"], bold=True, underline=True)
    _lines(right, document.place_date, size["place_date"], italic=True)

    for line in document.type_name:
        _add(word, line, size["type_name"], bold=True, align=CENTER, before=12)
    _add(word, document.subject, size["subject"], bold=True, align=CENTER, after=12)
    indent = Mm(rules.first_line_indent_mm)
    for paragraph in document.body:
        # A line break inside a stored text ("+ …" under a task) starts its line at a tab:
        # a reader of the PDF tells it from a wrapped line by that.
        text = paragraph.text.replace("\n", "\n\t")
        p = _add(word, text, size["body"], bold=paragraph.kind == "section")
        p.paragraph_format.first_line_indent = indent
        p.paragraph_format.alignment = JUSTIFY
        p.paragraph_format.line_spacing = rules.line_spacing
        p.paragraph_format.space_after = Pt(rules.paragraph_after_pt)

    left, right = _two_columns(word, (0.5, 0.5), document)
    _lines(
        left,
        rules.labels["recipients"],
        size["recipients_label"],
        bold=True,
        italic=True,
        align=None,
    )
    for recipient in document.recipients:
        _lines(left, recipient, size["recipients"], align=None)
    for line in document.signature_lines:
        signed = line == rules.labels["signed_copy"]
        _lines(right, line, size["signature"], bold=not signed, italic=signed)

    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def _page(word, document: IssuedDocument) -> None:
    rules = document.ruleset
    width, height = rules.page_mm
    margins = rules.margins_mm
    for section in word.sections:
        section.page_width, section.page_height = Mm(width), Mm(height)
        section.top_margin, section.bottom_margin = Mm(margins["top"]), Mm(margins["bottom"])
        section.left_margin, section.right_margin = Mm(margins["left"]), Mm(margins["right"])
        header = section.header
        header.is_linked_to_previous = False
        mark = header.paragraphs[0]
        mark.text = ""
        if document.is_draft:
            # On every page: the page header repeats.
            run = mark.add_run(rules.labels["draft"])
            run.bold = True
            run.font.size = Pt(rules.sizes_pt["draft_mark"])
            mark.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _two_columns(word, shares: tuple[float, float], document: IssuedDocument):
    """A borderless table of one row: the form's blocks that stand side by side."""
    rules = document.ruleset
    width = rules.page_mm[0] - rules.margins_mm["left"] - rules.margins_mm["right"]
    table = word.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    cells = table.rows[0].cells
    for cell, share in zip(cells, shares, strict=True):
        cell.width = Mm(width * share)
        cell.paragraphs[0].text = ""
    return cells


def _lines(
    cell, text: str, size: float, *, bold=False, italic=False, underline=False, align=CENTER
):
    if not text:
        return
    first = cell.paragraphs[0]
    paragraph = first if not first.text and not first.runs else cell.add_paragraph()
    run = paragraph.add_run(_NOT_XML_RE.sub("", text))
    run.bold, run.italic, run.underline = bold, italic, underline
    run.font.size = Pt(size)
    if align is not None:
        paragraph.alignment = align
    # Some space after every line of a block: a reader of the PDF tells paragraphs by it.
    paragraph.paragraph_format.space_after = Pt(4)


def _add(word, text: str, size: float, *, bold=False, align=None, before=0, after=6):
    paragraph = word.add_paragraph()
    run = paragraph.add_run(_NOT_XML_RE.sub("", text))
    run.bold = bold
    run.font.size = Pt(size)
    if align is not None:
        paragraph.alignment = align
    paragraph.paragraph_format.space_before = Pt(before)
    paragraph.paragraph_format.space_after = Pt(after)
    return paragraph
