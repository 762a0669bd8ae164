"""One rule for every upload: the same limits, the same wording, the same zip check.

A conclusion (.docx) and a spreadsheet (.xlsx) are both zips; both are refused over their
kind's size in ``settings.UPLOAD_LIMITS``, or when they would expand past it, before anything
is read or written (no database access at all here).
"""

import io
import zipfile

import pytest
from django.conf import settings

from resolutions import upload_safety
from resolutions.parsing import DocumentError, read_document
from resolutions.spreadsheets.archive import import_table
from resolutions.spreadsheets.resources import DirectiveResource
from resolutions.upload_safety import UploadRefused


def zipped(members: dict[str, bytes]) -> bytes:
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return stream.getvalue()


def test_the_limits_in_force_are_the_settings():
    assert upload_safety.LIMITS == settings.UPLOAD_LIMITS


def test_a_document_and_a_spreadsheet_over_their_limits_are_refused_alike(monkeypatch):
    monkeypatch.setitem(upload_safety.LIMITS, "document", 1024 * 1024)
    monkeypatch.setitem(upload_safety.LIMITS, "spreadsheet", 1024 * 1024)
    big = b"x" * (2 * 1024 * 1024)
    with pytest.raises(DocumentError) as document:
        read_document("kl.docx", big)
    with pytest.raises(UploadRefused) as sheet:
        import_table(DirectiveResource, big, "xlsx", name="nv.xlsx")
    assert str(document.value) == "kl.docx: tệp quá lớn (2.0 MB); giới hạn là 1 MB cho một văn bản."
    assert str(sheet.value) == "nv.xlsx: tệp quá lớn (2.0 MB); giới hạn là 1 MB cho một bảng tính."
    # The parser's refusal is the one refusal, so a caller may catch either.
    assert isinstance(document.value, UploadRefused)


def test_a_docx_and_an_xlsx_that_would_expand_too_far_are_refused_by_one_rule(monkeypatch):
    monkeypatch.setitem(upload_safety.LIMITS, "document_expanded", 1024 * 1024)
    monkeypatch.setitem(upload_safety.LIMITS, "spreadsheet_expanded", 1024 * 1024)
    padding = b"<a/>" * (512 * 1024)  # 2 MiB that compress to a few kilobytes
    docx = zipped({"word/document.xml": padding})
    xlsx = zipped({"xl/worksheets/sheet1.xml": padding})
    with pytest.raises(DocumentError, match="bom zip"):
        read_document("kl.docx", docx)
    with pytest.raises(UploadRefused, match="bom zip") as sheet:
        import_table(DirectiveResource, xlsx, "xlsx", name="nv.xlsx")
    assert "trên 1 MB" in str(sheet.value)
