"""What the register refuses of an uploaded file before reading it: one refusal, one size
limit per kind of upload, one rule for zip files (XLSX, ODS and .docx are all zips).

Pure Python, no Django: the parser (``resolutions.parsing``) reads .docx files through the same
rule. The limits are set from ``settings.UPLOAD_LIMITS`` when Django starts
(``ResolutionsConfig.ready``); the values below are the defaults.
"""

from __future__ import annotations

import zipfile
from typing import IO, BinaryIO

MB = 1024 * 1024
# Per kind of upload: how large the file may be, and how far its zip may expand.
LIMITS: dict[str, int] = {
    # A conclusion's text (.docx, .txt, .md) or pasted text.
    "document": 5 * MB,
    "document_expanded": 50 * MB,
    # A spreadsheet: one table from the admin's import, or a whole-register archive.
    "spreadsheet": 200 * MB,
    "spreadsheet_expanded": 2048 * MB,
    # A zip of conclusion files (the admin's "Nhập nhiều văn bản"): each file in it is a
    # document, held to the document's limit as it is unzipped.
    "shelf": 200 * MB,
    "shelf_expanded": 2048 * MB,
    # A handover package (gói nộp lưu): a committee's whole register with its source files.
    "handover": 4096 * MB,
    "handover_expanded": 8192 * MB,
}
# How far one member may expand relative to its compressed size: text compresses ~10x, a
# "zip bomb" 1,000x and more.
MAX_RATIO = 200
# Below RATIO_FLOOR a ratio says nothing (a small member of repeated cells compresses well).
RATIO_FLOOR = 10 * MB
WHAT = {
    "document": "một văn bản",
    "spreadsheet": "một bảng tính",
    "shelf": "một tệp zip văn bản",
    "handover": "một gói nộp lưu",
}


class UploadRefused(ValueError):
    """The file is refused; the message says why, in Vietnamese, and ``problems`` lists each
    bad row when there are several."""

    def __init__(self, message: str, problems: list[str] | None = None):
        super().__init__(message)
        self.problems = problems or []

    def __str__(self):
        return "\n".join([self.args[0], *self.problems])


def limit(kind: str) -> int:
    return LIMITS[kind]


def too_large(name: str, size: int, kind: str) -> str:
    """The one wording of a file over its kind's limit."""
    return (
        f"{name}: tệp quá lớn ({size / MB:.1f} MB); giới hạn là {LIMITS[kind] // MB} MB "
        f"cho {WHAT[kind]}."
    )


def check_size(name: str, size: int, kind: str, refusal=UploadRefused) -> None:
    if size > LIMITS[kind]:
        raise refusal(too_large(name, size, kind))


def expanded_refusal(name: str, kind: str) -> str:
    return (
        f"{name}: tệp giải nén ra quá lớn so với kích thước của nó (có thể là “bom zip”, "
        f"trên {LIMITS[kind + '_expanded'] // MB} MB); tệp bị từ chối, không có gì được ghi."
    )


def check_zip_members(
    name: str, archive: zipfile.ZipFile, kind: str, refusal=UploadRefused
) -> None:
    """Refuse a zip whose members say they expand past the kind's limit, or one member that
    expands too far for its size. (What is then read is counted too, by ``counted``: the
    sizes a zip declares can lie.)"""
    total = 0
    for member in archive.infolist():
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if total > LIMITS[kind + "_expanded"] or (
            member.file_size > RATIO_FLOOR and ratio > MAX_RATIO
        ):
            raise refusal(expanded_refusal(name, kind))


def check_zip(name: str, stream: BinaryIO, kind: str = "spreadsheet") -> None:
    """An XLSX or ODS file is a zip: refuse one that is not, or that would expand too far.
    The stream is left at its start."""
    if not zipfile.is_zipfile(stream):
        raise UploadRefused(f"{name}: không phải tệp bảng tính .xlsx/.ods (vốn là một tệp zip).")
    stream.seek(0)
    with zipfile.ZipFile(stream) as archive:
        check_zip_members(name, archive, kind)
    stream.seek(0)


def member_too_large(name: str, member: str, kind: str) -> str:
    """The one wording of a file inside a zip that unzips past its kind's limit."""
    return (
        f"{name}: “{member}” giải nén ra quá {LIMITS[kind] // MB} MB cho {WHAT[kind]}; "
        "tệp zip bị từ chối."
    )


def unzipped_member(
    name: str,
    archive: zipfile.ZipFile,
    member: zipfile.ZipInfo,
    kind: str,
    chunk: int,
    refusal=UploadRefused,
):
    """The chunks of a file in a zip of files, each file a *kind* of its own (a zip of
    conclusions: each a document): refused once more than that kind's limit has come out,
    whatever the zip declared."""
    expanded = 0
    with archive.open(member) as stream:
        while data := stream.read(chunk):
            expanded += len(data)
            if expanded > LIMITS[kind]:
                raise refusal(member_too_large(name, member.filename, kind))
            yield data


def counted(name: str, member: IO[bytes], kind: str, chunk: int, refusal=UploadRefused):
    """The chunks of a zip member as it is unzipped, refused once more than the kind's limit
    has come out (whatever the zip declared)."""
    expanded = 0
    while data := member.read(chunk):
        expanded += len(data)
        if expanded > LIMITS[kind + "_expanded"]:
            raise refusal(expanded_refusal(name, kind))
        yield data
