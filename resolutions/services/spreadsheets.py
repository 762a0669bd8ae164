"""One table in and out of a file (CSV, XLSX, ODS, JSON), through the model's resource.

CSV is written as UTF-8 with a byte-order mark, so that spreadsheet programs show Vietnamese
correctly, and read with or without one. Every import is one transaction and all or nothing.
"""

from __future__ import annotations

import io

import tablib
from django.db import transaction

from . import audit
from .archive import MAX_ARCHIVE_BYTES, ArchiveRefused, SheetOutcome, check_zip, import_sheet

BOM = "\ufeff"


def export_table(resource_class, queryset=None, file_format: str = "xlsx") -> bytes:
    resource = resource_class()
    native = file_format in ("xlsx", "ods")
    dataset = resource.export(
        queryset if queryset is not None else resource.get_queryset(),
        force_native_type=native,
        spreadsheet_format=file_format,
    )
    data = dataset.export(file_format)
    if file_format == "csv":
        return (BOM + data).encode("utf-8")
    return data if isinstance(data, bytes) else data.encode("utf-8")


def read_table(data: bytes, file_format: str) -> tablib.Dataset:
    if file_format in ("csv", "json"):
        text = data.decode("utf-8-sig")
        return tablib.Dataset().load(text, format=file_format)
    return tablib.Dataset().load(data, format=file_format)


def import_table(
    resource_class,
    data: bytes,
    file_format: str,
    *,
    name: str = "tệp",
    dry_run: bool = False,
    user=None,
) -> SheetOutcome:
    if len(data) > MAX_ARCHIVE_BYTES:
        raise ArchiveRefused(
            f"{name}: tệp quá lớn ({len(data) / 1024 / 1024:.1f} MB); giới hạn là "
            f"{MAX_ARCHIVE_BYTES // 1024 // 1024} MB."
        )
    if file_format in ("xlsx", "ods"):
        check_zip(name, io.BytesIO(data))
    try:
        dataset = read_table(data, file_format)
    except UnicodeDecodeError:
        raise ArchiveRefused(f"{name}: tệp không phải văn bản Unicode (UTF-8).") from None
    except Exception as error:  # each format's reader fails in its own way
        raise ArchiveRefused(
            f"{name}: không đọc được tệp {file_format.upper()} ({error})."
        ) from None
    with audit.recorded(audit.import_comment(name, data), user):
        outcome = import_sheet(
            resource_class(), dataset, name, name, spreadsheet_format=file_format
        )
        if dry_run:
            transaction.set_rollback(True)
    return outcome
