"""Finding directives, indicators and findings by what they say, accents or not.

One module for the admin's search boxes and for ``manage.py search_directives``:

- the query is read once (``parse_query``): Unicode NFC, words folded to accent-free lower case
  (đ -> d), "quoted phrases" kept together, symbols dropped, length capped;
- PostgreSQL matches it with full-text search over the ``vi_unaccent`` configuration (on a
  trigger-maintained ``search_vector``), and, when nothing matches and no phrase was asked
  for, with trigram word similarity on the folded ``search_text`` (near-misses and typos);
  with RUM indexes instead of GIN (``manage.py search_index --rum``, for large registers)
  the index hands over the RANKED_WINDOW best matches by full-text rank, and only those are
  ranked by the whole rule below, so a common phrase costs no read of the table per match;
- SQLite matches the same folded words and phrases against ``search_text``;
- both rank the same way: the exact accented wording first, then phrase matches, then the
  full-text rank, newer meetings before older.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    FloatField,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import StrIndex
from django.db.models.lookups import GreaterThan, LessThan
from django.utils.html import format_html, format_html_join

from . import vietnamese

# The exact accented wording outranks a phrase, which outranks scattered words.
EXACT_BONUS = 10.0
PHRASE_BONUS = 5.0
CONTEXT_PHRASE_BONUS = 1.0
MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
# Below this word similarity a near-miss is too far to show (pg_trgm's default is 0.6).
NEAR_MISS_THRESHOLD = 0.5
# With a RUM index: how many of the best matches by full-text rank are ranked by the whole
# rule and listed (ten pages of the admin's fifty); narrower questions need more words.
RANKED_WINDOW = 500

_PHRASE_RE = re.compile(r'"([^"]+)"|“([^”]+)”')


@dataclass
class Query:
    """A search as typed, and what the register will look for."""

    raw: str
    words: list[str] = field(default_factory=list)  # folded words outside phrases
    phrases: list[list[str]] = field(default_factory=list)  # folded words of each phrase
    error: str = ""  # why the query finds nothing, for the person who typed it

    @property
    def is_empty(self) -> bool:
        return not (self.words or self.phrases)

    @property
    def all_words(self) -> list[str]:
        return self.words + [w for phrase in self.phrases for w in phrase]

    @property
    def exact(self) -> str:
        """The typed text without quotes, in NFC: found as written, it ranks first."""
        return " ".join(_PHRASE_RE.sub(lambda m: m.group(1) or m.group(2), self.raw).split())

    def websearch(self) -> str:
        """The query for PostgreSQL's websearch_to_tsquery: words, and phrases in quotes."""
        parts = list(self.words) + [f'"{" ".join(phrase)}"' for phrase in self.phrases]
        return " ".join(parts)


def parse_query(raw: str) -> Query:
    raw = vietnamese.nfc(raw or "").strip()
    query = Query(raw=raw)
    if len(raw) > MAX_QUERY_LENGTH:
        query.error = (
            f"Câu tìm kiếm dài {len(raw)} ký tự, quá giới hạn {MAX_QUERY_LENGTH} ký tự: "
            "hãy rút gọn thành vài từ khóa."
        )
        return query
    for match in _PHRASE_RE.finditer(raw):
        words = vietnamese.search_words(match.group(1) or match.group(2))
        if len(words) > 1:
            query.phrases.append(words)
        else:
            query.words += words
    query.words += vietnamese.search_words(_PHRASE_RE.sub(" ", raw).replace('"', " "))
    if len(query.all_words) > MAX_TERMS:
        query.error = f"Câu tìm kiếm có quá {MAX_TERMS} từ: hãy chọn vài từ khóa chính."
        query.words, query.phrases = [], []
    elif raw and query.is_empty:
        query.error = "Câu tìm kiếm không có chữ hay số nào để tìm."
    return query


def search(queryset: QuerySet, query: Query | str, *, window: int | None = None) -> QuerySet:
    """*queryset* narrowed to what matches *query*, annotated with ``rank``, best first.

    With a RUM index, only the *window* (default RANKED_WINDOW) best matches by full-text
    rank are returned.
    """
    if isinstance(query, str):
        query = parse_query(query)
    if query.error or query.is_empty:
        return queryset.none()
    model = queryset.model
    if connection.vendor == "postgresql":
        matched = _postgres(queryset, query, model._meta.db_table, window or RANKED_WINDOW)
    else:
        matched = _portable(queryset, query)
    order = ["-rank"]
    if hasattr(model, "meeting"):
        order += ["-meeting__started_on"]
    return matched.order_by(*order, "pk")


def _exact_bonus(query: Query, model) -> Case:
    """1 when the record holds the query exactly as typed, accents included."""
    main = model.search_fields[0]
    return Case(
        When(Q(**{f"{main}__contains": query.exact}), then=Value(EXACT_BONUS)),
        default=Value(0.0),
        output_field=FloatField(),
    )


def _phrase_bonus(query: Query) -> Case:
    """A bonus when the words stand together, in order, in the record's own text (before "~")."""
    whole = f" {' '.join(query.all_words)} "
    at = StrIndex("search_text", Value(whole))
    return Case(
        When(
            GreaterThan(at, 0) & LessThan(at, StrIndex("search_text", Value(" ~ "))),
            then=Value(PHRASE_BONUS),
        ),
        # Together in the context only (a directive's section heading): a smaller bonus.
        When(GreaterThan(at, 0), then=Value(CONTEXT_PHRASE_BONUS)),
        default=Value(0.0),
        output_field=FloatField(),
    )


