"""Tasks that come back: the earlier directives of the same committee that say nearly the same.

Two directives say nearly the same when the trigrams of their own folded words (not their
section's heading) overlap by SIMILARITY or more, as PostgreSQL's pg_trgm measures it
(similarity(): shared trigrams over all the trigrams of either). The links are stored
(DirectiveRepeat) and the measure computed here, in Python, on both databases, which therefore
give the same answers; tests/test_tasks_that_come_back.py checks it equals pg_trgm's.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from itertools import compress, islice, repeat
from operator import add, ge, itemgetter, mul
from weakref import WeakKeyDictionary

from django.core.management.color import no_style
from django.db import connection, connections, router, transaction
from django.db.models import Count, F, Func, Q, TextField
from django.db.models.expressions import Col
from django.utils import timezone

from ..bulk import insert_values
from ..models import Committee, Directive, Meeting
from .models import DirectiveRepeat, RepeatGram, RepeatWords

# pg_trgm's similarity at or above which two directives are taken for the same task.
SIMILARITY = 0.6
# A task given this many times or more is listed in the report of tasks that come back.
REPORTED_FROM = 3


def own_words(search_text: str) -> str:
    """A directive's own folded words: its search_text before the " ~ " context marker."""
    return search_text.split("~", 1)[0].strip()


def trigrams(text: str) -> set[str]:
    """pg_trgm's trigrams: each word padded with two spaces before and one after."""
    grams: set[str] = set()
    for word in text.split():
        padded = f"  {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return grams


def similarity(first: str, second: str) -> float:
    """pg_trgm's similarity(): shared trigrams over all the trigrams of either."""
    a, b = trigrams(first), trigrams(second)
    if not a or not b:
        return 0.0
    shared = len(a & b)
    return shared / (len(a) + len(b) - shared)


@dataclass
class Repeat:
    directive: Directive
    similarity: float


# --- The stored links -----------------------------------------------------------------------
#
# Each directive's words (RepeatWords) and its links to the earlier directives it repeats
# (DirectiveRepeat) are kept current by refresh(), called where meetings are imported and
# saved (matching.match_meeting) and where a directive is saved on its own page; a deleted
# directive's rows go with it (CASCADE). `manage.py rebuild_repeats` makes them all anew.
#
# The measure is computed here on both databases, over each directive's trigrams stored as the
# bits of one number (a bit per trigram of the register, numbered by RepeatGram): shared
# trigrams are the bits of an AND, some tenths of a microsecond a pair, where similarity() in
# PostgreSQL takes some 17 µs (it splits both texts into trigrams each time), and a GIN
# trigram index, even one over (committee, words), reads the postings of the whole register
# for the common trigrams (over 20 s for 2,000 directives of a 20,000-directive register).


def _current(directive_ids) -> dict[int, tuple[int, date, str]]:
    """(committee, meeting date, own words) of each directive as it stands."""
    rows = Directive.objects.filter(pk__in=directive_ids).values_list(
        "pk", "meeting__committee_id", "meeting__started_on", "search_text"
    )
    return {pk: (committee, day, own_words(text)) for pk, committee, day, text in rows}


def _gram_numbers(grams: set[str]) -> dict[str, int]:
    """The number of each trigram, numbering the new ones after the register's last."""
    known = dict(RepeatGram.objects.filter(gram__in=grams).values_list("gram", "pk"))
    new = sorted(grams - known.keys())
    if new:
        RepeatGram.objects.bulk_create([RepeatGram(gram=g) for g in new], ignore_conflicts=True)
        known.update(RepeatGram.objects.filter(gram__in=new).values_list("gram", "pk"))
    return known


def _bits(grams: set[str], numbers: dict[str, int]) -> int:
    bits = 0
    for gram in grams:
        bits |= 1 << numbers[gram]
    return bits


def _to_bytes(bits: int) -> bytes:
    return bits.to_bytes((bits.bit_length() + 7) // 8, "little")


def _words_rows(states: dict[int, tuple[int, date, str]]) -> list[RepeatWords]:
    grams = {pk: trigrams(words) for pk, (_, _, words) in states.items()}
    numbers = _gram_numbers(set().union(*grams.values()))
    return [
        RepeatWords(
            directive_id=pk,
            committee_id=committee,
            started_on=day,
            words=words,
            size=len(grams[pk]),
            grams=_to_bytes(_bits(grams[pk], numbers)),
        )
        for pk, (committee, day, words) in states.items()
    ]


class _Hex(Func):
    """A binary column read as hexadecimal text: the driver reads a committee's bits as
    text several times faster than as bytes (psycopg parses bytea in Python)."""

    function = "encode"
    template = "%(function)s(%(expressions)s, 'hex')"
    output_field = TextField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, template="hex(%(expressions)s)")


