"""Write the handover package of a committee (and a term): one zip, in BagIt's layout.

    bagit.txt, bag-info.txt          what the package is (BagIt 1.0)
    manifest-sha256.txt              the SHA-256 of every file under data/
    tagmanifest-sha256.txt           the SHA-256 of the three files above
    data/so-ket-luan.xlsx            the archive workbook (spreadsheets/archive.py)
    data/so-ket-luan.json            the same tables as JSON, and a metadata record per
                                     conclusion and per file (schema: data/so-ket-luan.schema.json)
    data/bien-ban-giao-nop.docx      the handover record (and .pdf with PDF renditions)
    data/ho-so/khoa-TT-hoi-nghi-NNN/ a conclusion: its source files as received, its PDF/A

Deterministic: meetings and rows in the order of their natural keys, every member dated by
the register's newest change (``newest_change``), fixed permissions, no random names. The
PDFs LibreOffice makes carry the time of the run and random ids; they are rewritten with that
same time and ids derived from their content (``issuing.pdf_fixed``).

Memory stays flat in the number of conclusions: meetings are read in chunks, each one's files
written as they come; the metadata records, the manifest and the record's table go through
temporary files, and the JSON is written into the zip as it is read back.
"""

from __future__ import annotations

import gc
import json
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import IO

from django.db.models import Max
from django.utils import timezone

from ..issuing.docx import write_docx
from ..issuing.layout import build_document
from ..issuing.pdf import convert_to_pdf
from ..issuing.pdf_fixed import fixed_pdf
from ..issuing.rendering import meetings_to_render
from ..models import (
    Committee,
    Directive,
    Finding,
    Indicator,
    Meeting,
    ProgressNote,
    Report,
    SourceFile,
    Topic,
)
from ..spreadsheets import cells
from ..spreadsheets.archive import ARCHIVE_SHEETS, export_archive, scoped
from ..vietnamese import to_roman
from . import metadata, record
from .zipped import DeterministicZip, Written, normalize_office_file

SCHEMA = Path(__file__).with_name("schema.json")
FORMAT_VERSION = "1.0"
WORKBOOK = "data/so-ket-luan.xlsx"
DATA = "data/so-ket-luan.json"
SCHEMA_COPY = "data/so-ket-luan.schema.json"
RECORD = "data/bien-ban-giao-nop"
MANIFEST = "manifest-sha256.txt"
TAG_MANIFEST = "tagmanifest-sha256.txt"
# Meetings read, rendered and converted together: one LibreOffice process per chunk.
CHUNK = 50
# The JSON's table of each archive sheet, by the model it holds.
TABLE_KEYS = {
    "topic": "linh_vuc",
    "committee": "cap_uy",
    "unit": "don_vi",
    "meeting": "hoi_nghi",
    "report": "bao_cao",
    "indicator": "chi_tieu",
    "directive": "nhiem_vu",
    "finding": "ket_qua_ton_tai",
    "progressnote": "tien_do",
    "indicatorseries": "chi_tieu_theo_doi",
    "seriesmatch": "ghep_chi_tieu",
    "directivetarget": "muc_tieu_nhiem_vu",
}


@dataclass
class HandoverOutcome:
    conclusions: int = 0
    files: int = 0
    bytes: int = 0
    missing_pdfa: int = 0
    without_source: int = 0
    as_of: datetime | None = None
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        parts = [f"{self.conclusions} kết luận", f"{self.files} tệp", f"{self.bytes:,} byte"]
        if self.missing_pdfa:
            parts.append(f"{self.missing_pdfa} kết luận chưa có bản PDF/A")
        if self.without_source:
            parts.append(f"{self.without_source} kết luận không có tệp văn bản gốc")
        return "; ".join(parts)


def scope_meetings(committee: Committee, term: int | None = None):
    meetings = Meeting.objects.filter(committee=committee)
    if term:
        meetings = meetings.filter(term=term)
    return meetings.order_by("term", "number")


def newest_change(committee: Committee, term: int | None = None) -> datetime | None:
    """When the package's contents last changed: the latest ``updated_at`` of its meetings and
    their rows, and of the committee, and the latest receipt of a source file."""
    meetings = scope_meetings(committee, term)
    times = [committee.updated_at]
    times.append(meetings.aggregate(t=Max("updated_at"))["t"])
    for model in (Directive, Report, Indicator, Finding):
        times.append(model.objects.filter(meeting__in=meetings).aggregate(t=Max("updated_at"))["t"])
    times.append(
        ProgressNote.objects.filter(directive__meeting__in=meetings).aggregate(t=Max("updated_at"))[
            "t"
        ]
    )
    times.append(
        SourceFile.objects.filter(meeting__in=meetings).aggregate(t=Max("received_at"))["t"]
    )
    found = [t for t in times if t is not None]
    return timezone.localtime(max(found)).replace(microsecond=0) if found else None


