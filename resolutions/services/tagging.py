"""Suggesting finer topics (tags) for directives from each topic's keywords.

A directive keeps the topic of its section; its tags are the finer topics whose keywords its
own text uses (keywords, not names: "kiểm tra, giám sát" is said of much besides Party
inspection), matched on folded whole words ("giai phong mat bang" in "… giải phóng mặt
bằng …"). Suggestions are made when a directive is created (imported or entered); a clerk can
change them, and ``manage.py retag_directives`` recomputes them all.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import vietnamese
from ..models import Directive, Topic


@dataclass(frozen=True)
class _Keyword:
    phrase: str  # " giai phong mat bang "
    topic_id: int


class TagSuggester:
    def __init__(self, topics=None):
        topics = list(topics if topics is not None else Topic.objects.filter(parent__isnull=False))
        self.keywords = [
            _Keyword(f" {' '.join(vietnamese.search_words(keyword))} ", topic.pk)
            for topic in topics
            for keyword in topic.keyword_list()
            if vietnamese.search_words(keyword)
        ]

    def suggest(self, directive: Directive) -> set[int]:
        """The finer topics a directive's own text speaks of (its context is not counted)."""
        own_text = (directive.search_text or vietnamese.search_text(directive.text)).split(" ~ ")[0]
        own_text = f"{own_text} "
        return {k.topic_id for k in self.keywords if k.phrase in own_text}


def suggest_tags(directives, *, suggester: TagSuggester | None = None) -> int:
    """Tag directives that have no tags yet; returns how many were tagged."""
    suggester = suggester or TagSuggester()
    through = Directive.tags.through
    rows = []
    tagged = 0
    for directive in directives:
        topics = suggester.suggest(directive)
        if topics:
            tagged += 1
            rows += [through(directive_id=directive.pk, topic_id=t) for t in sorted(topics)]
    through.objects.bulk_create(rows, ignore_conflicts=True)
    return tagged


def retag(queryset, *, dry_run: bool = False) -> dict[str, int]:
    """Recompute every directive's tags from the keywords: counts of changed and unchanged."""
    suggester = TagSuggester()
    through = Directive.tags.through
    current: dict[int, set[int]] = {}
    for directive_id, topic_id in through.objects.filter(directive__in=queryset).values_list(
        "directive_id", "topic_id"
    ):
        current.setdefault(directive_id, set()).add(topic_id)
    changed, unchanged, removals, additions = 0, 0, [], []
    for directive in queryset.only("pk", "text", "search_text").iterator(chunk_size=2000):
        wanted = suggester.suggest(directive)
        held = current.get(directive.pk, set())
        if wanted == held:
            unchanged += 1
            continue
        changed += 1
        removals += [(directive.pk, t) for t in held - wanted]
        additions += [through(directive_id=directive.pk, topic_id=t) for t in wanted - held]
    if not dry_run:
        for directive_id, topic_id in removals:
            through.objects.filter(directive_id=directive_id, topic_id=topic_id).delete()
        through.objects.bulk_create(additions, ignore_conflicts=True, batch_size=5000)
    return {"changed": changed, "unchanged": unchanged}
