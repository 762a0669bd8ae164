"""Loading parsed conclusions into the register: one transaction per document, idempotent.

A meeting is found by its committee, term and number. Importing the text the meeting already
holds (the same after normalization) writes nothing at all. Importing a corrected version
updates that meeting and its rows in place, matching rows by their place in the document, so
that what clerks added later (a directive's status, tags, carry-forward links) survives the
correction. It never blanks a field the document does not state, and a value a person entered
after the last import is kept unless the person confirms its replacement (overwrite_edits):
the import lists each such value (ImportOutcome.edits).
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from reversion.models import Version

from .. import vietnamese
from ..bulk import insert_rows
from ..errors import constraint_message
from ..models import Committee, Directive, Finding, Indicator, Meeting, Report, Topic
from ..parsing import (
    DocumentError,
    ParsedConclusion,
    ParseWarning,
    TopicEntry,
    TopicMatcher,
    parse_conclusion,
    read_document,
    read_path_bytes,
)
from ..parsing.intake import Intake, as_guessed, read_upload
from ..series.matching import match_meeting
from . import audit
from .records import ROW_MODELS, UnitMatcher, committee_level, conclusion_records, row_label
from .sources import keep_source_file
from .tagging import TagSuggester, suggest_tags

__all__ = [
    "DocumentError",
    "ImportOutcome",
    "ImportRefused",
    "PersonEdit",
    "Reference",
    "import_conclusion",
    "import_document",
    "import_path",
    "parse_document",
    "parse_text",
    "reference",
    "topic_matcher",
]


class ImportRefused(ValueError):
    """The document cannot become a meeting; the message names the file and what is missing."""


@dataclass
class PersonEdit:
    """A value a person entered after the last import, which the document would replace."""

    record: str  # "hội nghị", "nhiệm vụ 1.2"
    field: str  # the field's name as the page shows it
    current: str
    new: str
    replaced: bool  # True when the import was told to overwrite it

    def __str__(self):
        return f"{self.record}, {self.field}: “{self.current}” → “{self.new}”"


@dataclass
class ImportOutcome:
    source_name: str
    meeting: Meeting
    status: str  # created, updated or unchanged
    counts: dict[str, Counter] = field(default_factory=dict)
    warnings: list[ParseWarning] = field(default_factory=list)
    dry_run: bool = False
    edits: list[PersonEdit] = field(default_factory=list)

    STATUS_LABELS = {
        "created": "tạo mới",
        "updated": "cập nhật",
        "unchanged": "không có gì thay đổi ở",
    }

    def summary(self) -> str:
        """One line for the clerk: what happened to the meeting and to its rows."""
        rows = []
        for model in ROW_MODELS:
            counts = self.counts.get(str(model._meta.model_name), Counter())
            parts = [
                f"{counts[key]} {name}"
                for key, name in (
                    ("created", "mới"),
                    ("updated", "sửa"),
                    ("deleted", "xóa"),
                    ("unchanged", "không đổi"),
                )
                if counts[key]
            ]
            rows.append(f"{row_label(model)}: {', '.join(parts) or '0'}")
        prefix = "[chạy thử] " if self.dry_run else ""
        line = (
            f"{prefix}{self.source_name}: {self.STATUS_LABELS[self.status]} {self.meeting} "
            f"({'; '.join(rows)})"
        )
        kept = len(self.kept_edits)
        if kept:
            line += f"; giữ nguyên {kept} giá trị do người dùng nhập sau lần nhập trước"
        if len(self.edits) > kept:
            line += f"; thay {len(self.edits) - kept} giá trị do người dùng nhập sau lần nhập trước"
        return line

    @property
    def kept_edits(self) -> list[PersonEdit]:
        return [edit for edit in self.edits if not edit.replaced]


def topic_matcher(topics: list[Topic] | None = None) -> TopicMatcher:
    """Section headings are matched against the register's own topics."""
    if topics is None:
        topics = list(Topic.objects.select_related("parent"))
    entries = [
        TopicEntry(t.slug, t.name, tuple(t.keyword_list()), t.parent.slug if t.parent else "")
        for t in topics
    ]
    return TopicMatcher(entries) if entries else TopicMatcher()


