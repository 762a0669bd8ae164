"""The zip of conclusion files is held to the one zip rule of upload_safety, as a "shelf": its
own size limit, what its members declare, and each file counted against a document's limit as
it expands (whatever the zip declares)."""

import io
import zipfile

import pytest

from resolutions import upload_safety
from resolutions.parsing import DocumentError
from resolutions.services.batch import unpack_zip

MB = upload_safety.MB


def zipped(members: dict[str, bytes], method=zipfile.ZIP_DEFLATED) -> io.BytesIO:
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    stream.seek(0)
    return stream


def test_a_file_over_a_documents_limit_is_refused_with_the_rules_wording(tmp_path, monkeypatch):
    monkeypatch.setitem(upload_safety.LIMITS, "document", 1 * MB)
    stream = zipped({"a.txt": b"x" * 1000, "b/lon.txt": b"y" * (2 * MB)})
    with pytest.raises(DocumentError) as refused:
        unpack_zip("ke.zip", stream, tmp_path)
    assert str(refused.value) == upload_safety.member_too_large("ke.zip", "b/lon.txt", "document")
    assert "“b/lon.txt” giải nén ra quá 1 MB cho một văn bản" in str(refused.value)


def test_members_declaring_more_than_the_shelf_expands_to_are_refused_before_unzipping(
    tmp_path, monkeypatch
):
    monkeypatch.setitem(upload_safety.LIMITS, "shelf_expanded", 1 * MB)
    stream = zipped({f"{n}.txt": b"k" * (300 * 1024) for n in range(4)})
    with pytest.raises(DocumentError, match="bom zip"):
        unpack_zip("ke.zip", stream, tmp_path)
    assert list(tmp_path.iterdir()) == []  # nothing written


def test_a_zip_over_the_shelfs_size_is_refused_unread(tmp_path, monkeypatch):
    monkeypatch.setitem(upload_safety.LIMITS, "shelf", 1 * MB)
    stream = zipped({"a.txt": bytes(range(256)) * 8192}, zipfile.ZIP_STORED)  # 2 MB stored
    with pytest.raises(DocumentError) as refused:
        unpack_zip("ke.zip", stream, tmp_path)
    assert str(refused.value).startswith("ke.zip: tệp quá lớn (2.0 MB)")
    assert str(refused.value).endswith("giới hạn là 1 MB cho một tệp zip văn bản.")
    assert list(tmp_path.iterdir()) == []
