"""Handover packages with PDF renditions are byte-identical from one export to the next: the
PDFs LibreOffice makes are rewritten with the package's time, ids derived from their content
(resolutions/issuing/pdf_fixed.py), and stay PDF/A-2b with their fonts and text."""

import hashlib
import io
import json
import shutil
import struct
import uuid
import zlib
from datetime import UTC, datetime, timedelta, timezone

import pikepdf
import pytest
from django.core.management import CommandError, call_command
from PIL import ImageCms
from pypdf import PdfReader

from resolutions.handover import package as handover
from resolutions.handover.verify import pdfa_problem, verify_package
from resolutions.issuing.pdf import ConversionError, convert_to_pdf, pdf_text
from resolutions.issuing.pdf_fixed import fixed_pdf

from .test_handover import members, seed_register

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
office = pytest.mark.skipif(not SOFFICE, reason="LibreOffice is not installed")
HANOI = timezone(timedelta(hours=7))


@pytest.fixture
def register(db):
    return seed_register()


@pytest.fixture
def made(monkeypatch):
    """The PDFs LibreOffice made for the package, in the order it made them."""
    found: list[bytes] = []

    def spying(documents):
        converted = convert_to_pdf(documents)
        found.extend(converted.values())
        return converted

    monkeypatch.setattr(handover, "convert_to_pdf", spying)
    return found


def package_pdfs(files: dict[str, bytes]) -> list[bytes]:
    """The package's PDFs in the order the export makes them: the conclusions', the record's."""
    document = json.loads(files[handover.DATA])
    paths = [
        f["duong_dan"] for r in document["ho_so"] for f in r["tep"] if f["vai_tro"] == "ban_pdfa"
    ]
    return [files[p] for p in paths] + [files[f"{handover.RECORD}.pdf"]]


@office
def test_two_exports_with_pdf_are_byte_identical_and_verify(register, made, tmp_path, capsys):
    first, second = tmp_path / "lan-1.zip", tmp_path / "lan-2.zip"
    call_command("export_handover", str(first), committee=register.name, with_pdf=True)
    call_command("export_handover", str(second), committee=register.name, with_pdf=True)
    assert first.read_bytes() == second.read_bytes()

    # LibreOffice's own PDFs did differ between the two runs (the /ID at least).
    assert len(made) == 2 * 3
    assert made[:3] != made[3:]

    capsys.readouterr()
    call_command("verify_handover", str(first))
    out = capsys.readouterr().out
    assert "gói hợp lệ" in out
    assert verify_package(first).problems == []


def embedded_fonts(pdf: pikepdf.Pdf) -> dict[str, bool]:
    """Every font the pages use, by name, and whether its program is in the file."""
    fonts: dict[str, bool] = {}
    for page in pdf.pages:
        for font in page.Resources.get("/Font", {}).values():
            for each in font.get("/DescendantFonts", [font]):
                descriptor = each.get("/FontDescriptor", {})
                fonts[str(each.BaseFont)] = any(
                    key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
                )
    return fonts


