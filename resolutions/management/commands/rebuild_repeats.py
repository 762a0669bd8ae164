import time

from django.core.management.base import BaseCommand, CommandError

from resolutions.models import Committee
from resolutions.series import repeats


class Command(BaseCommand):
    help = (
        "Make anew the stored links of the tasks that come back (each directive and the earlier "
        "directives of its committee that say nearly the same), for every committee or one."
    )

    def add_arguments(self, parser):
        parser.add_argument("--committee", type=int, help="Chỉ cấp ủy có mã (id) này.")

    def handle(self, *args, committee=None, **options):
        committees = None
        if committee is not None:
            committees = list(Committee.objects.filter(pk=committee))
            if not committees:
                raise CommandError(f"Không có cấp ủy mã {committee}.")
        started = time.perf_counter()
        verbose = options["verbosity"] > 1

        def progress(done, directives, links):
            if verbose:
                self.stdout.write(f"  {done}: {directives} nhiệm vụ, {links} liên kết đến nay")

        links = repeats.rebuild(committees, progress=progress)
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"Đã lập lại {links} liên kết nhiệm vụ được giao lại ({seconds:.1f} giây)."
        )