@dataclass
class Reference:
    """What each document of a batch is read and tagged against, read once for the batch: the
    register's topics (an import adds none)."""

    topics: dict[str, Topic]
    matcher: TopicMatcher
    tag_suggester: TagSuggester


def reference() -> Reference:
    topics = list(Topic.objects.select_related("parent"))
    return Reference({t.slug: t for t in topics}, topic_matcher(topics), TagSuggester(topics))


def parse_text(text: str, name: str = "", topics: TopicMatcher | None = None) -> ParsedConclusion:
    """*text* parsed, its section headings matched against *topics* (the register's own, read
    now, when not given: a batch reads them once)."""
    return parse_conclusion(text, topics=topics or topic_matcher(), source_name=name)


def parse_document(name: str, data: bytes) -> ParsedConclusion:
    """Read and parse an uploaded or stored file; raises DocumentError for what is unreadable."""
    return parse_text(read_document(name, data), name)


def import_document(
    name: str, data: bytes, *, dry_run: bool = False, user=None, overwrite_edits: bool = False
) -> ImportOutcome:
    intake = read_upload(name, data)
    parsed = parse_text(intake.text, name)
    if intake.ocr:  # what OCR read may be misread: every value is a guess
        as_guessed(parsed)
    return import_conclusion(
        parsed,
        source_name=name,
        dry_run=dry_run,
        user=user,
        data=data,
        overwrite_edits=overwrite_edits,
        intake=intake,
    )


def import_path(
    path: str | Path, *, dry_run: bool = False, user=None, overwrite_edits: bool = False
) -> ImportOutcome:
    path = Path(path)
    # Read once: the same bytes are parsed and named by their checksum in the history.
    return import_document(
        path.name,
        read_path_bytes(path),
        dry_run=dry_run,
        user=user,
        overwrite_edits=overwrite_edits,
    )


def import_conclusion(
    parsed: ParsedConclusion,
    *,
    source_name: str = "",
    dry_run: bool = False,
    user=None,
    data: bytes | None = None,
    overwrite_edits: bool = False,
    intake: Intake | None = None,
    batch: Reference | None = None,
) -> ImportOutcome:
    """Write one parsed conclusion, all or nothing. With dry_run, report and roll back.

    What it writes is one revision of the audit trail, named by the file and the checksum of
    its bytes (*data*), or of the text when it was pasted. The file's bytes are kept as one of
    the meeting's source files, in the same transaction (with how they were read: *intake*);
    pasted text keeps none. Values a person entered after the last import are kept and listed
    in the outcome's edits, or replaced with overwrite_edits.
    """
    _refuse_incomplete(parsed, source_name)
    comment = audit.import_comment(
        source_name or "văn bản dán", data if data is not None else parsed.source_text
    )
    try:
        with audit.recorded(comment, user):
            outcome = _Loader(
                parsed, source_name, user=user, overwrite_edits=overwrite_edits, batch=batch
            ).load()
            outcome.dry_run = dry_run
            if outcome.status != "unchanged":
                # Rows written in bulk changed the meeting too.
                Meeting.objects.filter(pk=outcome.meeting.pk).mark_changed()
                # The revision holds the whole conclusion as imported.
                audit.add_meeting(outcome.meeting)
            if data is not None and not dry_run:
                # Kept even when the text was already there: the file is what was received.
                keep_source_file(
                    outcome.meeting, source_name, data, intake, new=outcome.status == "created"
                )
            if dry_run:
                transaction.set_rollback(True)
    except IntegrityError as error:
        raise ImportRefused(
            f"{source_name or 'Văn bản'}: không nhập được: {constraint_message(error)} "
            "Không có gì được ghi vào cơ sở dữ liệu."
        ) from error
    except ValidationError as error:
        raise ImportRefused(
            f"{source_name or 'Văn bản'}: không nhập được: {'; '.join(error.messages)} "
            "Không có gì được ghi vào cơ sở dữ liệu."
        ) from error
    return outcome


def _validated(instance: models.Model, *, in_hand: tuple[str, ...] = ()) -> None:
    """full_clean, less the constraints: Django asks the database once for each, and the
    database checks them anyway on save, naming the one broken, whose message the refusal
    gives (errors.constraint_message); the document is then rolled back whole. The foreign
    keys *in_hand* hold a row just read or written: not asked for again."""
    instance.full_clean(exclude=in_hand, validate_constraints=False)


