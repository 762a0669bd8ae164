from django.core.management.base import BaseCommand
from django.db import transaction

from resolutions.models import Directive
from resolutions.services.fixtures import add_fixture_keywords
from resolutions.services.tagging import retag


class Command(BaseCommand):
    help = (
        "Recompute every directive's tags from the topics' keywords; with "
        "--add-fixture-keywords, first add the keywords of fixtures/topics.json that the "
        "register's topics lack (after an upgrade)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count changes, write none.")
        parser.add_argument(
            "--add-fixture-keywords",
            action="store_true",
            help="Add the keywords fixtures/topics.json lists and the topics lack (never removes).",
        )

    def handle(self, *args, dry_run, **options):
        prefix = "[chạy thử] " if dry_run else ""
        with transaction.atomic():
            added = add_fixture_keywords() if options["add_fixture_keywords"] else []
            for topic, keywords in added:
                self.stdout.write(f"{prefix}thêm từ khóa — {topic.name}: {', '.join(keywords)}")
            if options["add_fixture_keywords"] and not added:
                self.stdout.write(f"{prefix}Các lĩnh vực đã có mọi từ khóa của tệp mẫu.")
            counts = retag(Directive.objects.all())
            if dry_run:  # what it would do, with the keywords it would add
                transaction.set_rollback(True)
        self.stdout.write(
            f"{prefix}{counts['changed']} nhiệm vụ đổi chủ đề, {counts['unchanged']} giữ nguyên."
        )
