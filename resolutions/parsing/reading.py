"""Turning an uploaded or stored file into text, refusing what is not a conclusion's text.

Accepted: plain text in UTF-8 or UTF-16 (with or without a byte-order mark) and Word .docx.
Everything refused raises ``DocumentError`` with a message for the clerk that names the file.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from defusedxml import ElementTree

from ..vietnamese import nfc

# A conclusion is some tens of kilobytes; a year's worth of them in one file is still far below.
MAX_DOCUMENT_BYTES = 5 * 1024 * 1024
# A .docx is a zip: what it expands to is capped too, so a small "zip bomb" cannot fill memory.
MAX_DOCX_EXPANDED_BYTES = 50 * 1024 * 1024

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# Bytes that never occur in text: control characters other than tab, newlines and form feed.
_BINARY_BYTES = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")
# Characters of Vietnamese legacy encodings (TCVN3/ABC, VNI) seen through Windows-1252.
_LEGACY_HINT = re.compile(r"[¸µ¶·¹¨®©ª«¬­¦§ßåæçèéêëìíîïñòóôõöøùúûüýþ]")


class DocumentError(ValueError):
    """The file cannot be read as a conclusion; the message says why, in Vietnamese."""


def read_document(name: str, data: bytes) -> str:
    """The text of a document given its file name and content, in NFC with Unix newlines."""
    if len(data) > MAX_DOCUMENT_BYTES:
        raise DocumentError(
            f"{name}: tệp quá lớn ({len(data) / 1024 / 1024:.1f} MB); "
            f"giới hạn là {MAX_DOCUMENT_BYTES // 1024 // 1024} MB cho một văn bản."
        )
    if not data.strip():
        raise DocumentError(f"{name}: tệp rỗng, không có nội dung.")
    if data[:4] == b"PK\x03\x04" or Path(name).suffix.lower() == ".docx":
        text = _read_docx(name, data)
    else:
        text = _decode_text(name, data)
    text = nfc(text.replace("\r\n", "\n").replace("\r", "\n")).replace("\u00a0", " ")
    if not text.strip():
        raise DocumentError(f"{name}: tệp không có nội dung chữ.")
    return text


def read_path(path: str | Path) -> str:
    path = Path(path)
    return read_document(path.name, read_path_bytes(path))


def read_path_bytes(path: Path) -> bytes:
    """A document file's bytes, refused by its size before it is read."""
    size = path.stat().st_size
    if size > MAX_DOCUMENT_BYTES:  # refuse before reading 50 MB into memory
        raise DocumentError(
            f"{path.name}: tệp quá lớn ({size / 1024 / 1024:.1f} MB); "
            f"giới hạn là {MAX_DOCUMENT_BYTES // 1024 // 1024} MB cho một văn bản."
        )
    return path.read_bytes()


def _decode_text(name: str, data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return _strict(name, data[3:], "utf-8")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _strict(name, data, "utf-16")
    utf16 = _utf16_without_bom(data)
    if utf16:
        return _strict(name, data, utf16)
    if _BINARY_BYTES.search(data[:65536]):
        raise DocumentError(
            f"{name}: đây là tệp nhị phân, không phải văn bản. "
            "Hãy dùng tệp .txt (UTF-8) hoặc .docx."
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        guess = data.decode("cp1252", errors="replace")
        hint = (
            " Có vẻ văn bản được gõ bằng bảng mã cũ (TCVN3/ABC, VNI hoặc Windows-1258)."
            if _LEGACY_HINT.search(guess)
            else ""
        )
        raise DocumentError(
            f"{name}: dòng {line} không đọc được bằng bảng mã Unicode (UTF-8).{hint} "
            "Hãy chuyển sang Unicode (ví dụ bằng Unikey) rồi lưu lại dưới dạng UTF-8."
        ) from None


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 without a byte-order mark shows as NUL bytes in every other position."""
    sample = data[:4096]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even_nuls = sample[0::2].count(0) / (len(sample) / 2)
    odd_nuls = sample[1::2].count(0) / (len(sample) / 2)
    if odd_nuls > 0.3 and even_nuls < 0.05:
        return "utf-16-le"
    if even_nuls > 0.3 and odd_nuls < 0.05:
        return "utf-16-be"
    return None


def _strict(name: str, data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        raise DocumentError(
            f"{name}: tệp ghi là {encoding.upper()} nhưng có đoạn không đọc được; "
            "tệp có thể bị hỏng."
        ) from None


def _read_docx(name: str, data: bytes) -> str:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise DocumentError(f"{name}: tệp .docx bị hỏng hoặc không phải tệp Word.") from None
    with archive:
        try:
            info = archive.getinfo("word/document.xml")
        except KeyError:
            raise DocumentError(f"{name}: tệp không phải văn bản Word (.docx).") from None
        if sum(i.file_size for i in archive.infolist()) > MAX_DOCX_EXPANDED_BYTES:
            raise DocumentError(
                f"{name}: tệp .docx giải nén ra quá lớn (trên "
                f"{MAX_DOCX_EXPANDED_BYTES // 1024 // 1024} MB); tệp bị từ chối."
            )
        with archive.open(info) as member:
            # file_size can lie: read at most the limit and refuse if there is more.
            xml = member.read(MAX_DOCX_EXPANDED_BYTES + 1)
        if len(xml) > MAX_DOCX_EXPANDED_BYTES:
            raise DocumentError(f"{name}: tệp .docx giải nén ra quá lớn; tệp bị từ chối.")
    try:
        root = ElementTree.fromstring(xml)
    except ElementTree.ParseError:
        raise DocumentError(f"{name}: nội dung tệp .docx bị hỏng.") from None
    paragraphs = []
    for paragraph in root.iter(f"{_W}p"):
        parts = []
        for node in paragraph.iter():
            if node.tag == f"{_W}t":
                parts.append(node.text or "")
            elif node.tag == f"{_W}tab":
                parts.append("\t")
            elif node.tag in (f"{_W}br", f"{_W}cr"):
                parts.append("\n")
        paragraphs.append("".join(parts))
    # One blank line between paragraphs, as conclusions are laid out in plain text.
    return "\n\n".join(p for p in paragraphs if p.strip())
