"""How each cell of a register's spreadsheet is read and written (django-import-export widgets).

Related rows are named by natural keys and looked up once per file (``Lookup``), never once a
row; every widget can also render straight from ``values_list()`` values (``FastExport``).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from import_export import widgets

from .. import vietnamese
from ..models import Committee, Directive, Indicator, Meeting, Topic, Unit
from . import cells


class ImportProblem(ValueError):
    """A value that cannot be read; the message is for the person who made the file."""


def text_of(value) -> str:
    """A cell's text as it was before ``cells.escape`` wrote it. A NUL character (which
    PostgreSQL cannot store, and no one types) is refused."""
    text = cells.unescape(str(value if value is not None else ""))
    if "\x00" in text:
        raise ImportProblem("có ký tự NUL (U+0000), không được phép trong văn bản")
    return text


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
        return vietnamese.nfc(text_of(value))

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


class Lookup(FastExport, widgets.Widget):
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


class CommitteeWidget(Lookup):
    missing = "không có cấp ủy “{}” trong sổ"
    shown_field = "name"

    def load(self):
        return {vietnamese.fold(c.name): c for c in Committee.objects.all()}

    def fetch(self, key):
        return Committee.objects.named(key)

    def clean(self, value, row=None, **kwargs):
        name = vietnamese.nfc(text_of(value)).strip()
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
        text = vietnamese.nfc(text_of(value)).strip()
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
        for part in TAG_SEPARATORS.split(vietnamese.nfc(text_of(value))):
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


def row_committee(row) -> str:
    """The committee a row belongs to, from its "Cấp ủy" column (English header accepted)."""
    return vietnamese.nfc(text_of((row or {}).get("Cấp ủy"))).strip()


class UnitWidget(Lookup):
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
        return self.named(vietnamese.nfc(text_of(value)).strip(), row)

    def named(self, name: str, row):
        """The unit of the row's committee with this name (already read from its cell)."""
        if not name:
            return None
        committee = row_committee(row)
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
        names = [n.strip() for n in re.split(r"[;\n]", text_of(value)) if n.strip()]
        return [self.one.named(vietnamese.nfc(name), row) for name in names]

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return self.join(u.name for u in value.all())

    def join(self, shown) -> str:
        return cells.escape(self.joiner.join(sorted(shown)))


class MeetingWidget(Lookup):
    """A meeting named by three columns: committee, term and number. The meetings the rows
    name are read before the rows (``prepare``, or ``wanted`` set by a widget that names
    meetings), and only those loaded: a part of a long sheet loads its own."""

    missing = "không có {} trong sổ"

    def load(self):
        meetings = Meeting.objects.select_related("committee")
        if self.wanted is not None:
            names = {name for name, _, _ in self.wanted}
            committees = [
                c.pk
                for c in Committee.objects.only("id", "name")
                if vietnamese.fold(c.name) in names
            ]
            meetings = meetings.filter(
                committee_id__in=committees, number__in={n for _, _, n in self.wanted}
            )
        return {(vietnamese.fold(m.committee.name), m.term, m.number): m for m in meetings}

    def prepare(self, dataset, column):
        headers = dataset.headers or []
        if not all(c in headers for c in MEETING_COLUMNS):
            return
        wanted = set()
        for values in zip(*(dataset[c] for c in MEETING_COLUMNS), strict=True):
            try:
                name, term, number = self.key(dict(zip(MEETING_COLUMNS, values, strict=True)))
            except ValueError:
                continue  # reported when its row is read
            wanted.add((vietnamese.fold(name), term, number))
        self.wanted = wanted

    def fetch(self, key):
        folded, term, number = key
        candidates = Meeting.objects.filter(term=term, number=number).select_related("committee")
        return next((m for m in candidates if vietnamese.fold(m.committee.name) == folded), None)

    def __init__(self):
        super().__init__()
        self.keys = {}  # each written form of a meeting's three columns, parsed
        self.wanted: set | None = None  # (folded committee, term, number); None: every one

    def reset(self):
        super().reset()
        self.keys = {}
        self.wanted = None

    def key(self, row):
        # A file repeats each meeting on many rows, and its key is read several times a row
        # (the row's own meeting, its natural key): parse each written form once.
        raw = tuple(row.get(c) for c in MEETING_COLUMNS)
        if raw not in self.keys:
            self.keys[raw] = self._parse_key(*raw)
        return self.keys[raw]

    def _parse_key(self, committee, term, number):
        name = vietnamese.nfc(text_of(committee)).strip()
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


def _in_chunks(ids, size=500):
    ids = list(ids)
    return (ids[start : start + size] for start in range(0, len(ids), size))


