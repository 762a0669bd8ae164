"""Turning an uploaded or stored file into text, refusing what is not a conclusion's text.

Here: plain text in UTF-8 or UTF-16 (with or without a byte-order mark) and Word .docx;
``read_document`` hands every file to ``intake.read_upload``, which adds the legacy encodings,
.doc, .rtf, PDF and scans. Everything refused raises ``DocumentError`` with a message for the
clerk that names the file.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from pathlib import Path

from defusedxml import DefusedXmlException, ElementTree

from .. import upload_safety
from ..upload_safety import MB, UploadRefused
from ..vietnamese import nfc

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# Bytes that never occur in text: control characters other than tab, newlines and form feed.
_BINARY_BYTES = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")
# Characters of Vietnamese legacy encodings (TCVN3/ABC, VNI) seen through Windows-1252.
_LEGACY_HINT = re.compile(r"[¸µ¶·¹¨®©ª«¬­¦§ßåæçèéêëìíîïñòóôõöøùúûüýþ]")


class DocumentError(UploadRefused):
    """The file cannot be read as a conclusion; the message says why, in Vietnamese."""


def read_document(name: str, data: bytes) -> str:
    """The text of a document given its file name and content, in NFC with Unix newlines."""
    from .intake import read_upload  # every format and encoding (issue 16)

    return read_upload(name, data).text


def read_text(name: str, text: str) -> str:
    """Pasted text, refused and cleaned as the text of a file would be (never read as a .docx,
    whatever *name* the form carries)."""
    _check_size(name, len(text.encode("utf-8", "surrogatepass")))
    if not text.strip():
        raise DocumentError(f"{name}: tệp rỗng, không có nội dung.")
    return _cleaned(name, text)


def _check_size(name: str, size: int) -> None:
    # A conclusion is some tens of kilobytes; a year's worth of them in one file is far below.
    upload_safety.check_size(name, size, "document", DocumentError)


def _cleaned(name: str, text: str) -> str:
    text = clean_text(text)
    if not text.strip():
        raise DocumentError(f"{name}: tệp không có nội dung chữ.")
    return text


def clean_text(text: str) -> str:
    """Text as it is stored: NFC, Unix newlines, no no-break spaces and no NUL characters.

    A NUL (U+0000: UTF-16 text, a pasted fragment of a binary) cannot be stored by
    PostgreSQL and means nothing in a conclusion: it is dropped.
    """
    text = text.replace("\x00", "").replace("\r\n", "\n").replace("\r", "\n")
    return nfc(text).replace("\u00a0", " ")


def _too_long(name: str) -> str:
    return (
        f"{name}: văn bản quá dài (trên {upload_safety.limit('document') // MB} triệu ký tự); "
        f"giới hạn là {upload_safety.limit('document') // MB} MB cho một văn bản."
    )


def read_path(path: str | Path) -> str:
    path = Path(path)
    return read_document(path.name, read_path_bytes(path))


def read_path_bytes(path: Path) -> bytes:
    """A document file's bytes, refused by its size before it is read."""
    _check_size(path.name, path.stat().st_size)  # before reading 50 MB into memory
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
    damaged = f"{name}: tệp .docx bị hỏng hoặc không phải tệp Word."
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except _ZIP_ERRORS:
        raise DocumentError(damaged) from None
    with archive:
        try:
            info = archive.getinfo("word/document.xml")
        except KeyError:
            raise DocumentError(f"{name}: tệp không phải văn bản Word (.docx).") from None
        if info.flag_bits & 0x1:
            raise DocumentError(
                f"{name}: tệp .docx được đặt mật khẩu; hãy bỏ mật khẩu trong Word rồi gửi lại."
            )
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise DocumentError(f"{name}: tệp .docx được nén theo cách Word không dùng; {_REFUSED}")
        # A .docx is a zip: what it expands to is capped, so a small "zip bomb" cannot fill
        # memory; the same rule as a spreadsheet's, with a document's limits.
        upload_safety.check_zip_members(name, archive, "document", DocumentError)
        text = _DocxText(name)
        parser = ElementTree.DefusedXMLParser(target=text, forbid_dtd=True)
        try:
            with archive.open(info) as member:
                # One pass over the XML as it is unzipped: file_size can lie, so what is read
                # is counted, and nothing is kept but the text.
                for chunk in upload_safety.counted(name, member, "document", _CHUNK, DocumentError):
                    parser.feed(chunk)
            parser.close()
        except DocumentError:
            raise
        except DefusedXmlException:
            raise DocumentError(
                f"{name}: tệp .docx chứa khai báo DOCTYPE hoặc thực thể XML, điều mà Word "
                f"không bao giờ ghi; {_REFUSED}"
            ) from None
        except (ElementTree.ParseError, LookupError):  # LookupError: an unknown encoding
            raise DocumentError(f"{name}: nội dung tệp .docx bị hỏng.") from None
        except _ZIP_ERRORS:
            raise DocumentError(damaged) from None
    return text.result()


