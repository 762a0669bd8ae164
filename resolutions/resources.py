"""Spreadsheets in and out: one django-import-export resource per model.

Files name related rows by natural keys, never by database ids, so an archive restores into an
empty register: a committee by its name, a meeting by committee + term + number, a topic by its
name or, where a name is not enough, its slug (``TopicKeys``), a directive by its meeting +
section + position. Headers are Vietnamese, as a clerk reads
them; the English field names are accepted too.

Numbers and dates are written in one fixed form whatever the interface's language, and read back
identically: in XLSX and ODS they are real number and date cells; in CSV a decimal comma with no
thousands separator ("55,699") and dd/mm/yyyy dates; in JSON numbers and ISO dates. On
reading, "55,699", "1.234,5" and "50.14" all give the number a clerk meant (see
``vietnamese.parse_decimal``). Pass ``spreadsheet_format="csv" | "json" | "xlsx" | "ods"`` to
``export()``/``import_data()``.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import capfirst, slugify
from import_export import fields, resources, widgets
from import_export.instance_loaders import BaseInstanceLoader
from import_export.results import Error, RowResult

from . import cells, import_preview, vietnamese
from .bulk import insert_rows, update_rows
from .models import (
    Committee,
    Directive,
    Finding,
    Indicator,
    Meeting,
    ProgressNote,
    Report,
    Topic,
    Unit,
)

CHUNK = 2000
LEVEL_ORDER = (
    Committee.Level.CENTRAL,
    Committee.Level.PROVINCE,
    Committee.Level.DISTRICT,
    Committee.Level.WARD,
)


class ImportProblem(ValueError):
    """A value that cannot be read; the message is for the person who made the file."""


def _text(value) -> str:
    """A cell's text as it was before ``cells.escape`` wrote it. A NUL character (which
    PostgreSQL cannot store, and no one types) is refused."""
    text = cells.unescape(str(value if value is not None else ""))
    if "\x00" in text:
        raise ImportProblem("có ký tự NUL (U+0000), không được phép trong văn bản")
    return text


def database_refusal(error) -> str:
    """The register's own words for what the database refused: the broken constraint's
    message where the database named one, never the database's English."""
    if isinstance(error, IntegrityError):
        for model in (Topic, Committee, Unit, Meeting, Report, Indicator, Directive, Finding):
            for constraint in model._meta.constraints:
                if constraint.name in str(error):
                    return str(constraint.get_violation_error_message())
        return "dòng này trái với một ràng buộc của sổ (trùng khóa hoặc giá trị không hợp lệ)"
    return "dòng này có giá trị cơ sở dữ liệu không ghi được (quá dài hoặc sai kiểu)"


# --- Widgets --------------------------------------------------------------------------------


class FastExport:
    """How a widget renders straight from ``values_list()`` rows, for exports that must not build
    a model instance per row (the archive). ``value_paths`` are the lookups it needs;
    ``render_values`` turns their values into the cell, exactly as ``render`` would."""

    def value_paths(self, attribute: str) -> list[str]:
        return [attribute]

    def render_values(self, values, **kwargs):
        return self.render(values[0], **kwargs)


class TextWidget(FastExport, widgets.CharWidget):
    """Text in NFC; a cell that a spreadsheet would run as a formula gets a leading apostrophe
    on the way out, which is taken off again on the way in (``cells``: nothing is lost)."""

    def clean(self, value, row=None, **kwargs):
        return vietnamese.nfc(_text(value))

    def render(self, value, obj=None, **kwargs):
        return cells.escape(value)


class DecimalWidget(FastExport, widgets.DecimalWidget):
    def clean(self, value, row=None, **kwargs):
        if self.is_empty(value):
            return None
        if isinstance(value, Decimal):
            return value
        if isinstance(value, int | float):  # a number cell of a workbook
            return Decimal(repr(value)).normalize() if isinstance(value, float) else Decimal(value)
        text = str(value).strip()
        try:
            return vietnamese.parse_decimal(text)
        except ValueError as error:
            raise ImportProblem(str(error)) from None

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return None if kwargs.get("force_native_type") else ""
        if kwargs.get("force_native_type"):
            return value
        if kwargs.get("spreadsheet_format") == "json":
            # A JSON number when a float holds it exactly, else the Vietnamese spelling: either
            # reads back to the same Decimal, with no need to know the file's format.
            number = float(value)
            if Decimal(repr(number)) == Decimal(value):
                return number
        return vietnamese.format_decimal(value)


