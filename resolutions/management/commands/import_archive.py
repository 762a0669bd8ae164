from django.core.management.base import BaseCommand, CommandError

from resolutions.spreadsheets.archive import restore_archive
from resolutions.upload_safety import UploadRefused


class Command(BaseCommand):
    help = "Restore an archive workbook written by export_archive, all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--dry-run", action="store_true", help="Report, write nothing.")

    def handle(self, *args, path, dry_run, **options):
        try:
            outcome = restore_archive(path, dry_run=dry_run)
        except (UploadRefused, OSError) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(outcome.summary())
        for warning in outcome.warnings:
            self.stdout.write(self.style.WARNING(warning))
