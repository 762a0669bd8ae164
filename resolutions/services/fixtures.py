"""The seed documents' records as a fixture, built by importing them; and the reference data
loaded where the register lacks it."""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.core import serializers
from django.db import transaction

from .. import vietnamese
from ..models import Directive, Finding, Indicator, Meeting, Report, Topic
from .conclusions import import_path

SEEDS_DIR = Path(settings.BASE_DIR) / "seeds"
SEED_FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "seed_meetings.json"
_PARTS = (Report, Indicator, Directive, Finding)
# Timestamps say when a copy was made, and imported_values is the import's own bookkeeping,
# not what the conclusion says: left out, so that the fixture is the same whenever it is built.
_SKIPPED = {"id", "created_at", "updated_at", "imported_values"}
FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"


def load_missing(*names: str) -> int:
    """Load the records of fixtures/<name>.json that the register does not hold yet (found
    by natural key), and return how many. Unlike loaddata, a record already there is left as
    it is: a clerk may have corrected it, and its times say when it was entered."""
    added = 0
    with transaction.atomic():
        for name in names:
            with open(FIXTURES_DIR / f"{name}.json", encoding="utf-8") as stream:
                objects = serializers.deserialize("json", stream, handle_forward_references=True)
                deferred = []
                for obj in objects:
                    if obj.object.pk is not None:  # its natural key named a record we have
                        continue
                    obj.save()
                    added += 1
                    if obj.deferred_fields:
                        deferred.append(obj)
                for obj in deferred:
                    obj.save_deferred_fields()
    return added


def add_fixture_keywords() -> list[tuple[Topic, list[str]]]:
    """Add to each topic of the register the keywords fixtures/topics.json gives it that it
    lacks (a newer release's), and return them by topic. Only adds: a keyword a clerk wrote
    or changed stays as it is, and so do names and topics the fixture does not know."""
    with open(FIXTURES_DIR / "topics.json", encoding="utf-8") as stream:
        listed = {
            row["fields"]["slug"]: row["fields"]["keywords"].splitlines()
            for row in json.load(stream)
        }
    added = []
    for topic in Topic.objects.filter(slug__in=listed).order_by("pk"):
        held = {tuple(vietnamese.spelled_words(k)) for k in topic.keyword_list()}
        new = [
            k.strip()
            for k in listed[topic.slug]
            if k.strip() and tuple(vietnamese.spelled_words(k)) not in held
        ]
        if new:
            added.append((topic, new))
            topic.keywords = "\n".join([*topic.keyword_list(), *new])
            topic.save(update_fields=["keywords", "updated_at"])
    return added


def seed_paths() -> list[Path]:
    return sorted(p for p in SEEDS_DIR.iterdir() if p.suffix.lower() in (".txt", ".docx"))


def import_seeds(*, dry_run: bool = False):
    return [import_path(path, dry_run=dry_run) for path in seed_paths()]


def serialize_meetings(meetings) -> str:
    """The meetings and their rows as JSON with natural keys and no database ids."""
    meetings = list(meetings)
    objects = list(meetings)
    for model in _PARTS:
        objects += list(model.objects.filter(meeting__in=meetings).order_by("meeting_id", "pk"))
    fields = sorted(
        {
            f.name
            for model in (Meeting, *_PARTS)
            for f in [*model._meta.fields, *model._meta.many_to_many]
            if f.name not in _SKIPPED
        }
    )
    return serializers.serialize(
        "json",
        objects,
        fields=fields,
        indent=1,
        use_natural_foreign_keys=True,
        use_natural_primary_keys=True,
        ensure_ascii=False,
    )
