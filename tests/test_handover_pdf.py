"""The handover package with PDF/A renditions: one per conclusion and the record's, each
identified as PDF/A-2b, and what verify_handover says of a PDF that is not one."""

import hashlib
import io
import json
import shutil

import pytest
from pypdf import PdfWriter

from resolutions.handover import package as handover
from resolutions.handover.verify import pdfa_problem, verify_package

from .test_handover import exported, members, rezipped, seed_register, written

pytestmark = pytest.mark.django_db


@pytest.fixture
def register(db):
    return seed_register()


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
office = pytest.mark.skipif(not SOFFICE, reason="LibreOffice is not installed")


@office
def test_with_pdf_each_conclusion_has_its_pdfa_and_nothing_is_missing(register, tmp_path):
    data = exported(register, with_pdf=True)
    files = members(data)
    document = json.loads(files[handover.DATA])
    assert document["goi"]["thieu"] == []  # every conclusion has its source file and its PDF/A
    for record in document["ho_so"]:
        (pdf,) = [f for f in record["tep"] if f["vai_tro"] == "ban_pdfa"]
        assert pdf["kieu_mime"] == "application/pdf"
        assert pdf["so_trang"] >= 1
        assert record["so_trang"] == pdf["so_trang"]
        assert pdfa_problem(files[pdf["duong_dan"]]) == ""
    assert pdfa_problem(files[f"{handover.RECORD}.pdf"]) == ""
    assert verify_package(written(tmp_path, data)).problems == []

    # A PDF that is no PDF/A-2b put in place of one, with the checksums made to match it (as
    # a careless tool would): the identification is what fails.
    folder = "data/ho-so/khoa-03-hoi-nghi-010/"
    (name,) = [n for n in files if n.startswith(folder) and n.endswith(".pdf")]
    plain = files[name].replace(b"<pdfaid:part>2</pdfaid:part>", b"<pdfaid:part>1</pdfaid:part>")
    old, new = (hashlib.sha256(d).hexdigest().encode() for d in (files[name], plain))

    def change(member, content):
        if member == name:
            return [(member, plain)]
        if member in ("manifest-sha256.txt", handover.DATA):
            return [(member, content.replace(old, new))]
        return [(member, content)]

    problems = verify_package(written(tmp_path, rezipped(data, change), "sai.zip")).problems
    assert f"Tệp “{name}”: nhận dạng là PDF/A-1b, không phải PDF/A-2b." in problems


def test_a_pdf_without_identification_is_named():
    out = io.BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.write(out)
    assert pdfa_problem(out.getvalue()) == (
        "không có nhận dạng PDF/A (pdfaid) trong siêu dữ liệu XMP"
    )
    assert pdfa_problem(b"%PDF-1.4 hong") == "không đọc được tệp PDF"
