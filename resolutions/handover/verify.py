"""Check a handover package against itself: every checksum of the manifest, the JSON against
its schema, every file the metadata names present and every file present named, the PDF/A
identification of every PDF the package made. What is wrong is listed in Vietnamese.

A zip that could do harm when read (a "bomb", a member over the limits, a path leaving the
folder it is unpacked into, an encrypted member) is refused before anything is read from it
(``UploadRefused``); the other problems are listed and the checks go on.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .. import upload_safety
from ..upload_safety import UploadRefused
from . import metadata
from .package import DATA, MANIFEST, SCHEMA, TAG_MANIFEST

KIND = "handover"
TAG_FILES = ("bagit.txt", "bag-info.txt", MANIFEST)
CHUNK = 1024 * 1024
MAX_PROBLEMS_SHOWN = 200


@dataclass
class Verification:
    name: str
    files: int = 0
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    data: dict | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    def shown_problems(self) -> list[str]:
        shown = self.problems[:MAX_PROBLEMS_SHOWN]
        if len(self.problems) > len(shown):
            shown.append(f"… và {len(self.problems) - len(shown)} lỗi khác.")
        return shown


def open_package(path: Path) -> zipfile.ZipFile:
    """The package's zip, once its size, its members' sizes and names are safe to read."""
    name = path.name
    upload_safety.check_size(name, path.stat().st_size, KIND)
    if not zipfile.is_zipfile(path):
        raise UploadRefused(f"{name}: không phải tệp zip của một gói nộp lưu.")
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise UploadRefused(f"{name}: tệp zip bị hỏng.") from None
    try:
        upload_safety.check_zip_members(name, archive, KIND)
        seen = set()
        for member in archive.infolist():
            unsafe = _unsafe_path(member.filename)
            if unsafe:
                raise UploadRefused(f"{name}: tệp “{member.filename}” trong gói {unsafe}.")
            if member.flag_bits & 0x1:
                raise UploadRefused(f"{name}: tệp “{member.filename}” trong gói được đặt mật khẩu.")
            if member.filename in seen:
                raise UploadRefused(f"{name}: tệp “{member.filename}” có hai lần trong gói.")
            seen.add(member.filename)
    except BaseException:
        archive.close()
        raise
    return archive


def _unsafe_path(filename: str) -> str:
    if "\\" in filename or "\x00" in filename:
        return "có ký tự không được phép trong đường dẫn"
    path = PurePosixPath(filename)
    if path.is_absolute() or (path.parts and path.parts[0].endswith(":")):
        return "có đường dẫn tuyệt đối"
    if ".." in path.parts:
        return "có đường dẫn ra ngoài thư mục của gói (“..”)"
    return ""


def read_member(archive: zipfile.ZipFile, filename: str, package_name: str) -> bytes:
    """A member's bytes, counted as they expand (the sizes a zip declares can lie)."""
    with archive.open(filename) as member:
        return b"".join(upload_safety.counted(package_name, member, KIND, CHUNK))


