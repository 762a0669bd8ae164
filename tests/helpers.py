"""What several test modules share: where the documents are, and how to compare a parse
with its hand-checked structure."""

import io
import json
import os
import subprocess
import zipfile
from pathlib import Path

import pytest

from resolutions.parsing import intake

from .factories import MeetingFactory

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_105c69dbb7379ef3.txt"
DOCUMENTS = Path(__file__).resolve().parent / "documents"
GOLD_DIR = ROOT.parent / "shared" / "gold"
# The written documents read exactly (every field, every warning). The other documents of the
# folder are the corpus of real shapes, measured field by field by evaluate_parser.
WRITTEN = ("huyen_cu_chi_2016", "phuong_tan_dinh_2022", "tinh_ben_tre_2019")


def seed_gold() -> dict:
    """The gold file from shared/ when it is beside the project, else the copy kept in tests/."""
    for folder in (GOLD_DIR, DOCUMENTS):
        path = folder / "000_105c69dbb7379ef3.json"
        if path.exists():
            return json.loads(path.read_text(encoding="utf-8"))
    raise AssertionError("the seed's gold structure is missing")


def differences(expected, actual, path="") -> list[str]:
    """Every place where *actual* disagrees with a field *expected* gives."""
    found = []
    if isinstance(expected, dict):
        for key, value in expected.items():
            if key in ("known_quirks", "source_file"):
                continue
            if not isinstance(actual, dict) or key not in actual:
                found.append(f"{path}/{key}: missing")
            else:
                found += differences(value, actual[key], f"{path}/{key}")
    elif isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            found.append(f"{path}: {len(expected)} items expected, got {actual!r:.200}")
        else:
            for index, (a, b) in enumerate(zip(expected, actual, strict=True)):
                found += differences(a, b, f"{path}[{index}]")
    elif expected != actual:
        found.append(f"{path}: expected {expected!r:.120}, got {actual!r:.120}")
    return found


# A task given again in other words (issue 15's repeat finder): the Thủ Thiêm clearance.
CLEARANCE = (
    "Tập trung đẩy nhanh công tác bồi thường giải phóng mặt bằng và tái định cư cho dự án "
    "khu đô thị mới Thủ Thiêm"
)
CLEARANCE_AGAIN = (
    "Tập trung đẩy nhanh bồi thường, giải phóng mặt bằng và tái định cư dự án khu đô thị mới "
    "Thủ Thiêm, bàn giao mặt bằng đúng hạn"
)


def docx_of(paragraphs: list[str]) -> bytes:
    """A minimal .docx whose body is these paragraphs, as Word writes plain text."""
    body = "".join(
        f'<w:p><w:r><w:t xml:space="preserve">{p.replace("&", "&amp;").replace("<", "&lt;")}'
        "</w:t></w:r></w:p>"
        for p in paragraphs
    )
    xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body>{body}</w:body></w:document>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", xml)
    return buffer.getvalue()


# Scans read by OCR (Tesseract with its Vietnamese model): CI sets REQUIRE_OCR=1, so that its
# absence fails the run instead of skipping these tests.
OCR = intake.tesseract()
if not OCR and os.environ.get("REQUIRE_OCR") == "1":
    raise RuntimeError("Tesseract is required here: apt-get install tesseract-ocr-vie")
needs_ocr = pytest.mark.skipif(not OCR, reason="Tesseract with Vietnamese is not installed")

# A conclusion's opening and one section, written for the tests that scan it.
SCANNED_CONCLUSION = [
    "ĐẢNG BỘ QUẬN 2",
    "KẾT LUẬN",
    "Hội nghị lần thứ 9 Ban Chấp hành Đảng bộ Quận 2 khóa III",
    "Ngày 16 và 17/10/2007, Ban Chấp hành Đảng bộ Quận 2 họp",
    "Hội nghị lần thứ 9 kiểm điểm tình hình 9 tháng năm 2007.",
    "Nhiệm vụ quý IV/2007:",
    "1- Kinh tế:",
    "- Tập trung thu ngân sách đạt dự toán năm.",
    "- Đẩy nhanh bồi thường, giải phóng mặt bằng.",
]


def scan(lines: list[str]) -> "Image.Image":  # noqa: F821
    """A page of *lines* as a scanner would give it: black text on white, 300 dpi."""
    from PIL import Image, ImageDraw, ImageFont

    path = subprocess.run(
        ["fc-match", "-f", "%{file}", "DejaVu Serif:style=Book"], capture_output=True, text=True
    ).stdout
    font = ImageFont.truetype(path, 40)
    image = Image.new("L", (2000, 120 + 80 * len(lines)), 255)
    draw = ImageDraw.Draw(image)
    for number, line in enumerate(lines):
        draw.text((60, 40 + number * 80), line, font=font, fill=0)
    return image


def png(image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG", dpi=(300, 300))
    return buffer.getvalue()


def meeting_of(committee, number, started_on, review_period, plan_period=""):
    """A committee's meeting with the periods its figures are of (the series' tests)."""
    return MeetingFactory(
        committee=committee,
        number=number,
        started_on=started_on,
        review_period=review_period,
        plan_period=plan_period,
    )
