"""Exported spreadsheets open in a person's office suite (LibreOffice Calc, run headless).

Needs Debian's libreoffice-calc-nogui; CI installs it and sets REQUIRE_OFFICE=1 so that a
missing office suite fails the run instead of skipping these tests.
"""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command

from resolutions.models import Directive
from resolutions.services.fixtures import import_seeds
from resolutions.spreadsheets.archive import export_archive, export_table
from resolutions.spreadsheets.resources import DirectiveResource

SOFFICE = shutil.which("soffice")
if not SOFFICE and os.environ.get("REQUIRE_OFFICE") == "1":
    raise RuntimeError("LibreOffice is required here: apt-get install libreoffice-calc-nogui")
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not SOFFICE, reason="LibreOffice is not installed"),
]
# Comma, double quote, UTF-8, from line 1; cells saved as shown (the 9th token); every sheet.
ALL_SHEETS_AS_UTF8_CSV = (
    "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1"
)


def convert(path: Path, out: Path) -> dict[str, str]:
    """Every sheet of *path* as LibreOffice writes it to CSV, by sheet name."""
    subprocess.run(
        [
            SOFFICE,
            "--headless",
            "--norestore",
            f"-env:UserInstallation=file://{out / 'profile'}",
            "--convert-to",
            ALL_SHEETS_AS_UTF8_CSV,
            "--outdir",
            str(out),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return {
        p.stem.removeprefix(f"{path.stem}-"): p.read_text(encoding="utf-8")
        for p in out.glob("*.csv")
    }


@pytest.fixture
def seeds(db):
    call_command("loaddata", "topics", "committees", verbosity=0)
    return import_seeds()[0].meeting


def test_the_archive_workbook_opens_with_vietnamese_and_numbers_intact(seeds, tmp_path):
    path = tmp_path / "luu_tru.xlsx"
    export_archive(path)
    sheets = convert(path, tmp_path)
    assert "Ban Chấp hành Đảng bộ Quận 2" in sheets["Hội nghị"]
    assert "16/10/2007" in sheets["Hội nghị"]  # a date cell shown day first
    indicators = sheets["Chỉ tiêu"]
    assert "Tổng vốn đầu tư xây dựng cơ bản thực hiện" in indicators
    assert "55.699" in indicators and "50.14" in indicators  # numbers, not text
    assert "giải phóng mặt bằng" in sheets["Nhiệm vụ"]


def test_an_ods_table_opens_with_vietnamese_intact(seeds, tmp_path):
    path = tmp_path / "nhiem_vu.ods"
    path.write_bytes(export_table(DirectiveResource, Directive.objects.all(), "ods"))
    (sheet,) = convert(path, tmp_path).values()
    assert "Quốc phòng – an ninh" in sheet
    assert "Ủy ban nhân dân quận có biện pháp cụ thể" in sheet
