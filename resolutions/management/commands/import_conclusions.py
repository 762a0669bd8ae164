from django.core.management.base import BaseCommand, CommandError

from resolutions.services.batch import (
    REFUSED,
    STATUS_LABELS,
    UNCHANGED,
    document_paths,
    import_files,
    write_report,
)


def write_edits(stdout, style, outcome) -> None:
    """The values a person entered after the last import that the document states otherwise."""
    for edit in outcome.edits:
        verb = "đã thay" if edit.replaced else "giữ nguyên"
        stdout.write(style.WARNING(f"  {verb} giá trị do người dùng nhập: {edit}"))
    if outcome.kept_edits:
        stdout.write(
            "  Để thay các giá trị trên bằng giá trị theo văn bản: "
            f"manage.py import_conclusions --overwrite-edits “{outcome.source_name}”"
        )


class Command(BaseCommand):
    help = (
        "Import conclusions (.txt in Unicode or a legacy Vietnamese encoding, .docx, .doc, "
        ".rtf, .pdf, scans), files or folders, one transaction per document. Importing a "
        "document again changes nothing (a file whose bytes were imported is not read again); "
        "a corrected one updates its meeting, keeping the values a person entered after the "
        "last import unless --overwrite-edits."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="Files, or folders of conclusion files.")
        parser.add_argument(
            "--recursive", action="store_true", help="Read the subfolders of a folder too."
        )
        parser.add_argument(
            "--report", metavar="OUT.xlsx", help="Write a workbook with one row per file."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would change, write nothing."
        )
        parser.add_argument(
            "--overwrite-edits",
            action="store_true",
            help="Replace the values a person entered after the last import by the document's.",
        )

    def handle(self, *args, paths, recursive, report, dry_run, overwrite_edits, **options):
        files = document_paths(paths, recursive=recursive)
        if not files:
            raise CommandError("Không tìm thấy tệp kết luận nào trong các đường dẫn đã cho.")
        reports = import_files(
            files, dry_run=dry_run, overwrite_edits=overwrite_edits, progress=self._progress
        )
        for done in reports:
            if done.status == REFUSED:
                self.stderr.write(self.style.ERROR(done.reason))
                continue
            self.stdout.write(done.summary or f"{done.path}: {done.reason}")
            for warning in done.warnings:
                self.stdout.write(self.style.WARNING(f"  cảnh báo {warning}"))
            write_edits(self.stdout, self.style, done)
        if report:
            write_report(reports, report)
        refused = sum(done.status == REFUSED for done in reports)
        counts = ", ".join(
            f"{sum(done.status == status for done in reports)} {label}"
            for status, label in STATUS_LABELS.items()
        )
        skipped = sum(done.status == UNCHANGED and not done.summary for done in reports)
        self.stdout.write(
            f"{len(reports)} tệp: {counts}"
            + (f" (trong đó {skipped} tệp đã nhập trước đây, không đọc lại)" if skipped else "")
            + (f"; báo cáo: {report}" if report else "")
        )
        if refused:
            raise CommandError(f"{refused}/{len(reports)} văn bản không nhập được; xem lỗi ở trên.")

    def _progress(self, files):
        """A progress bar on the terminal for long runs; nothing when output is not a terminal."""
        from tqdm import tqdm

        return tqdm(files, unit="tệp", disable=None, file=self.stderr._out, leave=False)
