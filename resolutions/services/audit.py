"""The audit trail: every write to the register is kept in a django-reversion revision, with
who made it, when, and the record's values as they were then.

The admin records its own saves (VersionAdmin); imports call `recorded` so that a whole file
is one revision whose comment names the file and its checksum.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from decimal import Decimal
from typing import Any

import reversion
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, models, transaction
from django.utils import timezone
from django.utils.encoding import is_protected_type
from import_export.results import RowResult
from reversion.models import Revision, Version
from reversion.revisions import _get_options  # the registration's fields and format

from .. import vietnamese
from ..bulk import insert_values


def checksum(data: bytes | str) -> str:
    return hashlib.sha256(data.encode() if isinstance(data, str) else data).hexdigest()


def file_checksum(path) -> str:
    """A file's SHA-256, read in chunks: an archive may be far larger than memory allows."""
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def import_comment(file_name: str, data: bytes | str = b"", *, digest: str = "") -> str:
    return f"Nhập từ tệp “{file_name}” (SHA-256 {digest or checksum(data)})"


# The rows added to the revision being recorded in this context (see `recorded`).
_pending: ContextVar[list | None] = ContextVar("audit_pending", default=None)
CHUNK = 2000
VERSION_COLUMNS = tuple(
    Version._meta.get_field(name).column
    for name in (
        "revision",
        "content_type",
        "object_id",
        "db",
        "format",
        "serialized_data",
        "object_repr",
    )
)


@contextmanager
def recorded(comment: str, user=None, *, dry_run: bool = False):
    """One transaction, and one revision for every row `add`ed inside it, written when the
    block ends (and not at all if it rolls back, or if nothing was added). With ``dry_run``
    the block runs in full and is then rolled back: what it reports is what a real run would
    do, and nothing is kept.

    Imports write thousands of rows in bulk: django-reversion's add_to_revision serializes
    each row on the spot, asking the database for each many-to-many field, and copies its
    list of versions on every call. Here the rows added are serialized from the instances
    themselves, their many-to-many values read from the link tables once per chunk, and their
    versions written in bulk, in django-reversion's own format, so that its history and
    restore pages read them like any other.
    """
    pending: list = []
    # A dry run writes no revision: it keeps no row for one (an archive's would be every row).
    token = _pending.set(None if dry_run else pending)
    try:
        with transaction.atomic():
            yield
            if dry_run:
                transaction.set_rollback(True)
            elif pending and not transaction.get_rollback():
                _save_revision(pending, comment, user)
    finally:
        _pending.reset(token)


def add(instances: Iterable) -> None:
    """Put rows into the revision being recorded, if one is (otherwise do nothing)."""
    pending = _pending.get()
    if pending is not None:
        pending.extend(i for i in instances if i is not None and i.pk is not None)


def add_meeting(meeting) -> None:
    """A meeting with all its rows: the whole conclusion as it now stands."""
    add([meeting])
    for part in ("reports", "indicators", "directives", "findings"):
        add(getattr(meeting, part).all())


def add_import_result(result) -> None:
    """The rows a django-import-export import created or changed."""
    written = (RowResult.IMPORT_TYPE_NEW, RowResult.IMPORT_TYPE_UPDATE)
    add(row.instance for row in result.rows if row.import_type in written and row.instance)


def _save_revision(instances: list, comment: str, user) -> Revision:
    latest: dict[type[models.Model], dict] = defaultdict(
        dict
    )  # the last instance added for each row
    for instance in instances:
        model = instance._meta.concrete_model
        if reversion.is_registered(model):
            latest[model][instance.pk] = instance
    revision = Revision.objects.create(
        date_created=timezone.now(),
        comment=comment,
        user=user if user is not None and user.is_authenticated else None,
    )
    for model, rows_by_pk in latest.items():
        options = _get_options(model)
        content_type = ContentType.objects.get_for_model(model)
        label = str(model._meta)
        fields = [
            f
            for f in model._meta.local_fields
            if f.serialize and f.name in options.fields and not f.primary_key  # type: ignore[attr-defined]
        ]
        many = [f for f in model._meta.local_many_to_many if f.name in options.fields]
        ordered = sorted(rows_by_pk)
        for start in range(0, len(ordered), CHUNK):
            chunk = ordered[start : start + CHUNK]
            # Many-to-many values straight from the link tables, one query per field.
            linked: dict[str, defaultdict[Any, list[Any]]] = {}
            for field in many:
                found = linked[field.name] = defaultdict(list)
                owner, target = field.m2m_field_name(), field.m2m_reverse_field_name()
                for pk, other in (
                    field.remote_field.through._default_manager.filter(  # type: ignore[union-attr]
                        **{f"{owner}_id__in": chunk}
                    )
                    .order_by("pk")
                    .values_list(f"{owner}_id", f"{target}_id")
                ):
                    found[pk].append(other)
            # Ready values, by COPY on PostgreSQL: versions are large text, which an INSERT
            # spends its time quoting, and a Version instance per row costs more than its
            # serialization.
            insert_values(
                Version,
                VERSION_COLUMNS,
                (
                    (
                        revision.pk,
                        content_type.pk,
                        str(pk),
                        DEFAULT_DB_ALIAS,
                        options.format,
                        _serialized(label, rows_by_pk[pk], fields, many, linked),
                        str(rows_by_pk[pk]),
                    )
                    for pk in chunk
                ),
            )
    return revision