class IntegerWidget(FastExport, widgets.IntegerWidget):
    def clean(self, value, row=None, **kwargs):
        if self.is_empty(value):
            return None
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            raise ImportProblem(f"“{value}” không phải là một số nguyên") from None
        if number != number.to_integral():
            raise ImportProblem(f"“{value}” không phải là một số nguyên")
        return int(number)

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return None if kwargs.get("force_native_type") else ""
        return value if kwargs.get("force_native_type") else str(value)


class DateWidget(FastExport, widgets.DateWidget):
    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        text = str(value).strip()
        for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
            try:
                return datetime.strptime(text, pattern).date()
            except ValueError:
                continue
        raise ImportProblem(
            f"“{text}” không phải là một ngày có thật viết dạng ngày/tháng/năm (dd/mm/yyyy)"
        )

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return None if kwargs.get("force_native_type") else ""
        if kwargs.get("force_native_type"):
            return value
        if kwargs.get("spreadsheet_format") == "json":
            return value.isoformat()
        return vietnamese.format_date(value)


class BooleanWidget(FastExport, widgets.BooleanWidget):
    TRUE_WORDS = {"1", "true", "yes", "có", "co", "x", "đúng", "dung"}
    FALSE_WORDS = {"0", "false", "no", "không", "khong", "", "sai"}

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            return value
        word = vietnamese.fold(str(value if value is not None else "").strip())
        if word in {vietnamese.fold(w) for w in self.TRUE_WORDS}:
            return True
        if word in {vietnamese.fold(w) for w in self.FALSE_WORDS}:
            return False
        raise ImportProblem(f"“{value}” không phải là có/không")

    def render(self, value, obj=None, **kwargs):
        if kwargs.get("force_native_type") or kwargs.get("spreadsheet_format") == "json":
            return bool(value)
        return "có" if value else "không"


class ChoiceWidget(FastExport, widgets.Widget):
    """A choice written as its Vietnamese label ("Mở rộng"); its code ("extended") is read too."""

    def __init__(self, choices):
        super().__init__()
        self.choices = choices
        self.by_word = {}
        for value, label in choices.choices:
            self.by_word[vietnamese.fold(str(value))] = value
            self.by_word[vietnamese.fold(str(label))] = value

    def clean(self, value, row=None, **kwargs):
        word = vietnamese.fold(str(value or "").strip())
        if not word:
            return None
        if word not in self.by_word:
            allowed = ", ".join(f"“{label}”" for label in self.choices.labels)
            raise ImportProblem(f"“{value}” không phải là một trong: {allowed}")
        return self.by_word[word]

    def render(self, value, obj=None, **kwargs):
        if value in (None, ""):
            return ""
        return str(self.choices(value).label)


class StatusWidget(ChoiceWidget):
    """A directive's computed status, by its label; ``value_paths`` reads it from the
    ``with_status()`` annotation."""

    def __init__(self):
        super().__init__(Directive.Status)

    def value_paths(self, attribute):
        return ["follow_up_status"]


class TermWidget(IntegerWidget):
    """A term written in Roman numerals ("III"); Arabic ("3") is read too."""

    def clean(self, value, row=None, **kwargs):
        if self.is_empty(value):
            return None
        try:
            return vietnamese.parse_term(str(value))
        except ValueError as error:
            raise ImportProblem(str(error)) from None

    def render(self, value, obj=None, **kwargs):
        return vietnamese.to_roman(value) if value else ""


class _Lookup(FastExport, widgets.Widget):
    """Finds related rows by a natural key, loading each table once per file, not once a row.
    A key missing from the loaded table is looked up once more: the row may have been written
    earlier in the same file or restore."""

    missing = "không có “{}” trong sổ"
    # The related row's field that files show, for lookups that write one field.
    shown_field = ""

    def __init__(self):
        super().__init__()
        self.cache = None

    def render(self, value, obj=None, **kwargs):
        return cells.escape(getattr(value, self.shown_field)) if value else ""

    def value_paths(self, attribute):
        return [f"{attribute}__{self.shown_field}"]

    def render_values(self, values, **kwargs):
        return cells.escape(values[0]) if values[0] else ""

    def reset(self):
        self.cache = None

    def load(self) -> dict:
        raise NotImplementedError

    def fetch(self, key):
        raise NotImplementedError

    def find(self, key, shown: str):
        if self.cache is None:
            self.cache = self.load()
        found = self.cache.get(key)
        if found is None:
            found = self.fetch(key)
            if found is not None:
                self.cache[key] = found
        if found is None:
            # What names the missing row may take work to write: only written when needed.
            raise ImportProblem(self.missing.format(shown() if callable(shown) else shown))
        return found


