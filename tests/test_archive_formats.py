"""Old files come in: Word 97 .doc and .rtf, PDF with a text layer, scans read by OCR, text in a
legacy encoding; each bad one is refused with its reason and nothing is written.

The documents are made here: a .docx written in our own words, turned into .doc, .rtf and PDF
by LibreOffice; a scan is a PNG of the same words drawn with a system font. Needs LibreOffice
Writer and Tesseract with its Vietnamese model; CI installs them and sets REQUIRE_OFFICE=1 and
REQUIRE_OCR=1 so that their absence fails the run instead of skipping these tests.
"""

import io
import os
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from resolutions.models import Meeting
from resolutions.parsing import DocumentError, read_document
from resolutions.parsing import intake as intake_module
from resolutions.parsing.encodings import TCVN3, VNI, encode
from resolutions.parsing.intake import OCR_NOTE, read_upload

from .helpers import SCANNED_CONCLUSION, SEED, needs_ocr, png, scan

SOFFICE = shutil.which("soffice")
if not SOFFICE and os.environ.get("REQUIRE_OFFICE") == "1":
    raise RuntimeError("LibreOffice is required here: apt-get install libreoffice-writer-nogui")
needs_office = pytest.mark.skipif(not SOFFICE, reason="LibreOffice is not installed")
URL = reverse("admin:resolutions_meeting_import_text")

# Written for these tests.
LINES = [
    "ĐẢNG BỘ HUYỆN MỸ LỢI",
    "Kết luận của Hội nghị Ban Chấp hành lần thứ 5",
    "Tiếp tục giải phóng mặt bằng, bồi thường và tái định cư.",
]
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def docx(paragraphs: list[str], font: str = "") -> bytes:
    """A Word document as Word lays one out, each paragraph in *font* when given."""
    props = f'<w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}"/></w:rPr>' if font else ""
    body = "".join(
        f'<w:p><w:r>{props}<w:t xml:space="preserve">{escape(p)}</w:t></w:r></w:p>'
        for p in paragraphs
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats'
            '.org/package/2006/content-types"><Default Extension="rels" ContentType="application'
            '/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
            'ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType='
            '"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
            "</Types>",
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
            "schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
            '" Target="word/document.xml"/></Relationships>',
        )
        archive.writestr(
            "word/document.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{_W}"><w:body>{body}'
            "</w:body></w:document>",
        )
    return buffer.getvalue()


def converted(data: bytes, to: str) -> bytes:
    """*data* (a .docx) as LibreOffice saves it in format *to* (doc, rtf, pdf)."""
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "in.docx").write_bytes(data)
        subprocess.run(
            [
                SOFFICE,
                f"-env:UserInstallation={Path(folder, 'profile').as_uri()}",
                "--headless",
                "--convert-to",
                to,
                "--outdir",
                folder,
                str(Path(folder, "in.docx")),
            ],
            capture_output=True,
            timeout=180,
            check=True,
        )
        return Path(folder, f"in.{to}").read_bytes()


@needs_office
@pytest.mark.parametrize("kind", ["doc", "rtf"])
def test_word_97_and_rtf_files_are_read_through_libreoffice(kind):
    read = read_upload(f"ket-luan.{kind}", converted(docx(LINES), kind))
    assert read.text.strip().split("\n") == LINES
    assert read.format == kind and not read.ocr and read.notes == ()


@needs_office
def test_a_doc_typed_in_the_old_abc_fonts_comes_out_in_unicode():
    # Word 97 kept .VnTime text as the font's codes: LibreOffice gives them as Windows-1252
    # letters ("KÕt luËn"), which are read back as TCVN3.
    typed = [encode(line, TCVN3).decode("cp1252") for line in LINES[1:]]
    read = read_upload("cu.doc", converted(docx(typed, font=".VnTime"), "doc"))
    assert read.text.strip().split("\n") == LINES[1:]
    assert read.notes == ("dòng 1–2: TCVN3 (ABC); đã chuyển sang Unicode",)


@needs_office
def test_a_pdf_with_text_is_read_in_reading_order_without_ocr():
    read = read_upload("ket-luan.pdf", converted(docx(LINES), "pdf"))
    assert read.text.split("\n") == LINES
    assert (read.format, read.ocr) == ("pdf", False)


@needs_ocr
def test_a_scanned_page_is_read_by_ocr_and_marked_uncertain():
    read = read_upload("ban-quet.png", png(scan(LINES)))
    assert [line for line in read.text.split("\n") if line] == LINES
    assert read.ocr and read.format == "scan"
    assert read.notes == (OCR_NOTE,)


@needs_ocr
def test_a_pdf_without_text_is_read_from_its_page_images():
    buffer = io.BytesIO()
    scan(LINES).convert("RGB").save(buffer, "PDF", resolution=300)
    read = read_upload("ban-quet.pdf", buffer.getvalue())
    assert [line for line in read.text.split("\n") if line] == LINES
    assert read.ocr


