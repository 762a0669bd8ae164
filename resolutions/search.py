"""Finding directives, indicators and findings by what they say, accents or not.

One module for the admin's search boxes and for ``manage.py search_directives``:

- the query is read once (``parse_query``): Unicode NFC, words folded to accent-free lower case
  (đ -> d), "quoted phrases" kept together, symbols dropped, length capped;
- PostgreSQL matches it with full-text search over the ``vi_unaccent`` configuration (on a
  trigger-maintained ``search_vector``); a word that no record holds is first corrected to
  the register's nearest words by trigram similarity (``resolutions_search_word``: "bangg"
  finds "bang", without comparing the query with every record);
- SQLite matches the same folded words and phrases against ``search_text``;
- both keep the RECENT_WINDOW newest matches (on PostgreSQL, the day of each record's meeting
  is on the row, ``search_recency``; with RUM indexes, ``manage.py search_index --rum`` for
  large registers, the index itself hands the newest matches over, so a common phrase costs
  no read of the table per match), and rank them the same way: the exact accented wording
  first, then the words together as a phrase, newer meetings before older when equal.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from dataclasses import asdict, dataclass, field

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    F,
    FloatField,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import CombinedExpression, RawSQL
from django.db.models.functions import StrIndex
from django.db.models.lookups import GreaterThan, LessThan
from django.utils.html import escape
from django.utils.safestring import mark_safe

from . import vietnamese

# The exact accented wording outranks a phrase, which outranks scattered words.
EXACT_BONUS = 10.0
PHRASE_BONUS = 5.0
CONTEXT_PHRASE_BONUS = 1.0
MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
# How many of the newest matches are ranked and listed (ten pages of the admin's fifty):
# a search that matches more says so, and narrower questions need more words or a filter.
RECENT_WINDOW = 500
# On PostgreSQL, how many of the newest records a search reads before it asks the full-text
# index instead: enough to fill the window for a question one record in forty answers.
NEWEST_ROWS_READ = 20_000

_PHRASE_RE = re.compile(r'"([^"]+)"|“([^”]+)”')


@dataclass
class Query:
    """A search as typed, and what the register will look for."""

    raw: str
    words: list[str] = field(default_factory=list)  # folded words outside phrases
    phrases: list[list[str]] = field(default_factory=list)  # folded words of each phrase
    error: str = ""  # why the query finds nothing, for the person who typed it
    # A word no record holds -> the register's nearest words searched instead (PostgreSQL).
    corrections: dict[str, list[str]] = field(default_factory=dict)

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

    @property
    def correction_notice(self) -> str:
        """What was searched instead of a mistyped word, said to the person who typed it."""
        said = []
        for typed, nearest in self.corrections.items():
            others = "".join(f" hoặc “{word}”" for word in nearest[1:])
            said.append(f"“{nearest[0]}”{others} thay cho “{typed}”")
        return f"Đã tìm {'; '.join(said)}." if said else ""

    def dumps(self) -> str:
        """The query as searched, for a list page's rows to highlight (see loads)."""
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def loads(cls, value: str) -> Query:
        return cls(**json.loads(value)) if value.startswith("{") else parse_query(value)

    def accepted(self) -> list[set[str]]:
        """For each word outside phrases, the folded words that count as it."""
        return [{word, *self.corrections.get(word, ())} for word in self.words]

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
    """*queryset* narrowed to the *window* (default RECENT_WINDOW) newest records that match
    *query*, annotated with ``rank`` and ``search_window``, best first."""
    query = parse_query(query) if isinstance(query, str) else query
    if query.error or query.is_empty:
        return queryset.none()
    window = window or RECENT_WINDOW
    model = queryset.model
    # The window is read once, here: the admin's count and page then read those rows by id.
    if connection.vendor == "postgresql":
        newest, corrected = _postgres_newest(queryset, query, model._meta.db_table, window)
        if corrected is not query:  # said on the page, and highlighted as searched
            query.corrections = corrected.corrections
            query = corrected
    else:
        matched = _portable_matches(queryset, query).order_by("-meeting__started_on", "pk")
        newest = list(matched.values_list("pk", flat=True)[:window])
    if not newest:
        return queryset.none()
    # The window travels with the results, for the admin to say when they fill it.
    return (
        queryset.filter(_among(model, newest))
        .annotate(rank=_rank(query, model), search_window=Value(window, IntegerField()))
        .order_by("-rank", "-meeting__started_on", "pk")
    )


