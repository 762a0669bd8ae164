"""The file formats the admin offers for import and export, made safe for our users.

- CSV is written with a byte-order mark (spreadsheet programs otherwise garble Vietnamese) and
  read with or without one.
- XLSX and ODS are zip files: an upload that is not one, that is too large, or that would expand
  far beyond its size (a "zip bomb") is refused before it is opened. They are binary formats
  (django-import-export would otherwise read an ODS upload as text) whose cells keep their
  types: numbers and dates are written as number and date cells (``NATIVE``).
- Every format is read by ``readers``: streamed, and refused past ``settings.IMPORT_MAX_ROWS``
  rows while reading.
"""

import io

from import_export.formats import base_formats

from .. import upload_safety
from . import ods, readers, xlsx


def checked(data: bytes, kind: str, name: str) -> bytes:
    """The upload, refused (``upload_safety``) if too large or, for XLSX and ODS, not a zip
    or a zip that would expand too far."""
    upload_safety.check_size(name, len(data), "spreadsheet")
    if kind in NATIVE:
        upload_safety.check_zip(name, io.BytesIO(data))
    return data


class _Read:
    """Reading through ``readers``, whatever form django-import-export hands the file in."""

    kind = ""

    def create_dataset(self, in_stream, **kwargs):
        name = f"tệp .{self.kind}"
        data = in_stream if isinstance(in_stream, bytes) else in_stream.read()
        if isinstance(data, str):
            data = data.encode("utf-8")
        return readers.read(checked(data, self.kind, name), self.kind, name)


class _Binary(_Read):
    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"


class CSV(_Read, base_formats.CSV):
    kind = "csv"
    encoding = "utf-8-sig"

    def export_data(self, dataset, **kwargs):
        return "\ufeff" + super().export_data(dataset, **kwargs)


class XLSX(_Binary, base_formats.XLSX):
    kind = "xlsx"

    def export_data(self, dataset, **kwargs):
        return xlsx.write([(dataset.title or "Bảng", [dataset.headers, *dataset])])


class ODS(_Binary, base_formats.ODS):
    kind = "ods"

    def export_data(self, dataset, **kwargs):
        return ods.write([(dataset.title or "Bảng", [dataset.headers, *dataset])])


class JSON(_Read, base_formats.JSON):
    kind = "json"
    encoding = "utf-8-sig"


FORMATS = [CSV, XLSX, ODS, JSON]
# The formats whose cells keep numbers and dates as such (by their titles).
NATIVE = {"xlsx", "ods"}
BY_TITLE = {"csv": CSV, "xlsx": XLSX, "ods": ODS, "json": JSON}
