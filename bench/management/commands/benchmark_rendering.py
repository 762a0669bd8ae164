"""Official documents rendered per second: .docx, and PDF/A in one LibreOffice batch (and the
handover's rewrite of those PDFs with fixed times and ids, against the conversion).

Not a test: it prints figures. Everything it writes is rolled back at the end. Baselines: the
bare writer (python-docx writing the same paragraphs with no form: the floor for .docx) and
LibreOffice converting those bare files in one batch (the floor for PDF).

    python manage.py benchmark_rendering --documents 50 --json
"""

import io
import json
import time
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from docx import Document

from resolutions.issuing.docx import TEMPLATE, write_docx
from resolutions.issuing.layout import build_document
from resolutions.issuing.pdf import PDFA_FILTER, convert_to_pdf
from resolutions.issuing.pdf_fixed import fixed_pdf
from resolutions.issuing.rendering import meetings_to_render
from resolutions.models import Meeting
from resolutions.parsing import parse_conclusion, read_path
from resolutions.services.conclusions import import_conclusion, topic_matcher

from .benchmark_parsing import _MEETING_NUMBER_RE, _SYMBOL_NUMBER_RE, _imports


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Measure official documents rendered per second, .docx and PDF/A (nothing is kept)."

    def add_arguments(self, parser):
        parser.add_argument("--documents", type=int, default=50)
        parser.add_argument("--json", action="store_true", dest="as_json")

    def handle(self, *args, documents, as_json: bool, **options):
        figures = {}
        try:
            with transaction.atomic():
                ids = _meetings(documents)
                figures = _measure(ids)
                raise _Rollback
        except _Rollback:
            pass
        figures = {"database": connection.vendor, "documents": documents, **figures}
        if as_json:
            self.stdout.write(json.dumps(figures))
            return
        for key, value in figures.items():
            self.stdout.write(f"{key:34} {value}")


def _meetings(count: int) -> list[int]:
    """*count* meetings imported from the seeds and the test documents the register accepts,
    each with a number of its own."""
    base = Path(settings.BASE_DIR)
    paths = sorted((base / "seeds").glob("*.txt")) + sorted(
        (base / "tests" / "documents").glob("*.txt")
    )
    topics = topic_matcher()
    texts = [read_path(p) for p in paths]
    accepted = [t for t in texts if _imports(parse_conclusion(t, topics=topics))]
    ids = []
    for i in range(count):
        text = _SYMBOL_NUMBER_RE.sub(
            rf"\g<1>{2000 + i}\g<2>",
            _MEETING_NUMBER_RE.sub(f"lần thứ {2000 + i}", accepted[i % len(accepted)]),
            count=1,
        )
        parsed = parse_conclusion(text, topics=topics)
        ids.append(import_conclusion(parsed, source_name="benchmark").meeting.pk)
    return ids


def _measure(ids: list[int]) -> dict:
    n = len(ids)
    started = time.perf_counter()
    meetings = list(meetings_to_render(Meeting.objects.filter(pk__in=ids)))
    documents = [build_document(m) for m in meetings]
    files = {f"d{i}": write_docx(d) for i, d in enumerate(documents)}
    docx_seconds = time.perf_counter() - started

    started = time.perf_counter()
    bare = {f"d{i}": _bare(d.text()) for i, d in enumerate(documents)}
    bare_seconds = time.perf_counter() - started

    started = time.perf_counter()
    pdfs = convert_to_pdf(files)
    pdf_seconds = time.perf_counter() - started

    # The handover's rewrite of each PDF (fixed times, ids from the content).
    when = datetime(2008, 1, 18, 10, 0, tzinfo=UTC)
    started = time.perf_counter()
    for data in pdfs.values():
        fixed_pdf(data, when)
    fixed_seconds = time.perf_counter() - started

    started = time.perf_counter()
    convert_to_pdf(bare)
    bare_pdf_seconds = time.perf_counter() - started
    return {
        "docx_per_second": round(n / docx_seconds, 1),
        "bare_docx_per_second": round(n / bare_seconds, 1),
        "docx_vs_bare_writer": round(docx_seconds / bare_seconds, 2),
        "pdf_batch_seconds": round(pdf_seconds, 1),
        "pdf_per_second": round(n / pdf_seconds, 2),
        "bare_pdf_batch_seconds": round(bare_pdf_seconds, 1),
        "pdf_vs_bare_conversion": round(pdf_seconds / bare_pdf_seconds, 2),
        "pdf_fixed_ms_each": round(1000 * fixed_seconds / n, 1),
        "pdf_fixed_vs_conversion": round(fixed_seconds / pdf_seconds, 3),
        "pdf_filter": PDFA_FILTER,
    }


def _bare(text: str) -> bytes:
    """The same paragraphs written by python-docx over the same template, with no form."""
    word = Document(str(TEMPLATE))
    for paragraph in text.split("\n\n"):
        word.add_paragraph(paragraph)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()