def _serialized(label, row, fields, many, linked) -> str:
    """What serializers.serialize("json", [row]) writes (a test holds them equal), without
    its machinery for each row and its query for each many-to-many field."""
    values = {}
    for field in fields:
        value = field.value_from_object(row)
        values[field.name] = value if is_protected_type(value) else field.value_to_string(row)
    for field in many:
        values[field.name] = linked[field.name].get(row.pk, [])
    return json.dumps([{"model": label, "pk": row.pk, "fields": values}], cls=DjangoJSONEncoder)


# Fields the system fills itself: a change in them is not news to a reader of the history.
UNSHOWN = {
    "created_at",
    "updated_at",
    "search_text",
    "edit_version",
    "source_checksum",
    "imported_values",
}


def changes(instance) -> dict[int, list[tuple[str, str, str]]]:
    """For each revision of a record, the fields it changed: (label, before, after). For a
    record whose revisions keep its rows too (a meeting), the rows it changed, added or
    removed as well: a meeting page saved for one directive is a change of the meeting."""
    versions = list(Version.objects.get_for_object(instance).order_by("pk"))
    found, previous = {}, None
    for version in versions:
        try:
            values = version.field_dict
        except Exception:
            continue
        if previous is not None:
            found[version.revision_id] = _differences(type(instance), previous, values)
        previous = values
    if _get_options(type(instance)).follow:
        for revision_id, rows in _row_changes(instance, versions).items():
            if revision_id in found:
                found[revision_id] += rows
    return found


def _row_changes(instance, versions) -> dict[int, list[tuple[str, str, str]]]:
    """The followed rows' differences between each revision of *instance* and the one
    before, read from the versions those revisions hold."""
    own = ContentType.objects.get_for_model(instance)
    held: dict[int, dict] = defaultdict(dict)
    for version in (
        Version.objects.filter(revision__in=[v.revision_id for v in versions])
        .exclude(content_type=own)
        .order_by("pk")
    ):
        held[version.revision_id][(version.content_type_id, version.object_id)] = version
    found, previous = {}, None
    for revision_id in dict.fromkeys(v.revision_id for v in versions):
        rows = held.get(revision_id)
        if not rows:
            continue  # a revision that kept the record alone (a spreadsheet of meetings)
        if previous is not None:
            found[revision_id] = _rows_differences(previous, rows)
        previous = rows
    return found


def _rows_differences(before: dict, after: dict) -> list[tuple[str, str, str]]:
    shown = []
    for key, version in after.items():
        model, label = _row_label(version)
        old = before.get(key)
        if old is None:
            shown.append((label, "—", "thêm mới"))
        elif old.serialized_data != version.serialized_data:
            shown.extend(
                (f"{label}, {field}", was, now)
                for field, was, now in _differences(model, old.field_dict, version.field_dict)
            )
    for key, version in before.items():
        if key not in after:
            shown.append((_row_label(version)[1], "có", "đã xóa"))
    return shown


def _row_label(version) -> tuple[type[models.Model], str]:
    model = ContentType.objects.get_for_id(version.content_type_id).model_class()
    assert model is not None  # a version of a model that is no longer installed
    return model, f"{model._meta.verbose_name} “{vietnamese.first_words(version.object_repr, 8)}”"


def _differences(model, before: dict, after: dict) -> list[tuple[str, str, str]]:
    shown = []
    for field in [*model._meta.concrete_fields, *model._meta.many_to_many]:
        if field.name in UNSHOWN or field.attname not in after:
            continue
        old, new = before.get(field.attname), after.get(field.attname)
        if field.many_to_many:
            old, new = sorted(old or []), sorted(new or [])
        if isinstance(old, str) and isinstance(new, str):
            # Versions written before newlines were normalized hold CR LF: a text that reads
            # the same is not a change.
            old, new = vietnamese.nfc(old), vietnamese.nfc(new)
        if old != new:
            shown.append((str(field.verbose_name), display(field, old), display(field, new)))
    return shown


def display(field, value) -> str:
    """A stored value as a clerk reads it: dates dd/mm/yyyy, decimals with a comma, related
    records by name."""
    if value in (None, "", []):
        return "—"
    if field.is_relation:
        ids = value if isinstance(value, list) else [value]
        related = field.related_model._base_manager.filter(pk__in=ids)
        return ", ".join(str(r) for r in related) or "(đã xóa)"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, date):
        return vietnamese.format_date(value)
    if isinstance(value, Decimal):
        return vietnamese.format_decimal(value)
    text = str(value)
    return text if len(text) <= 200 else text[:199] + "…"
