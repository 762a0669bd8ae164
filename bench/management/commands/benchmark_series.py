"""Time the series pages, the repeat finder and the matching on import (issue 15) on the
register as it stands (build one with generate_archive first); everything it writes is rolled
back, the matches of the synthetic archive excepted (made once, as an import would)."""

import itertools
import json
import os
import random
import statistics
import time
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone

from resolutions import vietnamese
from resolutions.models import (
    Committee,
    Directive,
    DirectiveRepeat,
    Indicator,
    IndicatorSeries,
    Meeting,
)
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


# The same steps as repeats.repeats_of, written by hand: the stored links of one directive,
# the earlier directives with their meeting and committee, and each one's follow-up status
# (Directive.status_conditions), newest first.
HAND_WRITTEN = """
SELECT d.*, m.*, c.*, r.similarity,
  CASE
    WHEN d.completed_on IS NOT NULL AND (d.due_on IS NULL OR d.completed_on <= d.due_on)
      THEN 'done_on_time'
    WHEN d.completed_on IS NOT NULL THEN 'done_late'
    WHEN EXISTS (SELECT 1 FROM resolutions_directive n WHERE n.carried_from_id = d.id)
      THEN 'carried_over'
    WHEN d.due_on IS NULL OR d.due_on >= %(today)s THEN 'on_schedule'
    ELSE 'overdue'
  END
FROM resolutions_directiverepeat r
JOIN resolutions_directive d ON d.id = r.earlier_id
JOIN resolutions_meeting m ON m.id = d.meeting_id
JOIN resolutions_committee c ON c.id = m.committee_id
WHERE r.directive_id = %(directive)s
ORDER BY m.started_on DESC, d.section_order, d.position
"""

# What the issue asks, in milliseconds at the 95th percentile.
TARGETS = {"series_page": 200, "repeats": 100, "matching_on_import": 50}


class Command(BaseCommand):
    help = "Time the series page, the repeat finder and the matching on import."

    def add_arguments(self, parser):
        parser.add_argument("--samples", type=int, default=100)
        parser.add_argument("--seed", type=int, default=15)
        parser.add_argument("--json", action="store_true", dest="as_json")

    def handle(self, *args, samples, seed, as_json, **options):
        rng = random.Random(seed)
        figures: dict = {
            "directives": Directive.objects.count(),
            "indicators": Indicator.objects.count(),
            "repeat_links": DirectiveRepeat.objects.count(),
            "database": connection.vendor,
            "load_before": [round(n, 2) for n in os.getloadavg()],
        }
        figures["matching_all_ms"] = round(timed(self.match_everything), 1)
        figures["series"] = IndicatorSeries.objects.count()
        with transaction.atomic():
            figures["series_page"] = self.series_pages(rng, samples)
            (
                figures["repeats"],
                figures["hand_written_sql"],
                figures["repeats_same_rows_as_sql"],
            ) = self.repeat_finder(rng, samples)
            figures["repeats_vs_sql"] = round(
                figures["repeats"]["p95_ms"] / max(figures["hand_written_sql"]["p95_ms"], 0.01),
                2,
            )
            figures["repeats_vs_sql_p50"] = round(
                figures["repeats"]["p50_ms"] / max(figures["hand_written_sql"]["p50_ms"], 0.01),
                2,
            )
            figures["repeated_tasks_report"] = self.report(rng, max(5, samples // 10))
            figures["matching_on_import"] = self.matching_on_import(rng, max(10, samples // 5))
            transaction.set_rollback(True)
        figures["p95_vs_target"] = {
            name: round(figures[name]["p95_ms"] / limit, 2) for name, limit in TARGETS.items()
        }
        figures["load_after"] = [round(n, 2) for n in os.getloadavg()]
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
        """The tasks that come back for one directive, and the same by hand-written SQL; the
        directives are drawn before either is timed. Says too for how many of them both gave
        the same earlier directives, in the same order, with the same status."""
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
        ours, sql = [], []
        today = timezone.localdate()
        results: dict = {}
        for d in chosen:  # alternately, so that both meet the same cache and load
            ours.append(timed(lambda d=d: results.update(ours=repeats.repeats_of(d))))
            sql.append(timed(lambda d=d: results.update(sql=hand_written(d.pk, today))))
            same = [(r.directive.pk, r.directive.status) for r in results["ours"]] == [
                (row[0], row[-1]) for row in results["sql"]
            ]
            results["same"] = results.get("same", 0) + same
        return summary(ours), summary(sql or [0.0]), f"{results.get('same', 0)}/{len(chosen)}"

    def report(self, rng, count) -> dict:
        """The report of tasks given three times or more, for committees drawn at random."""
        committees = list(Committee.objects.filter(meetings__isnull=False).distinct())
        chosen = rng.sample(committees, min(count, len(committees)))
        return summary([timed(lambda c=c: repeats.repeated_tasks(c)) for c in chosen])

    def matching_on_import(self, rng, count) -> dict:
        """A new conclusion of a committee, a season after its last: 5 figures and 25
        directives (its last conclusion's, as tasks come back), then matched: its figures to
        their series, its targets, its tasks to the earlier ones they repeat."""
        committee = Committee.objects.filter(meetings__isnull=False).order_by("-level").first()
        last = Meeting.objects.filter(committee=committee).order_by("-started_on").first()
        times = []
        for n in range(count):
            meeting = Meeting.objects.create(
                committee=committee,
                term=vietnamese.MAX_TERM,
                number=n + 1,
                started_on=last.started_on + timedelta(days=90),
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


def hand_written(directive: int, today) -> list:
    with connection.cursor() as cursor:
        cursor.execute(HAND_WRITTEN, {"directive": directive, "today": today})
        return cursor.fetchall()


def json_dumps(figures) -> str:
    return json.dumps(figures, ensure_ascii=False, indent=2)