def refresh(directive_ids, *, force: bool = False) -> int:
    """Make the links of the given directives current: those whose words, committee or
    meeting date changed since their links were made (or that have none yet), or all of them
    with *force*. Returns how many were made anew."""
    ids = list(directive_ids)
    if not ids:
        return 0
    now = _current(ids)
    if not force:
        stored = {
            row[0]: row[1:]
            for row in RepeatWords.objects.filter(directive_id__in=ids).values_list(
                "directive_id", "committee_id", "started_on", "words"
            )
        }
        now = {pk: state for pk, state in now.items() if stored.get(pk) != state}
    if not now:
        return 0
    with transaction.atomic():
        stale = list(now)
        DirectiveRepeat.objects.filter(Q(directive_id__in=stale) | Q(earlier_id__in=stale)).delete()
        RepeatWords.objects.filter(directive_id__in=stale).delete()
        probes = _words_rows(now)
        RepeatWords.objects.bulk_create(probes)
        committees = {p.committee_id for p in probes}
        rows = (
            RepeatWords.objects.filter(committee_id__in=committees)
            .annotate(hex=_Hex(F("grams")))
            .values_list("directive_id", "committee_id", "started_on", "size", "hex")
        )
        others = [(pk, c, d, size, bytes.fromhex(h)) for pk, c, d, size, h in rows]
        pairs = _pairs(
            [(p.pk, p.committee_id, p.started_on, p.size, p.grams) for p in probes], others
        )
        DirectiveRepeat.objects.bulk_create(
            DirectiveRepeat(directive_id=later, earlier_id=earlier, similarity=score)
            for (later, earlier), score in pairs.items()
        )
    return len(now)


def refresh_meeting(meeting) -> int:
    return refresh(Directive.objects.filter(meeting=meeting).values_list("pk", flat=True))


# similarity ≥ P/Q, that is shared / (a + b - shared) ≥ P/Q, said in whole numbers:
# (P + Q) · shared ≥ P · (a + b), with a and b the two directives' numbers of trigrams.
_P, _Q = Fraction(str(SIMILARITY)).as_integer_ratio()


def _pairs(probes, others, *, earlier_only: bool = False) -> dict[tuple[int, int], float]:
    """(later, earlier) → similarity for each probe against *others*: rows of (directive,
    committee, meeting date, number of trigrams, trigram bits); against the earlier ones
    only when the probes are the others (each pair once).

    A probe meets a committee's rows through map() and compress(), loops that run in C: the
    AND of the bits, their count and the test above cost some 0.1 µs a row, where a Python
    loop over the rows took five times as long."""
    groups: dict[int, tuple[list, list, list, list, list]] = {}
    for pk, committee, day, size, grams in sorted(others, key=itemgetter(2)):
        ids, days, sizes, weights, bitsets = groups.setdefault(committee, ([], [], [], [], []))
        ids.append(pk)
        days.append(day)
        sizes.append(size)
        weights.append(_P * size)
        bitsets.append(int.from_bytes(grams, "little"))
    found: dict[tuple[int, int], float] = {}
    for pk, committee, day, size, grams in probes:
        if not size or committee not in groups:
            continue
        ids, days, sizes, weights, bitsets = groups[committee]
        end = bisect_left(days, day) if earlier_only else len(ids)
        bits = int.from_bytes(grams, "little")
        shared = list(map(int.bit_count, map(bits.__and__, islice(bitsets, end))))
        alike = map(
            ge,
            map(mul, shared, repeat(_P + _Q)),
            map(add, islice(weights, end), repeat(_P * size)),
        )
        for j in compress(range(end), alike):
            if days[j] == day:
                continue  # the same meeting, or another of the same day: neither is earlier
            score = shared[j] / (size + sizes[j] - shared[j])
            found[(pk, ids[j]) if days[j] < day else (ids[j], pk)] = score
    return found


