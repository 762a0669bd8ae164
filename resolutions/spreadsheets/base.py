"""What every resource of the register shares: the loader and the fast paths.

django-import-export's import runs row by row, asking the database for each row's existing
record, each related row and each uniqueness rule. ``RegisterResource`` keeps the library's
loop and its result objects but overrides these hooks (pinned by tests/test_spreadsheet_hooks.py):

- ``instance_loader_class`` (``NaturalKeyInstanceLoader``): existing rows in one query;
- ``import_instance``: the field loop without its per-field layers, reusing the key values;
- ``validate_instance``: field rules per row, constraints left to the database;
- ``skip_row``: unchanged rows told by their stored values;
- ``before_import`` / ``after_import`` / ``after_import_row``: headers, duplicate keys, fields
  naming the same table, many-to-many links, the admin's preview;
- ``before_save_instance`` / ``after_save_instance``: what ``save()`` would do, m2m values kept;
- ``bulk_create`` / ``bulk_update``: COPY (PostgreSQL) and bulk updates under a savepoint;
- ``get_row_result_class``: a row result described only when read;
- ``get_import_fields`` / ``get_import_id_fields`` / ``get_bulk_update_fields``: read-only
  columns never imported, the natural key as declared, derived columns kept with each update;
- ``export`` / ``before_export`` / ``after_export``: exports from ``values_list()`` rows
  (``fast_rows``), never an instance per row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import tablib
from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import capfirst, slugify
from import_export import fields, resources, widgets
from import_export.instance_loaders import BaseInstanceLoader
from import_export.results import Error, RowResult

from .. import vietnamese
from ..bulk import insert_rows, update_rows
from ..errors import database_refusal
from . import import_preview
from .widgets import (
    MEETING_COLUMNS,
    ImportProblem,
    Lookup,
    MeetingWidget,
    TextWidget,
    _in_chunks,
)

CHUNK = 2000


# --- Fields -----------------------------------------------------------------------------------


class Column(fields.Field):
    """A field that says which column a bad value is in, in Vietnamese; ``english`` is the header
    also accepted for it."""

    def __init__(self, *args, english: str = "", required: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.english = english or (self.attribute or "")
        self.required = required

    def clean(self, row, **kwargs):
        try:
            value = super().clean(row, **kwargs)
        except ImportProblem as problem:
            raise ImportProblem(f"cột “{self.column_name}”: {problem}") from None
        if self.required and value in (None, "", []):
            raise ImportProblem(f"cột “{self.column_name}”: không được để trống")
        return value


def column(attribute, header, widget=None, **kwargs):
    """A ``Column`` under a Vietnamese header, read and written as text unless a widget says."""
    return Column(attribute=attribute, column_name=header, widget=widget or TextWidget(), **kwargs)


# --- Resources --------------------------------------------------------------------------------


# What telling a changed row from an unchanged one compares: the stored columns a file can set.
_NOT_COMPARED = {"id", "created_at", "updated_at", "search_text", "source_checksum"}


def _stored_values(instance) -> dict:
    return {
        f.attname: getattr(instance, f.attname)
        for f in instance._meta.concrete_fields
        if f.attname not in _NOT_COMPARED
    }


def _key_part(value):
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, str):
        return vietnamese.fold(value)
    return value


class LazyRowResult(RowResult):
    """A row's result whose description of the record is written only when read (the admin's
    preview and its log read it; a bulk import of a hundred thousand rows does not)."""

    def add_instance_info(self, instance):
        if instance is not None:
            self.object_id = getattr(instance, "pk", None)
            self._described = instance

    @property
    def object_repr(self):
        described = self.__dict__.get("_described")
        return str(described) if described is not None else self.__dict__.get("_repr")

    @object_repr.setter
    def object_repr(self, value):
        self.__dict__["_repr"] = value


class SheetState:
    """What the parts of one long sheet, imported one after another (an archive's restore,
    ``archive.restore_sheet``), share: a hash of each natural key met so far, to find a row that
    repeats one of an earlier part (``rows()`` reads the sheet's data rows again from the first,
    to name it), and the links to rows of the same table that no part could set yet (a row
    naming one of a later part), set by ``RegisterResource.finish_sheet``. Nothing else of a
    part outlives it."""

    def __init__(self, rows: Callable[[], Iterable[list]]):
        self.rows = rows
        self.keys: set[int] = set()
        self.unresolved: list[tuple] = []


class NaturalKeyInstanceLoader(BaseInstanceLoader):
    """Finds the existing rows a file names in one query, keyed by their natural keys, instead
    of one query a row. A table whose key names a related row (a meeting's committee, a
    meeting's rows, a note's directive) is looked up only among those the file names."""

    def __init__(self, resource, dataset=None):
        super().__init__(resource, dataset)
        self.id_fields = [resource.fields[name] for name in resource.get_import_id_fields()]
        self.existing = None

    def row_key(self, row):
        values = {field.attribute: field.clean(row) for field in self.id_fields}
        # The row's import reads these again: keep them for it (RegisterResource.import_instance).
        self.resource.cleaned_keys = (row, values)
        return tuple(_key_part(value) for value in values.values())

    def load(self):
        queryset = self.resource.get_queryset()
        parts = [queryset]
        related = next((f for f in self.id_fields if isinstance(f.widget, Lookup)), None)
        if related is not None and self.dataset is not None:
            ids = set()
            for row in self.dataset.dict:
                try:
                    found = related.clean(row)
                except ValueError:
                    continue  # reported when the row itself is imported
                if found is not None:
                    ids.add(found.pk)
            parts = [
                queryset.filter(**{f"{related.attribute}__in": chunk}) for chunk in _in_chunks(ids)
            ]
        self.existing = {}
        for part in parts:
            for instance in part:
                instance._loaded_values = _stored_values(instance)
                key = tuple(_key_part(field.get_value(instance)) for field in self.id_fields)
                self.existing[key] = instance

    def get_instance(self, row):
        if self.existing is None:
            self.load()
        return self.existing.get(self.row_key(row))


class RegisterResource(resources.ModelResource):
    """What every resource of the register shares: natural keys, Vietnamese headers (English
    accepted), one lookup of each related table per file, field rules checked on every row and
    the database's constraints kept by the database, bulk writes."""

    class Meta:
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_natural_foreign_keys = False
        instance_loader_class = NaturalKeyInstanceLoader
        # The admin's preview lists what each row does (new, changed, unchanged); a diff of
        # every row's values would cost more than the import itself.
        skip_diff = True
        use_bulk = True
        batch_size = 2000

    show_changes = False

    def get_row_result_class(self):
        return LazyRowResult

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        # New rows by COPY on PostgreSQL (resolutions.bulk); the rest as django-import-export.
        if self.create_instances and (using_transactions or not dry_run):
            try:
                self.write_checked(
                    self.create_instances,
                    lambda rows: insert_rows(self._meta.model, rows),
                    result,
                    raise_errors,
                )
                self.inserted.update(instance.pk for instance in self.create_instances)
            finally:
                self.create_instances.clear()

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if self.update_instances and (using_transactions or not dry_run):
            try:
                self.write_checked(
                    self.update_instances,
                    lambda rows: update_rows(
                        self._meta.model, rows, self.get_bulk_update_fields(), batch_size=batch_size
                    ),
                    result,
                    raise_errors,
                )
            finally:
                self.update_instances.clear()

    def write_checked(self, instances, write, result, raise_errors):
        """Write a batch under a savepoint. When the database refuses it, the file's row it
        refuses is found (each row of the batch tried alone, then undone) and reported once
        as that row's error; nothing more of the file is written, and the transaction stays
        usable (PostgreSQL refuses every later statement of an aborted one)."""
        if self.refused:
            return
        try:
            with transaction.atomic():
                write(instances)
        except (IntegrityError, DataError) as error:
            self.refused = True
            found, reason = None, error
            with transaction.atomic():
                for instance in instances:
                    try:
                        with transaction.atomic():
                            write([instance])
                    except (IntegrityError, DataError) as alone:
                        found, reason = instance, alone
                        break
                transaction.set_rollback(True)  # the search writes nothing
            number, row = self.rows_of.get(id(found), (None, {}))
            if number is None:  # the batch fails only as a whole: no row of it to blame
                result.append_base_error(Error(ImportProblem(database_refusal(reason))))
            else:
                message = ValidationError({"__all__": [database_refusal(reason)]})
                result.append_invalid_row(number, row, message)
        except Exception as error:  # reported as the library reports a failed write
            self.refused = True
            self.handle_import_error(result, error, raise_errors)
        else:
            for instance in instances:  # written: their rows need not be kept any longer
                self.rows_of.pop(id(instance), None)

    # Fields naming rows of the same table (a topic's parent, a committee's successor): rows
    # are written in bulk, so these are set once every row of the file is in the database.
    deferred: tuple[str, ...] = ()

    def import_instance(self, instance, row, **kwargs):
        # The library's loop over the fields, without its layers per field (this runs for
        # every field of every row), reusing the key values the instance loader just read.
        errors = {}
        reused, cleaned = getattr(self, "cleaned_keys", (None, {}))
        if reused is not row:
            cleaned = {}
        for field in self.single_import_fields:
            if field.column_name not in row:
                continue
            if field.attribute in self.deferred:
                self.pending.append((instance, field, row, kwargs.get("row_number")))
                continue
            try:
                value = (
                    cleaned[field.attribute]
                    if field.attribute in cleaned
                    else field.clean(row, **kwargs)
                )
            except ValueError as error:
                errors[field.attribute] = ValidationError(str(error), code="invalid")
                continue
            setattr(instance, field.attribute, value)
        if errors:
            raise ValidationError(errors)

    @cached_property
    def single_import_fields(self):
        return [f for f in self.get_import_fields() if f not in self.many_import_fields]

    @cached_property
    def many_import_fields(self):
        # Written after the rows (write_many): bulk writes leave many-to-many fields alone.
        return [
            f for f in self.get_import_fields() if isinstance(f.widget, widgets.ManyToManyWidget)
        ]

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        if self.show_changes:
            result.preview_headers = import_preview.headers(self)
        # Under a savepoint: a refused write leaves the transaction usable for the report.
        with transaction.atomic():
            self.set_deferred(result, **kwargs)
            self.write_many()

    def after_import_row(self, row, row_result, **kwargs):
        super().after_import_row(row, row_result, **kwargs)
        if self.show_changes:
            import_preview.describe_row(self, row, row_result)

    def after_save_instance(self, instance, row, **kwargs):
        for field in self.many_import_fields:
            if field.column_name in row:
                self.pending_many[field.attribute].append((instance, field.clean(row)))

    def write_many(self):
        """Many-to-many values, written once the rows have their ids (bulk writes leave them
        alone): each row's links replaced by the file's, in two statements per field (one for
        a file of new rows only)."""
        if self.refused:
            return
        for field in self.many_import_fields:
            relation = self._meta.model._meta.get_field(field.attribute)
            through = relation.remote_field.through
            owner, target = relation.m2m_field_name(), relation.m2m_reverse_field_name()
            pending = [
                (row, related) for row, related in self.pending_many[field.attribute] if row.pk
            ]
            existing = [row.pk for row, _ in pending if row.pk not in self.inserted]
            if existing:
                through.objects.filter(**{f"{owner}_id__in": existing}).delete()
            through.objects.bulk_create(
                [
                    through(**{f"{owner}_id": row.pk, f"{target}_id": other.pk})
                    for row, related in pending
                    for other in related
                ],
                batch_size=5000,
            )

    def set_deferred(self, result, **kwargs):
        """Fields naming rows of the same table, set once every row of the file is written.
        A part of a long sheet (``kwargs["sheet"]``) leaves the links it cannot set yet, which
        may name a row of a later part, to ``finish_sheet``: only their cells are kept."""
        if not self.pending or result.has_errors() or result.has_validation_errors():
            return
        sheet, first_row = kwargs.get("sheet"), kwargs.get("first_row", 2)
        changed, problems = {}, []
        for instance, field, row, number in self.pending:
            shown = (number or 1) + first_row - 1
            try:
                value = field.clean(row, **kwargs)
            except ValueError as problem:
                if sheet is not None and row.get(field.column_name) not in (None, ""):
                    cells = {c: row.get(c) for c in (field.column_name, *MEETING_COLUMNS)}
                    current = getattr(
                        instance, self._meta.model._meta.get_field(field.attribute).attname
                    )
                    sheet.unresolved.append((instance.pk, current, field.attribute, cells, shown))
                    continue
                problems.append(f"dòng {shown}: {problem}")
                continue
            if getattr(instance, field.attribute) != value:
                setattr(instance, field.attribute, value)
                changed.setdefault(field.attribute, []).append(instance)
        if problems:
            raise ImportProblem("\n".join(problems))
        for attribute, instances in changed.items():
            self._meta.model.objects.bulk_update(instances, [attribute], batch_size=2000)

    def finish_sheet(self, sheet: SheetState) -> list[str]:
        """The links of a long sheet that no part could set (``set_deferred``), set now that
        every row is written; what still names no row, as the file's row and reason."""
        model, problems = self._meta.model, []
        for start in range(0, len(sheet.unresolved), CHUNK):
            part = sheet.unresolved[start : start + CHUNK]
            changed: dict[str, list] = {}
            for attribute in {entry[2] for entry in part}:
                field = next(f for f in self.fields.values() if f.attribute == attribute)
                entries = [entry for entry in part if entry[2] == attribute]
                columns = list(dict.fromkeys([field.column_name, *MEETING_COLUMNS]))
                dataset = tablib.Dataset(
                    *([entry[3].get(c) for c in columns] for entry in entries), headers=columns
                )
                if hasattr(field.widget, "reset"):
                    field.widget.reset()
                if hasattr(field.widget, "prepare"):
                    field.widget.prepare(dataset, field.column_name)
                attname = model._meta.get_field(attribute).attname
                for pk, current, _, cells, shown in entries:
                    try:
                        value = field.clean(cells)
                    except ValueError as problem:
                        problems.append(f"dòng {shown}: {problem}")
                        continue
                    if value is not None and value.pk != current:
                        changed.setdefault(attribute, []).append(
                            model(pk=pk, **{attname: value.pk})
                        )
            if not problems:
                for attribute, instances in changed.items():
                    model.objects.bulk_update(instances, [attribute], batch_size=2000)
        sheet.unresolved.clear()
        return problems

    def skip_row(self, instance, original, row, import_validation_errors=None):
        """An existing row whose stored values and tags the file leaves as they were."""
        if import_validation_errors or not hasattr(instance, "_loaded_values"):
            return False
        if _stored_values(instance) != instance._loaded_values:
            return False
        for field in self.fields.values():
            if isinstance(field.widget, widgets.ManyToManyWidget) and field.column_name in row:
                wanted = {t.pk for t in field.clean(row)}
                if wanted != {t.pk for t in getattr(instance, field.attribute).all()}:
                    return False
        return True

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        # Field rules per row; uniqueness and check constraints are the database's (a breach
        # fails the whole file, with the constraint's own message), since asking the database
        # once per row and constraint is what makes naive imports slow. Duplicate keys within
        # a file are found in before_import.
        errors = dict(import_validation_errors or {})
        # Related rows were found by the widgets already; validating them again would ask the
        # database once per row and relation.
        related = [f.name for f in instance._meta.fields if f.is_relation]
        try:
            instance.clean_fields(exclude=[*errors, *related])
            instance.clean()
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def before_save_instance(self, instance, row, **kwargs):
        # The bulk writes (insert_rows, update_rows) prepare each row as save() would.
        # Which row of the file it came from, should the database refuse it (write_checked).
        self.rows_of[id(instance)] = (kwargs.get("row_number"), row)

    def header_aliases(self) -> dict[str, str]:
        aliases = {}
        for field in self.fields.values():
            for name in (field.column_name, field.english, field.attribute):
                if name:
                    aliases[vietnamese.fold(name)] = field.column_name
        return aliases

    def required_columns(self) -> list[str]:
        """The columns every file of this table must have (the import page lists them)."""
        names = []
        for field in self.get_import_fields():
            if field.required or field.attribute in self._meta.import_id_fields:
                # A meeting is named by three columns.
                is_meeting = isinstance(field.widget, MeetingWidget)
                names += list(MEETING_COLUMNS) if is_meeting else [field.column_name]
        return list(dict.fromkeys(names))

    def before_import(self, dataset, **kwargs):
        # The admin's preview asks for each row's cells and what changes (import_preview).
        self.show_changes = kwargs.get("show_changes", False)
        self.pending = []
        self.rows_of = {}
        self.refused = False
        self.pending_many = {field.attribute: [] for field in self.many_import_fields}
        self.inserted = set()  # ids of the rows this file added: they have no links yet
        for field in self.fields.values():
            if hasattr(field.widget, "reset"):
                field.widget.reset()
        aliases = self.header_aliases()
        headers = []
        unknown = []
        for header in dataset.headers or []:
            name = vietnamese.fold(str(header or "").strip())
            if name not in aliases:
                unknown.append(str(header))
            headers.append(aliases.get(name, header))
        if unknown:
            raise ImportProblem(
                "tệp có cột không thuộc bảng này: "
                + ", ".join(f"“{h}”" for h in unknown)
                + ". Các cột được nhận: "
                + ", ".join(f"“{f.column_name}”" for f in self.fields.values())
            )
        missing = [name for name in self.required_columns() if name not in headers]
        if missing:
            raise ImportProblem("tệp thiếu cột " + ", ".join(f"“{m}”" for m in missing))
        dataset.headers = headers
        for field in self.fields.values():  # what the lookups will need, read in one go
            if hasattr(field.widget, "prepare"):
                field.widget.prepare(dataset, field.column_name)
        self.refuse_repeated_keys(dataset, kwargs.get("sheet"), kwargs.get("first_row", 2))

    def key_columns(self) -> list[str]:
        keys = []
        for name in self.get_import_id_fields():
            field = self.fields[name]
            # A meeting is named by three columns, not by its committee alone.
            is_meeting = isinstance(field.widget, MeetingWidget)
            keys += list(MEETING_COLUMNS) if is_meeting else [field.column_name]
        return keys

    def refuse_repeated_keys(self, dataset, sheet: SheetState | None, first_row: int) -> None:
        """Two rows of a file naming the same record. Rows are numbered as the file's rows
        from ``first_row`` (the part of a sheet this dataset is); the keys of the sheet's
        earlier parts are known by their hashes only, and a hash met again is checked on the
        rows themselves."""
        keys = self.key_columns()

        def key_of(row):
            return tuple(vietnamese.fold(str(row.get(k, ""))) for k in keys)

        def repeated(number, earlier):
            return ImportProblem(
                f"dòng {number} trùng với dòng {earlier} ở các cột "
                + ", ".join(f"“{k}”" for k in keys)
            )

        seen: dict[tuple, int] = {}
        for number, row in enumerate(dataset.dict, start=first_row):
            key = key_of(row)
            if key in seen:
                raise repeated(number, seen[key])
            seen[key] = number
        if sheet is None:
            return
        for key, number in seen.items():
            hashed = hash(key)
            if hashed in sheet.keys:
                headers = dataset.headers
                for earlier, values in enumerate(sheet.rows(), start=2):
                    if earlier >= first_row:
                        break  # another key with the same hash
                    if key_of(dict(zip(headers, values, strict=False))) == key:
                        raise repeated(number, earlier)
            sheet.keys.add(hashed)

    def get_import_fields(self):
        return [f for f in self.fields.values() if not f.readonly]

    @classmethod
    def sheet_name(cls) -> str:
        """What a table of these rows is called in the files people open ("Nhiệm vụ")."""
        return capfirst(str(cls._meta.model._meta.verbose_name_plural))

    @classmethod
    def file_name(cls, extension: str) -> str:
        """The name a downloaded table is saved under: "nhiem-vu-2026-11-30.xlsx"."""
        stem = slugify(vietnamese.fold(cls.sheet_name()))
        return f"{stem}-{timezone.localdate():%Y-%m-%d}.{extension}"

    def before_export(self, queryset=None, **kwargs):
        super().before_export(queryset, **kwargs)
        for field in self.fields.values():  # what they looked up may have changed
            if hasattr(field.widget, "reset"):
                field.widget.reset()

    def after_export(self, queryset, dataset, **kwargs):
        super().after_export(queryset, dataset, **kwargs)
        dataset.title = self.sheet_name()

    def export(self, queryset=None, **kwargs):
        """django-import-export's export (the admin's, ``export_table``), its rows built by
        ``fast_rows``: the same cells, in a constant number of queries whatever related rows
        the given queryset selected."""
        if queryset is None:
            queryset = self.get_queryset()
        if not isinstance(queryset, QuerySet):  # a list of instances: the library's way
            return super().export(queryset, **kwargs)
        headers = self.get_export_headers(selected_fields=kwargs.get("export_fields"))
        dataset = tablib.Dataset(headers=headers)
        for row in self.fast_rows(queryset, **kwargs):
            dataset.append(row)
        self.after_export(queryset, dataset, **kwargs)
        return dataset

    def fast_rows(self, queryset, **kwargs):
        """The rows ``export_resource`` would give, read with ``values_list()`` in chunks: no
        model instance per row, tags fetched once per chunk."""
        self.before_export(queryset, **kwargs)
        queryset = self.filter_export(queryset, **kwargs)
        plan, paths = [], ["pk"]
        for field in self.get_export_fields(kwargs.get("export_fields")):
            if isinstance(field.widget, widgets.ManyToManyWidget):
                plan.append((field, None))
                continue
            needed = field.widget.value_paths(field.attribute)
            plan.append((field, slice(len(paths), len(paths) + len(needed))))
            paths += needed
        rows = queryset.prefetch_related(None).values_list(*paths)
        chunk = []
        for values in rows.iterator(chunk_size=CHUNK):
            chunk.append(values)
            if len(chunk) == CHUNK:
                yield from self._render_chunk(chunk, plan, kwargs)
                chunk = []
        yield from self._render_chunk(chunk, plan, kwargs)

    def _render_chunk(self, chunk, plan, kwargs):
        # Many-to-many columns: one query per column and chunk, through the link table.
        many = {}
        for field, part in plan:
            if part is None and chunk:
                through = getattr(self._meta.model, field.attribute).through
                owner = f"{self._meta.model._meta.model_name}_id"
                found = many[field.attribute] = {}
                for pk, shown in through.objects.filter(
                    **{f"{owner}__in": [values[0] for values in chunk]}
                ).values_list(owner, field.widget.through_value):
                    found.setdefault(pk, []).append(shown)
        for values in chunk:
            yield [
                field.widget.render_values(values[part], **kwargs)
                if part is not None
                else field.widget.join(many[field.attribute].get(values[0], []))
                for field, part in plan
            ]

    def get_bulk_update_fields(self):
        # The model's own columns only: not the keys, not the meeting's term and number, not
        # many-to-many fields (written after the rows). update_rows adds the columns the
        # model derives from them.
        concrete = {f.name for f in self._meta.model._meta.concrete_fields}
        keys = set(self._meta.import_id_fields)
        return [
            f.attribute
            for f in self.fields.values()
            if f.attribute in concrete and f.attribute not in keys and not f.readonly
        ]

    def get_import_id_fields(self):
        return self._meta.import_id_fields
