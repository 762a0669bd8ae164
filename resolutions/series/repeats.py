"""Tasks that come back: the earlier directives of the same committee that say nearly the same.

Two directives say nearly the same when the trigrams of their own folded words (not their
section's heading) overlap by SIMILARITY or more, as PostgreSQL's pg_trgm measures it. On
PostgreSQL similarity() runs over the committee's earlier directives; elsewhere the same
measure is computed here, in Python, which gives the same answers and is fine for the small
registers SQLite serves.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import connection, transaction
from django.db.models import Count, F, Q

from ..models import Committee, Directive
from .models import DirectiveRepeat, RepeatWords

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


def _current(directive_ids) -> dict[int, tuple[int, date, str]]:
    """(committee, meeting date, own words) of each directive as it stands."""
    rows = Directive.objects.filter(pk__in=directive_ids).values_list(
        "pk", "meeting__committee_id", "meeting__started_on", "search_text"
    )
    return {pk: (committee, day, own_words(text)) for pk, committee, day, text in rows}


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
        RepeatWords.objects.bulk_create(
            RepeatWords(directive_id=pk, committee_id=c, started_on=d, words=w)
            for pk, (c, d, w) in now.items()
        )
        pairs = _pairs_postgres(stale) if connection.vendor == "postgresql" else _pairs(now)
        DirectiveRepeat.objects.bulk_create(
            DirectiveRepeat(directive_id=later, earlier_id=earlier, similarity=score)
            for (later, earlier), score in pairs.items()
        )
    return len(now)


def refresh_meeting(meeting) -> int:
    return refresh(Directive.objects.filter(meeting=meeting).values_list("pk", flat=True))


def _pairs(probes: dict[int, tuple[int, date, str]]) -> dict[tuple[int, int], float]:
    """(later, earlier) → similarity for each probe against the other directives of its
    committee, in Python (SQLite serves small registers)."""
    found: dict[tuple[int, int], float] = {}
    committees = {committee for committee, _, _ in probes.values()}
    others = [
        (other, committee, day, trigrams(words))
        for other, committee, day, words in RepeatWords.objects.filter(
            committee_id__in=committees
        ).values_list("directive_id", "committee_id", "started_on", "words")
    ]
    for pk, (committee, day, words) in probes.items():
        grams = trigrams(words)
        for other, other_committee, other_day, other_grams in others:
            if other_committee != committee or other_day == day or not grams:
                continue
            score = _jaccard(grams, other_grams)
            if score >= SIMILARITY:
                found[(pk, other) if other_day < day else (other, pk)] = score
    return found


def _jaccard(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    shared = len(a & b)
    return shared / (len(a) + len(b) - shared)


# The directives of the probes' committees whose words pg_trgm's % operator finds alike (the
# GIN index over committee and words, migration 0017), the threshold set for the
# transaction; similarity() as the measure stored.
_PAIRS_SQL = """
SELECT s.directive_id, o.directive_id, o.started_on < s.started_on,
       similarity(s.words, o.words)
FROM resolutions_repeatwords s
JOIN resolutions_repeatwords o
  ON o.committee_id = s.committee_id AND o.words %% s.words AND o.started_on <> s.started_on
WHERE s.directive_id = ANY(%s)
"""


def _pairs_postgres(ids: list[int]) -> dict[tuple[int, int], float]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('pg_trgm.similarity_threshold', %s, true)", [str(SIMILARITY)]
        )
        cursor.execute(_PAIRS_SQL, [ids])
        rows = cursor.fetchall()
    found: dict[tuple[int, int], float] = {}
    for pk, other, other_first, score in rows:
        found[(pk, other) if other_first else (other, pk)] = score
    return found


def rebuild(committees=None, *, progress=None) -> int:
    """Make every directive's words and links anew, a committee at a time (all committees,
    or the given ones). Returns the number of links."""
    committees = committees or Committee.objects.order_by("pk")
    made = 0
    for committee in committees:
        ids = list(
            Directive.objects.filter(meeting__committee=committee).values_list("pk", flat=True)
        )
        with transaction.atomic():
            DirectiveRepeat.objects.filter(directive__meeting__committee=committee).delete()
            RepeatWords.objects.filter(committee=committee).delete()
            for start in range(0, len(ids), 2000):
                refresh(ids[start : start + 2000], force=True)
        made += DirectiveRepeat.objects.filter(directive__meeting__committee=committee).count()
        if progress:
            progress(committee, len(ids), made)
    return made


def repeats_of(directive: Directive) -> list[Repeat]:
    """The committee's earlier directives that say nearly the same, newest first, with their
    follow-up status (read from with_status()): the stored links, one query."""
    rows = (
        Directive.objects.filter(repeated_in__directive=directive)
        .annotate(found=F("repeated_in__similarity"))
        .with_status()
        .select_related("meeting__committee")
        .order_by("-meeting__started_on", "section_order", "position")
    )
    return [Repeat(row, row.found) for row in rows]


def meetings_count(repeats: list[Repeat]) -> int:
    return len({r.directive.meeting_id for r in repeats})


def repeated_tasks(committee, *, at_least: int = REPORTED_FROM) -> list[tuple[Directive, list]]:
    """The committee's directives given again in at least *at_least* conclusions in all (the
    directive itself and the earlier ones that say nearly the same), newest first. Each task
    is listed once, at its latest appearance. Read from the stored links: two queries."""
    times = Count("repeat_links__earlier__meeting", distinct=True)
    directives = list(
        Directive.objects.filter(meeting__committee=committee)
        .alias(times=times)
        .filter(times__gte=at_least - 1)
        .select_related("meeting")
        .order_by("-meeting__started_on", "section_order", "position")
    )
    earlier: dict[int, list[Repeat]] = {d.pk: [] for d in directives}
    rows = (
        Directive.objects.filter(repeated_in__directive__in=list(earlier))
        .annotate(later=F("repeated_in__directive"), found=F("repeated_in__similarity"))
        .with_status()
        .select_related("meeting")
        .order_by("-meeting__started_on", "section_order", "position")
    )
    for row in rows:
        earlier[row.later].append(Repeat(row, row.found))
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
