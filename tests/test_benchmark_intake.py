"""benchmark_intake prints its figures (timings are never asserted: the machine is shared)."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from resolutions.models import Meeting


@pytest.mark.django_db
def test_it_prints_every_figure_and_keeps_nothing():
    call_command("loaddata", "topics", "committees", verbosity=0)
    out = StringIO()
    call_command(
        "benchmark_intake",
        "--megabytes",
        "0.05",
        "--documents",
        "3",
        "--pages",
        "0",
        "--json",
        stdout=out,
    )
    figures = json.loads(out.getvalue())
    for encoding in ("tcvn3", "vni", "viscii", "cp1258", "mojibake"):
        assert figures[f"conversion_{encoding}_MB_per_s"] > 0
    assert figures["shelf_documents"] == 3
    assert figures["shelf_vs_baseline (reading + parsing + report)"].endswith("x")
    assert Meeting.objects.count() == 0