def _refuse_incomplete(parsed: ParsedConclusion, source_name: str) -> None:
    meeting = parsed.meeting
    missing = [
        label
        for label, value in (
            ("tên cấp ủy (Ban Chấp hành Đảng bộ …)", meeting.committee),
            ("khóa", meeting.term),
            ("lần hội nghị", meeting.number),
            ("ngày họp", meeting.started_on),
        )
        if not value
    ]
    if not parsed.directives:
        missing.append("nhiệm vụ nào")
    if missing:
        raise ImportRefused(
            f"{source_name or 'Văn bản'}: không nhập được vì không tìm thấy "
            + ", ".join(missing)
            + ". Không có gì được ghi vào cơ sở dữ liệu."
        )


class _Loader:
    def __init__(
        self,
        parsed: ParsedConclusion,
        source_name: str,
        *,
        user=None,
        overwrite_edits=False,
        batch: Reference | None = None,
    ):
        self.parsed = parsed
        self.source_name = source_name
        self.user = user  # None: the command line, which may add committees
        self.overwrite_edits = overwrite_edits
        self.counts: dict[str, Counter] = {}
        self.edits: list[PersonEdit] = []
        if batch is None:
            self.topics = {t.slug: t for t in Topic.objects.all()}
            self.tag_suggester = TagSuggester(self.topics.values())
        else:
            self.topics, self.tag_suggester = batch.topics, batch.tag_suggester
        self.records = conclusion_records(parsed, source_name, self.topics)
        self.warnings = list(parsed.warnings) + self.records.warnings
        # What the last import stated (Meeting.imported_values), and what this one states.
        self.imported: dict[str, dict] = {}
        self._new_meeting = False
        self.stated: dict[str, dict] = {}

    def load(self) -> ImportOutcome:
        source = self.parsed.meeting
        committee = Committee.objects.named(source.committee)
        meeting = None
        if committee is not None:
            meeting = Meeting.objects.filter(
                committee=committee, term=source.term, number=source.number
            ).first()
        if meeting is not None and vietnamese.same_text(
            meeting.source_text, self.parsed.source_text
        ):
            # The text the register already holds: nothing is written, not even a revision,
            # whatever clerks have changed since (their values stay as they are). A trial
            # run, rolled back, finds the values a person entered that the text states
            # otherwise: they are listed, and replaced only when the person asks for it.
            trial = _Loader(self.parsed, self.source_name, user=self.user)
            trial.topics, trial.tag_suggester = self.topics, self.tag_suggester
            # The same document, whatever its file was called and however its lines ended.
            for name in ("source_text", "source_name"):
                trial.records.meeting[name] = getattr(meeting, name)
            with transaction.atomic():
                trial.write(committee, meeting)
                transaction.set_rollback(True)
            meeting = Meeting.objects.get(pk=meeting.pk)
            if not (trial.edits and self.overwrite_edits):
                for model in (Report, Indicator, Directive, Finding):
                    count = model.objects.filter(meeting=meeting).count()
                    self.counts[str(model._meta.model_name)] = Counter(unchanged=count)
                self.edits = trial.edits
                return self._outcome(meeting, "unchanged")
        return self.write(committee, meeting)

    def write(self, committee: Committee | None, meeting: Meeting | None) -> ImportOutcome:
        meeting, status = self._meeting(committee, meeting)
        self._new_meeting = status == "created"  # it has no rows yet: none to read
        self._rows(meeting)
        if status == "unchanged" and any(
            c["created"] or c["updated"] or c["deleted"] for c in self.counts.values()
        ):
            status = "updated"
        if meeting.imported_values != self.stated:
            meeting.imported_values = self.stated
            Meeting.objects.filter(pk=meeting.pk).update(imported_values=self.stated)
        return self._outcome(meeting, status)

    def _outcome(self, meeting: Meeting, status: str) -> ImportOutcome:
        return ImportOutcome(
            self.source_name, meeting, status, self.counts, self.warnings, edits=self.edits
        )

    def _committee(self) -> Committee:
        name = self.parsed.meeting.committee
        if self.user is not None and not self.user.has_perm("resolutions.add_committee"):
            raise ImportRefused(
                f"{self.source_name or 'Văn bản'}: chưa có cấp ủy “{name}” trong sổ, và bạn "
                "không có quyền thêm cấp ủy. Hãy nhờ người được phép thêm cấp ủy (quản trị "
                "viên) thêm cấp ủy này trước, rồi nhập lại. Không có gì được ghi vào cơ sở "
                "dữ liệu."
            )
        committee = Committee(name=name, level=committee_level(name))
        _validated(committee)
        committee.save()
        audit.add([committee])  # kept in the import's revision, like the meeting
        self.warnings.append(
            ParseWarning(
                1,
                "new_committee",
                f"chưa có cấp ủy “{name}” trong sổ: đã tạo mới, hãy bổ sung tên gọi tắt và cấp.",
            )
        )
        return committee

    def _meeting(self, committee: Committee | None, meeting: Meeting | None):
        source = self.parsed.meeting
        if committee is None:
            committee = self._committee()
        if meeting is None:
            # _refuse_incomplete made sure the text states both.
            meeting = Meeting(committee=committee, term=source.term, number=source.number)  # type: ignore[misc]
            _assign(meeting, self.records.meeting)
            self.stated["meeting"] = _fingerprints(self.records.meeting)
            _validated(meeting, in_hand=("committee",))
            meeting.save()
            return meeting, "created"
        self.imported = meeting.imported_values or _imported_from_history(meeting)
        if self._update(meeting, "meeting", "hội nghị", self.records.meeting):
            _validated(meeting)
            meeting.save()
            return meeting, "updated"
        return meeting, "unchanged"

    def _update(self, instance, entry: str, label: str, values: dict) -> bool:
        """_merge for a record's own fields; sets what it may, and says whether it did."""
        current = {name: _current(instance, name) for name in values}
        wanted, self.stated[entry] = self._merge(entry, label, current, values, instance._meta)
        _assign(instance, wanted)
        return bool(wanted)

    def _merge(self, entry: str, label: str, current: dict, values: dict, opts, shown=None):
        """What a re-import sets on a record that exists: what the document states, except a
        value a person entered after the last import, which is listed in self.edits and set
        only with overwrite_edits. Returns the values to set, and the fingerprints of what the
        document stated for the record's entry in Meeting.imported_values."""
        before = self.imported.get(entry)
        shown = shown or (lambda name, value: audit.display(opts.get_field(name), value))
        wanted, stated = {}, {}
        for name, new in values.items():
            imported = before.get(name) if before is not None else None
            action = _decide(current[name], new, imported)
            if action == "ask":
                self.edits.append(
                    PersonEdit(
                        label,
                        str(opts.get_field(name).verbose_name),
                        shown(name, current[name]),
                        shown(name, _current_form(new)),
                        self.overwrite_edits,
                    )
                )
                if not self.overwrite_edits:
                    # Asked again next time, until a person confirms it.
                    if imported is not None:
                        stated[name] = imported
                    continue
            stated[name] = _fingerprint(new)
            if action != "keep":
                wanted[name] = new
        return wanted, stated

    def _rows(self, meeting: Meeting) -> None:
        records = self.records
        self._sync(meeting, Report, records.rows[Report])
        self._sync(meeting, Finding, records.rows[Finding])
        directives = self._sync(meeting, Directive, records.rows[Directive])
        created = [row for row, status in directives.values() if status == "created"]
        suggest_tags(created, suggester=self.tag_suggester)
        # The unit a new directive names leads it; a clerk's later choice is never replaced.
        units = UnitMatcher(meeting.committee)
        led = []
        for row in created:
            row.lead_unit = units.match(row.responsible_unit)
            if row.lead_unit:
                led.append(row)
        Directive.objects.bulk_update(led, ["lead_unit"])
        rows = self._sync(meeting, Indicator, records.rows[Indicator])
        match_meeting(meeting)  # each new figure to its series (resolutions/series)
        # "trong đó …": a part names its figure by the figure's place in the document, and so
        # do the fingerprints.
        places = {row.pk: _place(key) for key, (row, _) in rows.items()}
        by_place = {_place(key): row for key, (row, _) in rows.items()}

        def shown(name, place):
            return str(by_place[place]) if place in by_place else "—"

        for key, parent_key in records.indicator_parents.items():
            if key not in rows or (parent_key and parent_key not in rows):
                continue  # a row a person deleted, or its figure
            row, status = rows[key]
            entry = _entry(Indicator, key)
            stated = {"parent": _place(parent_key) if parent_key else None}
            if status == "created":
                self.stated[entry].update(_fingerprints(stated))
                set_parent = True
            else:
                label = f"chỉ tiêu {_place(key)}"
                current = {"parent": places.get(row.parent_id)}
                wanted, fingerprints = self._merge(
                    entry, label, current, stated, Indicator._meta, shown
                )
                self.stated[entry].update(fingerprints)
                set_parent = bool(wanted)
            parent = rows[parent_key][0] if parent_key else None
            if set_parent and row.parent_id != (parent.pk if parent else None):
                row.parent = parent
                row.save(update_fields=["parent", "updated_at"])
                if status == "unchanged":
                    self.counts["indicator"].update(updated=1, unchanged=-1)

    def _sync(self, meeting: Meeting, model, wanted: dict[tuple, dict]) -> dict[tuple, tuple]:
        """Make the meeting's rows of *model* what the document states, keyed by their place.

        Returns each key's row and what happened to it: created, updated or unchanged.
        """
        counts = self.counts.setdefault(model._meta.model_name, Counter())
        key_fields = model.natural_key_fields
        existing = {
            tuple(getattr(row, f) for f in key_fields): row
            for row in ([] if self._new_meeting else model.objects.filter(meeting=meeting))
        }
        for key in sorted(set(existing) - set(wanted)):
            row = existing.pop(key)
            if self._entered_by_person(row, key):
                self.edits.append(
                    PersonEdit(
                        f"{model._meta.verbose_name} {_place(key)}",
                        "cả dòng",
                        str(row),
                        "(xóa: văn bản không còn dòng này)",
                        self.overwrite_edits,
                    )
                )
                if not self.overwrite_edits:
                    if _entry(model, key) in self.imported:
                        self.stated[_entry(model, key)] = self.imported[_entry(model, key)]
                    counts["unchanged"] += 1
                    continue
            row.delete()
            counts["deleted"] += 1
        rows, new_rows = {}, []
        for key, values in wanted.items():
            row = existing.get(key)
            entry = _entry(model, key)
            if row is None and entry in self.imported and not self._restore(model, key, values):
                continue  # a person deleted the row since the last import
            if row is None:
                row = model(meeting=meeting, **dict(zip(key_fields, key, strict=True)))
                _assign(row, values)
                self.stated[entry] = _fingerprints(values)
                status = "created"
            else:
                label = f"{model._meta.verbose_name} {_place(key)}"
                status = "updated" if self._update(row, entry, label, values) else "unchanged"
            if status != "unchanged":
                # Field rules here; the constraints are the database's, and a breach rolls the
                # whole document back (full_clean would ask the database once per constraint).
                row.clean_fields(exclude=["meeting"])
            if status == "created":
                new_rows.append(row)
            elif status == "updated":
                row.save()
            counts[status] += 1
            rows[key] = (row, status)
        insert_rows(model, new_rows)
        return rows

    def _restore(self, model, key: tuple, values: dict) -> bool:
        """Whether to write again a row of the document that a person deleted after the
        last import: not when the document states it as before; when it states it otherwise,
        only with overwrite_edits (the row is listed either way)."""
        entry = _entry(model, key)
        before = {k: v for k, v in self.imported[entry].items() if k != "parent"}
        if _fingerprints(values) != before:
            self.edits.append(
                PersonEdit(
                    f"{model._meta.verbose_name} {_place(key)}",
                    "cả dòng",
                    "(đã xóa)",
                    str(model(**values)),
                    self.overwrite_edits,
                )
            )
            if self.overwrite_edits:
                return True
        self.stated[entry] = self.imported[entry]  # still deleted by a person
        return False

    def _entered_by_person(self, row, key: tuple) -> bool:
        """Whether a row the document no longer has holds anything a person entered: a
        value other than the last import wrote, or a directive's follow-up."""
        before = self.imported.get(_entry(type(row), key))
        if before is None:
            return True
        if any(
            _fingerprint(_current(row, name)) != fingerprint
            for name, fingerprint in before.items()
            if name != "parent"
        ):
            return True
        if isinstance(row, Directive):
            return bool(
                row.completed_on
                or row.carried_from_id
                or row.progress_notes.exists()
                or row.carried_to.exists()
            )
        return False