def export_handover(
    target: IO[bytes] | str | Path,
    *,
    committee: Committee,
    term: int | None = None,
    with_pdf: bool = False,
    as_of: datetime | None = None,
) -> HandoverOutcome:
    """Write the handover package of *committee* (and *term*) to *target*."""
    as_of = as_of or newest_change(committee, term)
    outcome = HandoverOutcome(as_of=as_of)
    package = DeterministicZip(target, as_of)
    try:
        with (
            tempfile.TemporaryFile() as records,
            tempfile.TemporaryFile() as manifest,
        ):

            def written(entry: Written) -> Written:
                manifest.write(f"{entry.sha256}  {entry.path}\n".encode())
                outcome.files += 1
                outcome.bytes += entry.size
                return entry

            for line in _conclusions(package, committee, term, with_pdf, as_of, outcome, written):
                records.write(line)
            package_files = []
            with tempfile.TemporaryFile() as raw, tempfile.TemporaryFile() as fixed:
                export_archive(raw, committee=committee, term=term, as_of=as_of)
                raw.seek(0)
                normalize_office_file(raw, fixed, as_of)
                size = fixed.tell()
                fixed.seek(0)
                package_files.append(("xlsx", written(package.write(WORKBOOK, fixed, size))))
            schema = SCHEMA.read_bytes()
            package_files.append(("json", written(package.write(SCHEMA_COPY, schema))))
            title = scope_title(committee, term)
            with tempfile.TemporaryFile() as docx:
                records.seek(0)
                record.write_record(
                    docx,
                    records,
                    committee=committee.name,
                    title=title,
                    outcome=outcome,
                    when=as_of,
                )
                size = docx.tell()
                docx.seek(0)
                if with_pdf:
                    data = docx.read()
                    pdf = fixed_pdf(
                        convert_to_pdf({"bien-ban-giao-nop": data})["bien-ban-giao-nop"], as_of
                    )
                    docx.seek(0)
                package_files.append(("docx", written(package.write(f"{RECORD}.docx", docx, size))))
                if with_pdf:
                    package_files.append(("pdf", written(package.write(f"{RECORD}.pdf", pdf))))
            with tempfile.TemporaryFile() as data_json:
                records.seek(0)
                for chunk in _json_document(
                    committee, term, with_pdf, as_of, outcome, package_files, records
                ):
                    data_json.write(chunk.encode("utf-8"))
                size = data_json.tell()
                data_json.seek(0)
                written(package.write(DATA, data_json, size))
            bagit = b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
            info = _bag_info(committee, term, as_of, outcome).encode("utf-8")
            size = manifest.tell()
            manifest.seek(0)
            tags = [
                package.write("bagit.txt", bagit),
                package.write("bag-info.txt", info),
                package.write(MANIFEST, manifest, size),
            ]
        package.write(TAG_MANIFEST, "".join(f"{t.sha256}  {t.path}\n" for t in tags).encode())
        package.close()
    except BaseException:
        package.abandon()  # the caller discards the target
        raise
    return outcome


def scope_title(committee: Committee, term: int | None) -> str:
    title = f"Sổ kết luận Hội nghị {committee.name}"
    return f"{title} khóa {to_roman(term)}" if term else title


