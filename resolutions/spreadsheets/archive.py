"""The whole-archive workbook: one sheet per model, plus a sheet that describes the file.

Exports stream: a write-only workbook fed row by row from an iterator over each queryset, so
memory stays flat however large the archive. A restore is one transaction: every sheet is read
in dependency order through the same resources the admin uses, and on any bad row nothing is
written and every bad row of the failing sheet is reported with its row, column and reason.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import tablib
from django.db import IntegrityError
from django.utils import timezone
from openpyxl import Workbook

from .. import upload_safety
from ..errors import database_refusal
from ..series.resources import (
    DirectiveTargetResource,
    SeriesMatchResource,
    SeriesResource,
)
from ..services import audit
from ..upload_safety import UploadRefused
from ..vietnamese import to_roman
from . import cells, formats, readers, xlsx
from .base import SheetState
from .resources import (
    CommitteeResource,
    DirectiveResource,
    FindingResource,
    IndicatorResource,
    MeetingResource,
    ProgressNoteResource,
    ReportResource,
    TopicResource,
    UnitResource,
)
from .widgets import ImportProblem

INFO_SHEET = "Thông tin tệp"
# A file with thousands of bad rows usually has one mistake repeated: show the first ones.
MAX_PROBLEMS_SHOWN = 100

# The archive's sheets, in the order a restore must follow. The series come before the
# meetings' figures, so that the figures a restore writes join them rather than open new ones
# (series/matching.py); the matches and targets then update the suggestions made on the way.
ARCHIVE_SHEETS = (
    ("Lĩnh vực", TopicResource),
    ("Cấp ủy", CommitteeResource),
    ("Đơn vị", UnitResource),
    ("Chỉ tiêu theo dõi", SeriesResource),
    ("Hội nghị", MeetingResource),
    ("Báo cáo", ReportResource),
    ("Chỉ tiêu", IndicatorResource),
    ("Ghép chỉ tiêu", SeriesMatchResource),
    ("Nhiệm vụ", DirectiveResource),
    ("Mục tiêu nhiệm vụ", DirectiveTargetResource),
    ("Kết quả, tồn tại", FindingResource),
    ("Tiến độ", ProgressNoteResource),
)


@dataclass
class SheetOutcome:
    name: str
    rows: int = 0
    counts: dict[str, int] = field(default_factory=dict)


@dataclass
class RestoreOutcome:
    sheets: list[SheetOutcome] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    dry_run: bool = False

    def summary(self) -> str:
        labels = {"new": "mới", "update": "cập nhật", "skip": "không đổi", "delete": "xóa"}
        parts = []
        for sheet in self.sheets:
            counts = ", ".join(f"{n} {labels.get(k, k)}" for k, n in sheet.counts.items() if n)
            parts.append(f"{sheet.name}: {counts or '0'}")
        return ("[chạy thử] " if self.dry_run else "") + "; ".join(parts)


def scoped(queryset, model_name: str, committee=None, year=None, term=None):
    """The rows of one archive table that belong to a committee, a year of meetings, a term
    (the workbook's scope; the handover package's JSON reads its tables the same way)."""
    meeting = {
        "meeting": "",
        "report": "meeting__",
        "indicator": "meeting__",
        "directive": "meeting__",
        "finding": "meeting__",
        # Progress notes follow their directive's meeting: a committee's archive holds only
        # its own (the notes of other committees would name directives it does not hold).
        "progressnote": "directive__meeting__",
        "seriesmatch": "indicator__meeting__",
        "directivetarget": "directive__meeting__",
    }.get(model_name)
    if model_name == "indicatorseries":
        # A committee's series, whatever the year or term: its matches in scope name them.
        return queryset if committee is None else queryset.filter(committee=committee)
    if meeting is None:
        return queryset
    if committee is not None:
        queryset = queryset.filter(**{f"{meeting}committee": committee})
    if year:
        queryset = queryset.filter(**{f"{meeting}started_on__year": year})
    if term:
        queryset = queryset.filter(**{f"{meeting}term": term})
    return queryset


def _canonical(value) -> str:
    """One spelling per value, whether it was just written or read back from the workbook."""
    if value.__class__ is str:  # most cells: asked first, since every cell is checksummed
        return value
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date() if value.time() == datetime.min.time() else value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float | Decimal):
        return format(Decimal(repr(value) if isinstance(value, float) else value).normalize(), "f")
    return "" if value is None else str(value)


def export_archive(
    target,
    *,
    committee=None,
    year=None,
    term=None,
    exported_by: str = "",
    only=None,
    as_of: datetime | None = None,
) -> dict:
    """Write the archive workbook to *target* (a path or a binary stream); returns row counts.

    ``only`` names the sheets to write, when not all of them are wanted. ``as_of`` dates the
    file instead of the present moment (the time written on its first sheet and in its
    properties, and the day the directives' status is computed for): the handover package
    dates its workbook by the register's newest change, so that the same register gives the
    same file.
    """
    book = Workbook(write_only=True)
    info = book.create_sheet(INFO_SHEET)
    described = []
    for sheet_name, resource_class in ARCHIVE_SHEETS:
        if only is not None and sheet_name not in only:
            continue
        resource = resource_class()
        headers = resource.get_export_headers()
        digest = hashlib.sha256(json.dumps(headers, ensure_ascii=False).encode())
        queryset = scoped(
            resource.get_queryset(), resource._meta.model._meta.model_name, committee, year, term
        )
        if as_of is not None and hasattr(queryset, "with_status"):
            queryset = queryset.with_status(timezone.localdate(as_of))
        # xlsx.table writes an empty text as an empty cell.
        rows = resource.fast_rows(queryset, force_native_type=True, spreadsheet_format="xlsx")
        count = xlsx.table(
            book.create_sheet(sheet_name),
            headers,
            rows,
            on_row=lambda row, digest=digest: digest.update(
                json.dumps([_canonical(v) for v in row], ensure_ascii=False).encode()
            ),
        )
        described.append([sheet_name, count, digest.hexdigest()])
    scope = []
    if committee is not None:
        scope.append(str(committee))
    if term:
        scope.append(f"khóa {to_roman(term)}")
    if year:
        scope.append(f"năm {year}")
    xlsx.table(
        info,
        ["Bảng", "Số dòng", "Mã kiểm tra SHA-256"],
        described,
        title_rows=[
            "Sổ kết luận Hội nghị Ban Chấp hành — tệp lưu trữ",
            ["Thời điểm xuất", timezone.localtime(as_of).strftime("%d/%m/%Y %H:%M:%S")],
            ["Người xuất", cells.escape(exported_by)],
            ["Phạm vi", cells.escape(", ".join(scope)) or "toàn bộ sổ"],
            [],
        ],
    )
    book.save(target)
    return {name: count for name, count, _ in described}


def check_archive_file(path: Path) -> None:
    """Refuse what is not an XLSX of sane size before opening it."""
    upload_safety.check_size(path.name, path.stat().st_size, "spreadsheet")
    with path.open("rb") as handle:
        upload_safety.check_zip(path.name, handle)


def restore_archive(path, *, dry_run: bool = False, user=None, name: str = "") -> RestoreOutcome:
    """Restore an archive workbook, all or nothing, as one revision of the audit trail."""
    path = Path(path)
    check_archive_file(path)
    try:
        book = readers.open_workbook(path)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise UploadRefused(f"{path.name}: không đọc được tệp Excel ({error}).") from None
    outcome = RestoreOutcome(dry_run=dry_run)
    missing = [name for name, _ in ARCHIVE_SHEETS if name not in book.sheetnames]
    if missing:
        raise UploadRefused(
            f"{path.name}: thiếu bảng " + ", ".join(f"“{m}”" for m in missing) + "."
        )
    expected = _described_checksums(book)
    comment = audit.import_comment(name or path.name, digest=audit.file_checksum(path))
    try:
        with audit.recorded(comment, user, dry_run=dry_run):
            for sheet_name, resource_class in ARCHIVE_SHEETS:
                sheet, checksum = restore_sheet(book[sheet_name], resource_class(), path.name)
                if sheet_name in expected and expected[sheet_name] != checksum:
                    outcome.warnings.append(
                        f"Bảng “{sheet_name}” đã được sửa sau khi xuất (mã kiểm tra khác)."
                    )
                outcome.sheets.append(sheet)
    finally:
        book.close()
    return outcome


# Rows of an archive's sheet imported at a time: what a sheet keeps in memory is one part's
# rows and results, the hashes of its keys and its links not set yet, however long the sheet.
PART = 5000


def restore_sheet(sheet, resource, file_name: str) -> tuple[SheetOutcome, str]:
    """One sheet of an archive, read as a stream and imported PART rows at a time through its
    resource; its outcome and the checksum of what it holds. Raises UploadRefused naming the
    first bad rows of the whole sheet and their number (nothing of it is kept then: the
    caller's transaction rolls back)."""
    name = sheet.title
    headers, rows = _rows(sheet, file_name)
    digest = hashlib.sha256(json.dumps(list(headers), ensure_ascii=False).encode())
    state = SheetState(lambda: _rows(sheet, file_name)[1])
    outcome = SheetOutcome(name)
    totals: Counter[str] = Counter()
    problems: list[str] = []
    errors = 0
    try:
        for part in _parts(rows, PART):
            first_row = outcome.rows + 2
            for row in part:
                digest.update(json.dumps([_canonical(v) for v in row], ensure_ascii=False).encode())
            dataset = tablib.Dataset(*part, headers=list(headers))
            result = _imported(resource, dataset, name, file_name, sheet=state, first_row=first_row)
            outcome.rows += len(part)
            found = _problems(result, resource, first_row)
            if found:  # the rest is read on, for the number of bad rows
                errors += len(found)
                problems += found[: max(0, MAX_PROBLEMS_SHOWN - len(problems))]
                if result.base_errors:  # the sheet as a whole: every part would say it again
                    break
                continue
            totals.update(result.totals)
            audit.add_import_result(result)  # into the file's revision, when one is recorded
    except readers.Unreadable as error:
        raise UploadRefused(str(error)) from None
    if not errors:
        problems = [f"- {problem}" for problem in resource.finish_sheet(state)]
        errors = len(problems)
    _refuse(problems, errors, file_name, name)
    outcome.counts = dict(totals)
    return outcome, digest.hexdigest()


def _parts(rows, size: int):
    part = []
    for row in rows:
        part.append(row)
        if len(part) == size:
            yield part
            part = []
    if part:
        yield part


def _imported(resource, dataset, sheet_name: str, file_name: str, **kwargs):
    try:
        return resource.import_data(
            dataset,
            dry_run=False,
            raise_errors=False,
            use_transactions=False,
            retain_instance_in_row_result=True,
            spreadsheet_format=kwargs.pop("spreadsheet_format", "xlsx"),
            **kwargs,
        )
    except ImportProblem as problem:
        raise UploadRefused(f"{file_name}, bảng “{sheet_name}”: {problem}.") from None


def _refuse(problems: list[str], count: int, file_name: str, sheet_name: str) -> None:
    """Raise UploadRefused naming the first MAX_PROBLEMS_SHOWN of *count* bad rows, if any."""
    if not count:
        return
    shown = problems[:MAX_PROBLEMS_SHOWN]
    if count > len(shown):
        shown.append(f"… và {count - len(shown)} lỗi khác.")
    raise UploadRefused(
        f"{file_name}, bảng “{sheet_name}”: {count} lỗi; không có gì được ghi.", shown
    )


def import_sheet(resource, dataset: tablib.Dataset, sheet_name: str, file_name: str, **kwargs):
    """Import one table through its resource; raise UploadRefused listing every bad row."""
    result = _imported(resource, dataset, sheet_name, file_name, **kwargs)
    problems = _problems(result, resource)
    _refuse(problems, len(problems), file_name, sheet_name)
    audit.add_import_result(result)  # into the file's revision, when one is being recorded
    return SheetOutcome(sheet_name, len(dataset), dict(result.totals))


def _problems(result, resource, first_row: int = 2) -> list[str]:
    """Each bad row of an import, numbered as the file's rows (the dataset's first row is the
    file's ``first_row``)."""
    shift = first_row - 1
    problems = []
    for error in result.base_errors:
        if isinstance(error.error, IntegrityError):
            problems.append(f"- {database_refusal(error.error)}")
        else:
            problems.append(f"- {error.error}")
    for number, errors in result.row_errors():
        for error in errors:
            problems.append(f"- dòng {number + shift}: {error.error}")
    columns = {f.attribute: f.column_name for f in resource.fields.values()}
    for invalid in result.invalid_rows:
        for field_name, messages in invalid.error_dict.items():
            column = columns.get(field_name, field_name)
            for message in messages:
                named = field_name == "__all__" or message.startswith("cột ")
                where = "" if named else f"cột “{column}”: "
                problems.append(f"- dòng {invalid.number + shift}: {where}{message}")
    return problems


def _dataset(sheet, name: str = "") -> tablib.Dataset:
    try:
        return readers.sheet_dataset(sheet, name or sheet.title)
    except readers.Unreadable as error:
        raise UploadRefused(str(error)) from None


def _rows(sheet, name: str):
    try:
        return readers.sheet_rows(sheet, name)
    except readers.Unreadable as error:
        raise UploadRefused(str(error)) from None


def _described_checksums(book) -> dict[str, str]:
    if INFO_SHEET not in book.sheetnames:
        return {}
    found = {}
    for row in book[INFO_SHEET].iter_rows(values_only=True):
        if row and len(row) >= 3 and row[0] and row[2] and len(str(row[2])) == 64:
            found[str(row[0])] = str(row[2])
    return found


def export_table(resource_class, queryset=None, file_format: str = "xlsx") -> bytes:
    """The table as the admin's export writes it, in one of ``formats.FORMATS``."""
    resource = resource_class()
    dataset = resource.export(
        queryset if queryset is not None else resource.get_queryset(),
        force_native_type=file_format in formats.NATIVE,
        spreadsheet_format=file_format,
    )
    data = formats.BY_TITLE[file_format]().export_data(dataset)  # type: ignore[attr-defined]
    return data if isinstance(data, bytes) else data.encode("utf-8")


def read_table(data: bytes, file_format: str, name: str = "tệp") -> tablib.Dataset:
    return readers.read(data, file_format, name)


def import_table(
    resource_class,
    data: bytes,
    file_format: str,
    *,
    name: str = "tệp",
    dry_run: bool = False,
    user=None,
) -> SheetOutcome:
    """One table from a file (CSV, XLSX, ODS, JSON), as one transaction and one revision."""
    formats.checked(data, file_format, name)
    try:
        dataset = read_table(data, file_format, name)
    except readers.Unreadable as error:
        raise UploadRefused(str(error)) from None
    except Exception as error:  # each format's reader fails in its own way
        raise UploadRefused(
            f"{name}: không đọc được tệp {file_format.upper()} ({error})."
        ) from None
    with audit.recorded(audit.import_comment(name, data), user, dry_run=dry_run):
        return import_sheet(resource_class(), dataset, name, name, spreadsheet_format=file_format)