def _imported_from_history(meeting: Meeting) -> dict[str, dict]:
    """For a meeting imported before Meeting.imported_values was kept: what its last import
    wrote, read from that import's revision (the loader names it by the meeting's file), as
    the same fingerprints. Nothing a person entered since could have been kept against a
    document then, so the revision holds what the document stated. {} when there is none."""
    version = (
        Version.objects.get_for_object(meeting)
        .filter(revision__comment__startswith=f"Nhập từ tệp “{meeting.source_name}”")
        .order_by("-pk")
        .first()
    )
    if version is None or not meeting.source_name:
        return {}
    found = {"meeting": _stored_fingerprints(Meeting, version.field_dict)}
    for row in version.revision.version_set.exclude(pk=version.pk):
        model = row._model
        if model in (Report, Indicator, Directive, Finding):
            values = row.field_dict
            key = tuple(values[name] for name in model.natural_key_fields)
            found[_entry(model, key)] = _stored_fingerprints(model, values)
    return found


def _stored_fingerprints(model, values: dict) -> dict[str, str]:
    """Fingerprints of a version's values (keyed by attname) by field name, system fields and
    the meeting link left out."""
    return {
        field.name: _fingerprint(values.get(field.attname))
        for field in model._meta.concrete_fields
        if not field.primary_key
        and field.name not in audit.UNSHOWN
        and field.name != "meeting"
        and field.attname in values
    }


