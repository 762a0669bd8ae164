"""The archive's way in: any file a conclusion was kept in, as NFC Unicode text with what was
found on the way (format, encodings, whether the text was read by OCR).

- plain text: UTF-8/UTF-16 as before, and the legacy Vietnamese encodings line by line
  (``encodings``);
- Word .docx as before; Word 97 .doc and .rtf through LibreOffice headless (``soffice``);
- PDF with a text layer through pypdf, page by page in reading order;
- scans, PDF pages without text and PNG/JPEG/TIFF images, through Tesseract's Vietnamese model:
  such text is marked uncertain (``Intake.ocr``) and every value read from it counts as guessed.

Text that old fonts wrote (TCVN3 or VNI text in a .doc, a PDF, or pasted as Unicode: "KÕt luËn")
is converted the same way. Everything refused raises ``DocumentError`` naming the file and the
reason; nothing here writes anywhere but a temporary folder. Pure Python, no Django.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
import warnings
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import encodings
from .model import Evidence, ParsedConclusion
from .reading import (
    DocumentError,
    _check_size,
    _cleaned,
    _decode_text,
    _read_docx,
    _utf16_without_bom,
)

# What each format is called on the preview and in reports.
TEXT, DOCX, DOC, RTF, PDF, SCAN = "txt", "docx", "doc", "rtf", "pdf", "scan"
FORMAT_LABELS = {
    TEXT: "văn bản thuần (.txt)",
    DOCX: "Word (.docx)",
    DOC: "Word 97–2003 (.doc)",
    RTF: "RTF (.rtf)",
    PDF: "PDF có lớp chữ",
    SCAN: "ảnh quét, đọc bằng nhận dạng chữ (OCR)",
}
OCR_NOTE = (
    "Văn bản đọc bằng nhận dạng chữ (OCR) nên có thể sai chữ: mọi giá trị dưới đây được coi là "
    "phỏng đoán, hãy đối chiếu với bản gốc."
)
# A conversion that takes longer than this is a damaged or hostile file.
CONVERSION_SECONDS = 120
# A scan of an A4 page at 300 dpi is about 8.7 million pixels; a hundred pages' worth in one
# image is not a scan.
MAX_IMAGE_PIXELS = 100_000_000
MAX_PDF_PAGES = 500
# Below this many letters a page's text layer is taken for none (a scan with a page number).
_TEXT_LAYER_LETTERS = 20

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_IMAGES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")
# Bytes that never occur in text, less the control codes TCVN3 and VISCII give capitals.
_BINARY = (
    frozenset(code for code in range(32) if code not in (9, 10, 12, 13, 27))
    - encodings.LETTER_CONTROLS
)


@dataclass(frozen=True)
class Intake:
    """A document's text and how it was read."""

    text: str
    format: str
    notes: tuple[str, ...] = ()  # for the clerk, one a line: encodings converted, OCR
    ocr: bool = False
    encodings: tuple[str, ...] = field(default=())

    @property
    def format_label(self) -> str:
        return FORMAT_LABELS[self.format]

    @property
    def encoding_label(self) -> str:
        """The encodings found, most lines first ("TCVN3 (ABC), VNI"); Unicode when none."""
        found = [encodings.LABELS[e] for e in self.encodings]
        return ", ".join(found) or encodings.LABELS[encodings.UTF8]


def sniff(name: str, data: bytes) -> str:
    """The format of a file, by its first bytes before its name."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(_OLE2):
        return DOC
    if data.startswith(b"{\\rtf"):
        return RTF
    if data.startswith(_IMAGES):
        return SCAN
    if data[:4] == b"PK\x03\x04" or name.lower().endswith(".docx"):
        return DOCX
    return TEXT


def read_upload(name: str, data: bytes) -> Intake:
    """The text of a document in any of the formats above, in NFC with Unix newlines."""
    _check_size(name, len(data))
    if not data.strip():
        raise DocumentError(f"{name}: tệp rỗng, không có nội dung.")
    kind = sniff(name, data)
    if kind == TEXT:
        return _text(name, data)
    if kind == DOCX:
        return _unicode(name, DOCX, _read_docx(name, data))
    if kind in (DOC, RTF):
        return _unicode(name, kind, _office_text(name, kind, data))
    if kind == PDF:
        return _pdf(name, data)
    return _scan(name, [data])


def read_text_file(name: str, text: str) -> Intake:
    """Pasted text: mojibake and old fonts' letters repaired like a file's."""
    return _unicode(name, TEXT, text)


def as_guessed(parsed: ParsedConclusion) -> ParsedConclusion:
    """Every value's evidence downgraded to a guess: what OCR read may be misread."""

    def guessed(evidence: Evidence | None) -> Evidence | None:
        return replace(evidence, certainty="guessed") if evidence else evidence

    parsed.evidence = {
        key: value and replace(value, certainty="guessed") for key, value in parsed.evidence.items()
    }
    for indicator in parsed.indicators:
        indicator.evidence = guessed(indicator.evidence)
    for _section, _index, directive in parsed.directives:
        directive.evidence = guessed(directive.evidence)
    return parsed