# What zipfile and its decompressors raise on a damaged archive: a bad CRC or header
# (BadZipFile), truncated or corrupt compressed data (EOFError, zlib.error, OSError),
# a name that is not UTF-8 (ValueError), an encrypted member (RuntimeError), a compression
# it cannot read (NotImplementedError).
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    EOFError,
    zlib.error,
    OSError,
    ValueError,
    RuntimeError,
    NotImplementedError,
)
_REFUSED = "tệp bị từ chối."
_CHUNK = 64 * 1024
# Word nests a document's elements a few tens deep (a text box in a table cell is ~25 levels).
MAX_DOCX_DEPTH = 256
_P, _T, _TAB, _TABS = f"{_W}p", f"{_W}t", f"{_W}tab", f"{_W}tabs"
_BREAKS = {f"{_W}br", f"{_W}cr"}
# Markup Compatibility: a text box is written twice, for new Word (Choice) and old (Fallback).
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


class _DocxText:
    """The paragraphs of word/document.xml, collected by the XML parser's events in one pass.

    A paragraph nested in another (a text box) is a paragraph of its own, placed where it
    starts; its text is not repeated in the paragraph around it. Refuses a document nested
    deeper than Word writes or whose text is longer than a text file may be.
    """

    def __init__(self, name: str):
        self.name = name
        self.tags: list[str] = []
        self.paragraphs: list[list[str]] = []
        self.open: list[list[str]] = []  # the parts of the paragraphs being read, innermost last
        self.in_text = 0
        self.skip_below = 0  # the depth of a Fallback being skipped, 0 when none
        self.length = 0

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        self.tags.append(tag)
        depth = len(self.tags)
        if depth > MAX_DOCX_DEPTH:
            raise DocumentError(
                f"{self.name}: tệp .docx lồng nhau quá {MAX_DOCX_DEPTH} tầng, điều mà Word "
                f"không bao giờ ghi; {_REFUSED}"
            )
        if self.skip_below:
            return
        if tag == _FALLBACK:
            self.skip_below = depth
        elif tag == _P:
            parts: list[str] = []
            self.paragraphs.append(parts)
            self.open.append(parts)
        elif tag == _T:
            self.in_text += 1
        elif tag == _TAB and not (depth > 1 and self.tags[-2] == _TABS):
            self._add("\t")  # a tab in the text, not a tab stop of the paragraph's settings
        elif tag in _BREAKS:
            self._add("\n")

    def end(self, tag: str) -> None:
        depth = len(self.tags)
        self.tags.pop()
        if self.skip_below:
            if depth == self.skip_below:
                self.skip_below = 0
            return
        if tag == _P:
            self.open.pop()
        elif tag == _T:
            self.in_text -= 1

    def data(self, text: str) -> None:
        if self.in_text and not self.skip_below:
            self._add(text)

    def close(self) -> None:
        return None

    def _add(self, text: str) -> None:
        if not self.open:
            return
        self.length += len(text)
        if self.length > upload_safety.limit("document"):
            raise DocumentError(_too_long(self.name))
        self.open[-1].append(text)

    def result(self) -> str:
        # One blank line between paragraphs, as conclusions are laid out in plain text.
        texts = ("".join(parts) for parts in self.paragraphs)
        return "\n\n".join(text for text in texts if text.strip())
