"""The files conclusions were read from, kept as received (``SourceFile``)."""

from __future__ import annotations

import hashlib

from ..models import Meeting, SourceFile
from ..parsing.intake import Intake


def keep_source_file(
    meeting: Meeting, name: str, data: bytes, intake: Intake | None = None, *, new: bool = False
) -> SourceFile:
    """Keep *data* as one of *meeting*'s source files; the same bytes are kept once per
    meeting (importing a file again keeps the first copy and its time of receipt). *new*: the
    meeting was just created, so it keeps none yet (one query fewer an import)."""
    checksum = hashlib.sha256(data).hexdigest()
    if not new:
        existing = meeting.source_files.filter(sha256=checksum).defer("content").first()
        if existing is not None:
            return existing
    source = SourceFile(meeting=meeting, name=name, content=data)
    if intake is not None:
        source.format = intake.format
        source.encodings = ", ".join(intake.encodings)
        source.ocr = intake.ocr
    source.save()
    return source


def meetings_with_file(checksum: str) -> list[int]:
    """The meetings that keep a file with these bytes (an index lookup)."""
    return list(SourceFile.objects.filter(sha256=checksum).values_list("meeting_id", flat=True))
