"""Tasks that come back: the earlier directives of the same committee that say nearly the same.

Two directives say nearly the same when the trigrams of their own folded words (not their
section's heading) overlap by SIMILARITY or more, as PostgreSQL's pg_trgm measures it. On
PostgreSQL similarity() runs over the committee's earlier directives; elsewhere the same
measure is computed here, in Python, which gives the same answers and is fine for the small
registers SQLite serves.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, F, FloatField, Func, TextField, Value

from ..models import Directive

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


class OwnWords(Func):
    """split_part(search_text, '~', 1): a directive's own words, in SQL."""

    function = "split_part"
    output_field = TextField()

    def __init__(self):
        super().__init__(F("search_text"), Value("~"), Value(1))


def _earlier(directive: Directive):
    meeting = directive.meeting
    return Directive.objects.filter(
        meeting__committee_id=meeting.committee_id, meeting__started_on__lt=meeting.started_on
    )


def repeats_of(directive: Directive) -> list[Repeat]:
    """The committee's earlier directives that say nearly the same, newest first, with their
    follow-up status (read from with_status())."""
    words = own_words(directive.search_text)
    if not words:
        return []
    earlier = _earlier(directive)
    if connection.vendor == "postgresql":
        found = _postgres(earlier, words)
    else:
        found = {
            pk: score
            for pk, text in earlier.values_list("pk", "search_text")
            if (score := similarity(words, own_words(text))) >= SIMILARITY
        }
    rows = (
        Directive.objects.filter(pk__in=found)
        .with_status()
        .select_related("meeting__committee")
        .order_by("-meeting__started_on", "section_order", "position")
    )
    return [Repeat(row, found[row.pk]) for row in rows]


def _postgres(earlier, words: str) -> dict[int, float]:
    # The committee's earlier meetings first (an index), then similarity() on their
    # directives: a committee has some thousands, where the trigram index, asked for the
    # common trigrams of a directive's words, visits tens of thousands across the register
    # (12 s against tens of ms at 1,000,000 directives; benchmark_series).
    score = Func(OwnWords(), Value(words), function="similarity", output_field=FloatField())
    rows = earlier.alias(score=score).filter(score__gte=SIMILARITY)
    return dict(rows.annotate(found=score).values_list("pk", "found"))


def meetings_count(repeats: list[Repeat]) -> int:
    return len({r.directive.meeting_id for r in repeats})


def repeated_tasks(committee, *, at_least: int = REPORTED_FROM) -> list[tuple[Directive, list]]:
    """The committee's directives given again in at least *at_least* conclusions in all (the
    directive itself and the earlier ones that say nearly the same), newest first. Each task
    is listed once, at its latest appearance."""
    directives = list(
        Directive.objects.filter(meeting__committee=committee)
        .select_related("meeting")
        .order_by("-meeting__started_on", "section_order", "position")
    )
    # Enough meetings before it to reach the count at all.
    meeting_counts = Count("meeting", distinct=True)
    if (
        Directive.objects.filter(meeting__committee=committee).aggregate(n=meeting_counts)["n"]
        < at_least
    ):
        return []
    listed: list = []
    seen: set = set()
    for directive in directives:
        if directive.pk in seen:
            continue
        repeats = repeats_of(directive)
        if meetings_count(repeats) + 1 >= at_least:
            listed.append((directive, repeats))
            seen.update(r.directive.pk for r in repeats)
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
