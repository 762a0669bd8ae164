"""benchmark_batch prints its figures (timings are never asserted: the machine is shared) and
leaves nothing behind."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from resolutions.models import Meeting, SourceFile


@pytest.mark.django_db
def test_it_prints_documents_per_second_and_keeps_nothing():
    call_command("loaddata", "topics", "committees", verbosity=0)
    out = StringIO()
    call_command("benchmark_batch", "--documents", "4", "--json", stdout=out)
    figures = json.loads(out.getvalue())
    assert figures["documents"] == 4 and figures["documents_per_s"] > 0
    assert figures["queries_per_document_first_tenth"] > 0
    assert figures["second_run_seconds (nothing read again)"] >= 0
    assert figures["rows_left_behind"] == 0
    assert not Meeting.objects.exists() and not SourceFile.objects.exists()
