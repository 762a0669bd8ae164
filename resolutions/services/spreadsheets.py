"""One table in and out of a file (CSV, XLSX, ODS, JSON), through the model's resource.

CSV is written as UTF-8 with a byte-order mark, so that spreadsheet programs show Vietnamese
correctly, and read with or without one. Every import is one transaction and all or nothing.
"""

from __future__ import annotations

import io

import tablib
from django.db import transaction

from .. import formats, readers
from . import audit
from .archive import MAX_ARCHIVE_BYTES, ArchiveRefused, SheetOutcome, check_zip, import_sheet


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
    if len(data) > MAX_ARCHIVE_BYTES:
        raise ArchiveRefused(
            f"{name}: tệp quá lớn ({len(data) / 1024 / 1024:.1f} MB); giới hạn là "
            f"{MAX_ARCHIVE_BYTES // 1024 // 1024} MB."
        )
    if file_format in ("xlsx", "ods"):
        check_zip(name, io.BytesIO(data))
    try:
        dataset = read_table(data, file_format, name)
    except readers.Unreadable as error:
        raise ArchiveRefused(str(error)) from None
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
