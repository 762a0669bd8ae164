"""Which topic of the taxonomy a section heading (or any text) is about, without Django.

The loader builds a ``TopicMatcher`` from the database's topics; the parser alone falls back on
the broad topics every conclusion uses, so it can name section topics without a database.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..vietnamese import fold


@dataclass(frozen=True)
class TopicEntry:
    slug: str
    name: str
    keywords: tuple[str, ...] = ()
    parent_slug: str = ""


# The broad fields of DESIGN.md, with the words section headings use for them.
DEFAULT_TOPICS = (
    TopicEntry("kinh-te", "Kinh tế", ("kinh tế", "phát triển kinh tế", "kinh tế – xã hội")),
    TopicEntry("van-hoa-xa-hoi", "Văn hóa – xã hội", ("văn hóa", "xã hội", "giáo dục", "y tế")),
    TopicEntry("quoc-phong-an-ninh", "Quốc phòng – an ninh", ("quốc phòng", "an ninh", "quân sự")),
    TopicEntry("xay-dung-dang", "Xây dựng Đảng", ("xây dựng đảng", "công tác đảng", "tổ chức")),
    TopicEntry("dan-van", "Dân vận", ("vận động nhân dân", "dân vận", "mặt trận", "đoàn thể")),
)


def _words(text: str) -> str:
    """Folded text reduced to words separated by single spaces: punctuation and dashes go."""
    return " ".join(re.findall(r"\w+", fold(text)))


class TopicMatcher:
    """Finds the topic a heading names: by its name first, then by the earliest keyword."""

    def __init__(self, entries: Iterable[TopicEntry] = DEFAULT_TOPICS) -> None:
        self.entries = list(entries)
        self._names = [(_words(e.name), e) for e in self.entries]
        self._keywords = [(_words(k), e) for e in self.entries for k in e.keywords if _words(k)]

    def match_heading(self, heading: str) -> str:
        """The slug of the topic a section heading names, or "" when none fits.

        "Văn hóa xã hội" finds "Văn hóa – xã hội"; "Công tác xây dựng Đảng và vận động nhân
        dân" finds "Xây dựng Đảng", the topic named first. Broad topics win over finer ones.
        """
        text = f" {_words(heading)} "
        for candidates in (self._names, self._keywords):
            hits = [
                (text.find(f" {words} "), bool(entry.parent_slug), -len(words), entry.slug)
                for words, entry in candidates
                if f" {words} " in text
            ]
            if hits:
                slug: str = min(hits)[3]
                return slug
        return ""