def test_a_scan_without_ocr_installed_says_what_to_install(monkeypatch):
    from PIL import Image

    monkeypatch.setattr(intake_module, "tesseract", lambda: None)
    with pytest.raises(DocumentError) as error:
        read_upload("ban-quet.png", png(Image.new("L", (100, 100), 255)))
    assert "ban-quet.png: đây là bản quét" in str(error.value)
    assert "tesseract-ocr-vie" in str(error.value)


# -- Refused, each with its reason --------------------------------------------------------------


@needs_ocr
def test_an_image_without_text_is_refused():
    from PIL import Image

    with pytest.raises(DocumentError, match=r"trang.png: không nhận ra chữ nào trong ảnh"):
        read_upload("trang.png", png(Image.new("L", (1200, 800), 255)))


def test_an_image_too_large_for_a_page_is_refused_before_ocr():
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("1", (12_000, 12_000), 1).save(buffer, "PNG")  # 144 megapixels, a small file
    with pytest.raises(DocumentError, match=r"to.png: ảnh 12000×12000 điểm quá lớn"):
        read_upload("to.png", buffer.getvalue())


def test_a_password_protected_pdf_is_refused():
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.encrypt("mat-khau")
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(DocumentError, match=r"kin.pdf: tệp PDF được đặt mật khẩu"):
        read_upload("kin.pdf", buffer.getvalue())


def test_a_damaged_pdf_is_refused():
    with pytest.raises(DocumentError, match=r"hong.pdf: tệp PDF bị hỏng"):
        read_upload("hong.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 9 0 R >>\ntrailer")


@needs_office
def test_a_damaged_doc_is_refused():
    damaged = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 8
    with pytest.raises(DocumentError, match=r"hong.doc: tệp .doc bị hỏng"):
        read_upload("hong.doc", damaged)


# -- Through the admin and the command ----------------------------------------------------------


def _legacy_seed(encoding: str) -> tuple[str, bytes]:
    """The seed conclusion as an office of 2007 would have saved it in *encoding*."""
    text = SEED.read_text(encoding="utf-8")
    if encoding == TCVN3:  # TCVN3 has no codes for typographic dashes and quotes
        text = text.translate(str.maketrans("–—“”…", '--"".'))
    return text, encode(text, encoding)


@pytest.mark.django_db
@pytest.mark.parametrize("encoding", [TCVN3, VNI])
def test_a_legacy_file_is_previewed_with_its_encoding_and_imports_in_unicode(
    clerk_client, encoding
):
    call_command("loaddata", "topics", "committees", verbosity=0)
    text, data = _legacy_seed(encoding)
    upload = SimpleUploadedFile("ket-luan-2007.txt", data)
    page = clerk_client.post(URL, {"document": upload, "preview": "1"}).content.decode()
    lines = text.count("\n") + 1
    label = {TCVN3: "TCVN3 (ABC)", VNI: "VNI"}[encoding]
    assert f"dòng 1–{lines}: {label}; đã chuyển sang Unicode" in page
    assert "tạo mới Hội nghị lần thứ 9 BCH Đảng bộ Quận 2 khóa III" in page
    assert Meeting.objects.count() == 0  # the preview writes nothing
    read = read_document("ket-luan-2007.txt", data)
    assert read == text  # every letter as the Unicode text has it
    response = clerk_client.post(
        URL, {"text": read, "source_name": "ket-luan-2007.txt", "confirm": "1"}
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.source_text == text
    assert meeting.directives.count() == 24


@pytest.mark.django_db
@needs_ocr
def test_values_read_by_ocr_are_shown_as_guesses(clerk_client):
    call_command("loaddata", "topics", "committees", verbosity=0)
    upload = SimpleUploadedFile("quet.png", png(scan(SCANNED_CONCLUSION)))
    page = clerk_client.post(URL, {"document": upload, "preview": "1"}).content.decode()
    assert "Tệp đọc dưới dạng ảnh quét, đọc bằng nhận dạng chữ (OCR)." in page
    assert OCR_NOTE in page
    # OCR may misread ("khóa III" as "khóa II"): hence the guesses.
    assert "tạo mới Hội nghị lần thứ 9 BCH Đảng bộ Quận 2 khóa" in page
    assert "evidence-guessed" in page and "evidence-exact" not in page
    assert Meeting.objects.count() == 0


@pytest.mark.django_db
def test_text_pasted_from_an_old_font_is_read_back_and_the_preview_says_so(clerk_client):
    # Text copied out of a .VnTime document arrives as the font's codes: "KÕt luËn".
    call_command("loaddata", "topics", "committees", verbosity=0)
    _text, data = _legacy_seed(TCVN3)
    pasted = data.decode("cp1252", errors="replace")
    page = clerk_client.post(URL, {"text": pasted, "preview": "1"}).content.decode()
    assert "TCVN3 (ABC); đã chuyển sang Unicode" in page
    assert "tạo mới Hội nghị lần thứ 9 BCH Đảng bộ Quận 2 khóa III" in page