class CommitteeWidget(_Lookup):
    missing = "không có cấp ủy “{}” trong sổ"
    shown_field = "name"

    def load(self):
        return {vietnamese.fold(c.name): c for c in Committee.objects.all()}

    def fetch(self, key):
        return Committee.objects.named(key)

    def clean(self, value, row=None, **kwargs):
        name = vietnamese.nfc(_text(value)).strip()
        return self.find(vietnamese.fold(name), name) if name else None


TAG_SEPARATORS = re.compile(r"[;\n]")


class TopicKeys:
    """How files name a topic: by its name, which is what a person reads, wherever that name
    names this topic alone and cannot be taken for another topic's slug or for two tags; by its
    slug otherwise. A file's cell is read back as a slug first, then as a name (accents and case
    aside), so every file we write names the topics it meant, and a clerk may type either."""

    def __init__(self, topics):
        self.by_slug = {t.slug: t for t in topics}
        self.by_name: dict[str, list[Topic]] = {}
        for topic in topics:
            self.by_name.setdefault(vietnamese.fold(topic.name), []).append(topic)

    def label(self, topic) -> str:
        folded = vietnamese.fold(topic.name)
        if (
            len(self.by_name.get(folded, ())) == 1
            and folded not in self.by_slug
            and not TAG_SEPARATORS.search(topic.name)
        ):
            return topic.name
        return topic.slug

    def find(self, text: str):
        if text in self.by_slug:
            return self.by_slug[text]
        named = self.by_name.get(vietnamese.fold(text), [])
        if len(named) > 1:
            raise ImportProblem(
                f"có {len(named)} lĩnh vực tên “{text}”; hãy ghi mã của lĩnh vực muốn chọn: "
                + ", ".join(f"“{t.slug}”" for t in named)
            )
        return named[0] if named else None


class TopicWidget(FastExport, widgets.Widget):
    """A topic by its name or, where the name is not enough, its slug (``TopicKeys``)."""

    def __init__(self):
        super().__init__()
        self.reset()

    def reset(self):
        self.keys = None
        self.missed = set()

    def topics(self) -> TopicKeys:
        if self.keys is None:
            self.keys = TopicKeys(list(Topic.objects.all()))
        return self.keys

    def named(self, text: str):
        found = self.topics().find(text)
        if found is None and text not in self.missed:
            # Perhaps written earlier in the same file or restore: look once more.
            self.missed.add(text)
            self.keys = None
            found = self.topics().find(text)
        return found

    def clean(self, value, row=None, **kwargs):
        text = vietnamese.nfc(_text(value)).strip()
        if not text:
            return None
        found = self.named(text)
        if found is None:
            raise ImportProblem(f"không có lĩnh vực “{text}” trong sổ (ghi tên hoặc mã)")
        return found

    def render(self, value, obj=None, **kwargs):
        return cells.escape(self.topics().label(value)) if value else ""

    def value_paths(self, attribute):
        return [f"{attribute}__slug"]

    def render_values(self, values, **kwargs):
        if not values[0]:
            return ""
        return cells.escape(self.topics().label(self.topics().by_slug[values[0]]))


class TagsWidget(widgets.ManyToManyWidget):
    """Tags as topics named as ``TopicKeys`` names them, separated by semicolons (a name may
    hold a comma: "Khiếu nại, tố cáo"); an unknown one is an error, not a silent drop. Files
    that separated slugs by commas are read too."""

    through_value, joiner = "topic__slug", "; "  # for RegisterResource.fast_rows

    def __init__(self):
        super().__init__(Topic, separator=";", field="slug")
        self.one = TopicWidget()

    def reset(self):
        self.one.reset()

    def clean(self, value, row=None, **kwargs):
        found, unknown = [], []
        for part in TAG_SEPARATORS.split(vietnamese.nfc(_text(value))):
            part = part.strip()
            if not part:
                continue
            topic = self.one.named(part)
            if topic is not None:
                found.append(topic)
                continue
            for word in (w.strip() for w in part.split(",")):
                topic = self.one.named(word) if word else None
                if topic is not None:
                    found.append(topic)
                elif word:
                    unknown.append(word)
        if unknown:
            raise ImportProblem(
                "không có lĩnh vực " + ", ".join(f"“{s}”" for s in unknown) + " trong sổ"
            )
        return found

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return self.join(t.slug for t in value.all())

    def join(self, slugs) -> str:
        topics = self.one.topics()
        return cells.escape(
            self.joiner.join(sorted(topics.label(topics.by_slug[s]) for s in slugs))
        )


MEETING_COLUMNS = ("Cấp ủy", "Khóa", "Hội nghị lần thứ")


