"""A PDF LibreOffice made, rewritten to depend only on its content and a given time.

LibreOffice puts the time of the run into a PDF/A in four places (the Info dictionary's
dates, the XMP metadata's dates, the header of the embedded ICC output-intent profile) and
a random document /ID in the trailer; some versions add uuids to the XMP as well. Two
conversions of the same document therefore differ, and so would two handover packages of
the same register. ``fixed_pdf`` sets every date to the time given (the package's), derives
the uuids and the /ID from the content, and saves the file the same way every time.

The rest is left as LibreOffice wrote it: streams already compressed are copied as they are,
the PDF/A-2b identification and the other XMP properties are kept, Info and XMP agree.
"""

from __future__ import annotations

import hashlib
import io
import struct
import uuid
import zlib
from datetime import UTC, datetime

from .pdf import ConversionError

# When no time is given (an empty register): the earliest a zip member can carry.
EPOCH = datetime(1980, 1, 1, tzinfo=UTC)
_XMP_DATES = ("xmp:CreateDate", "xmp:ModifyDate", "xmp:MetadataDate")
_XMP_IDS = ("xmpMM:DocumentID", "xmpMM:InstanceID", "xmpMM:OriginalDocumentID")
# The ICC header: creation date at bytes 24-35 (six big-endian uint16), profile ID (an MD5,
# or zeros) at 84-99, computed with the flags (44-47) and rendering intent (64-67) zeroed.
_ICC_DATE = slice(24, 36)
_ICC_ID = slice(84, 100)
_ICC_HEADER = 128


def fixed_pdf(data: bytes, when: datetime | None) -> bytes:
    """*data* (a PDF) with its dates set to *when* (or EPOCH) and its ids derived from its
    content; ConversionError, worded in Vietnamese, if it cannot be read as a PDF."""
    try:
        import pikepdf  # only the handover's PDF renditions need it
    except ImportError:
        raise ConversionError(
            "Không chuẩn hóa được bản PDF: máy chủ chưa cài thư viện pikepdf."
        ) from None
    try:
        return _fixed(pikepdf, data, _aware(when or EPOCH).replace(microsecond=0))
    except (pikepdf.PdfError, ValueError):
        raise ConversionError(
            f"Không chuẩn hóa được bản PDF LibreOffice đã tạo ({len(data)} byte): "
            "tệp hỏng hoặc không phải PDF."
        ) from None


def _fixed(pikepdf, data: bytes, when: datetime) -> bytes:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for profile in _icc_profiles(pdf):
            fixed = _icc_dated(profile.read_bytes(), when)
            if fixed is not None:
                # Compressed here, so that its dictionary keeps its keys in their order.
                profile.write(zlib.compress(fixed), filter=pikepdf.Name.FlateDecode)
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=True) as meta:
            for key in _XMP_DATES:
                meta[key] = when.isoformat()
            has_ids = [key for key in _XMP_IDS if key in meta]
            # Placeholders first: the uuids are derived from the file without them.
            for key in has_ids:
                meta[key] = f"uuid:{uuid.UUID(int=0)}"
        first = _saved(pdf)
        if not has_ids:
            return first
        digest = hashlib.sha256(first).digest()
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=True) as meta:
            for index, key in enumerate(has_ids):
                seed = hashlib.sha256(digest + bytes([index])).digest()[:16]
                meta[key] = f"uuid:{uuid.UUID(bytes=seed, version=4)}"
        return _saved(pdf)


def _aware(when: datetime) -> datetime:
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def _saved(pdf) -> bytes:
    import pikepdf

    # qpdf keeps the first half of an /ID the file has; without one, both halves are made
    # from the content (deterministic_id). /DocChecksum, LibreOffice's own trailer key, is
    # an MD5 of the file as it was written, times and all.
    for key in ("/ID", "/DocChecksum"):
        if key in pdf.trailer:
            del pdf.trailer[key]
    out = io.BytesIO()
    pdf.save(
        out,
        deterministic_id=True,
        fix_metadata_version=False,
        object_stream_mode=pikepdf.ObjectStreamMode.disable,
        compress_streams=True,
        stream_decode_level=pikepdf.StreamDecodeLevel.generalized,
        recompress_flate=False,
        normalize_content=False,
        linearize=False,
        qdf=False,
    )
    return out.getvalue()


def _icc_profiles(pdf):
    """The ICC profiles of the document's output intents (where LibreOffice puts its own)."""
    import pikepdf

    intents = pdf.Root.get("/OutputIntents")
    for intent in intents if isinstance(intents, pikepdf.Array) else []:
        if not isinstance(intent, pikepdf.Dictionary):
            continue
        profile = intent.get("/DestOutputProfile")
        if isinstance(profile, pikepdf.Stream):
            yield profile


def _icc_dated(profile: bytes, when: datetime) -> bytes | None:
    """The ICC *profile* created at *when* (UTC) with its ID made again, or None if it is
    already so dated or is too short to be a profile."""
    if len(profile) < _ICC_HEADER:
        return None
    utc = when.astimezone(UTC)
    stamp = struct.pack(">6H", utc.year, utc.month, utc.day, utc.hour, utc.minute, utc.second)
    if profile[_ICC_DATE] == stamp:
        return None
    fixed = bytearray(profile)
    fixed[_ICC_DATE] = stamp
    if any(profile[_ICC_ID]):
        fixed[_ICC_ID] = _icc_profile_id(fixed)
    return bytes(fixed)


def _icc_profile_id(profile: bytearray) -> bytes:
    """The profile ID the ICC specification defines: the MD5 of the profile with its flags,
    rendering intent and ID fields zeroed."""
    copy = bytearray(profile)
    copy[44:48] = bytes(4)
    copy[64:68] = bytes(4)
    copy[_ICC_ID] = bytes(16)
    return hashlib.md5(copy, usedforsecurity=False).digest()
