"""The handover package's time and peak memory against the number of conclusions.

Not a test: it prints figures. For each size it makes a committee of that many synthetic
conclusions (bench/synthetic.py: ~25 directives, 3 reports, 3 figures and 2 findings each)
with one source file each, writes its package without PDF renditions, and measures:

- the time, against writing the archive workbook alone for the same committee (the part of
  the package that already existed), as a ratio;
- the peak of Python's allocations during a second run (tracemalloc; it slows the run, so
  it is not timed), and its ratio to the smallest size's: flat memory stays near 1.

Everything it writes is rolled back at the end.

    python manage.py benchmark_handover --conclusions 250,500,1000 [--json]
"""

from __future__ import annotations

import hashlib
import json
import random
import resource
import tempfile
import time
import tracemalloc

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from bench.synthetic import _committee_state, _flush, _meetings, _parts
from resolutions.handover.package import export_handover
from resolutions.models import (
    Committee,
    Directive,
    Finding,
    Indicator,
    Meeting,
    Report,
    SourceFile,
    Topic,
)
from resolutions.spreadsheets.archive import export_archive


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Measure the handover package's time and peak memory (nothing is kept)."

    def add_arguments(self, parser):
        parser.add_argument("--conclusions", default="250,500,1000")
        parser.add_argument("--json", action="store_true", dest="as_json")

    def handle(self, *args, conclusions: str, as_json: bool, **options):
        sizes = [int(n) for n in conclusions.split(",") if n.strip()]
        rows = []
        try:
            with transaction.atomic():
                for size in sizes:
                    committee = _register(size)
                    rows.append({"conclusions": size, **_measure(committee)})
                raise _Rollback
        except _Rollback:
            pass
        smallest = rows[0]["peak_mib"] if rows else 0
        for row in rows:
            row["peak_vs_smallest"] = round(row["peak_mib"] / smallest, 2) if smallest else None
        figures = {
            "database": connection.vendor,
            "runs": rows,
            "max_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        }
        if as_json:
            self.stdout.write(json.dumps(figures))
            return
        self.stdout.write(f"database {figures['database']}")
        self.stdout.write(
            f"{'conclusions':>11} {'seconds':>8} {'workbook s':>10} {'ratio':>6} "
            f"{'MB':>7} {'peak MiB':>9} {'peak/1st':>8}"
        )
        for row in rows:
            self.stdout.write(
                f"{row['conclusions']:>11} {row['seconds']:>8} {row['workbook_seconds']:>10} "
                f"{row['vs_workbook']:>6} {row['megabytes']:>7} {row['peak_mib']:>9} "
                f"{row['peak_vs_smallest']:>8}"
            )
        self.stdout.write(f"process peak RSS {figures['max_rss_mib']} MiB (all runs)")


def _register(size: int) -> Committee:
    """A committee of *size* conclusions, each with one source file of ~8 KB."""
    rng = random.Random(size)
    committee = Committee.objects.create(
        name=f"Ban Chấp hành Đảng bộ đo gói nộp lưu {size}",
        short_name=f"Đảng ủy đo {size}",
        level=Committee.Level.WARD,
        symbol="ĐU",
    )
    meetings = _meetings(rng, committee, size)
    Meeting.objects.bulk_create(meetings, batch_size=1000)
    meetings = list(Meeting.objects.filter(committee=committee).select_related("committee"))
    topics = {t.slug: t for t in Topic.objects.all()}
    rows: dict[type, list] = {Directive: [], Report: [], Indicator: [], Finding: []}
    files = []
    state = _committee_state(rng, committee)
    for meeting in meetings:
        _parts(rng, meeting, 25, topics, rows, state)
        if len(rows[Directive]) >= 5000:
            _flush(rows)
        text = (meeting.title + "\n" + "Nội dung kết luận viết để đo.\n" * 280).encode("utf-8")
        files.append(
            SourceFile(
                meeting=meeting,
                name=f"ket-luan-{meeting.term}-{meeting.number}.txt",
                content=text,
                size=len(text),
                sha256=hashlib.sha256(text).hexdigest(),
                format="txt",
            )
        )
    _flush(rows)
    SourceFile.objects.bulk_create(files, batch_size=200)
    return committee


def _measure(committee: Committee) -> dict:
    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        export_archive(out, committee=committee)
        workbook = time.perf_counter() - started
    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        export_handover(out, committee=committee)
        seconds = time.perf_counter() - started
        size = out.tell()
    with tempfile.TemporaryFile() as out:
        tracemalloc.start()
        export_handover(out, committee=committee)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return {
        "seconds": round(seconds, 1),
        "workbook_seconds": round(workbook, 1),
        "vs_workbook": round(seconds / workbook, 2),
        "megabytes": round(size / 1e6, 1),
        "peak_mib": round(peak / 2**20, 1),
    }