def _row_committee(row) -> str:
    """The committee a row belongs to, from its "Cấp ủy" column (English header accepted)."""
    return vietnamese.nfc(_text((row or {}).get("Cấp ủy"))).strip()


class UnitWidget(_Lookup):
    """A unit by its name, within the committee named in the row's "Cấp ủy" column."""

    missing = "không có đơn vị “{}” trong sổ"
    shown_field = "name"

    def load(self):
        return {
            (vietnamese.fold(u.committee.name), vietnamese.fold(u.name)): u
            for u in Unit.objects.select_related("committee")
        }

    def fetch(self, key):
        return self.load().get(key)

    def clean(self, value, row=None, **kwargs):
        return self.named(vietnamese.nfc(_text(value)).strip(), row)

    def named(self, name: str, row):
        """The unit of the row's committee with this name (already read from its cell)."""
        if not name:
            return None
        committee = _row_committee(row)
        shown = f"{name}” của “{committee}"
        return self.find((vietnamese.fold(committee), vietnamese.fold(name)), shown)


class UnitsWidget(widgets.ManyToManyWidget):
    """Several units of the row's committee, by name, separated by semicolons."""

    through_value, joiner = "unit__name", "; "  # for RegisterResource.fast_rows

    def __init__(self):
        super().__init__(Unit, separator=";", field="name")
        self.one = UnitWidget()

    def clean(self, value, row=None, **kwargs):
        # The cell as a whole was escaped (cells.escape), not each name in it.
        names = [n.strip() for n in re.split(r"[;\n]", _text(value)) if n.strip()]
        return [self.one.named(vietnamese.nfc(name), row) for name in names]

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return self.join(u.name for u in value.all())

    def join(self, shown) -> str:
        return cells.escape(self.joiner.join(sorted(shown)))


class MeetingWidget(_Lookup):
    """A meeting named by three columns: committee, term and number."""

    missing = "không có {} trong sổ"

    def load(self):
        return {
            (vietnamese.fold(m.committee.name), m.term, m.number): m
            for m in Meeting.objects.select_related("committee")
        }

    def fetch(self, key):
        folded, term, number = key
        candidates = Meeting.objects.filter(term=term, number=number).select_related("committee")
        return next((m for m in candidates if vietnamese.fold(m.committee.name) == folded), None)

    def __init__(self):
        super().__init__()
        self.keys = {}  # each written form of a meeting's three columns, parsed

    def reset(self):
        super().reset()
        self.keys = {}

    def key(self, row):
        # A file repeats each meeting on many rows, and its key is read several times a row
        # (the row's own meeting, its natural key): parse each written form once.
        raw = tuple(row.get(c) for c in MEETING_COLUMNS)
        if raw not in self.keys:
            self.keys[raw] = self._parse_key(*raw)
        return self.keys[raw]

    def _parse_key(self, committee, term, number):
        name = vietnamese.nfc(_text(committee)).strip()
        try:
            term = vietnamese.parse_term(str(term))
        except ValueError as error:
            raise ImportProblem(f"cột “Khóa”: {error}") from None
        number = IntegerWidget().clean(number)
        return name, term, number

    def clean(self, value, row=None, **kwargs):
        name, term, number = self.key(row)
        return self.find(
            (vietnamese.fold(name), term, number),
            lambda: f"hội nghị lần thứ {number} khóa {vietnamese.to_roman(term)} của “{name}”",
        )

    def render(self, value, obj=None, **kwargs):
        return cells.escape(value.committee.name) if value else ""

    def value_paths(self, attribute):
        return [f"{attribute}__committee__name"]

    def render_values(self, values, **kwargs):
        return cells.escape(values[0]) if values[0] else ""


