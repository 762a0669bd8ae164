"""The metadata records of the handover package: one per conclusion (a record, "hồ sơ") and
one per file, with the fields of the rules for electronic archive records.

Thông tư 05/2025/TT-BNV (digital archive records) replaces Thông tư 02/2019/TT-BNV, whose
annexes list a document's input fields: identifier, number and symbol, date, type, summary
("trích yếu"), language, pages, information symbol, keywords, terms of use, reliability,
handwriting ("bút tích"), physical state, plus the record's retention. The public text we
could read of the 2025 circular does not give its annex, so the fields follow that list;
each key is an ASCII identifier with its Vietnamese name in ``LABELS`` and in schema.json.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from pathlib import PurePosixPath

from ..models import Meeting, SourceFile
from ..vietnamese import to_roman

RETENTION = "Vĩnh viễn"
LANGUAGE = "Tiếng Việt"
PHYSICAL_STATE = "Bình thường"
# Whether a record may be read by the public: the register's own flag, published on the
# reading room or not.
ACCESS_PUBLIC, ACCESS_RESTRICTED = "Công khai", "Hạn chế"
# Reliability (mức độ tin cậy) as the 2019 annex names it.
BORN_DIGITAL, DIGITISED = "Gốc điện tử", "Số hóa"
ROLE_SOURCE, ROLE_PDFA = "van_ban_goc", "ban_pdfa"
ROLE_LABELS = {ROLE_SOURCE: "Văn bản gốc như đã nhận", ROLE_PDFA: "Bản PDF/A-2b của văn bản"}
MISSING_PDFA = "Chưa có bản PDF/A (gói lập không kèm PDF)"
MISSING_SOURCE = "Không có tệp văn bản gốc (kết luận được nhập tay hoặc trước khi sổ giữ tệp)"

LABELS = {
    "ma_ho_so": "Mã hồ sơ",
    "ma_dinh_danh": "Mã định danh văn bản",
    "so_ky_hieu": "Số và ký hiệu",
    "so": "Số của văn bản",
    "ky_hieu": "Ký hiệu của văn bản",
    "ngay_van_ban": "Ngày, tháng, năm văn bản",
    "ten_loai": "Tên loại văn bản",
    "trich_yeu": "Trích yếu nội dung",
    "co_quan_ban_hanh": "Tên cơ quan, tổ chức ban hành",
    "cap_uy": "Cấp ủy",
    "khoa": "Khóa",
    "hoi_nghi_lan_thu": "Hội nghị lần thứ",
    "ngay_hop": "Ngày họp",
    "thoi_han_bao_quan": "Thời hạn bảo quản",
    "che_do_su_dung": "Chế độ sử dụng",
    "ngon_ngu": "Ngôn ngữ",
    "so_trang": "Số trang",
    "ky_hieu_thong_tin": "Ký hiệu thông tin",
    "tu_khoa": "Từ khóa",
    "muc_do_tin_cay": "Mức độ tin cậy",
    "but_tich": "Bút tích",
    "tinh_trang_vat_ly": "Tình trạng vật lý",
    "ghi_chu": "Ghi chú",
    "tep": "Các tệp",
    "thieu": "Còn thiếu",
    "duong_dan": "Đường dẫn trong gói",
    "vai_tro": "Vai trò của tệp",
    "ten_tep": "Tên tệp",
    "dinh_dang": "Định dạng",
    "kieu_mime": "Kiểu MIME",
    "dung_luong": "Dung lượng (byte)",
    "sha256": "Mã kiểm tra SHA-256",
    "bang_ma": "Bảng mã đã chuyển",
    "doc_bang_ocr": "Đọc bằng nhận dạng chữ (OCR)",
    "thoi_diem_nhan": "Thời điểm nhận",
}

MIME = {
    "txt": "text/plain",
    "md": "text/markdown",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "doc": "application/msword",
    "rtf": "application/rtf",
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "tif": "image/tiff",
    "tiff": "image/tiff",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
_UNSAFE_RE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')
_SYMBOL_RE = re.compile(r"^\s*(\d+)\s*[-/]\s*(.+)$")
_PAGES_RE = re.compile(rb"<Pages>(\d+)</Pages>")


def safe_name(name: str, limit: int = 120) -> str:
    """A file name any system can write: NFC, no folder separators or control characters,
    no leading dot; "tep" when nothing is left."""
    name = _UNSAFE_RE.sub("-", unicodedata.normalize("NFC", name)).strip(" .-")
    if len(name) > limit:
        suffix = PurePosixPath(name).suffix[:10]
        name = name[: limit - len(suffix)] + suffix
    return name or "tep"


def meeting_folder(meeting: Meeting) -> str:
    return f"data/ho-so/khoa-{meeting.term:02d}-hoi-nghi-{meeting.number:03d}"


def record_id(meeting: Meeting) -> str:
    """The register's identifier of a conclusion: committee, term, number (the natural key;
    the state's agency codes are not held by the register)."""
    return f"{meeting.committee.file_slug}.k{meeting.term:02d}.hn{meeting.number:03d}"


