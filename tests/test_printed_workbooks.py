"""The archive and follow-up workbooks as a person opens and prints them (issue 12, item 14):
LibreOffice turns them into PDF, and the PDF's pages are read back with pypdf. Every page is
landscape; each page of a table carries its header (repeated) with its first and last column
(one page wide); titles are whole; dates read dd/mm/yyyy and rates as percentages.

Needs LibreOffice like tests/test_office.py (CI sets REQUIRE_OFFICE=1)."""

import re
import subprocess
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command
from openpyxl import load_workbook
from pypdf import PdfReader

from resolutions.models import Directive, Unit
from resolutions.services.fixtures import import_seeds
from resolutions.services.follow_up import build_report, report_workbook
from resolutions.spreadsheets.archive import export_archive

from .factories import DirectiveFactory, MeetingFactory
from .test_office import SOFFICE

pytestmark = pytest.mark.django_db
office = pytest.mark.skipif(not SOFFICE, reason="LibreOffice is not installed")
DUE = date(2007, 12, 31)
TODAY = date(2008, 3, 1)


def pdf_pages(path: Path) -> list[tuple[str, bool]]:
    """Each page of the PDF LibreOffice prints from *path*: its text (lines joined by spaces)
    and whether it is landscape."""
    out = path.parent / "pdf"
    subprocess.run(
        [
            SOFFICE,
            "--headless",
            "--norestore",
            f"-env:UserInstallation=file://{path.parent / 'profile'}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    reader = PdfReader(out / f"{path.stem}.pdf")
    return [
        (
            re.sub(r"\s+", " ", page.extract_text()),
            page.mediabox.width > page.mediabox.height,
        )
        for page in reader.pages
    ]


@pytest.fixture
def followed(db):
    """Sixty overdue directives of one meeting (long enough to print on several pages), two
    done in time and one done late, with two lead units."""
    meeting = MeetingFactory(started_on=date(2007, 10, 16))
    ubnd = Unit.objects.create(committee=meeting.committee, name="Ủy ban nhân dân quận")
    doan = Unit.objects.create(committee=meeting.committee, name="Quận Đoàn")
    text = (
        "Nhiệm vụ số {:03d}: tập trung chỉ đạo giải quyết dứt điểm các dự án tồn đọng về bồi "
        "thường, hỗ trợ và tái định cư, bảo đảm quyền lợi hợp pháp của người dân trên địa bàn."
    )
    for n in range(1, 61):
        DirectiveFactory(meeting=meeting, position=n, text=text.format(n), due_on=DUE)
    for n, (unit, done) in enumerate(
        [(ubnd, date(2007, 12, 1)), (ubnd, date(2008, 1, 15)), (doan, date(2007, 11, 2))],
        start=61,
    ):
        DirectiveFactory(
            meeting=meeting,
            position=n,
            text=text.format(n),
            due_on=DUE,
            completed_on=done,
            lead_unit=unit,
        )
    return meeting


def test_the_follow_up_workbook_is_laid_out_for_reading(followed):
    book = load_workbook(report_workbook(build_report(today=TODAY)))
    for sheet in book:
        header = 3 if sheet.title == "Tổng hợp" else 1  # after the title and scope lines
        assert sheet.freeze_panes == f"A{header + 1}"
        assert all(c.font.b for c in sheet[header] if c.value)
        assert sheet.print_title_rows == f"${header}:${header}"
        assert sheet.page_setup.orientation == "landscape"
        assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
    overdue = book["Quá hạn"]
    widths = {c.value: overdue.column_dimensions[c.column_letter].width for c in overdue[1]}
    assert widths["Thứ tự"] < widths["Hạn hoàn thành"] < widths["Nhiệm vụ"] <= 60
    due = overdue.cell(2, 6)
    assert due.is_date and due.number_format == "dd/mm/yyyy"
    units = book["Theo đơn vị"]
    rates = [row[-2] for row in units.iter_rows(min_row=2)]
    assert all(c.number_format == "0.0%" for c in rates if c.value is not None)


@office
def test_the_follow_up_workbook_prints_readably(followed, tmp_path):
    path = tmp_path / "theo-doi.xlsx"
    path.write_bytes(report_workbook(build_report(today=TODAY)).getvalue())
    pages = pdf_pages(path)
    assert all(landscape for _, landscape in pages)
    summary, units, *overdue = pages
    text, _ = summary
    assert "Báo cáo theo dõi thực hiện nhiệm vụ" in text
    assert "tình trạng tính đến 01/03/2008" in text  # the scope line, whole
    assert re.search(r"Tỷ lệ hoàn thành 4[.,]8 ?%", text)  # 3 of 63 done
    text, _ = units
    # One page wide: the first and last columns side by side, rates as percentages.
    assert "Đơn vị chủ trì" in text and "Tỷ lệ đúng hạn" in text
    assert re.search(r"Ủy ban nhân dân quận .*100[.,]0 ?% 50[.,]0 ?%", text)
    # Sixty long tasks take several pages; each has the header, every column and dates
    # day first; no task is cut off.
    assert len(overdue) >= 2
    for text, _ in overdue:
        assert "Hội nghị" in text and "Nhiệm vụ" in text and "Hạn hoàn thành" in text
        assert "31/12/2007" in text
    printed = " ".join(text for text, _ in overdue)
    assert all(f"Nhiệm vụ số {n:03d}:" in printed for n in range(1, 61))


@office
def test_the_archive_prints_one_page_wide_with_headers_on_every_page(db, tmp_path):
    call_command("loaddata", "topics", "committees", verbosity=0)
    import_seeds()
    Directive.objects.update(due_on=DUE)
    path = tmp_path / "luu-tru.xlsx"
    export_archive(path, exported_by="văn thư")
    pages = pdf_pages(path)
    assert all(landscape for _, landscape in pages)
    assert "Sổ kết luận Hội nghị Ban Chấp hành — tệp lưu trữ" in pages[0][0]
    directive_pages = [text for text, _ in pages if "Nội dung nhiệm vụ" in text]
    assert directive_pages
    for text in directive_pages:
        # The first and the last columns on every page: one page wide, header repeated.
        assert text.startswith("Cấp ủy Khóa Hội nghị lần thứ")
        assert "Tình trạng" in text and "Tiếp nối nhiệm vụ" in text
    printed = " ".join(directive_pages)
    assert "31/12/2007" in printed and "Quá hạn chưa hoàn thành" in printed
    assert "Kinh tế" in printed  # topics by name