def _text(name: str, data: bytes) -> Intake:
    if data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")) or _utf16_without_bom(data):
        return _unicode(name, TEXT, _decode_text(name, data))
    if any(byte in _BINARY for byte in data[:65536]):
        raise DocumentError(
            f"{name}: đây là tệp nhị phân, không phải văn bản. Hãy dùng tệp .txt, .docx, .doc, "
            ".rtf, .pdf hoặc ảnh quét (.png, .jpg, .tif)."
        )
    try:  # Unicode as most files are: only its lines of mojibake or old fonts' codes to mend
        return _unicode(name, TEXT, data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    try:
        decoded = encodings.to_unicode(data)
    except encodings.UndecidableEncoding as error:
        raise DocumentError(
            f"{name}: dòng {error.line} không đọc được bằng Unicode (UTF-8) hay bảng mã cũ nào "
            "(TCVN3/ABC, VNI, VISCII, Windows-1258); không xác định được bảng mã của tệp. "
            "Hãy mở tệp bằng chương trình đã soạn ra nó và lưu lại dưới dạng Unicode (UTF-8)."
        ) from None
    return _intake(name, TEXT, decoded)


def _unicode(name: str, kind: str, text: str) -> Intake:
    return _intake(name, kind, encodings.repair(text))


def _intake(name: str, kind: str, decoded: encodings.Decoded, *, ocr: bool = False) -> Intake:
    notes = [*decoded.notes, *([OCR_NOTE] if ocr else [])]
    return Intake(_cleaned(name, decoded.text), kind, tuple(notes), ocr, tuple(decoded.encodings))


# -- Word 97 and RTF through LibreOffice ----------------------------------------------------------


_FILTERS = {DOC: "MS Word 97", RTF: "Rich Text Format"}


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _office_text(name: str, kind: str, data: bytes) -> str:
    label = ".doc" if kind == DOC else ".rtf"
    program = soffice()
    if program is None:
        raise DocumentError(
            f"{name}: máy chủ chưa cài LibreOffice nên chưa đọc được tệp {label}. Người quản "
            "trị cần cài gói libreoffice-writer-nogui; hoặc mở tệp bằng Word rồi lưu thành .docx."
        )
    with tempfile.TemporaryDirectory(prefix="intake-") as folder:
        source = Path(folder) / f"document.{kind}"
        source.write_bytes(data)
        # A profile of its own: two conversions at once do not wait on each other's lock.
        profile = Path(folder, "profile").as_uri()
        command = [
            program,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            # The format named, so that a damaged file is not opened as plain text instead.
            f"--infilter={_FILTERS[kind]}",
            "--convert-to",
            "txt:Text (encoded):UTF8",
            "--outdir",
            folder,
            str(source),
        ]
        try:
            subprocess.run(
                command,
                capture_output=True,
                timeout=CONVERSION_SECONDS,
                check=False,
                env={**os.environ, "HOME": folder},
                stdin=subprocess.DEVNULL,
            )
        except subprocess.TimeoutExpired:
            raise DocumentError(
                f"{name}: đọc tệp {label} quá {CONVERSION_SECONDS} giây; tệp có thể bị hỏng."
            ) from None
        converted = Path(folder) / "document.txt"
        if not converted.exists():
            raise DocumentError(
                f"{name}: tệp {label} bị hỏng, được đặt mật khẩu hoặc không phải văn bản Word; "
                "LibreOffice không mở được."
            )
        _check_size(name, converted.stat().st_size)
        text = converted.read_bytes().decode("utf-8-sig", errors="replace")
    if not text.strip():
        raise DocumentError(f"{name}: tệp {label} không có nội dung chữ.")
    return text


# -- PDF ------------------------------------------------------------------------------------------


def _pdf(name: str, data: bytes) -> Intake:
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    damaged = f"{name}: tệp PDF bị hỏng, không đọc được."
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise FileNotDecryptedError
        pages = reader.pages
        if len(pages) > MAX_PDF_PAGES:
            raise DocumentError(
                f"{name}: tệp PDF có {len(pages)} trang, quá {MAX_PDF_PAGES} trang cho một "
                "văn bản; hãy tách thành từng văn bản."
            )
        texts = [page.extract_text() or "" for page in pages]
    except DocumentError:
        raise
    except FileNotDecryptedError:
        raise DocumentError(
            f"{name}: tệp PDF được đặt mật khẩu; hãy bỏ mật khẩu rồi gửi lại."
        ) from None
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError):
        raise DocumentError(damaged) from None
    if sum(sum(c.isalpha() for c in text) for text in texts) >= _TEXT_LAYER_LETTERS * len(texts):
        return _unicode(name, PDF, "\n\n".join(text.strip("\n") for text in texts))
    # No text layer: a scan, read from the images on its pages.
    try:
        images = [image.data for page in pages for image in page.images]
    except Exception:  # pypdf decodes each image's filters; a broken one is a damaged file
        raise DocumentError(damaged) from None
    if not images:
        raise DocumentError(f"{name}: tệp PDF không có chữ, cũng không có ảnh quét để đọc.")
    return _scan(name, images)


