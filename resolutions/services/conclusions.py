"""Loading parsed conclusions into the register: one transaction per document, idempotent.

A meeting is found by its committee, term and number. Importing the same document again
changes nothing; importing a corrected version updates that meeting and its rows in place,
matching rows by their place in the document, so that what clerks added later (a directive's
status, tags, carry-forward links) survives the correction.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from .. import vietnamese
from ..models import Committee, Directive, Finding, Indicator, Meeting, Report, Topic, Unit
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
from . import audit
from .tagging import TagSuggester, suggest_tags

__all__ = [
    "DocumentError",
    "ImportOutcome",
    "ImportRefused",
    "import_conclusion",
    "import_document",
    "import_path",
    "parse_document",
    "parse_text",
    "topic_matcher",
]


class ImportRefused(ValueError):
    """The document cannot become a meeting; the message names the file and what is missing."""


@dataclass
class ImportOutcome:
    source_name: str
    meeting: Meeting
    status: str  # created, updated or unchanged
    counts: dict[str, Counter] = field(default_factory=dict)
    warnings: list[ParseWarning] = field(default_factory=list)
    dry_run: bool = False

    STATUS_LABELS = {"created": "tạo mới", "updated": "cập nhật", "unchanged": "không đổi"}
    ROW_LABELS = {
        "report": "báo cáo",
        "indicator": "chỉ tiêu",
        "finding": "kết quả, tồn tại",
        "directive": "nhiệm vụ",
    }

    def summary(self) -> str:
        """One line for the clerk: what happened to the meeting and to its rows."""
        rows = []
        for model, label in self.ROW_LABELS.items():
            counts = self.counts.get(model, Counter())
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
            rows.append(f"{label}: {', '.join(parts) or '0'}")
        prefix = "[chạy thử] " if self.dry_run else ""
        return (
            f"{prefix}{self.source_name}: {self.STATUS_LABELS[self.status]} {self.meeting} "
            f"({'; '.join(rows)})"
        )


def topic_matcher() -> TopicMatcher:
    """Section headings are matched against the register's own topics."""
    topics = Topic.objects.select_related("parent")
    entries = [
        TopicEntry(t.slug, t.name, tuple(t.keyword_list()), t.parent.slug if t.parent else "")
        for t in topics
    ]
    return TopicMatcher(entries) if entries else TopicMatcher()


def parse_text(text: str, name: str = "") -> ParsedConclusion:
    return parse_conclusion(text, topics=topic_matcher(), source_name=name)


def parse_document(name: str, data: bytes) -> ParsedConclusion:
    """Read and parse an uploaded or stored file; raises DocumentError for what is unreadable."""
    return parse_text(read_document(name, data), name)


def import_document(name: str, data: bytes, *, dry_run: bool = False, user=None) -> ImportOutcome:
    return import_conclusion(
        parse_document(name, data), source_name=name, dry_run=dry_run, user=user, data=data
    )


def import_path(path: str | Path, *, dry_run: bool = False, user=None) -> ImportOutcome:
    path = Path(path)
    # Read once: the same bytes are parsed and named by their checksum in the history.
    return import_document(path.name, read_path_bytes(path), dry_run=dry_run, user=user)


def import_conclusion(
    parsed: ParsedConclusion,
    *,
    source_name: str = "",
    dry_run: bool = False,
    user=None,
    data: bytes | None = None,
) -> ImportOutcome:
    """Write one parsed conclusion, all or nothing. With dry_run, report and roll back.

    What it writes is one revision of the audit trail, named by the file and the checksum of
    its bytes (*data*), or of the text when it was pasted.
    """
    _refuse_incomplete(parsed, source_name)
    comment = audit.import_comment(
        source_name or "văn bản dán", data if data is not None else parsed.source_text
    )
    try:
        with audit.recorded(comment, user):
            outcome = _Loader(parsed, source_name, user).load()
            outcome.dry_run = dry_run
            if outcome.status != "unchanged":
                # Rows written in bulk changed the meeting too.
                Meeting.objects.filter(pk=outcome.meeting.pk).mark_changed()
                # The revision holds the whole conclusion as imported.
                audit.add_meeting(outcome.meeting)
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


