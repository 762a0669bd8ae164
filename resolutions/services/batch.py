"""A shelf at a time: every conclusion file of a folder imported, one transaction per document,
with a report per file. Resumable: a file whose bytes were imported before (a meeting keeps a
source file of that SHA-256) is not read again, so a run that
stopped half-way is run again as it was."""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .. import upload_safety
from ..parsing import DocumentError, read_path_bytes
from ..parsing.intake import as_guessed, read_upload
from ..spreadsheets import xlsx
from . import audit
from .conclusions import ImportRefused, Reference, import_conclusion, parse_text, reference
from .sources import meetings_with_file

# What a folder is searched for; a file named on the command line is read whatever its name.
SUFFIXES = frozenset(
    (".txt", ".docx", ".doc", ".rtf", ".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff")
)
IMPORTED, UPDATED, UNCHANGED, REFUSED = "imported", "updated", "unchanged", "refused"
STATUS_LABELS = {
    IMPORTED: "nhập mới",
    UPDATED: "cập nhật",
    UNCHANGED: "không thay đổi",
    REFUSED: "từ chối",
}
REPORT_HEADERS = (
    "Tệp",
    "Kết quả",
    "Lý do",
    "Định dạng",
    "Bảng mã",
    "Hội nghị",
    "Cảnh báo",
    "SHA-256",
)
ALREADY_IMPORTED = "tệp này (cùng SHA-256) đã được nhập trước đây; không đọc lại"


@dataclass
class FileReport:
    """What became of one file."""

    path: str
    status: str
    reason: str = ""
    format: str = ""
    encoding: str = ""
    meeting: str = ""
    warnings: list[str] = field(default_factory=list)
    checksum: str = ""
    summary: str = ""  # the import's one line, as import_conclusions prints it
    edits: list = field(default_factory=list)
    kept_edits: list = field(default_factory=list)

    @property
    def source_name(self) -> str:
        return self.path

    def row(self) -> list[str]:
        return [
            self.path,
            STATUS_LABELS[self.status],
            self.reason,
            self.format,
            self.encoding,
            self.meeting,
            "\n".join(self.warnings),
            self.checksum,
        ]


def document_paths(paths: Iterable[str | Path], *, recursive: bool = False) -> list[Path]:
    """The files named, and the conclusion files in the folders named (in their subfolders
    too with *recursive*), each once, in name order within a folder."""
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            pattern = "**/*" if recursive else "*"
            found += sorted(
                p for p in path.glob(pattern) if p.is_file() and p.suffix.lower() in SUFFIXES
            )
        else:
            found.append(path)
    return list(dict.fromkeys(found))


def import_files(
    paths: list[Path],
    *,
    dry_run: bool = False,
    overwrite_edits: bool = False,
    user=None,
    progress: Callable[[Iterable[Path]], Iterator[Path]] | None = None,
) -> list[FileReport]:
    """Import each file on its own: a refused file is reported and the batch goes on."""
    reports = []
    batch = reference()  # the topics, read once: an import adds none
    for path in progress(paths) if progress else paths:
        reports.append(
            import_file(
                path, dry_run=dry_run, overwrite_edits=overwrite_edits, user=user, batch=batch
            )
        )
    return reports


def import_file(
    path: Path,
    *,
    dry_run: bool = False,
    overwrite_edits: bool = False,
    user=None,
    batch: Reference | None = None,
) -> FileReport:
    report = FileReport(str(path), REFUSED)
    try:
        data = read_path_bytes(path)
        report.checksum = audit.checksum(data)
        if not overwrite_edits and already_imported(report.checksum):
            report.status, report.reason = UNCHANGED, ALREADY_IMPORTED
            return report
        intake = read_upload(path.name, data)
        report.format, report.encoding = intake.format_label, intake.encoding_label
        report.warnings += intake.notes
        parsed = parse_text(intake.text, path.name, batch.matcher if batch else None)
        if intake.ocr:
            as_guessed(parsed)
        outcome = import_conclusion(
            parsed,
            source_name=path.name,
            dry_run=dry_run,
            user=user,
            data=data,
            overwrite_edits=overwrite_edits,
            intake=intake,
            batch=batch,
        )
    except (DocumentError, ImportRefused, OSError) as error:
        report.reason = str(error)
        return report
    report.status = {"created": IMPORTED, "updated": UPDATED}.get(outcome.status, UNCHANGED)
    report.meeting = str(outcome.meeting)
    report.warnings += [str(warning) for warning in outcome.warnings]
    report.summary = outcome.summary()
    report.edits, report.kept_edits = outcome.edits, outcome.kept_edits
    return report


def already_imported(checksum: str) -> bool:
    """Whether a meeting keeps a source file with these bytes (an index lookup; a meeting
    deleted takes its source files with it)."""
    return bool(meetings_with_file(checksum))


def write_report(reports: list[FileReport], target) -> None:
    """The reports as a workbook a person opens: one row per file."""
    xlsx.write([("Kết quả nhập", [list(REPORT_HEADERS), *(r.row() for r in reports)])], target)


# A zip of a shelf: a few thousand conclusions, each within a document's limit.
MAX_ZIP_FILES = 2000
_CHUNK = 1 << 16


def unpack_zip(name: str, stream, folder: Path) -> list[Path]:
    """The conclusion files of an uploaded zip, written under *folder* at their paths in the
    zip (made safe: no absolute path, no ".."), in the zip's order; the other files are left
    out. The zip is held to upload_safety's rule for a "shelf": its size, what its members
    declare, and each file counted as it expands against a document's limit, so a zip bomb
    stops there. Raises DocumentError for a damaged or encrypted zip, one with too many files
    or one that expands too far."""
    size = stream.seek(0, 2) if stream.seekable() else 0
    stream.seek(0)
    upload_safety.check_size(name, size, "shelf", DocumentError)
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise DocumentError(f"{name}: tệp zip bị hỏng hoặc không phải tệp zip.") from None
    written: list[Path] = []
    with archive:
        members = [
            m
            for m in archive.infolist()
            if not m.is_dir() and PurePosixPath(m.filename).suffix.lower() in SUFFIXES
        ]
        if len(members) > MAX_ZIP_FILES:
            raise DocumentError(
                f"{name}: tệp zip có {len(members)} văn bản, quá {MAX_ZIP_FILES} cho một lần "
                "nhập; hãy chia thành nhiều tệp zip."
            )
        upload_safety.check_zip_members(name, archive, "shelf", DocumentError)
        expanded = 0
        for member in members:
            if member.flag_bits & 0x1:
                raise DocumentError(f"{name}: tệp zip được đặt mật khẩu; hãy bỏ mật khẩu.")
            parts = [
                p
                for p in PurePosixPath(member.filename.replace("\\", "/")).parts
                if p not in ("", ".", "..", "/")
            ]
            target = folder.joinpath(*parts) if parts else None
            if target is None or target in written:
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                with target.open("wb") as out:
                    for chunk in upload_safety.unzipped_member(
                        name, archive, member, "document", _CHUNK, DocumentError
                    ):
                        expanded += len(chunk)
                        if expanded > upload_safety.limit("shelf_expanded"):
                            raise DocumentError(upload_safety.expanded_refusal(name, "shelf"))
                        out.write(chunk)
            except DocumentError:
                raise
            except (
                zipfile.BadZipFile,
                OSError,
                EOFError,
                RuntimeError,
                NotImplementedError,
                ValueError,
            ):
                raise DocumentError(f"{name}: tệp zip bị hỏng ở “{member.filename}”.") from None
            written.append(target)
    return written
