"""Time of the seed meeting's admin page, as a clerk opens it. Not a test: it prints figures.

Run with DEBUG off to measure what production serves (cached template loaders, no query log):

    BENCH=1 SECRET_KEY=… DATABASE_URL=… python manage.py benchmark_pages [--requests 40]
        [--profile 25] [--json]

In one transaction, rolled back at the end: the reference data and the seed conclusion are
loaded if the register lacks them, and a clerk (the clerk's role) is made. The page is then
fetched twice each way to warm the process, once more counting its queries, and
``--requests`` times each way, in turn: as the register draws it (``settings.FORM_RENDERER``
and the tabular inlines' rows written in Python) and as Django's defaults draw the same page
(``DjangoTemplates`` and ``admin/edit_inline/tabular.html``), the baseline a Django developer
would have. Median, 95th percentile and fastest of each, their ratio, the page's size and its
form fields. Both ways give the same characters (tests/test_form_rendering.py,
tests/test_tabular_rows.py). ``--profile N`` prints the N functions that take the most time
over ten fetches of the register's way (cProfile).
"""

import cProfile
import io
import json
import pstats
import re
import statistics
import time
from contextlib import ExitStack
from unittest import mock

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connections, transaction
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse

from config.process import settle
from resolutions.admin.tabular import TabularInline
from resolutions.models import Committee, Meeting, Topic
from resolutions.roles import role_group, setup_roles
from resolutions.services.fixtures import import_seeds, seed_paths

DJANGO_RENDERER = "django.forms.renderers.DjangoTemplates"
DJANGO_TABULAR = "admin/edit_inline/tabular.html"


class _Rollback(Exception):
    pass


def django_defaults() -> ExitStack:
    """Django's own form renderer and tabular inline template, for the baseline."""
    stack = ExitStack()
    stack.enter_context(override_settings(FORM_RENDERER=DJANGO_RENDERER))
    stack.enter_context(mock.patch.object(TabularInline, "template", DJANGO_TABULAR))
    return stack


def _percentiles(times: list[float]) -> tuple[float, float, float]:
    times = sorted(times)
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return round(statistics.median(times), 1), round(p95, 1), round(times[0], 1)


def _seed_meeting() -> Meeting:
    if not Topic.objects.exists() or not Committee.objects.exists():
        call_command("loaddata", "topics", "committees", verbosity=0)
    names = {path.name for path in seed_paths()}
    meeting = Meeting.objects.filter(source_name__in=names).order_by("pk").first()
    if meeting is None:
        meeting = import_seeds()[0].meeting
    return meeting


class Command(BaseCommand):
    help = "Median and 95th-percentile time of the seed meeting's admin page, and its queries."

    def add_arguments(self, parser):
        parser.add_argument("--requests", type=int, default=40)
        parser.add_argument("--profile", type=int, default=0, help="print the top N functions")
        parser.add_argument("--json", action="store_true", dest="as_json")

    def handle(self, *args, requests, profile, as_json, **options):
        figures: dict = {}
        try:
            # Static files named as stored, not through collectstatic's manifest: it runs on a
            # fresh checkout (as benchmark_search).
            plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
            with (
                transaction.atomic(),
                override_settings(
                    ALLOWED_HOSTS=["testserver"],
                    STORAGES={**settings.STORAGES, "staticfiles": plain},
                ),
            ):
                self.measure(figures, requests, profile)
                raise _Rollback
        except _Rollback:
            pass
        if as_json:
            self.stdout.write(json.dumps(figures))
            return
        for key, value in figures.items():
            if key != "profile":
                self.stdout.write(f"{key:22} {value}")
        if figures.get("profile"):
            self.stdout.write(figures["profile"])

    def measure(self, figures, requests, profile):
        meeting = _seed_meeting()
        setup_roles()
        clerk = get_user_model().objects.create_user(
            "benchmark-pages-clerk", password=None, is_staff=True
        )
        clerk.groups.set([role_group("clerk")])
        client = Client()
        client.force_login(clerk)
        url = reverse("admin:resolutions_meeting_change", args=[meeting.pk])

        def fetch():
            response = client.get(url, secure=True)
            assert response.status_code == 200, response.status_code
            return response

        settle()  # as a server process does once loaded (config/process.py)
        fetch(), fetch()  # templates, content types, sessions: read once per process
        with django_defaults():
            fetch(), fetch()
        executed = []
        with ExitStack() as stack:  # whichever database the router reads from
            for each in connections.all():
                stack.enter_context(
                    each.execute_wrapper(
                        lambda run, sql, *rest: executed.append(sql) or run(sql, *rest)
                    )
                )
            page = fetch().content.decode()
        ours: list[float] = []
        django: list[float] = []
        for _ in range(requests):  # in turn, so that a change of the machine's load hits both
            for times, defaults in ((ours, False), (django, True)):
                with django_defaults() if defaults else ExitStack():
                    started = time.perf_counter()
                    fetch()
                    times.append((time.perf_counter() - started) * 1000)
        median, p95, fastest = _percentiles(ours)
        django_median, django_p95, django_fastest = _percentiles(django)
        figures.update(
            debug=settings.DEBUG,
            meeting=str(meeting),
            rows=sum(
                getattr(meeting, part).count()
                for part in ("reports", "indicators", "directives", "findings")
            ),
            requests=requests,
            median_ms=median,
            p95_ms=p95,
            fastest_ms=fastest,
            django_median_ms=django_median,
            django_p95_ms=django_p95,
            django_fastest_ms=django_fastest,
            median_ratio=round(median / django_median, 2),
            renderer=settings.FORM_RENDERER,
            queries=len(executed),
            page_kib=round(len(page.encode()) / 1024, 1),
            form_fields=len(re.findall(r"<(?:input|select|textarea)\b", page)),
            options=len(re.findall(r"<option\b", page)),
        )
        if profile:
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(10):
                fetch()
            profiler.disable()
            out = io.StringIO()
            stats = pstats.Stats(profiler, stream=out)
            stats.sort_stats("cumulative").print_stats(profile)
            stats.sort_stats("tottime").print_stats(profile)
            figures["profile"] = out.getvalue()