@office
def test_each_pdf_keeps_pdfa_fonts_and_text_and_carries_the_package_time(register, made):
    files = members(_exported(register))
    as_of = datetime.fromisoformat(json.loads(files[handover.DATA])["goi"]["ngay_lap"])
    pdfs = package_pdfs(files)
    assert len(pdfs) == len(made) == 3
    for before, after in zip(made, pdfs, strict=True):
        assert after != before
        assert pdfa_problem(after) == ""
        old, new = PdfReader(io.BytesIO(before)), PdfReader(io.BytesIO(after))
        assert [p.extract_text() for p in new.pages] == [p.extract_text() for p in old.pages]
        assert pdf_text(after) == pdf_text(before)
        assert "Quận 2" in pdf_text(after)  # Vietnamese read back, marks and all
        with pikepdf.open(io.BytesIO(before)) as original, pikepdf.open(io.BytesIO(after)) as pdf:
            fonts = embedded_fonts(pdf)
            assert fonts and all(fonts.values())
            assert fonts == embedded_fonts(original)
            meta = pdf.open_metadata()
            assert (meta["pdfaid:part"], meta["pdfaid:conformance"]) == ("2", "B")
            assert "/Filter" not in pdf.Root.Metadata  # PDF/A: the XMP stays readable as is
            for key in ("xmp:CreateDate", "xmp:ModifyDate", "xmp:MetadataDate"):
                assert datetime.fromisoformat(meta[key]) == as_of
            stamp = as_of.strftime("D:%Y%m%d%H%M%S")
            assert str(pdf.docinfo.CreationDate).startswith(stamp)
            assert str(pdf.docinfo.ModDate).startswith(stamp)
            assert str(pdf.docinfo.Producer) == str(original.docinfo.Producer)
            (intent,) = pdf.Root.OutputIntents
            header = intent.DestOutputProfile.read_bytes()[:128]
            utc = as_of.astimezone(UTC)
            assert struct.unpack(">6H", header[24:36]) == utc.timetuple()[:6]
            assert "/DocChecksum" not in pdf.trailer
            assert len(pdf.trailer.ID) == 2


def _exported(committee) -> bytes:
    out = io.BytesIO()
    handover.export_handover(out, committee=committee, with_pdf=True)
    return out.getvalue()


# fixed_pdf on PDFs made here (no LibreOffice needed): what one run leaves that another
# would not is the times, the random ids, the ICC profile's date and ID, the checksum.


def icc_id(profile: bytes) -> bytes:
    """The ICC profile ID as the ICC specification defines it (section 7.2.18)."""
    copy = bytearray(profile)
    copy[44:48] = copy[64:68] = bytes(4)
    copy[84:100] = bytes(16)
    return hashlib.md5(copy, usedforsecurity=False).digest()


def office_like_pdf(text: bytes, run: datetime, *, ids=True) -> bytes:
    """A one-page PDF/A-2b declaration as a converter would write it at *run*."""
    profile = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    utc = run.astimezone(UTC)
    profile[24:36] = struct.pack(">6H", *utc.timetuple()[:6])
    profile[84:100] = icc_id(profile)
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    page = pdf.pages[0]
    page.Contents = pdf.make_stream(b"BT /F1 12 Tf 72 770 Td (" + text + b") Tj ET")
    page.Resources = pikepdf.Dictionary(
        Font=pikepdf.Dictionary(
            F1=pikepdf.Dictionary(
                Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Courier
            )
        )
    )
    icc = pdf.make_stream(zlib.compress(bytes(profile)), Filter=pikepdf.Name.FlateDecode, N=3)
    pdf.Root.OutputIntents = pikepdf.Array(
        [
            pikepdf.Dictionary(
                Type=pikepdf.Name.OutputIntent,
                S=pikepdf.Name.GTS_PDFA1,
                OutputConditionIdentifier="sRGB IEC61966-2.1",
                DestOutputProfile=icc,
            )
        ]
    )
    with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
        meta["pdfaid:part"] = "2"
        meta["pdfaid:conformance"] = "B"
        meta["pdf:Producer"] = "Bộ chuyển thử"
        meta["xmp:CreateDate"] = run.isoformat()
        if ids:
            meta["xmpMM:DocumentID"] = f"uuid:{uuid.uuid4()}"
            meta["xmpMM:InstanceID"] = f"uuid:{uuid.uuid4()}"
    pdf.trailer.DocChecksum = pikepdf.Name("/" + uuid.uuid4().hex.upper())
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


PACKAGE_TIME = datetime(2008, 1, 18, 10, 30, 5, tzinfo=HANOI)


