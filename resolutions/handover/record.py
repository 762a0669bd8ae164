"""The handover record (biên bản giao nộp) as .docx: who hands what over, how much, what is
missing, and a table with a row per conclusion, with the places left blank that the two
sides fill in and sign.

python-docx lays out the page and one sample row of the table; the rows themselves are
written into the document's XML as the records are read back, so that a register of ten
thousand conclusions does not become ten thousand rows of objects in memory.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import datetime
from typing import IO
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt

from ..vietnamese import format_date
from . import metadata
from .zipped import DeterministicZip, zip_time

COLUMNS = (
    "STT",
    "Số, ký hiệu",
    "Ngày văn bản",
    "Trích yếu nội dung",
    "Số trang",
    "Số tệp",
    "Ghi chú",
)
# Marks put in the sample row's cells, replaced by each record's values.
_MARK = "§{}§"
_NOT_XML_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def write_record(
    target: IO[bytes], records: IO[bytes], *, committee: str, title: str, outcome, when
) -> None:
    """Write the record to *target*; *records* holds one conclusion's metadata per line."""
    word = Document()
    section = word.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    style = word.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    core = word.core_properties
    stamp = datetime(*zip_time(when))
    core.created = core.modified = stamp
    core.last_printed = stamp
    core.author = core.last_modified_by = ""
    core.title = "Biên bản giao nộp hồ sơ, tài liệu điện tử"
    core.revision = 1

    _centered(word, "ĐẢNG CỘNG SẢN VIỆT NAM", bold=True, underline=True)
    _centered(word, "…………, ngày … tháng … năm ……", italic=True)
    _centered(word, "BIÊN BẢN", bold=True, size=15, before=12)
    _centered(word, "Về việc giao nộp hồ sơ, tài liệu điện tử vào lưu trữ", bold=True)
    _para(word, "Căn cứ Luật Lưu trữ năm 2024 và các văn bản hướng dẫn về tài liệu lưu trữ số;")
    _para(word, "Hôm nay, tại …………………………………………, chúng tôi gồm:")
    _para(word, f"Bên giao nộp: Văn phòng {committee}, đại diện là:")
    _para(word, "Ông (bà): ……………………………… Chức vụ: ………………………………")
    _para(word, "Bên nhận: ……………………………………………………, đại diện là:")
    _para(word, "Ông (bà): ……………………………… Chức vụ: ………………………………")
    _para(word, "Thống nhất lập biên bản giao nộp tài liệu với những nội dung sau:", before=6)
    _para(word, f"1. Tên khối tài liệu: {title}.")
    size = f"{outcome.bytes:,}".replace(",", ".")  # thousands grouped as Vietnamese write them
    _para(
        word,
        f"2. Số hồ sơ (kết luận): {outcome.conclusions}; số tệp của các hồ sơ: "
        f"{outcome.files}; dung lượng: {size} byte.",
    )
    _para(word, f"3. Thời hạn bảo quản: {metadata.RETENTION}. Ngôn ngữ: {metadata.LANGUAGE}.")
    _para(
        word,
        "4. Gói nộp lưu gồm: tệp lưu trữ Excel của sổ (so-ket-luan.xlsx); cùng dữ liệu "
        "ấy và dữ liệu đặc tả của từng hồ sơ, từng tệp dạng JSON (so-ket-luan.json, kèm lược "
        "đồ so-ket-luan.schema.json); các tệp văn bản gốc như đã nhận và bản PDF/A của từng "
        "kết luận (thư mục ho-so); biên bản này; danh mục mã kiểm tra SHA-256 của mọi tệp "
        "(manifest-sha256.txt).",
    )
    missing = []
    if outcome.missing_pdfa:
        missing.append(f"{outcome.missing_pdfa} kết luận chưa có bản PDF/A")
    if outcome.without_source:
        missing.append(f"{outcome.without_source} kết luận không có tệp văn bản gốc")
    _para(word, "5. Còn thiếu: " + ("; ".join(missing) if missing else "không") + ".")
    _para(word, "6. Mục lục hồ sơ:")
    table = word.add_table(rows=2, cols=len(COLUMNS))
    table.style = "Table Grid"
    for i, heading in enumerate(COLUMNS):
        cell = table.rows[0].cells[i]
        cell.paragraphs[0].add_run(heading).bold = True
        table.rows[1].cells[i].paragraphs[0].add_run(_MARK.format(i))
    _para(
        word,
        "Mỗi tệp của gói được kiểm tra lại bằng mã SHA-256 ghi trong "
        "manifest-sha256.txt (lệnh manage.py verify_handover).",
        before=6,
    )
    _para(word, "Biên bản lập thành hai bản, mỗi bên giữ một bản.")
    signatures = word.add_table(rows=1, cols=2)
    for cell, side in zip(signatures.rows[0].cells, ("BÊN GIAO NỘP", "BÊN NHẬN"), strict=True):
        p = cell.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.add_run(f"ĐẠI DIỆN {side}").bold = True
        note = cell.add_paragraph()
        note.alignment = WD_ALIGN_PARAGRAPH.CENTER
        note.add_run("(Ký, ghi rõ họ tên)").italic = True

    laid_out = io.BytesIO()
    word.save(laid_out)
    _with_rows(laid_out, target, records, when)