def _member_sha256(archive: zipfile.ZipFile, filename: str, package_name: str) -> str:
    digest = hashlib.sha256()
    with archive.open(filename) as member:
        for chunk in upload_safety.counted(package_name, member, KIND, CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _manifest(text: str, where: str, problems: list[str]) -> dict[str, str]:
    entries: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        checksum, _, path = line.partition("  ")
        if len(checksum) != 64 or not path or any(c not in "0123456789abcdef" for c in checksum):
            problems.append(
                f"{where}, dòng {number}: không đọc được (cần “mã SHA-256  đường dẫn”)."
            )
            continue
        entries[path] = checksum
    return entries


def verify_package(path: Path | str) -> Verification:
    path = Path(path)
    result = Verification(path.name)
    with open_package(path) as archive:
        members = {m.filename for m in archive.infolist() if not m.is_dir()}
        result.files = len(members)
        problems = result.problems
        for required in ("bagit.txt", MANIFEST, DATA):
            if required not in members:
                problems.append(f"Thiếu tệp “{required}” trong gói.")
        if MANIFEST not in members:
            return result
        manifest = _manifest(
            read_member(archive, MANIFEST, path.name).decode("utf-8", "replace"),
            MANIFEST,
            problems,
        )
        tags = {}
        if TAG_MANIFEST in members:
            tags = _manifest(
                read_member(archive, TAG_MANIFEST, path.name).decode("utf-8", "replace"),
                TAG_MANIFEST,
                problems,
            )
        else:
            problems.append(f"Thiếu tệp “{TAG_MANIFEST}” trong gói.")
        actual: dict[str, str] = {}
        for filename in sorted(members):
            actual[filename] = _member_sha256(archive, filename, path.name)
        for listed, where in ((manifest, MANIFEST), (tags, TAG_MANIFEST)):
            for filename, checksum in listed.items():
                if filename not in actual:
                    problems.append(f"Tệp “{filename}” có trong {where} nhưng không có trong gói.")
                elif actual[filename] != checksum:
                    problems.append(
                        f"Tệp “{filename}”: mã SHA-256 khác với {where} (tệp đã bị sửa hoặc hỏng)."
                    )
        for filename in sorted(members):
            if filename.startswith("data/") and filename not in manifest:
                problems.append(f"Tệp “{filename}” có trong gói nhưng không có trong {MANIFEST}.")
            elif not filename.startswith("data/") and filename not in (*TAG_FILES, TAG_MANIFEST):
                problems.append(f"Tệp “{filename}” nằm ngoài thư mục data/ của gói.")
        if DATA in members:
            result.data = _check_data(archive, path.name, members, actual, result)
    return result


def _check_data(archive, package_name, members, actual, result: Verification) -> dict | None:
    problems = result.problems
    try:
        data = json.loads(read_member(archive, DATA, package_name))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        problems.append(f"{DATA}: không đọc được JSON ({error.__class__.__name__}).")
        return None
    schema_problems = schema_errors(data)
    problems.extend(schema_problems)
    if schema_problems:
        return None
    named: dict[str, dict] = {}
    for entry in data["goi"]["tep"]:
        named[entry["duong_dan"]] = entry
    for record in data["ho_so"]:
        for entry in record["tep"]:
            named[entry["duong_dan"]] = entry
    for filename, entry in named.items():
        if filename not in members:
            problems.append(f"{DATA} ghi tệp “{filename}” nhưng gói không có tệp này.")
        elif actual[filename] != entry["sha256"]:
            problems.append(f"Tệp “{filename}”: mã SHA-256 khác với dữ liệu đặc tả trong {DATA}.")
    for filename in sorted(members):
        if filename.startswith("data/") and filename != DATA and filename not in named:
            problems.append(f"Tệp “{filename}” có trong gói nhưng dữ liệu đặc tả không ghi.")
    for filename, entry in named.items():
        # The PDFs the package made (each conclusion's, the record's); a source file kept as
        # received may be any PDF.
        if entry["vai_tro"] in (metadata.ROLE_PDFA, "pdf") and filename in members:
            problem = pdfa_problem(read_member(archive, filename, package_name))
            if problem:
                problems.append(f"Tệp “{filename}”: {problem}.")
    missing = data["goi"]["thieu"]
    if missing:
        result.notes.append("Gói ghi rõ còn thiếu: " + "; ".join(missing) + ".")
    return data


def pdfa_problem(data: bytes) -> str:
    """Why a PDF is not identified as PDF/A (its XMP metadata's pdfaid), or ""."""
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        xmp = reader.xmp_metadata
        text = xmp.stream.get_data().decode("utf-8", "replace") if xmp is not None else ""
    except Exception:
        return "không đọc được tệp PDF"
    part = _xmp_value(text, "part")
    conformance = _xmp_value(text, "conformance")
    if not part:
        return "không có nhận dạng PDF/A (pdfaid) trong siêu dữ liệu XMP"
    if part != "2" or conformance.upper() != "B":
        return f"nhận dạng là PDF/A-{part}{conformance.lower()}, không phải PDF/A-2b"
    return ""


def _xmp_value(text: str, name: str) -> str:
    """A pdfaid property of the XMP, as an element (which may declare its namespace, as
    pikepdf writes it) or as an attribute."""
    # Each run stops at the next "<", ">" or quote: linear however the text repeats itself.
    found = re.search(rf'<pdfaid:{name}(?:\s[^<>]*)?>([^<>]*)<|\bpdfaid:{name}="([^"<>]*)"', text)
    return (found.group(1) or found.group(2) or "").strip() if found else ""


_SCHEMA: dict | None = None


def schema() -> dict:
    global _SCHEMA
    if _SCHEMA is None:
        _SCHEMA = json.loads(SCHEMA.read_text(encoding="utf-8"))
    return _SCHEMA


def schema_errors(data) -> list[str]:
    """The JSON's departures from schema.json, each in Vietnamese with its place."""
    from jsonschema import Draft202012Validator, FormatChecker

    validator = Draft202012Validator(schema(), format_checker=FormatChecker())
    found = []
    for error in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.path))):
        where = "/".join(str(p) for p in error.absolute_path) or "(gốc)"
        found.append(f"{DATA}, tại {where}: {_worded(error)}.")
        if len(found) >= MAX_PROBLEMS_SHOWN:
            break
    return found


def _worded(error) -> str:
    kind, value = error.validator, error.instance
    shown = json.dumps(value, ensure_ascii=False)
    if len(shown) > 60:
        shown = shown[:57] + "…"
    if kind == "required":
        missing = [k for k in error.validator_value if k not in (value or {})]
        return "thiếu trường " + ", ".join(f"“{k}”" for k in missing)
    if kind == "additionalProperties":
        extra = sorted(set(value) - set(error.schema.get("properties", {})))
        return "có trường không có trong lược đồ: " + ", ".join(f"“{k}”" for k in extra)
    if kind == "type":
        return f"giá trị {shown} sai kiểu"
    if kind in ("const", "enum"):
        return f"giá trị {shown} không phải giá trị được phép"
    if kind in ("pattern", "format", "anyOf"):
        return f"giá trị {shown} không đúng dạng"
    if kind in ("minimum", "minLength"):
        return f"giá trị {shown} nhỏ hơn mức cho phép"
    return f"giá trị {shown} không đúng lược đồ (quy tắc “{kind}”)"
