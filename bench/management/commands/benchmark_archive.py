"""Peak memory of ``import_archive --dry-run`` as the archive grows. Not a test: it prints figures.

For each size: a synthetic register of N directives is built in the database DATABASE_URL
names (``generate_archive --replace``: it replaces an earlier synthetic register there),
exported with ``export_archive`` to a temporary file, then tried with ``import_archive
--dry-run`` against ``--target`` (a migrated register, left as it was by the dry run) in a child
process run as production runs (DEBUG off), which reports its peak resident memory (VmHWM)
as it exits. Printed: each size's export and dry-run times and the child's peak, the growth per
directive between the smallest and the largest size, and the peak that growth gives at
``--extrapolate`` directives.

    DEBUG=1 DATABASE_URL=postgres://…/big python manage.py benchmark_archive \\
        --sizes 25000,50000,100000,200000 --target postgres://…/fresh [--json]
"""

import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from bench.synthetic import SYNTHETIC_SOURCE, generate, remove_synthetic
from resolutions.models import Directive, Meeting
from resolutions.spreadsheets.archive import export_archive

# The child reports its own peak (VmHWM, reset when a program starts) as it exits: the
# ru_maxrss that wait4() gives keeps the memory of the forking parent, this command, which
# holds the register it has just generated.
_REPORT_PEAK = (
    "import atexit, re, runpy, sys\n"
    "def peak():\n"
    "    status = open('/proc/self/status').read()\n"
    "    print('peak-kib', re.search(r'VmHWM:\\s+(\\d+)', status).group(1), file=sys.stderr)\n"
    "atexit.register(peak)\n"
    "sys.argv = sys.argv[1:]\n"
    "runpy.run_path(sys.argv[0], run_name='__main__')\n"
)


def _child_peak(command: list[str], env: dict) -> tuple[int, float, str]:
    """Run ``manage.py`` *command*; its peak resident memory (KiB), wall time and last line."""
    started = time.perf_counter()
    child = subprocess.run(
        [sys.executable, "-c", _REPORT_PEAK, *command], env=env, capture_output=True, text=True
    )
    seconds = time.perf_counter() - started
    if child.returncode:
        raise CommandError(f"{' '.join(command)} failed ({child.returncode}):\n{child.stderr}")
    found = re.search(r"^peak-kib (\d+)$", child.stderr, re.MULTILINE)
    if found is None:
        raise CommandError(f"{' '.join(command)} did not report its peak:\n{child.stderr}")
    peak = int(found.group(1))
    said = child.stdout.strip().splitlines()
    return peak, seconds, said[-1] if said else ""


class Command(BaseCommand):
    help = "Peak memory of import_archive --dry-run for archives of growing size."

    def add_arguments(self, parser):
        parser.add_argument("--sizes", default="25000,50000,100000,200000")
        parser.add_argument(
            "--target", required=True, help="DATABASE_URL of the register the dry run reads"
        )
        parser.add_argument("--extrapolate", type=int, default=1_000_000)
        parser.add_argument("--keep", help="directory to keep the archives in")
        parser.add_argument("--json", action="store_true", dest="as_json")

    def handle(self, *args, sizes, target, extrapolate, keep, as_json, **options):
        env = {
            **os.environ,
            "DATABASE_URL": target,
            "DEBUG": "0",
            "BENCH": "0",
            "SECRET_KEY": os.environ.get("SECRET_KEY") or "benchmark-archive-" + "x" * 40,
        }
        manage = [str(Path(settings.BASE_DIR) / "manage.py")]
        # The child's memory before it reads anything: Django and the app loaded.
        baseline, _, _ = _child_peak([*manage, "check", "--fail-level", "CRITICAL"], env)
        figures: dict = {"baseline_mib": round(baseline / 1024, 1), "sizes": []}
        folder = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="benchmark-archive-"))
        folder.mkdir(parents=True, exist_ok=True)
        for size in (int(s) for s in sizes.split(",")):
            if Meeting.objects.filter(source_name=SYNTHETIC_SOURCE).exists():
                remove_synthetic()
            generate(size, seed=size)
            path = folder / f"archive-{size}.xlsx"
            started = time.perf_counter()
            with path.open("wb") as handle:
                export_archive(handle)
            exported = time.perf_counter() - started
            peak, seconds, said = _child_peak(
                [*manage, "import_archive", str(path), "--dry-run"], env
            )
            row = {
                "directives": Directive.objects.count(),
                "file_mib": round(path.stat().st_size / 1024 / 1024, 1),
                "export_s": round(exported, 1),
                "dry_run_s": round(seconds, 1),
                "dry_run_peak_mib": round(peak / 1024, 1),
                "said": said[:200],
            }
            figures["sizes"].append(row)
            if not keep:
                path.unlink()
            if not as_json:
                self.stdout.write(
                    f"{row['directives']:>9,} directives  file {row['file_mib']:>7} MiB  "
                    f"export {row['export_s']:>6} s  dry run {row['dry_run_s']:>6} s  "
                    f"peak {row['dry_run_peak_mib']:>7} MiB"
                )
        first, last = figures["sizes"][0], figures["sizes"][-1]
        if last["directives"] > first["directives"]:
            grown = (last["dry_run_peak_mib"] - first["dry_run_peak_mib"]) * 1024
            per = grown / (last["directives"] - first["directives"])
            figures["kib_per_directive"] = round(per, 3)
            figures["peak_at_extrapolated_mib"] = round(
                last["dry_run_peak_mib"] + per * (extrapolate - last["directives"]) / 1024, 1
            )
            figures["extrapolated_to"] = extrapolate
        if as_json:
            self.stdout.write(json.dumps(figures, ensure_ascii=False))
            return
        self.stdout.write(f"child process baseline (Django loaded): {figures['baseline_mib']} MiB")
        if "kib_per_directive" in figures:
            self.stdout.write(
                f"growth: {figures['kib_per_directive']} KiB per directive; "
                f"at {extrapolate:,} directives: {figures['peak_at_extrapolated_mib']} MiB"
            )
