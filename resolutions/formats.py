"""The file formats the admin offers for import and export, made safe for our users.

- CSV is written with a byte-order mark (spreadsheet programs otherwise garble Vietnamese) and
  read with or without one.
- XLSX and ODS are zip files: an upload that is not one, that is too large, or that would expand
  far beyond its size (a "zip bomb") is refused before it is opened.
"""

import io

from import_export.formats import base_formats

from .services.archive import MAX_ARCHIVE_BYTES, ArchiveRefused, check_zip


def _checked(in_stream, name: str):
    data = in_stream if isinstance(in_stream, bytes) else in_stream.read()
    if len(data) > MAX_ARCHIVE_BYTES:
        raise ArchiveRefused(
            f"{name}: tệp quá lớn ({len(data) / 1024 / 1024:.1f} MB); giới hạn là "
            f"{MAX_ARCHIVE_BYTES // 1024 // 1024} MB."
        )
    check_zip(name, io.BytesIO(data))
    return data


class CSV(base_formats.CSV):
    encoding = "utf-8-sig"

    def export_data(self, dataset, **kwargs):
        return "\ufeff" + super().export_data(dataset, **kwargs)


class XLSX(base_formats.XLSX):
    def create_dataset(self, in_stream):
        return super().create_dataset(_checked(in_stream, "tệp .xlsx"))


class ODS(base_formats.ODS):
    def create_dataset(self, in_stream, **kwargs):
        return super().create_dataset(_checked(in_stream, "tệp .ods"), **kwargs)


class JSON(base_formats.JSON):
    encoding = "utf-8-sig"


FORMATS = [CSV, XLSX, ODS, JSON]
