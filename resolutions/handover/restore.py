"""Restore a handover package into the register: the archive workbook through the archive's
own restore (all or nothing), then each conclusion's source files, byte for byte, with what
the metadata says of them (format, encodings, OCR, time of receipt). One transaction: a
package that does not verify, or a workbook refused, leaves the register as it was."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.db import transaction

from ..models import Meeting, SourceFile
from ..services.sources import keep_source_file
from ..spreadsheets.archive import RestoreOutcome, restore_archive
from ..upload_safety import UploadRefused
from . import metadata
from .package import WORKBOOK
from .verify import open_package, read_member, verify_package


@dataclass
class HandoverRestore:
    archive: RestoreOutcome
    source_files: int = 0

    def summary(self) -> str:
        return f"{self.archive.summary()}; tệp văn bản gốc: {self.source_files}"


def restore_package(path: Path | str, *, user=None) -> HandoverRestore:
    path = Path(path)
    checked = verify_package(path)
    if not checked.ok or checked.data is None:
        raise UploadRefused(
            f"{path.name}: gói không qua được kiểm tra; không có gì được ghi.",
            checked.shown_problems(),
        )
    with open_package(path) as archive, transaction.atomic():
        with tempfile.NamedTemporaryFile(suffix=".xlsx") as workbook:
            workbook.write(read_member(archive, WORKBOOK, path.name))
            workbook.flush()
            outcome = HandoverRestore(
                restore_archive(Path(workbook.name), user=user, name=f"{path.name}: {WORKBOOK}")
            )
        for record in checked.data["ho_so"]:
            sources = [f for f in record["tep"] if f["vai_tro"] == metadata.ROLE_SOURCE]
            if not sources:
                continue
            meeting = Meeting.objects.filter(
                committee__name=record["cap_uy"],
                term=record["khoa"],
                number=record["hoi_nghi_lan_thu"],
            ).first()
            if meeting is None:
                raise UploadRefused(
                    f"{path.name}: hồ sơ {record['ma_ho_so']} không có hội nghị tương ứng trong "
                    "tệp Excel của gói; không có gì được ghi."
                )
            for entry in sources:
                data = read_member(archive, entry["duong_dan"], path.name)
                kept = keep_source_file(meeting, entry["ten_tep"], data)
                SourceFile.objects.filter(pk=kept.pk).update(
                    format=entry.get("dinh_dang", ""),
                    encodings=entry.get("bang_ma", ""),
                    ocr=entry.get("doc_bang_ocr", False),
                    received_at=datetime.fromisoformat(entry["thoi_diem_nhan"]),
                )
                outcome.source_files += 1
    return outcome