# -- Scans through Tesseract ----------------------------------------------------------------------


def tesseract() -> str | None:
    """The tesseract program when its Vietnamese model is installed."""
    program = shutil.which("tesseract")
    if program is None:
        return None
    try:
        languages = subprocess.run(
            [program, "--list-langs"], capture_output=True, text=True, timeout=30, check=False
        ).stdout.split()
    except (OSError, subprocess.TimeoutExpired):
        return None
    return program if "vie" in languages else None


def _scan(name: str, images: list[bytes]) -> Intake:
    for image in images:
        _check_image(name, image)
    program = tesseract()
    if program is None:
        raise DocumentError(
            f"{name}: đây là bản quét (ảnh), cần nhận dạng chữ (OCR) mà máy chủ chưa cài. Người "
            "quản trị cần cài Tesseract với dữ liệu tiếng Việt (gói tesseract-ocr-vie)."
        )
    pages = [_ocr(name, program, image) for image in images]
    text = "\n\n".join(page.strip("\n") for page in pages if page.strip())
    if sum(c.isalpha() for c in text) < _TEXT_LAYER_LETTERS:
        raise DocumentError(f"{name}: không nhận ra chữ nào trong ảnh; ảnh có thể không có chữ.")
    return _intake(name, SCAN, encodings.repair(text), ocr=True)


def _check_image(name: str, image: bytes) -> None:
    """Refuse a damaged image, or one too large to be a page, before OCR reads it."""
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():  # the size is checked below, against a page's
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            opened = Image.open(io.BytesIO(image))  # reads the header only
        with opened:
            width, height = opened.size
            if width * height > MAX_IMAGE_PIXELS:
                raise DocumentError(
                    f"{name}: ảnh {width}×{height} điểm quá lớn cho một trang quét; tệp bị từ chối."
                )
            frames = getattr(opened, "n_frames", 1)
            if frames > MAX_PDF_PAGES:
                raise DocumentError(f"{name}: ảnh có quá {MAX_PDF_PAGES} trang; tệp bị từ chối.")
            opened.verify()
    except DocumentError:
        raise
    except Image.DecompressionBombError:
        raise DocumentError(f"{name}: ảnh quá lớn cho một trang quét; tệp bị từ chối.") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise DocumentError(f"{name}: ảnh bị hỏng hoặc không phải ảnh quét.") from None


def _ocr(name: str, program: str, image: bytes) -> str:
    try:
        done = subprocess.run(
            [program, "stdin", "stdout", "-l", "vie", "--psm", "4"],
            input=image,
            capture_output=True,
            timeout=CONVERSION_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise DocumentError(
            f"{name}: nhận dạng chữ quá {CONVERSION_SECONDS} giây cho một trang; tệp bị từ chối."
        ) from None
    if done.returncode != 0:
        raise DocumentError(f"{name}: ảnh bị hỏng, không nhận dạng được chữ.")
    return done.stdout.decode("utf-8", errors="replace")


__all__ = [
    "FORMAT_LABELS",
    "Intake",
    "as_guessed",
    "read_text_file",
    "read_upload",
    "sniff",
]