class DirectiveRefWidget(Lookup):
    """Another directive, written as people cite it:
    "Ban Chấp hành Đảng bộ Quận 2 | khóa III | lần 9 | mục 1 | nhiệm vụ 7".

    The meetings the column names are read before the rows (``prepare``), and their directives
    loaded in one query when the first cell is read: a file costs the same few queries
    whatever its number of rows."""

    PATTERN = re.compile(
        r"^(?P<committee>.+?)\s*\|\s*khóa\s+(?P<term>\S+)\s*\|\s*lần\s+(?P<number>\d+)\s*\|"
        r"\s*mục\s+(?P<section>\d+)\s*\|\s*nhiệm vụ\s+(?P<position>\d+)$",
        re.IGNORECASE,
    )
    missing = "không có nhiệm vụ “{}” trong sổ"

    def __init__(self):
        super().__init__()
        self.meetings = MeetingWidget()
        self.wanted = set()  # (committee, term, number) of each meeting the column names

    def reset(self):
        super().reset()
        self.meetings.reset()
        self.wanted = set()

    def key(self, text: str):
        match = self.PATTERN.match(text)
        if not match:
            raise ImportProblem(
                f"“{text}” không đúng dạng “cấp ủy | khóa III | lần 9 | mục 1 | nhiệm vụ 7”"
            )
        try:
            term = vietnamese.parse_term(match["term"])
        except ValueError as error:
            raise ImportProblem(str(error)) from None
        committee = vietnamese.fold(match["committee"].strip())
        return committee, term, int(match["number"]), int(match["section"]), int(match["position"])

    def prepare(self, dataset, column):
        if column not in (dataset.headers or []):
            return
        for value in dataset[column]:
            try:
                text = vietnamese.nfc(text_of(value)).strip()
                if text:
                    self.wanted.add(self.key(text)[:3])
            except ValueError:
                continue  # reported when its row is read

    def load(self):
        meetings = self.meetings.cache
        if meetings is None:
            self.meetings.wanted = self.wanted
            meetings = self.meetings.cache = self.meetings.load()
        named = {meetings[k].pk: k for k in self.wanted if k in meetings}
        found = {}
        for ids in _in_chunks(named):
            for directive in Directive.objects.filter(meeting_id__in=ids).only(
                "id", "meeting_id", "section_order", "position"
            ):
                key = (*named[directive.meeting_id], directive.section_order, directive.position)
                found[key] = directive
        return found

    def fetch(self, key):
        # A directive of a meeting the column did not name beforehand (a cell read alone).
        committee, term, number, section, position = key
        candidates = Directive.objects.filter(
            meeting__term=term, meeting__number=number, section_order=section, position=position
        ).select_related("meeting__committee")
        return next(
            (d for d in candidates if vietnamese.fold(d.meeting.committee.name) == committee), None
        )

    def clean(self, value, row=None, **kwargs):
        text = vietnamese.nfc(text_of(value)).strip()
        if not text:
            return None
        return self.find(self.key(text), text)

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


class ParentIndicatorWidget(Lookup):
    """The figure a part belongs to ("trong đó …"), by its position in the same meeting. The
    indicators of the meetings whose rows name a parent are loaded in one query."""

    missing = "không có chỉ tiêu thứ tự {} trong hội nghị này"
    # The columns each loaded indicator is read with.
    loaded_fields: tuple[str, ...] = ("id", "meeting_id", "position")

    def __init__(self):
        super().__init__()
        # The row's meeting, found as the meeting column finds it: all meetings loaded once
        # per file, not once per row that names a parent.
        self.meetings = MeetingWidget()
        self.wanted = set()  # the meetings of the rows that name a parent

    def reset(self):
        super().reset()
        self.meetings.reset()
        self.wanted = set()

    def prepare(self, dataset, column):
        headers = dataset.headers or []
        if column not in headers:
            return
        meeting_columns = [
            dataset[c] if c in headers else [None] * len(dataset) for c in MEETING_COLUMNS
        ]
        for value, *meeting in zip(dataset[column], *meeting_columns, strict=True):
            if value in (None, ""):
                continue
            try:
                name, term, number = self.meetings.key(
                    dict(zip(MEETING_COLUMNS, meeting, strict=True))
                )
            except ValueError:
                continue  # reported when its row is read
            self.wanted.add((vietnamese.fold(name), term, number))
        self.meetings.wanted = self.wanted  # the row's meeting is found among these

    def load(self):
        meetings = self.meetings.cache
        if meetings is None:
            self.meetings.wanted = self.wanted
            meetings = self.meetings.cache = self.meetings.load()
        ids = {meetings[k].pk for k in self.wanted if k in meetings}
        found = {}
        for chunk in _in_chunks(ids):
            for indicator in Indicator.objects.filter(meeting_id__in=chunk).only(
                *self.loaded_fields
            ):
                found[(indicator.meeting_id, indicator.position)] = indicator
        return found

    def fetch(self, key):
        meeting_id, position = key
        return Indicator.objects.filter(meeting_id=meeting_id, position=position).first()

    def clean(self, value, row=None, **kwargs):
        position = IntegerWidget().clean(value)
        if position is None:
            return None
        meeting = self.meetings.clean(None, row=row)
        return self.find((meeting.pk, position), position)

    def render(self, value, obj=None, **kwargs):
        return self.render_values([value.position if value else None], **kwargs)

    def value_paths(self, attribute):
        return [f"{attribute}__position"]

    def render_values(self, values, **kwargs):
        if values[0] is None:
            return None if kwargs.get("force_native_type") else ""
        return values[0] if kwargs.get("force_native_type") else str(values[0])


class UserWidget(Lookup):
    """A person by login name. People are not part of the archive: an unknown name is left
    blank rather than refused, and the note keeps its text and date."""

    def load(self):
        return {u.get_username(): u for u in get_user_model().objects.all()}

    def fetch(self, key):
        return None

    def clean(self, value, row=None, **kwargs):
        name = text_of(value).strip()
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


class IndicatorRefWidget(ParentIndicatorWidget):
    """A meeting's indicator, by its position, in the meeting the row's three meeting columns
    name (the series' matches)."""

    # With its name: a match is described by it (the audit trail's record of each row).
    loaded_fields = (*ParentIndicatorWidget.loaded_fields, "name")
