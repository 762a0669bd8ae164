"""benchmark_handover prints its figures (timings are never asserted: the machine is shared)."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from resolutions.models import Committee, Meeting, SourceFile


@pytest.mark.django_db
def test_it_prints_time_and_memory_for_each_size_and_keeps_nothing():
    call_command("loaddata", "topics", verbosity=0)
    out = StringIO()
    call_command("benchmark_handover", "--conclusions", "3,6", "--json", stdout=out)
    figures = json.loads(out.getvalue())
    assert [run["conclusions"] for run in figures["runs"]] == [3, 6]
    for run in figures["runs"]:
        assert run["seconds"] >= 0 and run["peak_mib"] > 0 and run["megabytes"] > 0
    assert figures["runs"][0]["peak_vs_smallest"] == 1.0
    assert not Meeting.objects.exists()
    assert not SourceFile.objects.exists() and not Committee.objects.exists()
