"""A zip written the same way every time: fixed timestamps, permissions and order, and every
member's SHA-256 computed while it is written (for the manifest, without reading it again)."""

from __future__ import annotations

import contextlib
import hashlib
import io
import re
import shutil
import zipfile
from dataclasses import dataclass
from datetime import datetime
from typing import IO

CHUNK = 1024 * 1024
# The earliest time a zip can hold.
EPOCH = (1980, 1, 1, 0, 0, 0)
_CORE_DATE_RE = re.compile(
    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:(?:created|modified)>)"
)


@dataclass(frozen=True)
class Written:
    path: str
    size: int
    sha256: str


def zip_time(when: datetime | None) -> tuple[int, int, int, int, int, int]:
    if when is None:
        return EPOCH
    stamp = (when.year, when.month, when.day, when.hour, when.minute, when.second)
    return max(stamp, EPOCH)


class _Hashing:
    """A writable stream that hashes and counts what goes through it."""

    def __init__(self, out: IO[bytes]):
        self.out = out
        self.digest = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> int:
        self.digest.update(data)
        self.size += len(data)
        return self.out.write(data)


class DeterministicZip:
    def __init__(self, target, when: datetime | None):
        self.date_time = zip_time(when)
        self.zip = zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED)

    def info(self, path: str) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(path, self.date_time)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.create_system = 3  # Unix, whatever the machine: the permissions below mean that
        info.external_attr = 0o100644 << 16
        return info

    def write(
        self, path: str, source: bytes | IO[bytes] | io.RawIOBase, size: int | None = None
    ) -> Written:
        """Write *source* (bytes, or a binary stream read to its end) as member *path*."""
        if isinstance(source, bytes):
            size = len(source)
        big = size is None or size > zipfile.ZIP64_LIMIT // 2
        with self.zip.open(self.info(path), "w", force_zip64=big) as member:
            hashing = _Hashing(member)
            if isinstance(source, bytes):
                hashing.write(source)
            else:
                shutil.copyfileobj(source, hashing, CHUNK)  # type: ignore[misc]
        return Written(path, hashing.size, hashing.digest.hexdigest())

    def close(self) -> None:
        self.zip.close()

    def abandon(self) -> None:
        """Close an export that failed, whatever state it is in (the target is discarded);
        left open, the zip would try to finish itself on a file its caller has closed."""
        with contextlib.suppress(Exception):
            self.zip.close()


def normalize_office_file(source: IO[bytes], target: IO[bytes], when: datetime | None) -> None:
    """Copy an Office Open XML file (.docx, .xlsx: a zip) with its members' times fixed and
    the dates of its properties (docProps/core.xml) set to *when*: the writers put the
    present moment in both."""
    stamp = (
        datetime(*zip_time(when)).strftime("%Y-%m-%dT%H:%M:%SZ").encode()
        if when is not None
        else b"1980-01-01T00:00:00Z"
    )
    out = DeterministicZip(target, when)
    with zipfile.ZipFile(source) as original:
        for item in original.infolist():
            with original.open(item) as member:
                if item.filename == "docProps/core.xml":
                    data = _CORE_DATE_RE.sub(
                        lambda m: m.group(1) + stamp + m.group(2), member.read()
                    )
                    out.write(item.filename, data)
                else:
                    out.write(item.filename, member, item.file_size)
    out.close()