def test_two_runs_of_a_converter_give_the_same_bytes_once_fixed():
    one = office_like_pdf(b"Hoi nghi lan thu 10", datetime(2026, 11, 30, 19, 0, 1, tzinfo=UTC))
    two = office_like_pdf(b"Hoi nghi lan thu 10", datetime(2026, 12, 1, 8, 2, 3, tzinfo=UTC))
    assert one != two
    fixed = fixed_pdf(one, PACKAGE_TIME)
    assert fixed_pdf(two, PACKAGE_TIME) == fixed
    assert fixed_pdf(fixed, PACKAGE_TIME) == fixed
    # Another content: other ids; another time: other dates.
    other = fixed_pdf(office_like_pdf(b"Hoi nghi lan thu 11", PACKAGE_TIME), PACKAGE_TIME)
    with pikepdf.open(io.BytesIO(fixed)) as a, pikepdf.open(io.BytesIO(other)) as b:
        assert a.trailer.ID[0] != b.trailer.ID[0]
        assert a.open_metadata()["xmpMM:DocumentID"] != b.open_metadata()["xmpMM:DocumentID"]
    later = fixed_pdf(one, PACKAGE_TIME + timedelta(days=1))
    assert later != fixed
    assert PdfReader(io.BytesIO(later)).metadata.creation_date == PACKAGE_TIME + timedelta(days=1)


def test_the_fixed_pdf_carries_the_time_and_ids_from_its_content():
    fixed = fixed_pdf(office_like_pdf(b"Ket luan", datetime.now(UTC)), PACKAGE_TIME)
    assert pdfa_problem(fixed) == ""
    reader = PdfReader(io.BytesIO(fixed))
    assert reader.pages[0].extract_text() == "Ket luan"
    assert reader.metadata.creation_date == PACKAGE_TIME
    assert reader.metadata.modification_date == PACKAGE_TIME
    assert reader.metadata.producer == "Bộ chuyển thử"
    with pikepdf.open(io.BytesIO(fixed)) as pdf:
        meta = pdf.open_metadata()
        for key in ("xmp:CreateDate", "xmp:ModifyDate", "xmp:MetadataDate"):
            assert datetime.fromisoformat(meta[key]) == PACKAGE_TIME
        ids = {meta["xmpMM:DocumentID"], meta["xmpMM:InstanceID"]}
        assert len(ids) == 2
        for value in ids:
            assert value.startswith("uuid:")
            assert uuid.UUID(value[5:]).version == 4
            assert uuid.UUID(value[5:]).int != 0
        profile = pdf.Root.OutputIntents[0].DestOutputProfile.read_bytes()
        assert struct.unpack(">6H", profile[24:36]) == (2008, 1, 18, 3, 30, 5)
        assert profile[84:100] == icc_id(profile)
        assert "/DocChecksum" not in pdf.trailer


def test_without_a_time_the_earliest_zip_time_and_without_ids_none_added():
    fixed = fixed_pdf(office_like_pdf(b"Trong", datetime.now(UTC), ids=False), None)
    with pikepdf.open(io.BytesIO(fixed)) as pdf:
        meta = pdf.open_metadata()
        assert datetime.fromisoformat(meta["xmp:CreateDate"]) == datetime(1980, 1, 1, tzinfo=UTC)
        assert "xmpMM:DocumentID" not in meta
    naive = fixed_pdf(office_like_pdf(b"Trong", datetime.now(UTC)), datetime(2008, 1, 18, 3))
    assert PdfReader(io.BytesIO(naive)).metadata.creation_date == datetime(
        2008, 1, 18, 3, tzinfo=UTC
    )


def test_a_pdf_that_cannot_be_read_is_refused_in_vietnamese_and_no_package_is_left(
    register, tmp_path, monkeypatch
):
    with pytest.raises(ConversionError, match="Không chuẩn hóa được bản PDF"):
        fixed_pdf(b"%PDF-1.4 hong", PACKAGE_TIME)
    monkeypatch.setattr(
        handover, "convert_to_pdf", lambda documents: dict.fromkeys(documents, b"khong phai PDF")
    )
    out = tmp_path / "goi.zip"
    with pytest.raises(CommandError, match="tệp hỏng hoặc không phải PDF"):
        call_command("export_handover", str(out), committee=register.name, with_pdf=True)
    assert not out.exists()
