"""What the admin's spreadsheet preview shows of each row: its cells as the register holds
them and as the file would leave them.

django-import-export can compare every row (``skip_diff = False``), at the price of a deep copy
and two renderings of every row of every import, the command line's and the confirm step's
included. Here only the admin's dry run pays, and an unchanged row is rendered once.
"""

from __future__ import annotations

from copy import copy
from dataclasses import dataclass

from import_export import widgets
from import_export.results import RowResult

from .. import vietnamese


@dataclass(frozen=True)
class Cell:
    before: str | None  # None: the row is new
    after: str

    @property
    def changed(self) -> bool:
        return self.before is not None and self.before != self.after

    # A long text (a conclusion's full text) is shown around where it changes.
    @property
    def shown_before(self) -> str:
        return excerpt(self.before or "", self._first_difference())

    @property
    def shown_after(self) -> str:
        return excerpt(self.after, self._first_difference())

    def _first_difference(self) -> int:
        before = self.before or ""
        same = 0
        for a, b in zip(before, self.after, strict=False):
            if a != b:
                break
            same += 1
        return same


SHOWN = 160  # characters of a long text a cell shows


def excerpt(text: str, around: int = 0) -> str:
    if len(text) <= SHOWN:
        return text
    start = max(0, min(around - SHOWN // 4, len(text) - SHOWN))
    shown = text[start : start + SHOWN]
    return ("…" if start else "") + shown + ("…" if start + SHOWN < len(text) else "")


def columns(resource) -> list:
    """The resource's fields in the order its files write them (``Meta.fields``)."""
    named = [name for name in (resource._meta.fields or ()) if name in resource.fields]
    rest = [name for name in resource.fields if name not in named]
    return [resource.fields[name] for name in (*named, *rest)]


def headers(resource) -> list[str]:
    return [field.column_name for field in columns(resource)]


def shown(field, instance, row=None, written=()) -> str:
    """A cell as a person reads it. Values the import writes after the rows (links to other
    rows, many-to-many fields) are shown as the file writes them."""
    if row is not None and field.attribute in written and field.column_name in row:
        cell = row.get(field.column_name)
        return vietnamese.nfc("" if cell is None else str(cell)).strip()
    if isinstance(field.widget, widgets.ManyToManyWidget):
        return field.export(instance) if instance.pk else ""
    value = field.get_value(instance)
    if value is None:
        return ""
    if isinstance(value, str):  # text as it stands, without the spreadsheet's escape
        return value
    return str(field.widget.render(value))


def describe_row(resource, row, row_result) -> None:
    """Give the row's result its cells (``row_result.cells``), each with what it was."""
    instance = row_result.__dict__.get("_described")
    if instance is None or row_result.import_type not in RowResult.valid_import_types:
        return
    written = {f.attribute for f in resource.many_import_fields} | set(resource.deferred)
    fields = columns(resource)
    after = [shown(f, instance, row, written) for f in fields]
    if row_result.import_type == RowResult.IMPORT_TYPE_NEW:
        before: list[str | None] = [None] * len(fields)
    elif row_result.import_type == RowResult.IMPORT_TYPE_UPDATE:
        # The record as loaded: its stored columns put back on a copy (a changed foreign key
        # then reads its old row). Links are written after the rows, so the database still
        # holds the old ones.
        old = copy(instance)
        for attname, value in getattr(instance, "_loaded_values", {}).items():
            setattr(old, attname, value)
        before = [shown(f, old) for f in fields]
    else:
        before = list(after)
    row_result.cells = [Cell(b, a) for b, a in zip(before, after, strict=True)]
