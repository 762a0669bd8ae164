from django.core.management.base import BaseCommand

from resolutions.services.fixtures import SEED_FIXTURE, import_seeds, serialize_meetings


class Command(BaseCommand):
    help = (
        "Import every document in seeds/ and write their records to fixtures/seed_meetings.json "
        "(natural keys, no ids, no timestamps). Run it after changing the parser or the seeds."
    )

    def handle(self, *args, **options):
        outcomes = import_seeds()
        SEED_FIXTURE.write_text(
            serialize_meetings(o.meeting for o in outcomes) + "\n", encoding="utf-8"
        )
        self.stdout.write(f"{SEED_FIXTURE.name}: {len(outcomes)} hội nghị.")