def _among(model, ids: list[int]):
    """The rows with these ids: on PostgreSQL one array parameter, not one per id (a query
    of hundreds of parameters costs more to write out than to run)."""
    if connection.vendor != "postgresql":
        return Q(pk__in=ids)
    return RawSQL(
        f"{model._meta.db_table}.{model._meta.pk.column} = ANY(%s)",
        [ids],
        output_field=BooleanField(),
    )


def _rank(query: Query, model) -> CombinedExpression:
    """The exact accented wording first, then the words together in the record's own text
    (before "~"), then together in its context only (a directive's section heading)."""
    main = model.searched_fields[0]
    exact = Case(
        When(Q(**{f"{main}__contains": query.exact}), then=Value(EXACT_BONUS)),
        default=Value(0.0),
        output_field=FloatField(),
    )
    at = StrIndex("search_text", Value(f" {' '.join(query.all_words)} "))
    phrase = Case(
        When(
            GreaterThan(at, 0) & LessThan(at, StrIndex("search_text", Value(" ~ "))),
            then=Value(PHRASE_BONUS),
        ),
        When(GreaterThan(at, 0), then=Value(CONTEXT_PHRASE_BONUS)),
        default=Value(0.0),
        output_field=FloatField(),
    )
    return exact + phrase


def _portable_matches(queryset: QuerySet, query: Query) -> QuerySet:
    condition = Q()
    for word in query.words:
        condition &= Q(search_text__contains=f" {word} ")
    for phrase in query.phrases:
        condition &= Q(search_text__contains=f" {' '.join(phrase)} ")
    return queryset.filter(condition)


SEARCHED_TABLES = ("resolutions_directive", "resolutions_indicator", "resolutions_finding")