def rebuild(committees=None, *, progress=None) -> int:
    """Make every directive's words and links anew, a committee at a time (all committees,
    or the given ones). Returns the number of links."""
    if committees is None:
        committees = Committee.objects.order_by("pk")
        with transaction.atomic():  # every row anew, the trigrams numbered from 1 again
            DirectiveRepeat.objects.all().delete()
            RepeatWords.objects.all().delete()
            tables = [RepeatGram._meta.db_table]
            for sql in connection.ops.sql_flush(no_style(), tables, reset_sequences=True):
                with connection.cursor() as cursor:
                    cursor.execute(sql)
    made = 0
    for committee in committees:
        with transaction.atomic():
            DirectiveRepeat.objects.filter(directive__meeting__committee=committee).delete()
            RepeatWords.objects.filter(committee=committee).delete()
            rows = _words_rows(
                _current(Directive.objects.filter(meeting__committee=committee).values("pk"))
            )
            insert_values(
                RepeatWords,
                ["directive_id", "committee_id", "started_on", "words", "size", "grams"],
                ((r.pk, r.committee_id, r.started_on, r.words, r.size, r.grams) for r in rows),
            )
            pairs = _pairs(
                [(r.pk, r.committee_id, r.started_on, r.size, r.grams) for r in rows],
                [(r.pk, r.committee_id, r.started_on, r.size, r.grams) for r in rows],
                earlier_only=True,
            )
            insert_values(
                DirectiveRepeat,
                ["directive_id", "earlier_id", "similarity"],
                ((later, earlier, score) for (later, earlier), score in pairs.items()),
            )
        made += len(pairs)
        if progress:
            progress(committee, len(rows), made)
    return made


# The stored links of one directive read in one statement, written once (_RepeatsReader):
# building the same query with the ORM (a join through the links, an Exists, select_related
# through meeting and committee, ordering) took over twice as long as running it, every call
# (cProfile over 1,000 calls on the 1,000,000-directive register; benchmark_series compares it
# with the hand-written SQL of the same steps). The row holds every column of the directive,
# its meeting and its committee, as select_related read them, so the instances are the same
# (tests/test_repeats_read.py compares them with the ORM's); rows of one meeting share it.
_ROW_MODELS = (("d", Directive), ("m", Meeting), ("c", Committee))


@dataclass(frozen=True)
class _RepeatsReader:
    sql: str
    # Where the directive's, the meeting's and the committee's columns lie in the row.
    spans: tuple[tuple[int, int], ...]
    # The columns the database hands back in another form (SQLite's dates and booleans, the
    # JSON of a meeting's imported values): (position, column, converters), as the ORM does.
    conversions: tuple[tuple[int, Col, tuple], ...]

    @classmethod
    def for_connection(cls, connection) -> _RepeatsReader:
        quote = connection.ops.quote_name
        columns: list[str] = []
        spans: list[tuple[int, int]] = []
        conversions: list[tuple[int, Col, tuple]] = []
        for alias, model in _ROW_MODELS:
            start = len(columns)
            for field in model._meta.concrete_fields:
                col = field.get_col(alias)
                converters = connection.ops.get_db_converters(col) + field.get_db_converters(
                    connection
                )
                if converters:
                    conversions.append((len(columns), col, tuple(converters)))
                columns.append(f"{alias}.{quote(field.column)}")
            spans.append((start, len(columns)))
        directive, meeting, committee, link = (
            quote(m._meta.db_table) for m in (Directive, Meeting, Committee, DirectiveRepeat)
        )
        sql = (
            f"SELECT {', '.join(columns)}, r.similarity,"
            f" EXISTS (SELECT 1 FROM {directive} n WHERE n.carried_from_id = d.id)"
            f" FROM {link} r"
            f" JOIN {directive} d ON d.id = r.earlier_id"
            f" JOIN {meeting} m ON m.id = d.meeting_id"
            f" JOIN {committee} c ON c.id = m.committee_id"
            " WHERE r.directive_id = %s"
            " ORDER BY m.started_on DESC, d.section_order, d.position"
        )
        return cls(sql, tuple(spans), tuple(conversions))

    def read(self, directive_id: int, connection) -> list[tuple[Directive, float, bool]]:
        """(earlier directive with its meeting and committee, similarity, carried on)."""
        alias = connection.alias
        with connection.cursor() as cursor:
            cursor.execute(self.sql, [directive_id])
            rows = cursor.fetchall()
        (d0, d1), (m0, m1), (c0, c1) = self.spans
        meetings: dict[int, Meeting] = {}
        committees: dict[int, Committee] = {}
        found = []
        for row in rows:
            values = list(row)
            for position, col, converters in self.conversions:
                for convert in converters:
                    values[position] = convert(values[position], col, connection)
            committee = committees.get(values[c0])
            if committee is None:
                committee = committees[values[c0]] = Committee.from_db(
                    alias, _ATTNAMES[Committee], values[c0:c1]
                )
            meeting = meetings.get(values[m0])
            if meeting is None:
                meeting = meetings[values[m0]] = Meeting.from_db(
                    alias, _ATTNAMES[Meeting], values[m0:m1]
                )
                _MEETING_COMMITTEE.set_cached_value(meeting, committee)
            earlier = Directive.from_db(alias, _ATTNAMES[Directive], values[d0:d1])
            _DIRECTIVE_MEETING.set_cached_value(earlier, meeting)
            found.append((earlier, values[c1], bool(values[c1 + 1])))
        return found


