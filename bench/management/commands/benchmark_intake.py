"""The archive's way in, measured: legacy conversion in MB/s, a shelf of text files imported,
OCR pages per minute. Not a test: it prints figures and ratios. Nothing it writes is kept.

    python manage.py benchmark_intake
    python manage.py benchmark_intake --documents 1000 --pages 4
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/resolutions python manage.py benchmark_intake
"""

import io
import json
import subprocess
import tempfile
import time
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from resolutions.parsing import encodings, parse_conclusion
from resolutions.parsing.intake import read_upload, tesseract
from resolutions.services.batch import document_paths, import_files
from resolutions.services.conclusions import import_conclusion, topic_matcher

from .benchmark_parsing import corpus_texts, distinct_conclusions


class _Rollback(Exception):
    pass


def _best(seconds: list[float]) -> float:
    return min(seconds)


def _timed(function, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return _best(times)


class Command(BaseCommand):
    help = "Measure legacy conversion (MB/s), a shelf of files imported, OCR pages per minute."

    def add_arguments(self, parser):
        parser.add_argument("--megabytes", type=float, default=5.0)
        parser.add_argument("--documents", type=int, default=1000)
        parser.add_argument("--pages", type=int, default=4, help="OCR pages (0: none)")
        parser.add_argument("--json", action="store_true", dest="as_json")

    def handle(self, *args, megabytes, documents, pages, as_json, **options):
        texts = corpus_texts()
        figures: dict = {"database": connection.vendor}
        parts = [
            lambda: self._conversion(texts[0], megabytes),
            lambda: self._shelf(texts, documents),
            lambda: self._ocr(texts[0], pages) if pages else {},
        ]
        for part in [lambda: figures, *parts]:
            measured = part()
            if not as_json:  # each part's figures as soon as they are measured
                for key, value in measured.items():
                    self.stdout.write(f"{key:48} {value}")
                self.stdout.flush()
            figures.update(measured)
        if as_json:
            self.stdout.write(json.dumps(figures))

    def _conversion(self, text: str, megabytes: float) -> dict:
        """Each encoding's text of about *megabytes*, against the bare codecs: UTF-8 of the
        same text (the floor: no detection at all) and Windows-1258's codec alone."""
        figures: dict = {}
        unicode_data = (text + "\n").encode() * max(1, int(megabytes * 1e6 / len(text.encode())))
        size = len(unicode_data) / 1e6
        utf8 = _timed(lambda: unicode_data.decode("utf-8"))
        figures["conversion_utf8_decode_MB_per_s (floor)"] = round(size / utf8, 1)
        for encoding in (*encodings.LEGACY, encodings.MOJIBAKE):
            data = encodings.encode(text + "\n", encoding, "replace")
            data *= max(1, int(megabytes * 1e6 / len(data)))
            seconds = _timed(lambda data=data: encodings.to_unicode(data), repeat=2)
            figures[f"conversion_{encoding}_MB_per_s"] = round(len(data) / 1e6 / seconds, 2)
            if encoding == encodings.CP1258:
                bare = _timed(lambda data=data: data.decode("cp1258"))
                figures["conversion_cp1258_vs_bare_codec"] = f"{seconds / bare:.1f}x slower"
        return figures

    def _shelf(self, texts: list[str], documents: int) -> dict:
        """*documents* text files in a folder, imported by import_conclusions' code, against
        importing the same texts already parsed (benchmark_parsing's import)."""
        topics = topic_matcher()
        variants = distinct_conclusions(texts, documents, topics)
        figures: dict = {}
        with tempfile.TemporaryDirectory(prefix="shelf-") as folder:
            for number, variant in enumerate(variants):
                shelf = Path(folder, f"{number // 100:02d}")
                shelf.mkdir(exist_ok=True)
                Path(shelf, f"{number:05d}.txt").write_text(variant, encoding="utf-8")
            paths = document_paths([folder], recursive=True)
            timings: dict[str, float] = {}
            try:
                with transaction.atomic():
                    for label in ("first", "again"):
                        started = time.perf_counter()
                        reports = import_files(paths)
                        timings[label] = time.perf_counter() - started
                        assert all(r.status != "refused" for r in reports), reports[0].reason
                    raise _Rollback
            except _Rollback:
                pass
        parsed = [parse_conclusion(text, topics=topics) for text in variants]
        try:
            with transaction.atomic():
                started = time.perf_counter()
                for document in parsed:
                    import_conclusion(document, source_name="benchmark")
                bare = time.perf_counter() - started
                raise _Rollback
        except _Rollback:
            pass
        figures["shelf_documents"] = documents
        figures["shelf_import_seconds"] = round(timings["first"], 1)
        figures["shelf_second_run_seconds (nothing read again)"] = round(timings["again"], 1)
        figures["import_of_parsed_texts_seconds (baseline)"] = round(bare, 1)
        figures["shelf_vs_baseline (reading + parsing + report)"] = (
            f"{timings['first'] / bare:.2f}x"
        )
        return figures

    def _ocr(self, text: str, pages: int) -> dict:
        """Pages of the seed's text drawn at 300 dpi and read by Tesseract, one process a page."""
        if tesseract() is None:
            return {"ocr": "Tesseract with Vietnamese is not installed"}
        from PIL import Image, ImageDraw, ImageFont

        path = subprocess.run(
            ["fc-match", "-f", "%{file}", "DejaVu Serif:style=Book"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout
        font = ImageFont.truetype(path, 36)
        lines = [line[:80] for line in text.split("\n") if line.strip()]
        images = []
        for page in range(pages):
            image = Image.new("L", (2480, 3508), 255)  # A4 at 300 dpi
            draw = ImageDraw.Draw(image)
            for row in range(40):  # the text's lines again from the start when it runs out
                line = lines[(page * 40 + row) % len(lines)]
                draw.text((150, 150 + row * 80), line, font=font, fill=0)
            buffer = io.BytesIO()
            image.save(buffer, "PNG", dpi=(300, 300))
            images.append(buffer.getvalue())
        started = time.perf_counter()
        for number, png in enumerate(images):
            read_upload(f"page-{number}.png", png)
        seconds = time.perf_counter() - started
        return {"ocr_pages": pages, "ocr_pages_per_minute": round(pages * 60 / seconds, 1)}
