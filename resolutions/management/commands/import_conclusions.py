from django.core.management.base import BaseCommand, CommandError

from resolutions.parsing import DocumentError
from resolutions.services.conclusions import ImportRefused, import_path


class Command(BaseCommand):
    help = (
        "Import conclusions (.txt in UTF-8 or UTF-16, .docx), one transaction per document. "
        "Importing a document again changes nothing; a corrected one updates its meeting."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+")
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would change, write nothing."
        )

    def handle(self, *args, paths, dry_run, **options):
        failed = 0
        for path in paths:
            try:
                outcome = import_path(path, dry_run=dry_run)
            except (DocumentError, ImportRefused, OSError) as error:
                failed += 1
                self.stderr.write(self.style.ERROR(str(error)))
                continue
            self.stdout.write(outcome.summary())
            for warning in outcome.warnings:
                self.stdout.write(self.style.WARNING(f"  cảnh báo {warning}"))
        if failed:
            raise CommandError(f"{failed}/{len(paths)} văn bản không nhập được; xem lỗi ở trên.")
