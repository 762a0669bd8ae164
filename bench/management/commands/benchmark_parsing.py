"""Documents parsed and imported per second, on whatever database DATABASE_URL names.

Not a test: it prints figures. Everything it writes is rolled back at the end.

    python manage.py benchmark_parsing --documents 200
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/resolutions python manage.py benchmark_parsing
"""

import json
import re
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from resolutions.parsing import parse_conclusion, read_path
from resolutions.services.conclusions import ImportRefused, import_conclusion, topic_matcher

_MEETING_NUMBER_RE = re.compile(r"lần thứ [^\s,]+(?: lăm| một)?")
_SYMBOL_NUMBER_RE = re.compile(r"(Số\s*[:.]?\s*)\d+(\s*[-–]\s*[A-ZĐ]+\s*/)")


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Measure documents parsed per second and imported per second (nothing is kept)."

    def add_arguments(self, parser):
        parser.add_argument("--documents", type=int, default=200)
        parser.add_argument("--json", action="store_true", dest="as_json")

    def handle(self, *args, documents, as_json: bool, **options):
        texts = corpus_texts()
        topics = topic_matcher()

        started = time.perf_counter()
        for i in range(documents):
            parse_conclusion(texts[i % len(texts)], topics=topics)
        parse_seconds = time.perf_counter() - started

        variants = distinct_conclusions(texts, documents, topics)
        parsed = [parse_conclusion(text, topics=topics) for text in variants]
        timings = {}
        try:
            with transaction.atomic():
                for label in ("import", "reimport"):
                    started = time.perf_counter()
                    for document in parsed:
                        import_conclusion(document, source_name="benchmark")
                    timings[label] = time.perf_counter() - started
                raise _Rollback
        except _Rollback:
            pass

        figures = {
            "database": connection.vendor,
            "documents": documents,
            "parsed_per_second": round(documents / parse_seconds, 1),
            "imported_per_second": round(documents / timings["import"], 1),
            "reimported_unchanged_per_second": round(documents / timings["reimport"], 1),
            "parse_ms_per_document": round(1000 * parse_seconds / documents, 2),
            "import_ms_per_document": round(1000 * timings["import"] / documents, 2),
        }
        if as_json:
            self.stdout.write(json.dumps(figures))
            return
        for key, value in figures.items():
            self.stdout.write(f"{key:34} {value}")


def distinct_conclusions(texts: list[str], count: int, topics) -> list[str]:
    """*count* conclusions the importer accepts, each a meeting of its own."""
    # The corpus of document shapes holds texts the importer still refuses (no meeting
    # number, a congress…): the imports are timed on the documents it accepts.
    accepted = [t for t in texts if _imports(parse_conclusion(t, topics=topics))]
    # Each import gets a meeting number and a document symbol of its own, so every one
    # creates a meeting (a news report's headline may name another "lần thứ" first).
    return [
        _SYMBOL_NUMBER_RE.sub(
            rf"\g<1>{1000 + i}\g<2>",
            _MEETING_NUMBER_RE.sub(f"lần thứ {1000 + i}", accepted[i % len(accepted)]),
            count=1,
        )
        for i in range(count)
    ]


def corpus_texts() -> list[str]:
    """The seeds and the test documents, the texts the benchmarks import."""
    base = Path(settings.BASE_DIR)
    paths = sorted((base / "seeds").glob("*.txt")) + sorted(
        (base / "tests" / "documents").glob("*.txt")
    )
    return [read_path(p) for p in paths]


def _imports(parsed) -> bool:
    try:
        import_conclusion(parsed, source_name="benchmark", dry_run=True)
    except ImportRefused:
        return False
    return True