_ATTNAMES = {m: [f.attname for f in m._meta.concrete_fields] for _, m in _ROW_MODELS}
_DIRECTIVE_MEETING = Directive._meta.get_field("meeting")
_MEETING_COMMITTEE = Meeting._meta.get_field("committee")
# One reader per connection (each thread has its own): its converters are that connection's.
_readers: WeakKeyDictionary = WeakKeyDictionary()


def repeats_of(directive: Directive) -> list[Repeat]:
    """The committee's earlier directives that say nearly the same, newest first, each with
    its meeting and committee and its follow-up status: the stored links, one query. The
    status is computed here by the rule itself (Directive.status_on) from the dates and
    whether a later directive carries the task on, which the query says."""
    if directive.pk is None:
        return []
    connection = connections[router.db_for_read(Directive)]
    reader = _readers.get(connection)
    if reader is None:
        reader = _readers[connection] = _RepeatsReader.for_connection(connection)
    today = timezone.localdate()
    found = []
    for earlier, score, carried in reader.read(directive.pk, connection):
        # Where with_status() would have put it: Directive.status reads it from there.
        earlier.__dict__["follow_up_status"] = Directive.status_on(
            today, due_on=earlier.due_on, completed_on=earlier.completed_on, carried_over=carried
        )
        found.append(Repeat(earlier, score))
    return found


def meetings_count(repeats: list[Repeat]) -> int:
    return len({r.directive.meeting_id for r in repeats})


def repeated_tasks(committee, *, at_least: int = REPORTED_FROM) -> list[tuple[Directive, list]]:
    """The committee's directives given again in at least *at_least* conclusions in all (the
    directive itself and the earlier ones that say nearly the same), newest first. Each task
    is listed once, at its latest appearance. Read from the stored links in four queries, each
    led by an index: the links of the committee's directives counted by earlier meeting, the
    directives counted often enough, their links, and the earlier directives with their status.
    """
    times = Count("earlier__meeting", distinct=True)
    counted = (
        DirectiveRepeat.objects.filter(directive__meeting__committee=committee)
        .values("directive_id")
        .annotate(times=times)
        .filter(times__gte=max(at_least, 2) - 1)
        .values_list("directive_id", flat=True)
    )
    directives = list(
        Directive.objects.filter(pk__in=list(counted))
        .select_related("meeting")
        .order_by("-meeting__started_on", "section_order", "position")
    )
    links = DirectiveRepeat.objects.filter(directive__in=directives).values_list(
        "directive_id", "earlier_id", "similarity"
    )
    by_earlier: dict[int, list[tuple[int, float]]] = {}
    for later, earlier_id, score in links:
        by_earlier.setdefault(earlier_id, []).append((later, score))
    earlier: dict[int, list[Repeat]] = {d.pk: [] for d in directives}
    rows = (
        Directive.objects.filter(pk__in=list(by_earlier))
        .with_status()
        .select_related("meeting")
        .order_by("-meeting__started_on", "section_order", "position")
    )
    for row in rows:
        for later, score in by_earlier[row.pk]:
            earlier[later].append(Repeat(row, score))
    listed: list = []
    seen: set = set()
    for directive in directives:
        if directive.pk in seen:
            continue
        listed.append((directive, earlier[directive.pk]))
        seen.update(r.directive.pk for r in earlier[directive.pk])
    return listed


def carried_candidates(meeting) -> list[tuple[Directive, Directive, float]]:
    """(new, old, similarity): this meeting's directives not yet linked to an earlier one that
    say nearly the same as a directive the previous meeting left open. Offered on the meeting
    page for linking as carried forward; the pairs are few, so they are compared here."""
    previous, left_open = meeting.left_open()
    if previous is None:
        return []
    still_open = list(left_open)
    if not still_open:
        return []
    new = Directive.objects.filter(meeting=meeting, carried_from__isnull=True).order_by(
        "section_order", "position"
    )
    pairs = []
    for directive in new:
        words = own_words(directive.search_text)
        scored = [(similarity(words, own_words(old.search_text)), old) for old in still_open]
        score, old = max(scored, key=lambda pair: pair[0])
        if score >= SIMILARITY:
            pairs.append((directive, old, score))
    return pairs
