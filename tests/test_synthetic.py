"""The synthetic archive that benchmarks and demos are built on."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from bench.synthetic import SYNTHETIC_SOURCE
from resolutions.models import Committee, Directive, Finding, Indicator, Meeting, Report
from resolutions.search import search

pytestmark = pytest.mark.django_db


def test_it_builds_meetings_with_every_kind_of_row_in_vietnamese():
    call_command("loaddata", "topics", verbosity=0)
    call_command("generate_archive", "--directives", "300", stdout=StringIO())
    meetings = Meeting.objects.filter(source_name=SYNTHETIC_SOURCE)
    assert Directive.objects.count() == 300
    assert meetings.count() == 12
    for model in (Report, Indicator, Finding):
        assert model.objects.filter(meeting__in=meetings).count() >= meetings.count()
    assert Committee.objects.filter(level=Committee.Level.DISTRICT).count() == 21
    directive = Directive.objects.order_by("pk").first()
    assert directive.topic is not None and directive.search_text.startswith(" ")
    # Its text is searchable like any other, without accents.
    assert search(Directive.objects.all(), "giai phong mat bang").exists()


def test_it_refuses_to_build_twice_unless_asked_to_replace():
    call_command("generate_archive", "--directives", "50", stdout=StringIO())
    with pytest.raises(CommandError, match="--replace"):
        call_command("generate_archive", "--directives", "50", stdout=StringIO())
    call_command("generate_archive", "--directives", "80", "--replace", stdout=StringIO())
    assert Directive.objects.count() == 80


def test_the_same_seed_gives_the_same_archive():
    call_command("generate_archive", "--directives", "60", stdout=StringIO())
    first = list(Directive.objects.order_by("meeting__started_on", "pk").values_list("text"))
    call_command("generate_archive", "--directives", "60", "--replace", stdout=StringIO())
    again = list(Directive.objects.order_by("meeting__started_on", "pk").values_list("text"))
    assert first == again