def _portable(queryset: QuerySet, query: Query) -> QuerySet:
    condition = Q()
    for word in query.words:
        condition &= Q(search_text__contains=f" {word} ")
    for phrase in query.phrases:
        condition &= Q(search_text__contains=f" {' '.join(phrase)} ")
    return queryset.filter(condition).annotate(
        rank=_exact_bonus(query, queryset.model) + _phrase_bonus(query)
    )


SEARCHED_TABLES = ("resolutions_directive", "resolutions_indicator", "resolutions_finding")


def ranks_in_index(table: str) -> bool:
    """Whether *table*'s search vector has a RUM index (see use_ranked_index)."""
    key = (connection.settings_dict["NAME"], table)
    if key not in _RUM_TABLES:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT 1 FROM pg_indexes WHERE tablename = %s AND indexname = %s",
                [table, f"{table}_search_rum"],
            )
            _RUM_TABLES[key] = cursor.fetchone() is not None
    return _RUM_TABLES[key]


_RUM_TABLES: dict[tuple, bool] = {}


def use_ranked_index(ranked: bool) -> None:
    """Index the search vectors with RUM (ranked in the index: faster searches, slower
    writes) or with GIN (migration 0003's default: fast writes, searches read every match
    to rank it). RUM needs the extension: Debian's package postgresql-15-rum."""
    with connection.cursor() as cursor:
        # An index cannot be built while the transaction owes foreign-key checks.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        if ranked:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS rum")
        for table in SEARCHED_TABLES:
            if ranked:
                cursor.execute(
                    f"CREATE INDEX IF NOT EXISTS {table}_search_rum ON {table} "
                    "USING rum (search_vector rum_tsvector_ops)"
                )
                cursor.execute(f"DROP INDEX IF EXISTS {table}_search_vector")
            else:
                cursor.execute(
                    f"CREATE INDEX IF NOT EXISTS {table}_search_vector ON {table} "
                    "USING gin (search_vector)"
                )
                cursor.execute(f"DROP INDEX IF EXISTS {table}_search_rum")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    _RUM_TABLES.clear()


def _postgres(queryset: QuerySet, query: Query, table: str, window: int) -> QuerySet:
    tsquery = "websearch_to_tsquery('vi_unaccent', %s)"
    matches = RawSQL(
        f"{table}.search_vector @@ {tsquery}", [query.websearch()], output_field=BooleanField()
    )
    rank = RawSQL(
        f"ts_rank_cd({table}.search_vector, {tsquery})",
        [query.websearch()],
        output_field=FloatField(),
    )
    found = queryset.filter(matches)
    if not query.phrases and not found.exists():
        # Nothing matched word for word: look for near-misses ("bangg", "Thu Thim").
        folded = " ".join(query.words)
        near = RawSQL(f"%s <%% {table}.search_text", [folded], output_field=BooleanField())
        similarity = RawSQL(
            f"word_similarity(%s, {table}.search_text)", [folded], output_field=FloatField()
        )
        return queryset.filter(near).annotate(rank=similarity).filter(rank__gte=NEAR_MISS_THRESHOLD)
    if ranks_in_index(table):
        # The index orders the matches by full-text rank and stops after the window. The
        # subquery is written out whole: the raw expressions name the table, which Django
        # would alias inside a subquery of its own.
        sql, params = found.order_by().values("pk").query.sql_with_params()
        best = RawSQL(
            f"{sql} ORDER BY {table}.search_vector <=> {tsquery} LIMIT %s",
            (*params, query.websearch(), window),
        )
        # The window travels with the results, for the admin to say when they fill it.
        found = queryset.filter(pk__in=best).annotate(
            search_window=Value(window, output_field=IntegerField())
        )
    return found.annotate(rank=_exact_bonus(query, queryset.model) + _phrase_bonus(query) + rank)


def highlight(text: str, query: Query | str, *, words: int = 30) -> str:
    """About *words* words of *text* with the query's words marked, as safe HTML.

    The excerpt is the text's first words, or, when the first match lies further on, the words
    around it, so that a long paragraph still shows why it was found.
    """
    if isinstance(query, str):
        query = parse_query(query)
    wanted = set(query.all_words)
    tokens = text.split()
    found = [set(vietnamese.search_words(token)) & wanted for token in tokens]

    def covered(start: int) -> int:
        return len(set().union(*found[start : start + words]))

    # The first words, unless a window further on holds more of the query's words.
    best = max((i for i, hit in enumerate(found) if hit), key=covered, default=0)
    start = 0 if covered(0) >= covered(best) else max(best - 5, 0)
    clipped = " ".join(tokens[start : start + words])
    if start:
        clipped = "… " + clipped
    if start + words < len(tokens):
        clipped += " …"
    if not wanted:
        return format_html("{}", clipped)
    pieces, last = [], 0
    for match in re.finditer(r"[^\W_]+", clipped):
        if vietnamese.fold(match.group(0)) in wanted:
            pieces.append((clipped[last : match.start()], match.group(0)))
            last = match.end()
    return format_html("{}{}", format_html_join("", "{}<mark>{}</mark>", pieces), clipped[last:])
