"""Restoring a record to an earlier version, and nothing else.

django-reversion's own revert restores the whole revision a version belongs to: after a
spreadsheet import that touched directives of many meetings, reverting one directive would
bring every other one back to its imported text, whoever has edited it since, and whether or
not the person reverting may change them. Here a revert restores only the record asked for and,
for a meeting, its own rows (the relations it follows), as the meeting page shows them; it says
which of those rows have changed since, and which the person may not change.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth import get_permission_codename
from django.db import models, transaction
from reversion.models import Version, _safe_revert
from reversion.revisions import _get_options

# Fields the system fills itself: a difference in them is no one's edit.
from .audit import UNSHOWN as _SYSTEM_FIELDS


@dataclass
class RevertPlan:
    """What restoring `version` would write: `restored` versions saved back, `removed` rows
    (added to the record since) deleted."""

    version: Version
    restored: list[Version] = field(default_factory=list)
    removed: list[models.Model] = field(default_factory=list)

    def changed_since(self) -> list[str]:
        """The records, other than the one asked for, whose values the revert would change:
        each is named, with what would happen to it."""
        found = []
        for version in self.restored:
            if version.pk == self.version.pk:
                continue
            current = _current(version)
            label = _label(version._model)
            if current is None:
                found.append(f"{label} “{version.object_repr}” (đã bị xóa, sẽ được tạo lại)")
            elif _values(current, version) != _stored_values(version):
                found.append(f"{label} “{current}” (đã được sửa sau bản này, sẽ bị đưa về bản cũ)")
        found += [
            f"{_label(type(row))} “{row}” (được thêm sau bản này, sẽ bị xóa)"
            for row in self.removed
        ]
        return found

    def refused_for(self, user) -> list[str]:
        """The records the revert would write that `user` may not write, named."""
        refused = []
        for version in self.restored:
            model = version._model
            action = "change" if _current(version) is not None else "add"
            if not _may(user, action, model):
                refused.append(f"{_label(model)} “{version.object_repr}”")
        refused += [
            f"{_label(type(row))} “{row}”"
            for row in self.removed
            if not _may(user, "delete", type(row))
        ]
        return refused

    def apply(self) -> None:
        with transaction.atomic(using=self.version.db):
            for row in self.removed:
                row.delete()
            _safe_revert(self.restored)


def plan(version: Version) -> RevertPlan:
    """The record of `version` and, where its model follows related rows (a meeting's reports,
    indicators, directives and findings), those rows as the same revision kept them."""
    result = RevertPlan(version=version, restored=[version])
    model = version._model
    parent_id = version.object_id
    current_parent = _current(version)
    for name in _get_options(model).follow:
        relation = model._meta.get_field(name)
        if not (relation.one_to_many and relation.related_model):
            continue
        child, foreign_key = relation.related_model, relation.field
        kept = [
            v
            for v in version.revision.version_set.get_for_model(child, model_db=version.db)
            if str(v.field_dict.get(foreign_key.attname)) == parent_id
        ]
        result.restored += kept
        if current_parent is not None:
            kept_ids = {v.object_id for v in kept}
            result.removed += [
                row
                for row in getattr(current_parent, relation.get_accessor_name()).all()
                if str(row.pk) not in kept_ids
            ]
    return result


def _label(model) -> str:
    return str(model._meta.verbose_name).capitalize()


def _may(user, action: str, model) -> bool:
    opts = model._meta
    return user.has_perm(f"{opts.app_label}.{get_permission_codename(action, opts)}")


def _current(version: Version):
    model = version._model
    id_field = _get_options(model).object_id_field
    return model._default_manager.using(version.db).filter(**{id_field: version.object_id}).first()


def _stored_values(version: Version) -> dict:
    return {
        k: sorted(v) if isinstance(v, list) else v
        for k, v in version.field_dict.items()
        if _shown(version._model, k)
    }


def _values(instance, version: Version) -> dict:
    values = {}
    for name in version.field_dict:
        if not _shown(version._model, name):
            continue
        model_field = next(
            f for f in instance._meta.get_fields() if getattr(f, "attname", None) == name
        )
        if model_field.many_to_many:
            values[name] = sorted(getattr(instance, model_field.name).values_list("pk", flat=True))
        else:
            values[name] = getattr(instance, name)
    return values


def _shown(model, attname: str) -> bool:
    return not any(
        f.name in _SYSTEM_FIELDS for f in model._meta.concrete_fields if f.attname == attname
    )