def constraint_message(error: IntegrityError) -> str:
    """The register's own words for the constraint the database named, where it named one."""
    for model in (Committee, Meeting, Report, Indicator, Directive, Finding):
        for constraint in model._meta.constraints:
            if constraint.name in str(error):
                return constraint.get_violation_error_message()
    return f"dữ liệu trái với ràng buộc của sổ ({error})."


def _refuse_incomplete(parsed: ParsedConclusion, source_name: str) -> None:
    meeting = parsed.meeting
    missing = [
        label
        for label, value in (
            ("tên cấp ủy (Ban Chấp hành Đảng bộ …)", meeting.committee),
            ("khóa", meeting.term),
            ("lần hội nghị", meeting.number),
            ("ngày họp", meeting.started_on),
            ("tiêu đề", parsed.title),
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


_PROVINCE_CITIES = ("hồ chí minh", "hà nội", "hải phòng", "đà nẵng", "cần thơ", "huế")


def _committee_level(name: str) -> str:
    folded = name.casefold()
    if re.search(r"\b(?:phường|xã|thị trấn)\b", folded):
        return Committee.Level.WARD
    if re.search(r"\btỉnh\b", folded) or any(city in folded for city in _PROVINCE_CITIES):
        return Committee.Level.PROVINCE
    return Committee.Level.DISTRICT


@dataclass
class ConclusionRecords:
    """What a parsed conclusion becomes in the register, before anything is written: the
    meeting's field values, and each part's values keyed by its place. The importer writes
    them; the meeting form's "fill from text" shows them for a clerk to check and save."""

    meeting: dict
    rows: dict[type, dict[tuple, dict]]
    indicator_parents: dict[tuple, tuple | None]  # "trong đó …": a part and its figure
    warnings: list[ParseWarning]


def conclusion_records(
    parsed: ParsedConclusion, source_name: str, topics: dict[str, Topic]
) -> ConclusionRecords:
    source = parsed.meeting
    kind = Meeting.Kind.REGULAR
    if source.extended_session:
        kind = Meeting.Kind.EXTENDED
    elif source.extraordinary:
        kind = Meeting.Kind.EXTRAORDINARY
    meeting = {
        "kind": kind,
        "started_on": source.started_on,
        "ended_on": source.ended_on if source.ended_on != source.started_on else None,
        "review_period": source.review_period,
        "plan_period": source.plan_period,
        "document_kind": parsed.document_kind or Meeting.DocumentKind.CONCLUSION,
        "title": parsed.title,
        "document_symbol": parsed.document_symbol,
        "issued_on": parsed.issued_on,
        "published_on": parsed.published_on,
        "general_instruction": parsed.general_instruction,
        "source_text": parsed.source_text,
        "source_name": source_name,
    }
    warnings = []
    section_topics = {s.order: topics.get(s.topic_slug) for s in parsed.sections}
    for section in parsed.sections:
        if section.topic_slug and section.topic_slug not in topics:
            warnings.append(
                ParseWarning(
                    section.line,
                    "missing_topic",
                    f"lĩnh vực “{section.topic_slug}” chưa có trong sổ; mục "
                    f"“{section.heading}” để trống lĩnh vực.",
                )
            )
    rows = {
        Report: {(i,): {"kind": r.kind, "title": r.title} for i, r in enumerate(parsed.reports, 1)},
        Finding: {(i,): {"kind": f.kind, "text": f.text} for i, f in enumerate(parsed.findings, 1)},
        Directive: {
            (section.order, index): {
                "section_number": section.printed_number,
                "section_heading": section.heading[:300],
                "text": directive.text,
                "topic": section_topics.get(section.order),
                "responsible_unit": directive.responsible_unit[:300],
                "cited_documents": "\n".join(directive.cited_documents),
                "due_period": source.plan_period,
            }
            for section, index, directive in parsed.directives
        },
        Indicator: {},
    }
    parents, by_name = {}, {}
    for position, indicator in enumerate(parsed.indicators, 1):
        topic = section_topics.get(indicator.section_order) if indicator.is_target else None
        rows[Indicator][(position,)] = {
            "name": indicator.name[:500],
            "period": indicator.period[:100],
            "value": indicator.value,
            "unit": indicator.unit,
            "target_value": indicator.target_value,
            "change_pct": indicator.change_pct,
            "compared_with": indicator.compared_with[:100],
            "plan_pct": indicator.plan_pct,
            "is_target": indicator.is_target,
            "is_estimate": indicator.is_estimate,
            "sentence": indicator.sentence,
            "topic": topic,
        }
        by_name.setdefault(indicator.name, (position,))
        parents[(position,)] = by_name.get(indicator.part_of) if indicator.part_of else None
    return ConclusionRecords(meeting, rows, parents, warnings)


class UnitMatcher:
    """The unit a directive names ("Ủy ban nhân dân quận có biện pháp …"), among its
    committee's units, by full name or short name at the start of the named unit."""

    def __init__(self, committee: Committee | None):
        units = list(committee.units.all()) if committee and committee.pk else []
        self.names = sorted(
            (
                (f" {' '.join(vietnamese.search_words(name))} ", unit)
                for unit in units
                for name in (unit.name, unit.short_name)
                if vietnamese.search_words(name)
            ),
            key=lambda pair: -len(pair[0]),  # the longest name that fits
        )

    def match(self, named: str) -> Unit | None:
        if not named:
            return None
        folded = f" {' '.join(vietnamese.search_words(named))} "
        return next((unit for name, unit in self.names if folded.startswith(name)), None)


@dataclass
class FormInitial:
    """A parsed conclusion as the meeting page's initial values, for a clerk to check."""

    meeting: dict
    rows: dict[type, list[dict]]
    warnings: list

    def summary(self) -> str:
        parts = [
            (Report, "báo cáo"),
            (Indicator, "chỉ tiêu"),
            (Directive, "nhiệm vụ"),
            (Finding, "kết quả, tồn tại"),
        ]
        return ", ".join(f"{len(self.rows[model])} {label}" for model, label in parts)


def form_initial(parsed: ParsedConclusion, source_name: str = "") -> FormInitial:
    """What "Điền từ văn bản" puts in the meeting page's forms: the same records an import
    would write (conclusion_records), with related rows as ids and tags suggested."""
    topics = {t.slug: t for t in Topic.objects.all()}
    records = conclusion_records(parsed, source_name, topics)
    warnings = list(parsed.warnings) + records.warnings
    committee = Committee.objects.named(parsed.meeting.committee)
    if parsed.meeting.committee and committee is None:
        warnings.append(
            ParseWarning(
                1,
                "new_committee",
                f"chưa có cấp ủy “{parsed.meeting.committee}” trong sổ: hãy thêm cấp ủy "
                "(nút + cạnh ô Cấp ủy) rồi chọn.",
            )
        )

    def ids(values: dict) -> dict:
        return {k: (v.pk if isinstance(v, Topic) else v) for k, v in values.items()}

    meeting = {
        **records.meeting,
        "committee": committee.pk if committee else None,
        "term": parsed.meeting.term,
        "number": parsed.meeting.number,
    }
    suggester = TagSuggester(t for t in topics.values() if t.parent_id)
    units = UnitMatcher(committee)
    directives = []
    for (section_order, position), values in records.rows[Directive].items():
        proposed = Directive(text=values["text"])
        lead = units.match(values["responsible_unit"])
        directives.append(
            {
                **ids(values),
                "section_order": section_order,
                "position": position,
                "tags": sorted(suggester.suggest(proposed)),
                "lead_unit": lead.pk if lead else None,
            }
        )
    rows = {
        model: [{**ids(values), "position": key[0]} for key, values in records.rows[model].items()]
        for model in (Report, Indicator, Finding)
    }
    rows[Directive] = directives
    return FormInitial(meeting, rows, warnings)


class _Loader:
    def __init__(self, parsed: ParsedConclusion, source_name: str, user=None):
        self.parsed = parsed
        self.source_name = source_name
        self.user = user  # None: the command line, which may add committees
        self.counts: dict[str, Counter] = {}
        self.topics = {t.slug: t for t in Topic.objects.all()}
        self.tag_suggester = TagSuggester(t for t in self.topics.values() if t.parent_id)
        self.records = conclusion_records(parsed, source_name, self.topics)
        self.warnings = list(parsed.warnings) + self.records.warnings

    def load(self) -> ImportOutcome:
        meeting, status = self._meeting()
        self._rows(meeting)
        if status == "unchanged" and any(
            c["created"] or c["updated"] or c["deleted"] for c in self.counts.values()
        ):
            status = "updated"
        return ImportOutcome(self.source_name, meeting, status, self.counts, self.warnings)

    def _committee(self) -> Committee:
        name = self.parsed.meeting.committee
        committee = Committee.objects.named(name)
        if committee is not None:
            return committee
        if self.user is not None and not self.user.has_perm("resolutions.add_committee"):
            raise ImportRefused(
                f"{self.source_name or 'Văn bản'}: chưa có cấp ủy “{name}” trong sổ, và bạn "
                "không có quyền thêm cấp ủy. Hãy nhờ người được phép thêm cấp ủy (quản trị "
                "viên) thêm cấp ủy này trước, rồi nhập lại. Không có gì được ghi vào cơ sở "
                "dữ liệu."
            )
        committee = Committee(name=name, level=_committee_level(name))
        committee.full_clean()
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

    def _meeting(self) -> tuple[Meeting, str]:
        source = self.parsed.meeting
        committee = self._committee()
        meeting = Meeting.objects.filter(
            committee=committee, term=source.term, number=source.number
        ).first()
        created = meeting is None
        if created:
            meeting = Meeting(committee=committee, term=source.term, number=source.number)
        changed = _assign(meeting, self.records.meeting)
        if created or changed:
            meeting.full_clean()
            meeting.save()
        return meeting, "created" if created else ("updated" if changed else "unchanged")

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
        for key, parent_key in records.indicator_parents.items():
            row, status = rows[key]
            parent = rows[parent_key][0] if parent_key else None
            if row.parent_id != (parent.pk if parent else None):
                row.parent = parent
                row.save(update_fields=["parent", "updated_at"])
                if status == "unchanged":
                    self.counts["indicator"].update(updated=1, unchanged=-1)

    def _sync(self, meeting: Meeting, model, wanted: dict[tuple, dict]) -> dict[tuple, tuple]:
        """Make the meeting's rows of *model* exactly *wanted*, keyed by their place.

        Returns each key's row and what happened to it: created, updated or unchanged.
        """
        counts = self.counts.setdefault(model._meta.model_name, Counter())
        key_fields = model.natural_key_fields
        existing = {
            tuple(getattr(row, f) for f in key_fields): row
            for row in model.objects.filter(meeting=meeting)
        }
        for key in sorted(set(existing) - set(wanted)):
            existing.pop(key).delete()
            counts["deleted"] += 1
        rows, new_rows = {}, []
        for key, values in wanted.items():
            row = existing.get(key)
            if row is None:
                row = model(meeting=meeting, **dict(zip(key_fields, key, strict=True)))
                _assign(row, values)
                status = "created"
            elif _assign(row, values):
                status = "updated"
            else:
                status = "unchanged"
            if status != "unchanged":
                # Field rules here; the constraints are the database's, and a breach rolls the
                # whole document back (full_clean would ask the database once per constraint).
                row.clean_fields(exclude=["meeting"])
                row.updated_at = timezone.now()
            if status == "created":
                if hasattr(row, "derive_fields"):  # what save() would do; bulk_create does not
                    row.derive_fields()
                new_rows.append(row)
            elif status == "updated":
                row.save()
            counts[status] += 1
            rows[key] = (row, status)
        model.objects.bulk_create(new_rows)
        return rows


def _assign(instance, values: dict) -> bool:
    """Set *values* on *instance*; True when any of them differs from what it held."""
    changed = False
    for name, value in values.items():
        if isinstance(value, str):
            value = vietnamese.nfc(value)
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed = True
    return changed
