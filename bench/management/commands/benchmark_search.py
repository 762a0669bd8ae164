"""Search timings on the archive in the database (build one with generate_archive).

Not a test: it prints figures. For each query of a fixed set it times our search (the first
page of 50, as the admin shows it), the same search hand-written in SQL against the same index
(the limit: PostgreSQL full text, ranked, no Django), and Django's default admin search
(``icontains`` on every word), then the directive changelist with a search, as a person gets it.

    python manage.py generate_archive --directives 1000000
    python manage.py benchmark_search [--repeat 5] [--json]
"""

import json
import re
import statistics
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import connection
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
    # Rarer questions (one directive in 700 to 2,000): too few among the newest rows, so the
    # full-text index finds them.
    "nhap ngu nam 2015",
    "tai dinh cu kenh Tau Hu",
    "thu gom rac Cu Chi",
]
PAGE = 50


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def _p95(values):
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


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
            # search() reads the window of matches itself: it is timed with the page.
            ours += self.timed(lambda query=query: list(search.search(base, query)[:PAGE]), repeat)
            hand += self.timed(lambda query=query: self.hand_written(query), repeat)
            contains = Q()
            for word in raw.replace('"', " ").split():
                contains &= Q(text__icontains=word)
            icontains += self.timed(
                lambda contains=contains: list(base.filter(contains)[:PAGE]), max(1, repeat // 2)
            )
            plans[raw] = self.indexes_used(base, query)
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

    def indexes_used(self, base, query):
        """The indexes in the plans of the statements our search runs for *query*."""
        with CaptureQueriesContext(connection) as captured:
            list(search.search(base, query)[:PAGE])
        used = set()
        with connection.cursor() as cursor:
            for statement in captured.captured_queries:
                sql = statement["sql"]
                if "resolutions_ids_in_index_order" in sql:
                    # The statement that function runs, planned as it plans it.
                    cursor.execute(sql.replace("resolutions_ids_in_index_order", "", 1))
                    (sql,) = cursor.fetchone()
                    cursor.execute("SET enable_bitmapscan = off")
                if connection.vendor != "postgresql":
                    if sql.startswith("SELECT"):  # SQLite: its plan's last column names them
                        cursor.execute("EXPLAIN QUERY PLAN " + sql)
                        plan = "\n".join(str(row[-1]) for row in cursor.fetchall())
                        used.update(re.findall(r"USING (?:COVERING )?INDEX (\w+)", plan))
                    continue
                if sql.startswith("SELECT"):
                    cursor.execute("EXPLAIN " + sql)
                    plan = "\n".join(row[0] for row in cursor.fetchall())
                    used.update(re.findall(r"using (\w+)", plan))
                cursor.execute("RESET enable_bitmapscan")
        return sorted(used)

    def hand_written(self, query):
        """The same search in plain SQL: the least any implementation must do. On PostgreSQL:
        are the words in the register (else their nearest words), the window of newest
        matches (the newest rows first, else the index), ranked by the same rule, the first
        page."""
        table = Directive._meta.db_table
        with connection.cursor() as cursor:
            if connection.vendor != "postgresql":
                terms = [f"% {w} %" for w in query.words] + [
                    f"% {' '.join(p)} %" for p in query.phrases
                ]
                where = " AND ".join(["search_text LIKE %s"] * len(terms))
                cursor.execute(f"SELECT id FROM {table} WHERE {where} LIMIT {PAGE}", terms)
                return cursor.fetchall()
            words = sorted(set(query.all_words))
            cursor.execute("SELECT word FROM resolutions_search_word WHERE word = ANY(%s)", [words])
            tsquery, param, exact = "websearch_to_tsquery", query.websearch(), query.exact
            together = query.all_words
            if cursor.rowcount < len(words):
                cursor.execute(
                    "SELECT q.word, (SELECT array_agg(n) FROM (SELECT w.word AS n"
                    "  FROM resolutions_search_word w"
                    "  WHERE similarity(w.word, q.word) >= %s"
                    "  ORDER BY w.word <-> q.word LIMIT %s) c)"
                    " FROM unnest(%s::text[]) AS q(word)",
                    [search.NEAR_MISS_THRESHOLD, search.NEAR_MISS_CHOICES, query.words],
                )
                groups = [near for _, near in cursor.fetchall()]
                if not all(groups):
                    return []
                tsquery, param = "to_tsquery", search._tsquery(groups)
                together = [group[0] for group in groups]
                exact = " ".join(together)
            window, matches = search.RECENT_WINDOW, f"search_vector @@ {tsquery}('vi_unaccent', %s)"
            # The newest rows first, stopping when the window is full; else the index.
            cursor.execute(
                f"SELECT id FROM (SELECT id, search_vector FROM {table}"
                f"  ORDER BY search_recency DESC, id DESC LIMIT {search.NEWEST_ROWS_READ}) newest"
                f" WHERE {matches} LIMIT {window}",
                [param],
            )
            ids = [pk for (pk,) in cursor.fetchall()]
            if len(ids) < window and search.ranks_in_index(table):
                cursor.execute("SET LOCAL enable_bitmapscan = off")
                cursor.execute(
                    f"SELECT id FROM {table} WHERE {matches}"
                    f" ORDER BY search_recency <=| 2147483647 LIMIT {window}",
                    [param],
                )
                ids = [pk for (pk,) in cursor.fetchall()]
                cursor.execute("SET LOCAL enable_bitmapscan = on")
            elif len(ids) < window:
                cursor.execute(
                    f"SELECT id FROM {table} WHERE {matches}"
                    f" ORDER BY search_recency DESC, id DESC LIMIT {window}",
                    [param],
                )
                ids = [pk for (pk,) in cursor.fetchall()]
            phrase = f" {' '.join(together)} "
            # The page's rows with what it shows of each: meeting, committee, topic.
            cursor.execute(
                f"SELECT d.*, m.*, c.*, t.* FROM {table} d"
                " JOIN resolutions_meeting m ON m.id = d.meeting_id"
                " JOIN resolutions_committee c ON c.id = m.committee_id"
                " LEFT JOIN resolutions_topic t ON t.id = d.topic_id"
                " WHERE d.id = ANY(%s)"
                " ORDER BY CASE WHEN strpos(d.text, %s) > 0 THEN 10 ELSE 0 END"
                "  + CASE WHEN strpos(d.search_text, %s) = 0 THEN 0"
                "    WHEN strpos(d.search_text, %s) < strpos(d.search_text, ' ~ ') THEN 5"
                "    ELSE 1 END DESC, m.started_on DESC, d.id"
                f" LIMIT {PAGE}",
                [ids, exact, phrase, phrase],
            )
            return cursor.fetchall()

    def changelist(self):
        """The directive search page as a person gets it, averaged over the query set. Not
        inside a transaction of ours: the page runs as it does for a person (a login made
        for the run, with no password, is removed afterwards). Static files are named as
        stored, not through collectstatic's manifest, so that it runs on a fresh checkout."""
        times, queries = [], []
        user = get_user_model().objects.create_superuser("benchmark-search", password=None)
        try:
            plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
            with override_settings(
                ALLOWED_HOSTS=["*"],
                SECURE_SSL_REDIRECT=False,
                DEBUG=False,
                STORAGES={**settings.STORAGES, "staticfiles": plain},
            ):
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
        finally:
            user.delete()
        return _ms(statistics.median(times)), max(queries)
