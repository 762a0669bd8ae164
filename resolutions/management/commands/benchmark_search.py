"""Search timings on the archive in the database (build one with generate_archive).

Not a test: it prints figures. For each query of a fixed set it times our search (the first
page of 50, as the admin shows it), the same search hand-written in SQL against the same index
(the limit: PostgreSQL full text, ranked, no Django), and Django's default admin search
(``icontains`` on every word), then the directive changelist with a search, as a person gets it.

    python manage.py generate_archive --directives 1000000
    python manage.py benchmark_search [--repeat 5] [--json]
"""

import json
import statistics
import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.db.models import Q
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from resolutions import search
from resolutions.models import Directive

QUERIES = [
    "giai phong mat bang",
    "van dong nhan dan",
    "cải cách hành chính",
    "phat trien dang vien",
    '"trật tự an toàn giao thông"',
    "ma tuy",
    "thu ngan sach",
    "Thu Thiem",
    "chuyen doi so",
    "khieu nai to cao",
]
PAGE = 50


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def _p95(values):
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Time our search against hand-written SQL and Django's icontains search."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=5)
        parser.add_argument("--json", action="store_true", dest="as_json")

    def timed(self, function, repeat):
        function()  # warm the caches once, as a server that has been up a while would be
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            function()
            times.append(time.perf_counter() - started)
        return times

    def handle(self, *args, repeat, as_json, **options):
        directives = Directive.objects.count()
        ours, hand, icontains, plans = [], [], [], {}
        base = Directive.objects.select_related("meeting__committee", "topic")
        for raw in QUERIES:
            query = search.parse_query(raw)
            found = search.search(base, query)
            ours += self.timed(lambda found=found: list(found[:PAGE]), repeat)
            hand += self.timed(lambda query=query: self.hand_written(query), repeat)
            contains = Q()
            for word in raw.replace('"', " ").split():
                contains &= Q(text__icontains=word)
            icontains += self.timed(
                lambda contains=contains: list(base.filter(contains)[:PAGE]), max(1, repeat // 2)
            )
            plan = found.explain()
            plans[raw] = any(
                index in plan for index in ("_search_vector", "_search_rum", "_search_trgm")
            )
        changelist_ms, changelist_queries = self.changelist()
        figures = {
            "directives": directives,
            "database": connection.vendor,
            "p50_ms": _ms(statistics.median(ours)),
            "p95_ms": _ms(_p95(ours)),
            "sql_p50_ms": _ms(statistics.median(hand)),
            "sql_p95_ms": _ms(_p95(hand)),
            "icontains_p95_ms": _ms(_p95(icontains)),
            "ratio_to_sql_p95": round(_p95(ours) / _p95(hand), 2) if _p95(hand) else None,
            "icontains_ratio_p95": round(_p95(icontains) / _p95(ours), 1) if _p95(ours) else None,
            "changelist_ms": changelist_ms,
            "changelist_queries": changelist_queries,
            "index_used": plans,
        }
        if as_json:
            self.stdout.write(json.dumps(figures, ensure_ascii=False))
            return
        for key, value in figures.items():
            self.stdout.write(f"{key:22} {value}")

    def hand_written(self, query):
        """The same search in plain SQL: the least any implementation must do."""
        table = Directive._meta.db_table
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                tsquery = "websearch_to_tsquery('vi_unaccent', %s)"
                # Ranked by the index itself where it can (RUM), else by ts_rank_cd.
                order = (
                    f"search_vector <=> {tsquery}"
                    if search.ranks_in_index(table)
                    else f"ts_rank_cd(search_vector, {tsquery}) DESC"
                )
                cursor.execute(
                    f"SELECT id FROM {table} WHERE search_vector @@ {tsquery} "
                    f"ORDER BY {order} LIMIT {PAGE}",
                    [query.websearch(), query.websearch()],
                )
            else:
                terms = [f"% {w} %" for w in query.words] + [
                    f"% {' '.join(p)} %" for p in query.phrases
                ]
                where = " AND ".join(["search_text LIKE %s"] * len(terms))
                cursor.execute(f"SELECT id FROM {table} WHERE {where} LIMIT {PAGE}", terms)
            return cursor.fetchall()

    def changelist(self):
        """The directive search page as a person gets it, averaged over the query set."""
        times, queries = [], []
        try:
            with (
                transaction.atomic(),
                override_settings(ALLOWED_HOSTS=["*"], SECURE_SSL_REDIRECT=False, DEBUG=False),
            ):
                user = get_user_model().objects.create_superuser("benchmark-search", password="x")
                client = Client()
                client.force_login(user)
                url = reverse("admin:resolutions_directive_changelist")
                for raw in QUERIES:
                    client.get(url, {"q": raw})  # warm
                    with CaptureQueriesContext(connection) as captured:
                        started = time.perf_counter()
                        response = client.get(url, {"q": raw})
                        times.append(time.perf_counter() - started)
                    assert response.status_code == 200, response.status_code
                    queries.append(len(captured))
                raise _Rollback
        except _Rollback:
            pass
        return _ms(statistics.median(times)), max(queries)