class DirectiveRefWidget(_Lookup):
    """Another directive, written as people cite it:
    "Ban Chấp hành Đảng bộ Quận 2 | khóa III | lần 9 | mục 1 | nhiệm vụ 7"."""

    PATTERN = re.compile(
        r"^(?P<committee>.+?)\s*\|\s*khóa\s+(?P<term>\S+)\s*\|\s*lần\s+(?P<number>\d+)\s*\|"
        r"\s*mục\s+(?P<section>\d+)\s*\|\s*nhiệm vụ\s+(?P<position>\d+)$",
        re.IGNORECASE,
    )

    def clean(self, value, row=None, **kwargs):
        text = vietnamese.nfc(_text(value)).strip()
        if not text:
            return None
        match = self.PATTERN.match(text)
        if not match:
            raise ImportProblem(
                f"“{text}” không đúng dạng “cấp ủy | khóa III | lần 9 | mục 1 | nhiệm vụ 7”"
            )
        committee = CommitteeWidget().clean(match["committee"])
        found = Directive.objects.filter(
            meeting__committee=committee,
            meeting__term=vietnamese.parse_term(match["term"]),
            meeting__number=int(match["number"]),
            section_order=int(match["section"]),
            position=int(match["position"]),
        ).first()
        if found is None:
            raise ImportProblem(f"không có nhiệm vụ “{text}” trong sổ")
        return found

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        m = value.meeting
        cited = self.cite(m.committee.name, m.term, m.number, value.section_order, value.position)
        return cells.escape(cited)

    @staticmethod
    def cite(committee, term, number, section, position) -> str:
        return (
            f"{committee} | khóa {vietnamese.to_roman(term)} | lần {number} | "
            f"mục {section} | nhiệm vụ {position}"
        )

    def value_paths(self, attribute):
        return [
            f"{attribute}__meeting__committee__name",
            f"{attribute}__meeting__term",
            f"{attribute}__meeting__number",
            f"{attribute}__section_order",
            f"{attribute}__position",
        ]

    def render_values(self, values, **kwargs):
        return cells.escape(self.cite(*values)) if values[0] else ""


class ParentIndicatorWidget(_Lookup):
    """The figure a part belongs to ("trong đó …"), by its position in the same meeting."""

    def __init__(self):
        super().__init__()
        # The row's meeting, found as the meeting column finds it: all meetings loaded once
        # per file, not once per row that names a parent.
        self.meetings = MeetingWidget()

    def reset(self):
        super().reset()
        self.meetings.reset()

    def clean(self, value, row=None, **kwargs):
        position = IntegerWidget().clean(value)
        if position is None:
            return None
        meeting = self.meetings.clean(None, row=row)
        parent = Indicator.objects.filter(meeting=meeting, position=position).first()
        if parent is None:
            raise ImportProblem(f"không có chỉ tiêu thứ tự {position} trong hội nghị này")
        return parent

    def render(self, value, obj=None, **kwargs):
        return self.render_values([value.position if value else None], **kwargs)

    def value_paths(self, attribute):
        return [f"{attribute}__position"]

    def render_values(self, values, **kwargs):
        if values[0] is None:
            return None if kwargs.get("force_native_type") else ""
        return values[0] if kwargs.get("force_native_type") else str(values[0])


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


def _column(attribute, header, widget=None, **kwargs):
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


class NaturalKeyInstanceLoader(BaseInstanceLoader):
    """Finds the existing rows a file names in one query, keyed by their natural keys, instead
    of one query a row. A meeting's rows are looked up only among the meetings the file names."""

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
        if "meeting" in self.resource.fields and self.dataset is not None:
            meeting = self.resource.fields["meeting"]
            ids = set()
            for row in self.dataset.dict:
                try:
                    ids.add(meeting.clean(row).pk)
                except ValueError:
                    continue  # reported when the row itself is imported
            queryset = queryset.filter(meeting_id__in=ids)
        self.existing = {}
        for instance in queryset:
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
        """Fields naming rows of the same table, set once every row of the file is written."""
        if not self.pending or result.has_errors() or result.has_validation_errors():
            return
        changed, problems = {}, []
        for instance, field, row, number in self.pending:
            try:
                value = field.clean(row, **kwargs)
            except ValueError as problem:
                problems.append(f"dòng {(number or 0) + 1}: {problem}")
                continue
            if getattr(instance, field.attribute) != value:
                setattr(instance, field.attribute, value)
                changed.setdefault(field.attribute, []).append(instance)
        if problems:
            raise ImportProblem("\n".join(problems))
        for attribute, instances in changed.items():
            self._meta.model.objects.bulk_update(instances, [attribute], batch_size=2000)

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
        seen = {}
        keys = []
        for name in self.get_import_id_fields():
            field = self.fields[name]
            # A meeting is named by three columns, not by its committee alone.
            is_meeting = isinstance(field.widget, MeetingWidget)
            keys += list(MEETING_COLUMNS) if is_meeting else [field.column_name]
        for number, row in enumerate(dataset.dict, start=2):
            key = tuple(vietnamese.fold(str(row.get(k, ""))) for k in keys)
            if key in seen:
                raise ImportProblem(
                    f"dòng {number} trùng với dòng {seen[key]} ở các cột "
                    + ", ".join(f"“{k}”" for k in keys)
                )
            seen[key] = number

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

    def fast_rows(self, queryset, **kwargs):
        """The rows ``export_resource`` would give, read with ``values_list()`` in chunks: no
        model instance per row, tags fetched once per chunk."""
        self.before_export(queryset, **kwargs)
        queryset = self.filter_export(queryset, **kwargs)
        plan, paths = [], ["pk"]
        for field in self.get_export_fields():
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