def ranks_in_index(table: str) -> bool:
    """Whether *table*'s search vector has a RUM index (``manage.py search_index --rum``).

    Asked each time, not remembered by the process: one lookup in the catalog, made only by
    a rarer question's second step, so that every worker sees at once what search_index
    chose."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM pg_indexes WHERE tablename = %s AND indexname = %s",
            [table, f"{table}_search_rum"],
        )
        return cursor.fetchone() is not None


def _postgres_newest(
    queryset: QuerySet, query: Query, table: str, window: int
) -> tuple[list[int], Query]:
    """The ids of the *window* newest matches, and the query they matched: the one typed,
    or, when a word of it is in no record, the query with that word corrected to the
    register's nearest words ("bangg" -> "bang")."""
    nearest_words = _nearest_words(sorted(set(query.all_words)))
    words = {word for word, nearest in nearest_words.items() if nearest == [word]}
    tsquery, params = "websearch_to_tsquery('vi_unaccent', %s)", [query.websearch()]
    if len(words) < len(nearest_words):
        if query.phrases:
            return [], query
        corrected = {word: nearest_words[word] for word in query.words if word not in words}
        if not all(corrected.values()):
            return [], query
        alternatives = [[word] if word in words else corrected[word] for word in query.words]
        tsquery, params = "to_tsquery('vi_unaccent', %s)", [_tsquery(alternatives)]
        nearest = [group[0] for group in alternatives]
        query = Query(raw=" ".join(nearest), words=nearest, corrections=corrected)
    matches = f"search_vector @@ {tsquery}"
    with connection.cursor() as cursor:
        # A common question ("van dong nhan dan" is in one directive of twenty) finds its
        # window among the newest rows: read them newest first and stop when it is full.
        # The raw expressions name the table, so the statements are written out whole.
        newest_rows = (
            queryset.annotate(
                newest_search_vector=RawSQL(f"{table}.search_vector", ()),
                newest_recency=RawSQL(f"{table}.search_recency", ()),
            )
            .order_by(F("newest_recency").desc(), F("pk").desc())
            .values_list("pk", "newest_search_vector")[:NEWEST_ROWS_READ]
        )
        sql, where = newest_rows.query.sql_with_params()
        # The last row it may read comes back too, match or not: without it, the walk read
        # every row there is, and what it found is every match.
        cursor.execute(
            f"SELECT id, vector @@ {tsquery}, read FROM ("
            f"  SELECT id, vector, row_number() OVER () AS read"
            f"  FROM ({sql}) AS rows (id, vector)"
            f") AS newest WHERE vector @@ {tsquery} OR read = %s LIMIT %s",
            (*params, *where, *params, NEWEST_ROWS_READ, window + 1),
        )
        rows = cursor.fetchall()
        ids = [pk for pk, matches, _ in rows if matches][:window]
        if len(ids) == window or all(read < NEWEST_ROWS_READ for _, _, read in rows):
            return ids, query
        # A rarer one: the full-text index finds every match, and the newest are kept. A RUM
        # index hands them over newest first without reading the table, if PostgreSQL is
        # kept from reading every match through a bitmap first (it underestimates how many
        # records hold several common words, and would then sort them all): the statement
        # runs inside a function that turns bitmap scans off for itself (migration 0006).
        found = queryset.filter(RawSQL(f"{table}.{matches}", params, output_field=BooleanField()))
        sql, where = found.order_by().values("pk").query.sql_with_params()
        if not ranks_in_index(table):
            cursor.execute(
                f"{sql} ORDER BY {table}.search_recency DESC, {table}.id DESC LIMIT %s",
                (*where, window),
            )
            return [pk for (pk,) in cursor.fetchall()], query
        statement = connection.ops.compose_sql(  # type: ignore[attr-defined]  # PostgreSQL's
            f"{sql} ORDER BY {table}.search_recency <=| 2147483647 LIMIT %s", (*where, window)
        )
        cursor.execute("SELECT resolutions_ids_in_index_order(%s)", [statement])
        ids = [pk for (pk,) in cursor.fetchall()]
        return ids, query


# Corrections closer than this (trigram similarity) are offered; pg_trgm's default is 0.3.
NEAR_MISS_THRESHOLD = 0.5
NEAR_MISS_CHOICES = 3


def _nearest_words(words: list[str]) -> dict[str, list[str]]:
    """Each of *words* itself when some record of the register holds it
    (resolutions_search_word), otherwise the register's nearest words, closest first (none
    when nothing is close): one statement, so that a correction costs the page no query."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT q.word, c.word FROM unnest(%s::text[]) AS q(word) CROSS JOIN LATERAL ("
            "  SELECT w.word FROM resolutions_search_word w WHERE w.word = q.word"
            "  UNION ALL ("
            "    SELECT w.word FROM resolutions_search_word w"
            "    WHERE NOT EXISTS ("
            "      SELECT 1 FROM resolutions_search_word k WHERE k.word = q.word"
            "    ) AND similarity(w.word, q.word) >= %s"
            "    ORDER BY w.word <-> q.word LIMIT %s"
            "  )"
            ") c",
            [words, NEAR_MISS_THRESHOLD, NEAR_MISS_CHOICES],
        )
        found: dict[str, list[str]] = {word: [] for word in words}
        for word, near in cursor.fetchall():
            found[word].append(near)
    return found


def _tsquery(alternatives: list[list[str]]) -> str:
    """to_tsquery's text for every group of words, any word of each group."""
    quoted = (
        " | ".join("'" + word.replace("'", "''") + "'" for word in group) for group in alternatives
    )
    return " & ".join(f"({group})" for group in quoted)