def _assign(instance, values: dict) -> None:
    """Set *values* on a record, text in the stored form."""
    for name, value in values.items():
        setattr(instance, name, vietnamese.nfc(value) if isinstance(value, str) else value)


def _entry(model, key: tuple) -> str:
    """A row's key in Meeting.imported_values: "directive:1.2"."""
    return f"{model._meta.model_name}:{_place(key)}"


def _place(key: tuple) -> str:
    return ".".join(str(part) for part in key)


def _current(instance, name: str):
    """The value a record holds for a field, a related record by its id (no query)."""
    model_field = instance._meta.get_field(name)
    if model_field.is_relation and not isinstance(model_field, models.ForeignKey):
        return getattr(instance, name)
    return getattr(instance, model_field.attname if model_field.is_relation else name)


def _current_form(value):
    """A value as _current reads it back: a related record as its id."""
    return value.pk if isinstance(value, models.Model) else value


def _blank(value) -> bool:
    return value is None or value == ""


def _canonical(value):
    """A value in one form whatever its origin: text as stored, "" as None, a related record
    as its id, a decimal without its trailing zeros (55.6990 is 55.699), a date in ISO."""
    value = _current_form(value)
    if isinstance(value, str):
        value = vietnamese.nfc(value)
    if _blank(value):
        return None
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _fingerprint(value) -> str:
    """A short digest of a value: Meeting.imported_values keeps these, not the texts again."""
    text = json.dumps(_canonical(value), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _fingerprints(values: dict) -> dict[str, str]:
    return {name: _fingerprint(value) for name, value in values.items()}


def _decide(current, new, imported: str | None) -> str:
    """What a re-import does with one field: "keep" the register's value, "set" the
    document's, or "ask" a person, because a person entered the value it would replace.

    *imported* is the fingerprint of what the last import stated, None when unknown (a
    meeting entered by hand, or imported before imports kept it).
    """
    if _blank(new) or _fingerprint(current) == _fingerprint(new):
        return "keep"  # the document does not state it, or states what the register holds
    if imported is None:
        return "set" if _blank(current) else "ask"
    if _fingerprint(new) == imported:
        return "keep"  # the document says what it said; a person has changed it since
    if _fingerprint(current) == imported:
        return "set"  # still what the import wrote
    return "ask"