class TopicResource(RegisterResource):
    deferred = ("parent",)
    slug = _column("slug", "Mã", required=True)
    name = _column("name", "Tên lĩnh vực", required=True)
    parent = _column("parent", "Thuộc lĩnh vực", TopicWidget())
    keywords = _column("keywords", "Từ khóa")
    position = _column("position", "Thứ tự", IntegerWidget())

    class Meta(RegisterResource.Meta):
        model = Topic
        fields = ("slug", "name", "parent", "keywords", "position")
        import_id_fields = ("slug",)

    def get_queryset(self):
        # Broad topics first: a restore meets every parent before its children.
        return Topic.objects.select_related("parent").order_by(
            F("parent_id").asc(nulls_first=True), "position", "pk"
        )


class CommitteeResource(RegisterResource):
    deferred = ("parent", "successor")
    name = _column("name", "Tên cấp ủy", required=True)
    short_name = _column("short_name", "Tên gọi tắt")
    symbol = _column("symbol", "Ký hiệu")
    level = _column("level", "Cấp", ChoiceWidget(Committee.Level), required=True)
    parent = _column("parent", "Cấp ủy cấp trên", CommitteeWidget())
    active_from = _column("active_from", "Hoạt động từ ngày", DateWidget())
    active_until = _column("active_until", "Hoạt động đến ngày", DateWidget())
    successor = _column("successor", "Cấp ủy kế tục", CommitteeWidget())

    class Meta(RegisterResource.Meta):
        model = Committee
        fields = (
            "name",
            "short_name",
            "symbol",
            "level",
            "parent",
            "active_from",
            "active_until",
            "successor",
        )
        import_id_fields = ("name",)

    def get_queryset(self):
        # Higher levels first, and a successor (which outlives its predecessor) before it: a
        # restore meets every committee before the rows that name it.
        rank = Case(
            *(When(level=level, then=Value(i)) for i, level in enumerate(LEVEL_ORDER)),
            default=Value(len(LEVEL_ORDER)),
        )
        return Committee.objects.select_related("parent", "successor").order_by(
            rank, F("active_until").desc(nulls_first=True), "name"
        )


class UnitResource(RegisterResource):
    committee = _column("committee", "Cấp ủy", CommitteeWidget(), required=True)
    name = _column("name", "Tên đơn vị", required=True)
    short_name = _column("short_name", "Tên viết tắt")
    kind = _column("kind", "Loại", ChoiceWidget(Unit.Kind), required=True)
    position = _column("position", "Thứ tự", IntegerWidget())

    class Meta(RegisterResource.Meta):
        model = Unit
        fields = ("committee", "name", "short_name", "kind", "position")
        import_id_fields = ("committee", "name")

    def get_queryset(self):
        return Unit.objects.select_related("committee").order_by(
            "committee__name", "position", "name"
        )


class MeetingResource(RegisterResource):
    committee = _column("committee", "Cấp ủy", CommitteeWidget(), required=True)
    term = _column("term", "Khóa", TermWidget(), required=True)
    number = _column("number", "Hội nghị lần thứ", IntegerWidget(), required=True)
    kind = _column("kind", "Hình thức", ChoiceWidget(Meeting.Kind))
    started_on = _column("started_on", "Ngày bắt đầu", DateWidget(), required=True)
    ended_on = _column("ended_on", "Ngày kết thúc", DateWidget())
    review_period = _column("review_period", "Kỳ kiểm điểm")
    plan_period = _column("plan_period", "Kỳ kế hoạch")
    document_kind = _column("document_kind", "Loại văn bản", ChoiceWidget(Meeting.DocumentKind))
    title = _column("title", "Tiêu đề văn bản", required=True)
    document_symbol = _column("document_symbol", "Số, ký hiệu")
    issued_on = _column("issued_on", "Ngày ban hành", DateWidget())
    published_on = _column("published_on", "Ngày đăng tải", DateWidget())
    general_instruction = _column("general_instruction", "Chỉ đạo chung")
    source_name = _column("source_name", "Tệp nguồn")
    source_text = _column("source_text", "Văn bản gốc")

    class Meta(RegisterResource.Meta):
        model = Meeting
        fields = (
            "committee",
            "term",
            "number",
            "kind",
            "started_on",
            "ended_on",
            "review_period",
            "plan_period",
            "document_kind",
            "title",
            "document_symbol",
            "issued_on",
            "published_on",
            "general_instruction",
            "source_name",
            "source_text",
        )
        import_id_fields = ("committee", "term", "number")

    def get_queryset(self):
        return Meeting.objects.select_related("committee").order_by(
            "committee__name", "term", "number"
        )

    def before_import(self, dataset, **kwargs):
        self.updated_meetings = []
        super().before_import(dataset, **kwargs)

    def before_save_instance(self, instance, row, **kwargs):
        super().before_save_instance(instance, row, **kwargs)
        if instance.pk:
            self.updated_meetings.append(instance.pk)

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        # A meeting page opened before the file changed its meeting must not save over it.
        if self.updated_meetings:
            Meeting.objects.filter(pk__in=self.updated_meetings).mark_changed()


