from django.core.management.base import BaseCommand
from django.db import transaction

from resolutions.models import Directive
from resolutions.services.tagging import retag


class Command(BaseCommand):
    help = "Recompute every directive's tags (finer topics) from the topics' keywords."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count changes, write none.")

    def handle(self, *args, dry_run, **options):
        with transaction.atomic():
            counts = retag(Directive.objects.all(), dry_run=dry_run)
        prefix = "[chạy thử] " if dry_run else ""
        self.stdout.write(
            f"{prefix}{counts['changed']} nhiệm vụ đổi chủ đề, {counts['unchanged']} giữ nguyên."
        )