def _conclusions(package, committee, term, with_pdf, as_of, outcome, written) -> Iterator[bytes]:
    """Write each conclusion's files; yield its metadata record as one JSON line."""
    topics = dict(Topic.objects.values_list("pk", "name"))
    ids = list(scope_meetings(committee, term).values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        chunk_ids = ids[start : start + CHUNK]
        meetings = list(
            meetings_to_render(Meeting.objects.filter(pk__in=chunk_ids)).order_by("term", "number")
        )
        pdfs = {}
        if with_pdf:
            documents = {m.pk: build_document(m) for m in meetings}
            converted = convert_to_pdf(
                {str(pk): write_docx(document) for pk, document in documents.items()}
            )
            pdfs = {
                pk: (
                    metadata.safe_name(documents[pk].file_stem) + ".pdf",
                    fixed_pdf(converted[str(pk)], as_of),
                )
                for pk in documents
            }
        for meeting in meetings:
            outcome.conclusions += 1
            folder = metadata.meeting_folder(meeting)
            files, missing = [], []
            sources = SourceFile.objects.filter(meeting=meeting).order_by("received_at", "sha256")
            for index, source in enumerate(sources, start=1):
                data = bytes(source.content)
                path = f"{folder}/van-ban-goc/{index}-{metadata.safe_name(source.name)}"
                entry = written(package.write(path, data))
                fmt = metadata.file_format(source.name)
                pages = metadata.page_count(data, fmt)
                files.append(metadata.source_record(path, entry.size, entry.sha256, source, pages))
            if not files:
                outcome.without_source += 1
                missing.append(metadata.MISSING_SOURCE)
            if meeting.pk in pdfs:
                name, data = pdfs[meeting.pk]
                entry = written(package.write(f"{folder}/{name}", data))
                files.append(
                    metadata.file_record(
                        entry.path,
                        entry.size,
                        entry.sha256,
                        metadata.ROLE_PDFA,
                        name=name,
                        fmt="pdf",
                        pages=metadata.page_count(data, "pdf"),
                    )
                )
            else:
                outcome.missing_pdfa += 1
                missing.append(metadata.MISSING_PDFA)
            keywords = sorted(
                {topics[d.topic_id] for d in meeting.directives.all() if d.topic_id in topics}
            )
            profile = getattr(meeting.committee, "issuing_profile", None)
            issuing_body = (profile.issuing_body if profile else "") or meeting.committee.name
            entry_record = metadata.conclusion_record(
                meeting, files, keywords, issuing_body, missing
            )
            yield (_dumps(entry_record) + "\n").encode("utf-8")
        # The chunk's meetings and rows refer to each other (prefetch caches): reclaim them
        # now rather than when the collector next looks at old objects, or memory grows with
        # the number of chunks.
        del meetings, pdfs
        gc.collect()


def _json_document(committee, term, with_pdf, as_of, outcome, package_files, records):
    """The JSON document, piece by piece: the package, the tables, then the records."""
    head = {
        "phien_ban": FORMAT_VERSION,
        "goi": {
            "ten": scope_title(committee, term),
            "cap_uy": committee.name,
            "khoa": term,
            "ngay_lap": as_of.isoformat() if as_of else None,
            "so_ket_luan": outcome.conclusions,
            "kem_pdfa": with_pdf,
            "thoi_han_bao_quan": metadata.RETENTION,
            "ngon_ngu": metadata.LANGUAGE,
            "tep": [
                metadata.file_record(
                    entry.path,
                    entry.size,
                    entry.sha256,
                    kind,
                    name=entry.path.rsplit("/", 1)[-1],
                    fmt=kind,
                    pages=None,
                )
                for kind, entry in package_files
            ],
            "thieu": _missing_summary(outcome),
        },
    }
    yield _dumps(head)[:-1] + ', "bang": {'
    for index, (_, resource_class) in enumerate(ARCHIVE_SHEETS):
        resource = resource_class()
        model_name = resource._meta.model._meta.model_name
        fields = resource.get_export_fields()
        names = [resource.get_field_name(f) for f in fields]
        queryset = scoped(resource.get_queryset(), model_name, committee, None, term)
        if as_of is not None and hasattr(queryset, "with_status"):
            queryset = queryset.with_status(timezone.localdate(as_of))
        yield ("" if index == 0 else ", ") + json.dumps(TABLE_KEYS[model_name]) + ": ["
        rows = resource.fast_rows(queryset, force_native_type=True, spreadsheet_format="xlsx")
        for number, row in enumerate(rows):
            values = {name: _plain(value) for name, value in zip(names, row, strict=True)}
            yield ("" if number == 0 else ", ") + _dumps(values)
        yield "]"
    yield '}, "ho_so": ['
    for number, line in enumerate(records):
        yield ("" if number == 0 else ", ") + line.decode("utf-8").rstrip("\n")
    yield "]}\n"


def _missing_summary(outcome: HandoverOutcome) -> list[str]:
    missing = []
    if outcome.missing_pdfa:
        missing.append(f"{outcome.missing_pdfa} kết luận chưa có bản PDF/A")
    if outcome.without_source:
        missing.append(f"{outcome.without_source} kết luận không có tệp văn bản gốc")
    return missing


def _plain(value):
    """A workbook cell's value as JSON: text without the workbook's formula guard, dates in
    ISO form, decimals exact."""
    if isinstance(value, str):
        return cells.unescape(value)
    if isinstance(value, date):  # and datetime
        return value.isoformat()
    return value


# Decimals go through json.dumps as a marker string, then are written as the number they are,
# digit for digit (a float would round them). No text of the register holds a NUL.
_DECIMAL_RE = re.compile(r'"\\u0000(-?[0-9.]+)\\u0000"')


def _dumps(value) -> str:
    return _DECIMAL_RE.sub(r"\1", json.dumps(_exact(value), ensure_ascii=False))


def _exact(value):
    if isinstance(value, Decimal):
        return f"\0{format(value.normalize(), 'f')}\0"
    if isinstance(value, dict):
        return {k: _exact(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_exact(v) for v in value]
    return value


def _bag_info(committee, term, as_of, outcome) -> str:
    lines = [
        f"Source-Organization: {committee.name}",
        f"External-Description: {scope_title(committee, term)}",
        f"Bagging-Date: {as_of.date().isoformat() if as_of else ''}",
        f"Payload-Oxum: {outcome.bytes}.{outcome.files}",
        "Bag-Software-Agent: Sổ kết luận Hội nghị Ban Chấp hành",
    ]
    return "\n".join(lines) + "\n"