def _marked(words: list[str], query: Query, context: str = "") -> set[int]:
    """Which of the text's folded *words* a person sees as matched: the quoted phrases; the
    query's words where two or more of them stand together as typed; a word on its own only
    where it stands with none of the others anywhere (nor the whole query in the record's
    *context*). "van dong nhan dan" marks "vận động nhân dân", or "cuộc vận động" and "phục
    vụ nhân dân", never the "dẫn" of "hướng dẫn"."""
    marked: set[int] = set()
    for phrase in query.phrases:
        size = len(phrase)
        for at in range(len(words) - size + 1):
            if words[at : at + size] == phrase:
                marked.update(range(at, at + size))
    accepted = query.accepted()
    together: set[int] = set()  # the query's words found beside the next or the previous one
    for at in range(len(words)):
        for first in range(len(accepted)):
            size = 0
            while (
                at + size < len(words)
                and first + size < len(accepted)
                and words[at + size] in accepted[first + size]
            ):
                size += 1
            if size > 1:
                marked.update(range(at, at + size))
                together.update(range(first, first + size))
    context_words = f" {' '.join(vietnamese.search_words(context))} " if context else ""
    if len(accepted) > 1 and f" {' '.join(query.words)} " in context_words:
        return marked  # found through its context: its own stray words are not why
    alone = set().union(*(words for n, words in enumerate(accepted) if n not in together))
    marked.update(n for n, word in enumerate(words) if word in alone)
    return marked


def context_fields(record) -> list[tuple[str, str]]:
    """The fields besides its own text that *record* is searched by, with their names."""
    return [
        (str(record._meta.get_field(name).verbose_name), getattr(record, name) or "")
        for name in record.searched_fields[1:]
    ]


def matched_through(query: Query, text: str, context: list[tuple[str, str]]) -> list[str]:
    """The names of the *context* fields (name, text) a record matched through, when its own
    *text* does not hold the whole query: [] when it does ("khớp tên mục" otherwise)."""
    words = vietnamese.search_words(text)
    joined, held = f" {' '.join(words)} ", set(words)
    if all(accepted & held for accepted in query.accepted()) and all(
        f" {' '.join(phrase)} " in joined for phrase in query.phrases
    ):
        return []
    wanted = set(query.all_words).union(*query.accepted())
    return [name for name, value in context if wanted & set(vietnamese.search_words(value))]


def highlight(text: str, query: Query | str, *, words: int = 30, context: str = "") -> str:
    """About *words* words of *text* with the matched words marked (see _marked), as safe
    HTML; *context* is what else the record was searched by (a directive's section heading).

    The excerpt is the text's first words, or, when more of the marked words lie further on,
    the words around the first of them, so that a long paragraph still shows why it was found.
    """
    if isinstance(query, str):
        query = parse_query(query)
    spans = [(m.start(), m.end()) for m in re.finditer(r"[^\W_]+", text)]
    marked_words = _marked([vietnamese.fold(text[a:b]) for a, b in spans], query, context)
    marked = [spans[i] for i in sorted(marked_words)]
    tokens = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
    token_starts = [a for a, _ in tokens]
    # Marked words per token, as running totals: any window's count in one subtraction.
    hits = [0] * (len(tokens) + 1)
    for a, _ in marked:
        hits[bisect_right(token_starts, a)] += 1
    for i in range(1, len(hits)):
        hits[i] += hits[i - 1]

    def covered(start: int) -> int:
        return hits[min(start + words, len(tokens))] - hits[start]

    firsts = [bisect_right(token_starts, a) - 1 for a, _ in marked]
    best = max(firsts, key=covered, default=0)
    start = 0 if covered(0) >= covered(best) else max(best - 5, 0)
    window = tokens[start : start + words]
    # Escaped piece by piece and joined once (a search page shows twenty excerpts: one
    # format_html per word cost more than the rest of the page).
    pieces, shown = ["… " if start else ""], iter(marked)
    mark = next(shown, None)
    for n, (a, b) in enumerate(window):
        if n:
            pieces.append(" ")
        at = a
        while mark is not None and mark[0] < b:
            if mark[0] >= a:
                pieces += [escape(text[at : mark[0]]), "<mark>", escape(text[mark[0] : mark[1]])]
                pieces.append("</mark>")
                at = mark[1]
            mark = next(shown, None)
        pieces.append(escape(text[at:b]))
    if start + words < len(tokens):
        pieces.append(" …")
    return mark_safe("".join(pieces))  # every piece of the text went through escape()
