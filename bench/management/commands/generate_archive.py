import time

from django.core.management.base import BaseCommand, CommandError

from bench.synthetic import SYNTHETIC_SOURCE, generate, remove_synthetic
from resolutions.models import Meeting


class Command(BaseCommand):
    help = (
        "Build a synthetic archive (committees, terms, meetings with reports, indicators, "
        "findings and directives in Vietnamese) for benchmarks and demos. Its meetings are "
        f"marked with the source name “{SYNTHETIC_SOURCE}”."
    )

    def add_arguments(self, parser):
        parser.add_argument("--directives", type=int, default=10_000)
        parser.add_argument("--seed", type=int, default=2007)
        parser.add_argument(
            "--replace", action="store_true", help="Remove an earlier synthetic archive first."
        )

    def handle(self, *args, directives, seed, replace, **options):
        if Meeting.objects.filter(source_name=SYNTHETIC_SOURCE).exists():
            if not replace:
                raise CommandError(
                    "A synthetic archive is already here; add --replace to build it anew."
                )
            self.stdout.write(f"Removed {remove_synthetic()} synthetic meetings.")
        started = time.perf_counter()

        def progress(done):
            self.stdout.write(f"  {done:,} directives…")

        result = generate(directives, seed=seed, progress=progress if directives > 50_000 else None)
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"{result.meetings:,} meetings, {result.directives:,} directives, "
            f"{result.indicators:,} indicators ({result.rows:,} rows), {result.series:,} series, "
            f"{result.targets:,} tasks linked to a target, {result.repeat_links:,} links of "
            f"tasks given again, in {seconds:.1f} s."
        )