class _PartResource(RegisterResource):
    """A meeting's rows: the meeting is named by three columns (committee, term, number)."""

    meeting = _column("meeting", "Cấp ủy", MeetingWidget(), english="committee", required=True)
    meeting_term = Column(
        attribute="meeting__term",
        column_name="Khóa",
        widget=TermWidget(),
        readonly=True,
        english="term",
    )
    meeting_number = Column(
        attribute="meeting__number",
        column_name="Hội nghị lần thứ",
        widget=IntegerWidget(),
        readonly=True,
        english="number",
    )
    MEETING_FIELDS = ("meeting", "meeting_term", "meeting_number")

    def get_queryset(self):
        return self._meta.model.objects.select_related("meeting__committee").order_by(
            "meeting__committee__name", "meeting__term", "meeting__number", *self.order
        )

    def before_import(self, dataset, **kwargs):
        self.changed_meetings = set()
        super().before_import(dataset, **kwargs)

    def before_save_instance(self, instance, row, **kwargs):
        super().before_save_instance(instance, row, **kwargs)
        self.changed_meetings.add(instance.meeting_id)

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        # Rows written in bulk change their meetings: a meeting page opened before the import
        # must not save over them (Meeting.edit_version), as after any other change.
        if self.changed_meetings:
            Meeting.objects.filter(pk__in=self.changed_meetings).mark_changed()


class ReportResource(_PartResource):
    position = _column("position", "Thứ tự", IntegerWidget(), required=True)
    kind = _column("kind", "Loại", ChoiceWidget(Report.Kind))
    title = _column("title", "Tên văn bản", required=True)
    order = ("position",)

    class Meta(RegisterResource.Meta):
        model = Report
        fields = (*_PartResource.MEETING_FIELDS, "position", "kind", "title")
        import_id_fields = ("meeting", "position")


class IndicatorResource(_PartResource):
    deferred = ("parent",)
    position = _column("position", "Thứ tự", IntegerWidget(), required=True)
    name = _column("name", "Tên chỉ tiêu", required=True)
    period = _column("period", "Kỳ số liệu")
    value = _column("value", "Giá trị", DecimalWidget())
    unit = _column("unit", "Đơn vị tính")
    target_value = _column("target_value", "Mức đề ra", DecimalWidget())
    change_pct = _column("change_pct", "Tăng, giảm (%)", DecimalWidget())
    compared_with = _column("compared_with", "So với")
    plan_pct = _column("plan_pct", "Đạt (% kế hoạch)", DecimalWidget())
    parent = _column("parent", "Thuộc chỉ tiêu (thứ tự)", ParentIndicatorWidget())
    is_target = _column("is_target", "Là mục tiêu", BooleanWidget())
    is_estimate = _column("is_estimate", "Số ước tính", BooleanWidget())
    topic = _column("topic", "Lĩnh vực", TopicWidget())
    sentence = _column("sentence", "Câu trích")
    order = ("position",)

    class Meta(RegisterResource.Meta):
        model = Indicator
        fields = (
            *_PartResource.MEETING_FIELDS,
            "position",
            "name",
            "period",
            "value",
            "unit",
            "target_value",
            "change_pct",
            "compared_with",
            "plan_pct",
            "parent",
            "is_target",
            "is_estimate",
            "topic",
            "sentence",
        )
        import_id_fields = ("meeting", "position")

    def get_queryset(self):
        return super().get_queryset().select_related("parent", "topic")


