"""The text import between its preview and its confirmation: how the document was read (its
text, format, the encodings converted, whether OCR read it) and the file's bytes, held in the
session under a token the confirm form carries back.

Confirming then writes what the clerk saw: the values of a scan stay guesses, the encodings
found are remembered and the file is kept as the meeting's source file, without reading the
file again (OCR takes seconds a page). One import is held per session, the last previewed,
and never more than a document's size limit of bytes (the form refuses a larger file first).
"""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass

from .. import upload_safety
from ..parsing.intake import Intake

SESSION_KEY = "resolutions_import_pending"
EXPIRED = (
    "Bản xem trước này đã hết hạn hoặc đã được thay bằng một văn bản khác đọc sau nó (mỗi "
    "lần chỉ giữ một bản xem trước); hãy chọn lại tệp và bấm “Đọc văn bản”. Chưa có gì được ghi."
)


@dataclass(frozen=True)
class Pending:
    name: str
    intake: Intake
    data: bytes | None  # None for pasted text: no source file


def hold(request, name: str, intake: Intake, data: bytes | None) -> str:
    """Keep what the preview read; returns the token for the confirm form."""
    if data is not None:
        upload_safety.check_size(name, len(data), "document")
    token = secrets.token_urlsafe(16)
    request.session[SESSION_KEY] = {
        "token": token,
        "name": name,
        "text": intake.text,
        "format": intake.format,
        "notes": list(intake.notes),
        "ocr": intake.ocr,
        "encodings": list(intake.encodings),
        "data": base64.b64encode(data).decode("ascii") if data is not None else None,
    }
    return token


def take(request, token: str) -> Pending | None:
    """What the preview of *token* read, or None when the session no longer holds it."""
    held = request.session.get(SESSION_KEY)
    if not token or not held or not secrets.compare_digest(str(held.get("token")), token):
        return None
    intake = Intake(
        text=held["text"],
        format=held["format"],
        notes=tuple(held["notes"]),
        ocr=bool(held["ocr"]),
        encodings=tuple(held["encodings"]),
    )
    data = base64.b64decode(held["data"]) if held["data"] is not None else None
    return Pending(held["name"], intake, data)


def release(request) -> None:
    """Forget the held import once it is written."""
    request.session.pop(SESSION_KEY, None)