def split_symbol(symbol: str) -> tuple[int | None, str]:
    """ "25-TB/QU" → (25, "TB/QU"); a symbol without a leading number keeps it whole."""
    match = _SYMBOL_RE.match(symbol or "")
    if not match:
        return None, symbol or ""
    return int(match.group(1)), match.group(2).strip()


def file_format(name: str) -> str:
    """The format a file's name says ("pdf", "docx"…), as its MIME type and pages are read."""
    return PurePosixPath(name).suffix.lower().lstrip(".") or "bin"


def page_count(data: bytes, fmt: str) -> int | None:
    """How many pages a file has, where its format says (PDF, .docx as Word last saved it,
    an image is one page); None where it cannot be known (plain text)."""
    try:
        if fmt == "pdf":
            from pypdf import PdfReader

            return len(PdfReader(io.BytesIO(data)).pages)
        if fmt == "docx":
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                if "docProps/app.xml" in archive.namelist():
                    found = _PAGES_RE.search(archive.read("docProps/app.xml"))
                    return int(found.group(1)) if found else None
            return None
        if fmt in ("png", "jpg", "jpeg", "tif", "tiff"):
            return 1
    except Exception:  # a damaged file kept as received: its pages are unknown, not an error
        return None
    return None


def file_record(
    path: str, data_size: int, sha256: str, role: str, *, name: str, fmt: str, pages, shown=""
) -> dict:
    return {
        "duong_dan": path,
        "vai_tro": role,
        "ten_tep": name,
        "dinh_dang": shown or fmt,
        "kieu_mime": MIME.get(fmt, "application/octet-stream"),
        "dung_luong": data_size,
        "sha256": sha256,
        "so_trang": pages,
    }


def source_record(path: str, size: int, sha256: str, source: SourceFile, pages) -> dict:
    # The format the intake recognised ("scan" for an image read by OCR) where it recorded
    # one, else the name's.
    fmt = file_format(source.name)
    record = file_record(
        path, size, sha256, ROLE_SOURCE, name=source.name, fmt=fmt, pages=pages, shown=source.format
    )
    record.update(
        {
            "bang_ma": source.encodings,
            "doc_bang_ocr": source.ocr,
            "thoi_diem_nhan": source.received_at.isoformat(),
        }
    )
    return record


def conclusion_record(
    meeting: Meeting, files: list[dict], keywords: list[str], issuing_body: str, missing: list
) -> dict:
    """The metadata record of one conclusion and its files."""
    number, symbol = split_symbol(meeting.document_symbol)
    pdfa = [f for f in files if f["vai_tro"] == ROLE_PDFA]
    counted = [f["so_trang"] for f in (pdfa or files) if f["so_trang"] is not None]
    ocr = any(f.get("doc_bang_ocr") for f in files)
    notes = []
    if not meeting.document_symbol or not meeting.issued_on:
        notes.append("Văn bản chưa đủ số, ngày ban hành (bản dự thảo)")
    return {
        "ma_ho_so": record_id(meeting),
        "ma_dinh_danh": f"{record_id(meeting)}.{meeting.document_symbol or 'du-thao'}",
        "so_ky_hieu": meeting.document_symbol,
        "so": number,
        "ky_hieu": symbol,
        "ngay_van_ban": meeting.issued_on.isoformat() if meeting.issued_on else None,
        "ten_loai": meeting.get_document_kind_display(),
        "trich_yeu": meeting.title,
        "co_quan_ban_hanh": issuing_body,
        "cap_uy": meeting.committee.name,
        "khoa": meeting.term,
        "hoi_nghi_lan_thu": meeting.number,
        "ngay_hop": meeting.started_on.isoformat(),
        "thoi_han_bao_quan": RETENTION,
        "che_do_su_dung": ACCESS_PUBLIC if meeting.is_public else ACCESS_RESTRICTED,
        "ngon_ngu": LANGUAGE,
        "so_trang": counted[0] if pdfa and counted else (sum(counted) if counted else None),
        "ky_hieu_thong_tin": f"K{to_roman(meeting.term)}-HN{meeting.number}",
        "tu_khoa": keywords,
        "muc_do_tin_cay": DIGITISED if ocr else BORN_DIGITAL,
        "but_tich": None,
        "tinh_trang_vat_ly": PHYSICAL_STATE,
        "ghi_chu": "; ".join(notes),
        "tep": files,
        "thieu": missing,
    }