class DirectiveResource(_PartResource):
    deferred = ("carried_from",)
    section_order = _column("section_order", "Mục (thứ tự)", IntegerWidget(), required=True)
    section_number = _column("section_number", "Số mục in")
    section_heading = _column("section_heading", "Tên mục")
    position = _column("position", "Thứ tự", IntegerWidget(), required=True)
    text = _column("text", "Nội dung nhiệm vụ", required=True)
    topic = _column("topic", "Lĩnh vực", TopicWidget())
    tags = Column(
        attribute="tags", column_name="Chủ đề", widget=TagsWidget(), english="tags", m2m_add=False
    )
    responsible_unit = _column("responsible_unit", "Đơn vị được giao")
    lead_unit = _column("lead_unit", "Đơn vị chủ trì", UnitWidget())
    supporting_units = Column(
        attribute="supporting_units",
        column_name="Đơn vị phối hợp",
        widget=UnitsWidget(),
        english="supporting units",
        m2m_add=False,
    )
    cited_documents = _column("cited_documents", "Văn bản được dẫn")
    due_period = _column("due_period", "Thời hạn")
    due_on = _column("due_on", "Hạn hoàn thành", DateWidget())
    completed_on = _column("completed_on", "Ngày hoàn thành", DateWidget())
    # Computed from the dates as of the day of export (Directive.status): shown, never read.
    status = Column(
        attribute="status",
        column_name="Tình trạng",
        widget=StatusWidget(),
        readonly=True,
        english="status",
    )
    carried_from = _column("carried_from", "Tiếp nối nhiệm vụ", DirectiveRefWidget())
    order = ("section_order", "position")

    class Meta(RegisterResource.Meta):
        model = Directive
        fields = (
            *_PartResource.MEETING_FIELDS,
            "section_order",
            "section_number",
            "section_heading",
            "position",
            "text",
            "topic",
            "tags",
            "responsible_unit",
            "lead_unit",
            "supporting_units",
            "cited_documents",
            "due_period",
            "due_on",
            "completed_on",
            "status",
            "carried_from",
        )
        import_id_fields = ("meeting", "section_order", "position")

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("topic", "lead_unit", "carried_from__meeting__committee")
            .prefetch_related("tags", "supporting_units")
        )

    def filter_export(self, queryset, **kwargs):
        # Each row's status computed in the export's query, not one query a row.
        if "follow_up_status" not in queryset.query.annotations:
            queryset = queryset.with_status()
        return super().filter_export(queryset, **kwargs)


class FindingResource(_PartResource):
    position = _column("position", "Thứ tự", IntegerWidget(), required=True)
    kind = _column("kind", "Loại", ChoiceWidget(Finding.Kind), required=True)
    text = _column("text", "Nội dung", required=True)
    topic = _column("topic", "Lĩnh vực", TopicWidget())
    order = ("position",)

    class Meta(RegisterResource.Meta):
        model = Finding
        fields = (*_PartResource.MEETING_FIELDS, "position", "kind", "text", "topic")
        import_id_fields = ("meeting", "position")


class UserWidget(_Lookup):
    """A person by login name. People are not part of the archive: an unknown name is left
    blank rather than refused, and the note keeps its text and date."""

    def load(self):
        return {u.get_username(): u for u in get_user_model().objects.all()}

    def fetch(self, key):
        return None

    def clean(self, value, row=None, **kwargs):
        name = _text(value).strip()
        if not name:
            return None
        if self.cache is None:
            self.cache = self.load()
        return self.cache.get(name)

    def render(self, value, obj=None, **kwargs):
        return cells.escape(value.get_username()) if value else ""

    def value_paths(self, attribute):
        return [f"{attribute}__{get_user_model().USERNAME_FIELD}"]

    def render_values(self, values, **kwargs):
        return cells.escape(values[0]) if values[0] else ""


class ProgressNoteResource(RegisterResource):
    directive = _column("directive", "Nhiệm vụ", DirectiveRefWidget(), required=True)
    noted_on = _column("noted_on", "Ngày", DateWidget(), required=True)
    text = _column("text", "Tình hình thực hiện", required=True)
    author = _column("author", "Người ghi", UserWidget())

    class Meta(RegisterResource.Meta):
        model = ProgressNote
        fields = ("directive", "noted_on", "text", "author")
        import_id_fields = ("directive", "noted_on", "text")

    def get_queryset(self):
        return ProgressNote.objects.select_related(
            "directive__meeting__committee", "author"
        ).order_by(
            "directive__meeting__committee__name",
            "directive__meeting__term",
            "directive__meeting__number",
            "directive__section_order",
            "directive__position",
            "noted_on",
            "id",
        )


# The archive's sheets, in the order a restore must follow.
ARCHIVE_SHEETS = (
    ("Lĩnh vực", TopicResource),
    ("Cấp ủy", CommitteeResource),
    ("Đơn vị", UnitResource),
    ("Hội nghị", MeetingResource),
    ("Báo cáo", ReportResource),
    ("Chỉ tiêu", IndicatorResource),
    ("Nhiệm vụ", DirectiveResource),
    ("Kết quả, tồn tại", FindingResource),
    ("Tiến độ", ProgressNoteResource),
)
