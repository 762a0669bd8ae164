"""The audit trail: every write to the register is kept in a django-reversion revision, with
who made it, when, and the record's values as they were then.

The admin records its own saves (VersionAdmin); imports call `recorded` so that a whole file
is one revision whose comment names the file and its checksum.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from contextlib import contextmanager
from datetime import date
from decimal import Decimal

import reversion
from import_export.results import RowResult
from reversion.models import Version

from .. import vietnamese


def checksum(data: bytes | str) -> str:
    return hashlib.sha256(data.encode() if isinstance(data, str) else data).hexdigest()


def file_checksum(path) -> str:
    """A file's SHA-256, read in chunks: an archive may be far larger than memory allows."""
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def import_comment(file_name: str, data: bytes | str | None = None, *, digest: str = "") -> str:
    return f"Nhập từ tệp “{file_name}” (SHA-256 {digest or checksum(data)})"


@contextmanager
def recorded(comment: str, user=None):
    """One revision for everything saved or added inside; atomic, so it rolls back with it."""
    with reversion.create_revision():
        reversion.set_comment(comment)
        if user is not None and user.is_authenticated:
            reversion.set_user(user)
        yield


def add(instances: Iterable) -> None:
    """Put rows written in bulk (which send no save signals) into the current revision."""
    if reversion.is_active():
        for instance in instances:
            reversion.add_to_revision(instance)


def add_import_result(result) -> None:
    """The rows a django-import-export import created or changed."""
    written = (RowResult.IMPORT_TYPE_NEW, RowResult.IMPORT_TYPE_UPDATE)
    add(row.instance for row in result.rows if row.import_type in written and row.instance)


# Fields the system fills itself: a change in them is not news to a reader of the history.
_UNSHOWN = {"created_at", "updated_at", "search_text", "edit_version", "source_checksum"}


def changes(instance, latest_first: bool = True) -> dict[int, list[tuple[str, str, str]]]:
    """For each revision of a record, the fields it changed: (label, before, after)."""
    versions = Version.objects.get_for_object(instance).order_by("pk")
    found, previous = {}, None
    for version in versions:
        try:
            values = version.field_dict
        except Exception:
            continue
        if previous is not None:
            found[version.revision_id] = _differences(type(instance), previous, values)
        previous = values
    return found


def _differences(model, before: dict, after: dict) -> list[tuple[str, str, str]]:
    shown = []
    for field in [*model._meta.concrete_fields, *model._meta.many_to_many]:
        if field.name in _UNSHOWN or field.attname not in after:
            continue
        old, new = before.get(field.attname), after.get(field.attname)
        if field.many_to_many:
            old, new = sorted(old or []), sorted(new or [])
        if old != new:
            shown.append((str(field.verbose_name), _display(field, old), _display(field, new)))
    return shown


def _display(field, value) -> str:
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
