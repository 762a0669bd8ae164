"""Time the series pages, the repeat finder and the matching on import (issue 15) on the
register as it stands (build one with generate_archive first); everything it writes is rolled
back, the matches of the synthetic archive excepted (made once, as an import would)."""

import itertools
import json
import random
import statistics
import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test import Client

from resolutions import vietnamese
from resolutions.models import Committee, Directive, Indicator, IndicatorSeries, Meeting
from resolutions.series import repeats
from resolutions.series.matching import SeriesMatcher, match_indicators, match_meeting


def timed(action) -> float:
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def summary(samples: list[float]) -> dict:
    ordered = sorted(samples)
    return {
        "n": len(ordered),
        "p50_ms": round(statistics.median(ordered), 2),
        "p95_ms": round(ordered[max(0, int(len(ordered) * 0.95) - 1)], 2),
        "max_ms": round(ordered[-1], 2),
    }


HAND_WRITTEN = """
SELECT d.id, similarity(split_part(d.search_text, '~', 1), %(words)s)
FROM resolutions_directive d JOIN resolutions_meeting m ON m.id = d.meeting_id
WHERE m.committee_id = %(committee)s AND m.started_on < %(started)s
  AND similarity(split_part(d.search_text, '~', 1), %(words)s) >= %(limit)s
"""


class Command(BaseCommand):
    help = "Time the series page, the repeat finder and the matching on import."

    def add_arguments(self, parser):
        parser.add_argument("--samples", type=int, default=100)
        parser.add_argument("--seed", type=int, default=15)
        parser.add_argument("--json", action="store_true", dest="as_json")

    def handle(self, *args, samples, seed, as_json, **options):
        rng = random.Random(seed)
        figures = {
            "directives": Directive.objects.count(),
            "indicators": Indicator.objects.count(),
            "database": connection.vendor,
        }
        figures["matching_all_ms"] = round(timed(self.match_everything), 1)
        figures["series"] = IndicatorSeries.objects.count()
        with transaction.atomic():
            figures["series_page"] = self.series_pages(rng, samples)
            figures["repeats"], figures["hand_written_sql"] = self.repeat_finder(rng, samples)
            figures["repeats_vs_sql"] = round(
                figures["repeats"]["p95_ms"] / max(figures["hand_written_sql"]["p95_ms"], 0.01),
                2,
            )
            figures["matching_on_import"] = self.matching_on_import(rng, max(10, samples // 5))
            transaction.set_rollback(True)
        if as_json:
            self.stdout.write(json_dumps(figures))
            return
        for name, value in figures.items():
            self.stdout.write(f"{name}: {value}")

    def match_everything(self):
        """Match every indicator not matched yet, a committee at a time (as imports would):
        the pending ones listed once, then read and written in bulk per committee."""
        pending = (
            Indicator.objects.filter(series_match__isnull=True)
            .order_by("meeting__committee_id", "meeting__started_on", "position")
            .values_list("meeting__committee_id", "pk")
        )
        for committee, rows in itertools.groupby(list(pending), key=lambda row: row[0]):
            ids = [pk for _, pk in rows]
            indicators = Indicator.objects.filter(pk__in=ids).order_by(
                "meeting__started_on", "position"
            )
            with transaction.atomic():
                match_indicators(list(indicators), SeriesMatcher(committee))

    def series_pages(self, rng, samples) -> dict:
        user = get_user_model().objects.create_superuser("benchmark-series", password="x")
        client = Client()
        client.force_login(user)
        ids = list(IndicatorSeries.objects.values_list("pk", flat=True))
        times = []
        for pk in rng.sample(ids, min(samples, len(ids))):
            url = f"/admin/resolutions/indicatorseries/{pk}/change/"
            times.append(timed(lambda url=url: client.get(url, HTTP_HOST="localhost")))
        return summary(times)

    def repeat_finder(self, rng, samples):
        last = Directive.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        chosen = []
        while len(chosen) < samples and last:
            directive = (
                Directive.objects.filter(pk__gte=rng.randint(1, last))
                .select_related("meeting")
                .order_by("pk")
                .first()
            )
            if directive:
                chosen.append(directive)
        ours = [timed(lambda d=d: repeats.repeats_of(d)) for d in chosen]
        sql = []
        if connection.vendor == "postgresql":
            for d in chosen:
                params = {
                    "words": repeats.own_words(d.search_text),
                    "committee": d.meeting.committee_id,
                    "started": d.meeting.started_on,
                    "limit": repeats.SIMILARITY,
                }

                def run(params=params):
                    with connection.cursor() as cursor:
                        cursor.execute(HAND_WRITTEN, params)
                        cursor.fetchall()

                sql.append(timed(run))
        return summary(ours), summary(sql or [0.0])

    def matching_on_import(self, rng, count) -> dict:
        """A new conclusion of a large committee: 5 figures and 25 directives, then matched."""
        committee = Committee.objects.filter(meetings__isnull=False).order_by("-level").first()
        last = Meeting.objects.filter(committee=committee).order_by("-started_on").first()
        times = []
        for n in range(count):
            meeting = Meeting.objects.create(
                committee=committee,
                term=vietnamese.MAX_TERM,
                number=n + 1,
                started_on=last.started_on,
                review_period=last.review_period,
                title="Kết luận thử",
            )
            for position, indicator in enumerate(
                Indicator.objects.filter(meeting=last)[:5], start=1
            ):
                Indicator.objects.create(
                    meeting=meeting,
                    position=position,
                    name=indicator.name,
                    value=indicator.value,
                    unit=indicator.unit,
                    period=indicator.period,
                )
            for position, directive in enumerate(
                Directive.objects.filter(meeting=last)[:25], start=1
            ):
                Directive.objects.create(
                    meeting=meeting,
                    position=position,
                    text=directive.text,
                    section_order=directive.section_order,
                )
            times.append(timed(lambda meeting=meeting: match_meeting(meeting)))
        return summary(times)


def json_dumps(figures) -> str:
    return json.dumps(figures, ensure_ascii=False, indent=2)