def _with_rows(laid_out: io.BytesIO, target: IO[bytes], records: IO[bytes], when) -> None:
    laid_out.seek(0)
    out = DeterministicZip(target, when)
    with zipfile.ZipFile(laid_out) as original:
        for item in original.infolist():
            data = original.read(item)
            if item.filename == "word/document.xml":
                out.write(item.filename, _DocumentXml(data.decode("utf-8"), records))
            else:
                out.write(item.filename, data)
    out.close()


class _DocumentXml(io.RawIOBase):
    """document.xml as a stream: the part before the sample row, one row per record, the
    part after it."""

    def __init__(self, xml: str, records: IO[bytes]):
        marker = xml.index(_MARK.format(0))
        start = xml.rindex("<w:tr", 0, marker)
        end = xml.index("</w:tr>", marker) + len("</w:tr>")
        self.row = xml[start:end]
        self.pieces = self._pieces(xml[:start], xml[end:], records)
        self.buffer = b""

    def _pieces(self, head: str, tail: str, records: IO[bytes]):
        yield head.encode("utf-8")
        for number, line in enumerate(records, start=1):
            record = json.loads(line)
            values = _row_values(number, record)
            row = self.row
            for i, value in enumerate(values):
                row = row.replace(_MARK.format(i), escape(_NOT_XML_RE.sub("", value)))
            yield row.encode("utf-8")
        yield tail.encode("utf-8")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while not self.buffer:
            try:
                self.buffer = next(self.pieces)
            except StopIteration:
                return 0
        size = min(len(buffer), len(self.buffer))
        buffer[:size] = self.buffer[:size]
        self.buffer = self.buffer[size:]
        return size


def _row_values(number: int, record: dict) -> list[str]:
    issued = record.get("ngay_van_ban")
    notes = [record["ghi_chu"]] if record.get("ghi_chu") else []
    notes += record.get("thieu", [])
    return [
        str(number),
        record.get("so_ky_hieu") or "(chưa có số)",
        format_date(datetime.fromisoformat(issued).date()) if issued else "",
        record.get("trich_yeu", ""),
        "" if record.get("so_trang") is None else str(record["so_trang"]),
        str(len(record.get("tep", []))),
        "; ".join(notes),
    ]


def _centered(word, text, *, bold=False, italic=False, underline=False, size=None, before=0):
    p = word.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run(text)
    run.bold, run.italic, run.underline = bold, italic, underline
    if size:
        run.font.size = Pt(size)
    p.paragraph_format.space_before = Pt(before)
    return p


def _para(word, text, *, before=0):
    p = word.add_paragraph(_NOT_XML_RE.sub("", text))
    p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    p.paragraph_format.space_before = Pt(before)
    p.paragraph_format.space_after = Pt(3)
    return p
