"""Spreadsheet throughput on the database DATABASE_URL names. Not a test: it prints figures.

In one run on the same N directives (a synthetic archive built for the run and rolled back
afterwards): our import and XLSX export against their limits, PostgreSQL COPY of the same rows
into the same table (the limit for loading: it pays the same triggers and indexes) and a bare
openpyxl write-only workbook (the limit for writing XLSX); and the resource a Django developer
would write with django-import-export (``PlainDirectiveResource``), on the first
``--plain-rows`` rows. With the ratios and the export's peak memory.

    python manage.py benchmark_spreadsheets --rows 100000 [--plain-rows 2000] [--json]
"""

import csv
import io
import json
import time
import tracemalloc

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from import_export import fields, resources, widgets
from openpyxl import Workbook, load_workbook

from bench.synthetic import generate
from resolutions.models import Directive, Topic
from resolutions.services import audit
from resolutions.spreadsheets.archive import _dataset, export_archive, import_sheet
from resolutions.spreadsheets.resources import DirectiveResource

COPY_COLUMNS = (
    "meeting_id",
    "section_order",
    "section_number",
    "section_heading",
    "position",
    "text",
    "responsible_unit",
    "cited_documents",
    "due_period",
    "due_on",
    "completed_on",
    "search_text",
    "created_at",
    "updated_at",
)


class PlainDirectiveResource(resources.ModelResource):
    """The resource a Django developer would write for directives from django-import-export's
    documentation: rows named by natural keys (the meeting, topic, lead unit and cited
    directive through the models' natural keys; tags by slug), the natural key as the import
    id, and the library's defaults otherwise. Supporting units are named by id: the library
    has no natural-key widget for many-to-many fields.

    Why it is slow on this table, not on a simple one: per row, one query for the existing
    row, one for each of four related rows and two many-to-many fields, a diff of the row
    before and after (reading both many-to-many fields again), save() (which marks the
    meeting changed: one more UPDATE) and the links written one field at a time.
    """

    tags = fields.Field(
        attribute="tags", column_name="tags", widget=widgets.ManyToManyWidget(Topic, field="slug")
    )

    class Meta:
        model = Directive
        exclude = ("id", "search_text", "created_at", "updated_at")
        import_id_fields = ("meeting", "section_order", "position")
        use_natural_foreign_keys = True


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Rows per second for spreadsheet import and export, against their limits."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=10_000)
        parser.add_argument(
            "--plain-rows", type=int, default=2000, help="rows for the plain resource's rate"
        )
        parser.add_argument("--json", action="store_true", dest="as_json")

    def handle(self, *args, rows, plain_rows, as_json, **options):
        figures = {"rows": rows, "database": connection.vendor}
        try:
            with transaction.atomic():
                self.measure(rows, figures, plain_rows)
                raise _Rollback
        except _Rollback:
            pass
        ratio = lambda a, b: round(a / b, 2) if a and b else None  # noqa: E731
        figures["import_vs_plain"] = ratio(
            figures["import_rows_per_s"], figures["plain_import_rows_per_s"]
        )
        figures["copy_vs_import"] = ratio(figures["copy_rows_per_s"], figures["import_rows_per_s"])
        figures["openpyxl_vs_export"] = ratio(
            figures["openpyxl_rows_per_s"], figures["export_rows_per_s"]
        )
        if as_json:
            self.stdout.write(json.dumps(figures))
            return
        # The headline: how far from the physical limits (COPY into the same tables, paying
        # the same triggers and indexes; a bare openpyxl writer), then the rest.
        headline = ("copy_vs_import", "openpyxl_vs_export")
        for key in (*headline, *(k for k in figures if k not in headline)):
            self.stdout.write(f"{key:26} {figures[key]}")

    def measure(self, rows, figures, plain_rows):
        generate(rows, seed=rows)
        directives = Directive.objects.all()
        count = directives.count()
        buffer = io.BytesIO()

        # Our export: the archive's streaming writer, for the directives sheet. Timed alone;
        # then once more under tracemalloc (which slows Python down) for the peak memory.
        started = time.perf_counter()
        export_archive(buffer, only=["Nhiệm vụ"])
        figures["export_rows_per_s"] = round(count / (time.perf_counter() - started))
        tracemalloc.start()
        export_archive(io.BytesIO(), only=["Nhiệm vụ"])
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        figures["export_peak_mib"] = round(peak / 1024 / 1024, 1)

        # The limit for writing XLSX: the very cells our export writes (every column, read
        # and rendered beforehand, untimed) appended to a bare write-only workbook.
        values = list(
            DirectiveResource().fast_rows(
                directives.order_by("pk"), force_native_type=True, spreadsheet_format="xlsx"
            )
        )
        started = time.perf_counter()
        book = Workbook(write_only=True)
        sheet = book.create_sheet("Nhiệm vụ")
        for row in values:
            sheet.append(row)
        book.save(io.BytesIO())
        figures["openpyxl_rows_per_s"] = round(len(values) / (time.perf_counter() - started))

        # Our import: the directives sheet read back into a register that has lost them, as
        # the admin and import_archive do it: one transaction and one audit revision holding
        # a version of every row. Then once more without the revision, to show its cost.
        buffer.seek(0)
        dataset = _dataset(load_workbook(buffer, read_only=True)["Nhiệm vụ"])
        for key, audited in (("import_rows_per_s", True), ("import_unaudited_rows_per_s", False)):
            directives.delete()
            started = time.perf_counter()
            with audit.recorded("benchmark_spreadsheets") if audited else transaction.atomic():
                import_sheet(DirectiveResource(), dataset, "Nhiệm vụ", "benchmark.xlsx")
            figures[key] = round(len(dataset) / (time.perf_counter() - started))

        # The resource a Django developer would write (PlainDirectiveResource), on the first
        # rows in meeting order (a directive cites only earlier ones): a few thousand rows
        # give its rate, which does not depend on the size of the file.
        sample = list(
            directives.order_by(
                "meeting__started_on", "meeting_id", "section_order", "position"
            ).values_list("pk", flat=True)[:plain_rows]
        )
        plain = PlainDirectiveResource().export(
            Directive.objects.filter(pk__in=sample).order_by(
                "meeting__started_on", "meeting_id", "section_order", "position"
            )
        )
        Directive.objects.filter(pk__in=sample).delete()
        started = time.perf_counter()
        result = PlainDirectiveResource().import_data(plain, use_transactions=False)
        figures["plain_import_rows_per_s"] = round(len(plain) / (time.perf_counter() - started))
        figures["plain_rows"] = len(plain)
        figures["plain_import_errors"] = len(result.row_errors()) + len(result.invalid_rows)

        # The limit for loading: PostgreSQL COPY of the same rows.
        figures["copy_rows_per_s"] = None
        if connection.vendor == "postgresql":
            copied = list(directives.values_list(*COPY_COLUMNS))
            text = io.StringIO()
            # Every field quoted: in COPY, an unquoted empty field would be NULL.
            csv.writer(text, quoting=csv.QUOTE_ALL).writerows(copied)
            directives.delete()
            started = time.perf_counter()
            with connection.cursor() as cursor:
                columns = ", ".join(COPY_COLUMNS)
                with cursor.copy(
                    f"COPY {Directive._meta.db_table} ({columns}) FROM STDIN "
                    # Quoted empty dates are still "no date".
                    "WITH (FORMAT csv, FORCE_NULL (due_on, completed_on))"
                ) as copy:
                    copy.write(text.getvalue())
            figures["copy_rows_per_s"] = round(len(copied) / (time.perf_counter() - started))
