from django.core.management.base import BaseCommand, CommandError

from resolutions.parsing import DocumentError
from resolutions.services.conclusions import ImportRefused, import_path


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
        "Import conclusions (.txt in UTF-8 or UTF-16, .docx), one transaction per document. "
        "Importing a document again changes nothing; a corrected one updates its meeting, "
        "keeping the values a person entered after the last import unless --overwrite-edits."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+")
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would change, write nothing."
        )
        parser.add_argument(
            "--overwrite-edits",
            action="store_true",
            help="Replace the values a person entered after the last import by the document's.",
        )

    def handle(self, *args, paths, dry_run, overwrite_edits, **options):
        failed = 0
        for path in paths:
            try:
                outcome = import_path(path, dry_run=dry_run, overwrite_edits=overwrite_edits)
            except (DocumentError, ImportRefused, OSError) as error:
                failed += 1
                self.stderr.write(self.style.ERROR(str(error)))
                continue
            self.stdout.write(outcome.summary())
            for warning in outcome.warnings:
                self.stdout.write(self.style.WARNING(f"  cảnh báo {warning}"))
            write_edits(self.stdout, self.style, outcome)
        if failed:
            raise CommandError(f"{failed}/{len(paths)} văn bản không nhập được; xem lỗi ở trên.")
