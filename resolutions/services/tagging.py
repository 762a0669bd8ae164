"""Suggesting tags for directives from each topic's keywords, and saying why.

A directive keeps the topic of its section; its tags are the other topics whose keywords its
own text uses (keywords, not names: "kiểm tra, giám sát" is said of much besides Party
inspection). The rule, in one place for the import, the admin and ``retag_directives``:

- keywords are matched as whole words, with their accents ("công nhân", workers, is not
  "công nhận", recognized; "ma túy" is not "mà tùy"), wherever the tone mark sits ("ủy" and
  "uỷ" are one word); a keyword typed without any accent matches the words without theirs;
- a finer topic is suggested by any of its keywords; a broad one only by keywords of three
  words or more ("vận động nhân dân", "tổ chức cơ sở đảng"): its short ones ("kinh tế", "xã
  hội", "an ninh") name a whole field and are said in passing of almost anything;
- where one keyword sits inside a longer one of another topic ("quy hoạch" in "quy hoạch cán
  bộ"), the longer one decides;
- the directive's own section topic is not suggested again as a tag.

Suggestions are made when a directive is created (imported or entered); a clerk can change
them, and ``manage.py retag_directives`` recomputes them all.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

from .. import vietnamese
from ..models import Directive, Topic

# A broad topic's keywords shorter than this name the whole field: they suggest no tag.
BROAD_KEYWORD_WORDS = 3


@dataclass(frozen=True)
class _Keyword:
    phrase: str  # " vận động nhân dân ", as spelled_words (or search_words) gives it
    topic_id: int
    written: str  # as the topic lists it, to tell a clerk why
    unaccented: bool  # typed without accents: matched against the folded words


@dataclass(frozen=True)
class TagReason:
    """Why a directive is suggested a topic: the keyword, as the topic lists it."""

    topic_id: int
    keyword: str


class TagSuggester:
    def __init__(self, topics=None):
        topics = list(topics if topics is not None else Topic.objects.all())
        self.keywords = []
        for topic in topics:
            for keyword in topic.keyword_list():
                unaccented = keyword.isascii()
                words = (vietnamese.search_words if unaccented else vietnamese.spelled_words)(
                    keyword
                )
                if not words or (topic.parent_id is None and len(words) < BROAD_KEYWORD_WORDS):
                    continue
                self.keywords.append(
                    _Keyword(f" {' '.join(words)} ", topic.pk, keyword, unaccented)
                )

    def reasons(self, directive: Directive) -> dict[int, TagReason]:
        """The topics a directive's own text speaks of (its section heading is not counted),
        each with the keyword found first in the text."""
        texts = {False: f" {' '.join(vietnamese.spelled_words(directive.text))} "}
        if any(k.unaccented for k in self.keywords):
            texts[True] = f" {' '.join(vietnamese.search_words(directive.text))} "
        spaces = {key: [i for i, ch in enumerate(text) if ch == " "] for key, text in texts.items()}
        found = []  # (first word, word after the last, keyword)
        for keyword in self.keywords:
            text, at = texts[keyword.unaccented], -1
            while (at := text.find(keyword.phrase, at + 1)) >= 0:
                start = bisect_left(spaces[keyword.unaccented], at)
                found.append((start, start + keyword.phrase.count(" ") - 1, keyword))
        # A match inside a longer one of another topic starts at most a keyword's length after.
        by_start: dict[int, list] = {}
        for match in found:
            by_start.setdefault(match[0], []).append(match)
        longest = max((end - start for start, end, _ in found), default=0)
        reasons: dict[int, TagReason] = {}
        for start, end, keyword in sorted(found, key=lambda f: (f[0], f[0] - f[1])):
            inside_longer = any(
                end <= e and e - s > end - start and k.topic_id != keyword.topic_id
                for s in range(max(start - longest, 0), start + 1)
                for _, e, k in by_start.get(s, ())
            )
            if inside_longer or keyword.topic_id == directive.topic_id:
                continue
            reasons.setdefault(keyword.topic_id, TagReason(keyword.topic_id, keyword.written))
        return reasons

    def suggest(self, directive: Directive) -> set[int]:
        return set(self.reasons(directive))


def explain_tags(directive: Directive, *, suggester: TagSuggester | None = None) -> list[str]:
    """Why a saved directive carries each of its tags, and which tags the rule would add:
    "Dân vận — khớp từ khóa “vận động nhân dân”", by the rule that suggests them."""
    suggester = suggester or TagSuggester()
    reasons = suggester.reasons(directive)
    held = list(directive.tags.all())
    lines = [
        f"{tag.name} — khớp từ khóa “{reasons[tag.pk].keyword}”"
        if tag.pk in reasons
        else f"{tag.name} — do người dùng gắn (nội dung không có từ khóa nào của chủ đề này)"
        for tag in held
    ]
    missing = set(reasons) - {tag.pk for tag in held}
    for topic in Topic.objects.filter(pk__in=missing).order_by("name"):
        lines.append(f"{topic.name} — gợi ý, chưa gắn: khớp từ khóa “{reasons[topic.pk].keyword}”")
    return lines


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
    for directive in queryset.only("pk", "text", "topic_id").iterator(chunk_size=2000):
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
