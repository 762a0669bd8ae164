"""A shelf of conclusions imported as ``import_conclusions DIR --recursive`` imports it: the
batch service, one transaction (and commit) per document, on the database configured. Prints
documents per second, the queries each document costs (the same for the first and the last:
constant per document), and the run again (nothing read twice). Not a test: it prints figures.
What it writes is deleted when it ends.

    DEBUG=1 python manage.py benchmark_batch --documents 1000
    DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/resolutions \\
        python manage.py benchmark_batch
"""

import json
import os
import tempfile
import time
from pathlib import Path

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection, models

from resolutions.services.batch import REFUSED, document_paths, import_files
from resolutions.services.conclusions import topic_matcher

from .benchmark_parsing import corpus_texts, distinct_conclusions

TARGET_SECONDS = 120  # issue 16: 1,000 text documents in under two minutes


class _Counter:
    """Counts the queries run on the connection (a wrapper, cheap: no SQL kept)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def _integer_pk_models() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models()
        if isinstance(model._meta.pk, models.AutoField | models.BigAutoField)
        and model._meta.managed
        and not model._meta.proxy
    ]


class Command(BaseCommand):
    help = "Measure a shelf of N text conclusions imported one transaction each (documents/s)."

    def add_arguments(self, parser):
        parser.add_argument("--documents", type=int, default=1000)
        parser.add_argument("--json", action="store_true", dest="as_json")

    def handle(self, *args, documents, as_json, **options):
        variants = distinct_conclusions(corpus_texts(), documents, topic_matcher())
        before = {
            model: model.objects.aggregate(last=models.Max("pk"))["last"] or 0
            for model in _integer_pk_models()
        }
        figures: dict = {"database": connection.vendor, "documents": documents}
        try:
            with tempfile.TemporaryDirectory(prefix="shelf-") as folder:
                for number, variant in enumerate(variants):
                    shelf = Path(folder, f"{number // 100:02d}")
                    shelf.mkdir(exist_ok=True)
                    Path(shelf, f"{number:05d}.txt").write_text(variant, encoding="utf-8")
                figures.update(self._run(document_paths([folder], recursive=True)))
        finally:
            figures["rows_left_behind"] = self._clean_up(before)
        figures["load_average_1min"] = round(os.getloadavg()[0], 2)
        if as_json:
            self.stdout.write(json.dumps(figures))
            return
        for key, value in figures.items():
            self.stdout.write(f"{key:44} {value}")

    def _run(self, paths: list[Path]) -> dict:
        counter = _Counter()
        per_document: list[int] = []

        def progress(items):
            for path in items:
                start = counter.count
                yield path
                per_document.append(counter.count - start)

        with connection.execute_wrapper(counter):
            started, cpu = time.perf_counter(), time.process_time()
            reports = import_files(paths, progress=progress)
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
            refused = [r for r in reports if r.status == REFUSED]
            again = time.perf_counter()
            second = import_files(paths)
            again = time.perf_counter() - again
        assert not refused, refused[0].reason
        assert all(r.status == "unchanged" for r in second)
        tenth = max(1, len(per_document) // 10)
        first, last = per_document[:tenth], per_document[-tenth:]
        return {
            "seconds": round(seconds, 1),
            "documents_per_s": round(len(paths) / seconds, 1),
            "cpu_seconds_of_this_process": round(cpu, 1),
            "projected_seconds_for_1000": round(1000 * seconds / len(paths), 1),
            "under_2_minutes_for_1000": 1000 * seconds / len(paths) < TARGET_SECONDS,
            "queries_per_document_first_tenth": round(sum(first) / len(first), 1),
            "queries_per_document_last_tenth": round(sum(last) / len(last), 1),
            "second_run_seconds (nothing read again)": round(again, 2),
        }

    def _clean_up(self, before: dict) -> int:
        """Delete every row written since *before* (the meetings first: their rows, source
        files and series matches go with them); returns how many are still there."""
        from resolutions.models import Meeting

        order = [Meeting, *(m for m in before if m is not Meeting)]
        for _ in range(3):  # a row may be protected by one deleted later in the order
            for model in order:
                try:
                    model.objects.filter(pk__gt=before[model]).delete()
                except models.ProtectedError:
                    continue
        return sum(model.objects.filter(pk__gt=before[model]).count() for model in order)
