"""The conclusions register: committees, their meetings, and what each meeting concluded.

A Meeting is the aggregate root. The conclusion's metadata lives on it, and its reports,
indicators, directives and findings are edited inline on its admin page.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date

import reversion
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, Exists, F, Max, OuterRef, Q, Value, When
from django.utils import timezone
from django.utils.text import slugify

from . import vietnamese


class NormalizedTextModel(models.Model):
    """Every record keeps its text in Unicode NFC and knows when it was created and changed."""

    # Defaults rather than auto_now: fixtures are loaded raw, and raw saves skip auto_now.
    created_at = models.DateTimeField("thời điểm tạo", default=timezone.now, editable=False)
    updated_at = models.DateTimeField("cập nhật lần cuối", default=timezone.now, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.prepare_for_write()
        super().save(*args, **kwargs)

    def prepare_for_write(self) -> None:
        """What every write does to a row, whichever path writes it: save(), the conclusion
        loader, the spreadsheets' bulk writes, COPY (bulk.insert_rows) and the synthetic
        generator. Text in NFC, the columns that follow from others, the time of the change.
        Idempotent; it asks the database nothing when the row is complete (a row part with no
        position looks up the last one)."""
        self.normalize_text()
        self.derive_fields()
        self.updated_at = timezone.now()

    def derive_fields(self) -> None:
        """Fill the columns that follow from others (derived_columns names them)."""

    @classmethod
    def derived_columns(cls) -> list[str]:
        """The columns derive_fields() fills: a bulk update writes them with what it changes,
        so that none goes stale."""
        return []

    def clean_fields(self, exclude=None):
        # Normalize before validation so that uniqueness is checked on the stored form:
        # a name pasted in NFD must collide with the same name already saved in NFC.
        self.normalize_text()
        super().clean_fields(exclude=exclude)

    def normalize_text(self) -> None:
        for field in self._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField):
                value = getattr(self, field.attname)
                if isinstance(value, str):
                    setattr(self, field.attname, vietnamese.nfc(value))


class Searchable(models.Model):
    """A record found by the register's search: its folded words are kept in search_text.

    On PostgreSQL, triggers (migrations 0003 and 0006) fill search_vector and the word list
    from search_text; check_search_triggers (resolutions.checks) holds the two in step.
    """

    search_text = models.TextField(
        "nội dung tìm kiếm",
        blank=True,
        editable=False,
        help_text="Các từ đã bỏ dấu, do hệ thống tự tạo để tìm kiếm không dấu.",
    )

    # The fields whose folded words make search_text, the first one the record's own words
    # (ranked first); not the admin's search_fields, which name what the admin's box searches.
    searched_fields: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def derive_fields(self) -> None:
        super().derive_fields()  # type: ignore[misc]
        self.search_text = vietnamese.search_text(
            *(getattr(self, name) for name in self.searched_fields)
        )

    @classmethod
    def derived_columns(cls) -> list[str]:
        return [*super().derived_columns(), "search_text"]  # type: ignore[misc]


# --- Topics -------------------------------------------------------------------------------


class TopicQuerySet(models.QuerySet):
    def roots(self):
        return self.filter(parent__isnull=True)


class TopicManager(models.Manager.from_queryset(TopicQuerySet)):  # type: ignore[misc]
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


@reversion.register()
class Topic(NormalizedTextModel):
    name = models.CharField("tên lĩnh vực", max_length=200)
    slug = models.SlugField(
        "mã",
        max_length=100,
        unique=True,
        help_text=(
            "Mã không dấu, dùng trong tệp xuất nhập và bộ lọc, ví dụ “boi-thuong-tai-dinh-cu”."
        ),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name="thuộc lĩnh vực",
    )
    keywords = models.TextField(
        "từ khóa",
        blank=True,
        help_text="Mỗi dòng một từ khóa; dùng để gợi ý gắn chủ đề cho nhiệm vụ.",
    )
    position = models.PositiveSmallIntegerField("thứ tự", default=0)

    objects = TopicManager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = "lĩnh vực"
        verbose_name_plural = "lĩnh vực"
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=F("pk")),
                name="resolutions_topic_not_own_parent",
                violation_error_message="Một lĩnh vực không thể thuộc chính nó.",
            ),
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)

    def keyword_list(self) -> list[str]:
        return [line.strip() for line in self.keywords.splitlines() if line.strip()]

    def descendant_ids(self) -> set[int]:
        """This topic and every topic under it, so that a broad topic finds its finer ones."""
        found, frontier = {self.pk}, {self.pk}
        while frontier:
            frontier = (
                set(Topic.objects.filter(parent__in=frontier).values_list("pk", flat=True)) - found
            )
            found |= frontier
        return found


# --- Committees ---------------------------------------------------------------------------


class CommitteeQuerySet(models.QuerySet["Committee"]):
    def active(self, on: date | None = None):
        """Committees working on the given day (today by default)."""
        on = on or date.today()
        return self.filter(
            Q(active_from__isnull=True) | Q(active_from__lte=on),
            Q(active_until__isnull=True) | Q(active_until__gte=on),
        )

    def named(self, name: str) -> Committee | None:
        """The committee called *name*, however its accents and case were typed."""
        wanted = vietnamese.fold(name)
        return next((c for c in self if vietnamese.fold(c.name) == wanted), None)

    def named_like(self, text: str):
        """Committees whose name or short name holds *text*, accents or not ("quan 2")."""
        wanted = " ".join(vietnamese.search_words(text))
        ids = [
            pk
            for pk, name, short in self.values_list("pk", "name", "short_name")
            if wanted in " ".join(vietnamese.search_words(f"{name} {short}"))
        ]
        return self.filter(pk__in=ids)

    def dissolved(self, on: date | None = None):
        on = on or date.today()
        return self.filter(active_until__lt=on)


class CommitteeManager(models.Manager.from_queryset(CommitteeQuerySet)):  # type: ignore[misc]
    def get_by_natural_key(self, name):
        return self.get(name=vietnamese.nfc(name))


@reversion.register()
class Committee(NormalizedTextModel):
    class Level(models.TextChoices):
        WARD = "ward", "Phường, xã"
        DISTRICT = "district", "Quận, huyện"
        PROVINCE = "province", "Tỉnh, thành phố"
        CENTRAL = "central", "Trung ương"

    name = models.CharField(
        "tên cấp ủy",
        max_length=255,
        unique=True,
        help_text="Tên đầy đủ như trong văn bản, ví dụ “Ban Chấp hành Đảng bộ Quận 2”.",
    )
    short_name = models.CharField(
        "tên gọi tắt", max_length=100, blank=True, help_text="Ví dụ “Quận ủy Quận 2”."
    )
    symbol = models.CharField(
        "ký hiệu cơ quan ban hành",
        max_length=20,
        blank=True,
        help_text="Phần sau dấu “/” trong số hiệu văn bản, ví dụ “QU” trong “15-KL/QU”.",
    )
    level = models.CharField("cấp", max_length=20, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="subcommittees",
        verbose_name="cấp ủy cấp trên",
    )
    active_from = models.DateField("hoạt động từ ngày", null=True, blank=True)
    active_until = models.DateField(
        "hoạt động đến ngày",
        null=True,
        blank=True,
        help_text=(
            "Ngày cấp ủy kết thúc hoạt động (giải thể, sáp nhập); để trống nếu còn hoạt động."
        ),
    )
    successor = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessors",
        verbose_name="cấp ủy kế tục",
        help_text="Cấp ủy tiếp nhận công việc khi cấp ủy này giải thể hoặc sáp nhập.",
    )

    objects = CommitteeManager()

    class Meta:
        ordering = ["name"]
        verbose_name = "cấp ủy"
        verbose_name_plural = "cấp ủy"
        constraints = [
            models.CheckConstraint(
                condition=Q(active_from__isnull=True)
                | Q(active_until__isnull=True)
                | Q(active_until__gte=F("active_from")),
                name="resolutions_committee_active_dates_ordered",
                violation_error_message="Ngày kết thúc hoạt động không được trước ngày bắt đầu.",
            ),
            # A successor takes over from a committee that has ended; an open-ended committee
            # with a successor would leave two committees answerable for the same work.
            models.CheckConstraint(
                condition=Q(successor__isnull=True) | Q(active_until__isnull=False),
                name="resolutions_committee_successor_needs_end",
                violation_error_message=(
                    "Chỉ cấp ủy đã kết thúc hoạt động mới có cấp ủy kế tục: "
                    "hãy nhập ngày kết thúc hoạt động."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(successor=F("pk")) & ~Q(parent=F("pk")),
                name="resolutions_committee_not_own_relative",
                violation_error_message="Cấp ủy cấp trên và cấp ủy kế tục phải là cấp ủy khác.",
            ),
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.name,)

    @property
    def file_slug(self) -> str:
        """The committee in a file name people download: "quan-uy-quan-2"."""
        return slugify(vietnamese.fold(self.short_name or self.name))

    @property
    def abbreviated_name(self) -> str:
        """The name as headings abbreviate it: "BCH Đảng bộ Quận 2"."""
        return re.sub(r"^Ban\s+Chấp\s+hành\b", "BCH", self.name, flags=re.IGNORECASE)

    def is_active_on(self, day: date) -> bool:
        started = self.active_from is None or self.active_from <= day
        return started and (self.active_until is None or day <= self.active_until)


# --- Units that carry out directives --------------------------------------------------------


class UnitQuerySet(models.QuerySet):
    def of_committee(self, committee: Committee):
        return self.filter(committee=committee)


class UnitManager(models.Manager.from_queryset(UnitQuerySet)):  # type: ignore[misc]
    def get_by_natural_key(self, committee_name, name):
        return self.get(committee__name=committee_name, name=name)


@reversion.register()
class Unit(NormalizedTextModel):
    """A body a committee assigns work to: its own departments, the People's Committee, the
    Fatherland Front and the mass organizations."""

    class Kind(models.TextChoices):
        PARTY_BODY = "party_body", "Ban, cơ quan của cấp ủy"
        GOVERNMENT = "government", "Ủy ban nhân dân, cơ quan nhà nước"
        MASS_ORGANIZATION = "mass_organization", "Mặt trận Tổ quốc, đoàn thể"
        PARTY_ORGANIZATION = "party_organization", "Tổ chức cơ sở đảng"
        OTHER = "other", "Khác"

    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="units", verbose_name="thuộc cấp ủy"
    )
    name = models.CharField(
        "tên đơn vị", max_length=200, help_text="Ví dụ “Ủy ban nhân dân quận”, “Ban Dân vận”."
    )
    short_name = models.CharField("tên viết tắt", max_length=50, blank=True)
    kind = models.CharField("loại", max_length=30, choices=Kind.choices, default=Kind.OTHER)
    position = models.PositiveSmallIntegerField("thứ tự", default=0)

    objects = UnitManager()

    class Meta:
        ordering = ["committee_id", "position", "name"]
        verbose_name = "đơn vị thực hiện"
        verbose_name_plural = "đơn vị thực hiện"
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "name"],
                name="resolutions_unit_unique_name",
                violation_error_message="Cấp ủy này đã có một đơn vị cùng tên.",
            ),
        ]

    def __str__(self):
        return self.short_name or self.name

    def clean(self):
        super().clean()
        # A directive's supporting units are written in one spreadsheet cell, separated by
        # ";": a name holding one, or a line break or tab, could not be read back.
        if re.search(r"[;\t\n\r]", self.name or ""):
            raise ValidationError(
                {
                    "name": "Tên đơn vị không được có dấu chấm phẩy (;), dấu tab hay xuống "
                    "dòng: trong tệp bảng tính, dấu chấm phẩy ngăn tên các đơn vị với nhau."
                }
            )

    def natural_key(self):
        return (*self.committee.natural_key(), self.name)

    natural_key.dependencies = ["resolutions.committee"]  # type: ignore[attr-defined]


# --- Meetings -----------------------------------------------------------------------------


class MeetingQuerySet(models.QuerySet):
    def public(self):
        """Conclusions the office has marked for the public reading room."""
        return self.filter(is_public=True)

    def of_committee(self, committee: Committee):
        return self.filter(committee=committee)

    def mark_changed(self) -> int:
        """Count a change to these meetings or their rows made behind their pages' backs
        (a row saved alone, a bulk import): a page opened before must not save over it
        (Meeting.edit_version)."""
        return self.update(edit_version=F("edit_version") + 1)


class MeetingManager(models.Manager.from_queryset(MeetingQuerySet)):  # type: ignore[misc]
    def get_by_natural_key(self, committee_name, term, number):
        return self.get(committee__name=vietnamese.nfc(committee_name), term=term, number=number)


# A meeting's revision keeps the whole conclusion as it was.
@reversion.register(follow=("reports", "indicators", "directives", "findings"))
class Meeting(NormalizedTextModel):
    class Kind(models.TextChoices):
        REGULAR = "regular", "Thường kỳ"
        EXTENDED = "extended", "Mở rộng"
        EXTRAORDINARY = "extraordinary", "Bất thường"
        CONGRESS = "congress", "Đại hội"
        GOVERNMENT_MEETING = "government_meeting", "Phiên họp Ủy ban nhân dân"

    class DocumentKind(models.TextChoices):
        CONCLUSION = "conclusion", "Kết luận"
        RESOLUTION = "resolution", "Nghị quyết"
        CONCLUSION_NOTICE = "conclusion_notice", "Thông báo kết luận"

    QUARTERS = [(1, "I"), (2, "II"), (3, "III"), (4, "IV")]

    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="meetings", verbose_name="cấp ủy"
    )
    term = models.PositiveSmallIntegerField(
        "khóa",
        help_text="Nhập bằng số (3); được hiển thị bằng số La Mã (III).",
        validators=[
            MinValueValidator(1, "Khóa phải từ 1 trở lên."),
            MaxValueValidator(
                vietnamese.MAX_TERM, f"Khóa không quá {vietnamese.MAX_TERM}: hãy kiểm tra lại."
            ),
        ],
    )
    number = models.PositiveSmallIntegerField(
        "hội nghị lần thứ", help_text="Số thứ tự của hội nghị trong khóa; mỗi khóa đánh lại từ 1."
    )
    kind = models.CharField("hình thức", max_length=20, choices=Kind.choices, default=Kind.REGULAR)
    started_on = models.DateField("ngày bắt đầu")
    ended_on = models.DateField(
        "ngày kết thúc", null=True, blank=True, help_text="Để trống nếu hội nghị họp một ngày."
    )
    review_period = models.CharField(
        "kỳ kiểm điểm",
        max_length=100,
        blank=True,
        help_text="Giai đoạn được đánh giá, ví dụ “9 tháng năm 2007”.",
    )
    plan_period = models.CharField(
        "kỳ kế hoạch",
        max_length=100,
        blank=True,
        help_text="Giai đoạn được giao nhiệm vụ, ví dụ “quý IV/2007”; năm và quý được tự điền.",
    )
    plan_year = models.PositiveSmallIntegerField("năm kế hoạch", null=True, blank=True)
    plan_quarter = models.PositiveSmallIntegerField(
        "quý kế hoạch", null=True, blank=True, choices=QUARTERS
    )
    document_kind = models.CharField(
        "loại văn bản",
        max_length=20,
        choices=DocumentKind.choices,
        default=DocumentKind.CONCLUSION,
    )
    title = models.TextField("tiêu đề văn bản")
    document_symbol = models.CharField(
        "số, ký hiệu",
        max_length=50,
        blank=True,
        help_text="Ví dụ “15-KL/QU”; để trống nếu văn bản không ghi.",
    )
    issued_on = models.DateField("ngày ban hành", null=True, blank=True)
    published_on = models.DateField(
        "ngày đăng tải",
        null=True,
        blank=True,
        help_text=(
            "Ngày văn bản được đăng (ví dụ trên trang thông tin điện tử), không phải ngày họp."
        ),
    )
    is_public = models.BooleanField(
        "công khai trên trang đọc",
        default=False,
        help_text="Đánh dấu để mọi người đọc được kết luận này tại trang công khai, không cần "
        "đăng nhập. Mặc định: không công khai.",
    )
    general_instruction = models.TextField(
        "chỉ đạo chung", blank=True, help_text="Đoạn mở đầu phần nhiệm vụ của kết luận."
    )
    source_text = models.TextField("văn bản gốc", blank=True)
    source_name = models.CharField(
        "tệp nguồn", max_length=255, blank=True, help_text="Tên tệp văn bản đã nhập, nếu có."
    )
    source_checksum = models.CharField(
        "mã kiểm tra văn bản gốc",
        max_length=64,
        blank=True,
        editable=False,
        help_text="SHA-256 của văn bản gốc sau khi chuẩn hóa Unicode.",
    )
    edit_version = models.PositiveIntegerField(
        "lần lưu",
        default=0,
        editable=False,
        help_text=(
            "Tăng mỗi lần hội nghị hoặc một phần của nó được lưu, để một người không ghi đè "
            "thay đổi của người khác."
        ),
    )

    # What the last import of the conclusion's text stated, field by field, for the meeting
    # and each row by its place: {"meeting": {field: fingerprint}, "directive:1.2": {...}}.
    # A re-import compares it with the register to tell a value a person entered since (keep
    # it, or ask) from one the import wrote (update it). Stored rather than read back from
    # the history: a revision keeps what the record held, which after a re-import that kept a
    # person's value is that person's value, not what the document said.
    imported_values = models.JSONField(
        "giá trị theo văn bản đã nhập", default=dict, blank=True, editable=False
    )

    objects = MeetingManager()

    class Meta:
        ordering = ["-started_on", "-id"]
        verbose_name = "hội nghị"
        verbose_name_plural = "hội nghị"
        permissions = [
            ("manage_archive", "Xuất và khôi phục tệp lưu trữ toàn bộ sổ"),
            ("import_conclusion", "Nhập kết luận từ văn bản"),
        ]
        constraints = [
            # Meeting numbers restart every term, so the number alone repeats.
            models.UniqueConstraint(
                fields=["committee", "term", "number"],
                name="resolutions_meeting_unique_number_in_term",
                violation_error_message="Cấp ủy này đã có hội nghị lần thứ này trong khóa này.",
            ),
            # Party symbols ("15-KL/QU") restart each term too; a blank symbol repeats freely.
            models.UniqueConstraint(
                fields=["committee", "term", "document_symbol"],
                condition=~Q(document_symbol=""),
                name="resolutions_meeting_unique_symbol_in_term",
                violation_error_message="Số, ký hiệu này đã được dùng trong khóa này.",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="resolutions_meeting_ends_after_start",
                violation_error_message="Ngày kết thúc không được trước ngày bắt đầu.",
            ),
            models.CheckConstraint(
                condition=Q(term__gte=1) & Q(number__gte=1),
                name="resolutions_meeting_term_number_positive",
                violation_error_message="Khóa và lần hội nghị phải từ 1 trở lên.",
            ),
            # A term past 3999 has no Roman numeral and breaks every page that shows it.
            models.CheckConstraint(
                condition=Q(term__lte=vietnamese.MAX_TERM),
                name="resolutions_meeting_term_in_range",
                violation_error_message=f"Khóa không quá {vietnamese.MAX_TERM}.",
            ),
            models.CheckConstraint(
                condition=Q(plan_quarter__isnull=True) | Q(plan_quarter__range=(1, 4)),
                name="resolutions_meeting_plan_quarter_valid",
                violation_error_message="Quý kế hoạch phải từ I đến IV.",
            ),
        ]
        indexes = [
            # A committee's meetings, newest first: its page, and "the previous conclusion".
            models.Index(
                fields=["committee", "-started_on"], name="resolutions_mtg_committee_date"
            ),
            # The changelist's date hierarchy and year filters.
            models.Index(fields=["started_on"], name="resolutions_mtg_started_on"),
            # Filters by the plan period's year and quarter.
            models.Index(fields=["plan_year", "plan_quarter"], name="resolutions_mtg_plan_period"),
        ]

    def __str__(self):
        return (
            f"Hội nghị lần thứ {self.number} {self.committee.abbreviated_name} "
            f"khóa {self.term_roman} ({self.date_range})"
        )

    def save(self, *args, **kwargs):
        # Saved under the row lock taken by the meeting form (see forms.MeetingForm), so a
        # plain increment cannot race.
        self.edit_version += 1
        super().save(*args, **kwargs)

    def natural_key(self):
        return (*self.committee.natural_key(), self.term, self.number)

    natural_key.dependencies = ["resolutions.committee"]  # type: ignore[attr-defined]

    @property
    def term_roman(self) -> str:
        if not self.term:
            return ""
        # A form refused for its term still names the meeting (in its page title) with it.
        return vietnamese.to_roman(self.term) if self.term < 4000 else str(self.term)

    @property
    def date_range(self) -> str:
        return (
            vietnamese.format_date_range(self.started_on, self.ended_on) if self.started_on else ""
        )

    def previous(self) -> Meeting | None:
        """The committee's meeting held just before this one."""
        earlier = Meeting.objects.filter(
            committee_id=self.committee_id, started_on__lt=self.started_on
        ).exclude(pk=self.pk)
        return earlier.order_by("-started_on", "-term", "-number").first()

    def left_open(self) -> tuple[Meeting | None, DirectiveQuerySet | None]:
        """The committee's previous meeting and its directives still open, in document
        order: what this meeting may carry forward."""
        previous = self.previous()
        if previous is None:
            return None, None
        return previous, previous.directives.open().order_by("section_order", "position")

    def derive_fields(self) -> None:
        """Fill what follows from other fields: the plan's year and quarter, the checksum."""
        super().derive_fields()
        year, quarter = vietnamese.parse_period(self.plan_period)
        if year:
            self.plan_year, self.plan_quarter = year, quarter
        source = vietnamese.nfc(self.source_text)
        self.source_checksum = hashlib.sha256(source.encode()).hexdigest() if source else ""

    @classmethod
    def derived_columns(cls) -> list[str]:
        return [*super().derived_columns(), "plan_year", "plan_quarter", "source_checksum"]


# --- A meeting's parts --------------------------------------------------------------------


class MeetingPartManager(models.Manager):
    def get_by_natural_key(self, committee_name, term, number, *key):
        meeting = Meeting.objects.get_by_natural_key(committee_name, term, number)
        return self.get(
            meeting=meeting, **dict(zip(self.model.natural_key_fields, key, strict=True))
        )


class MeetingPart(NormalizedTextModel):
    """A row that belongs to one meeting's conclusion, kept in the order the document reads."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="%(class)ss", verbose_name="hội nghị"
    )
    position = models.PositiveIntegerField(
        "thứ tự", blank=True, help_text="Để trống để xếp cuối danh sách."
    )

    objects = MeetingPartManager()

    # The fields, after the meeting, that name one row; positions are unique within them.
    natural_key_fields: tuple[str, ...] = ("position",)

    class Meta:
        abstract = True
        ordering = ["meeting_id", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "position"],
                name="%(app_label)s_%(class)s_unique_position",
                violation_error_message="Hai dòng của cùng hội nghị không được trùng thứ tự.",
            ),
        ]

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # A row saved from its own page changes the meeting, which someone may have open.
        Meeting.objects.filter(pk=self.meeting_id).mark_changed()

    def natural_key(self):
        return (*self.meeting.natural_key(), *(getattr(self, f) for f in self.natural_key_fields))

    natural_key.dependencies = ["resolutions.meeting"]  # type: ignore[attr-defined]

    def derive_fields(self) -> None:
        super().derive_fields()
        if self.position is None:
            self.position = self.next_position()

    def next_position(self) -> int:
        scope = {f: getattr(self, f) for f in self.natural_key_fields if f != "position"}
        siblings = type(self)._default_manager.filter(meeting_id=self.meeting_id, **scope)
        return (siblings.aggregate(last=Max("position"))["last"] or 0) + 1


@reversion.register()
class Report(MeetingPart):
    class Kind(models.TextChoices):
        REPORT = "report", "Báo cáo"
        ACTION_PROGRAMME = "action_programme", "Chương trình hành động"
        WORK_PROGRAMME = "work_programme", "Chương trình làm việc"
        SCHEME = "scheme", "Đề án"
        SUBMISSION = "submission", "Tờ trình"

    kind = models.CharField("loại", max_length=20, choices=Kind.choices, default=Kind.REPORT)
    title = models.TextField("tên văn bản")

    class Meta(MeetingPart.Meta):
        verbose_name = "báo cáo, chương trình"
        verbose_name_plural = "báo cáo, chương trình"

    def __str__(self):
        return vietnamese.first_words(self.title, 16)


@reversion.register()
class Indicator(Searchable, MeetingPart):
    topic = models.ForeignKey(
        Topic,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name="lĩnh vực",
    )
    name = models.CharField("tên chỉ tiêu", max_length=500)
    period = models.CharField(
        "kỳ số liệu", max_length=100, blank=True, help_text="Ví dụ “9 tháng năm 2007”."
    )
    value = models.DecimalField("giá trị", max_digits=20, decimal_places=4, null=True, blank=True)
    unit = models.CharField(
        "đơn vị tính", max_length=50, blank=True, help_text="Ví dụ: tỷ đồng, %, hộ, người, ha."
    )
    target_value = models.DecimalField(
        "mức đề ra",
        max_digits=20,
        decimal_places=4,
        null=True,
        blank=True,
        help_text="Mức kế hoạch khi văn bản ghi “đạt/đề ra”, ví dụ 50 trong “83,2%/50%”.",
    )
    change_pct = models.DecimalField(
        "tăng, giảm (%)",
        max_digits=12,
        decimal_places=4,
        null=True,
        blank=True,
        help_text="Số âm khi giảm. Ví dụ 79,5 trong “tăng 79,5% so với cùng kỳ”.",
    )
    compared_with = models.CharField(
        "so với", max_length=100, blank=True, help_text="Ví dụ “cùng kỳ”."
    )
    plan_pct = models.DecimalField(
        "đạt (% kế hoạch)",
        max_digits=12,
        decimal_places=4,
        null=True,
        blank=True,
        help_text="Ví dụ 50,14 trong “đạt 50,14% kế hoạch”.",
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="parts",
        verbose_name="thuộc chỉ tiêu",
        help_text="Cho số liệu “trong đó …”: chỉ tiêu lớn chứa số liệu này.",
    )
    is_target = models.BooleanField(
        "là mục tiêu",
        default=False,
        help_text="Đánh dấu khi đây là mục tiêu đặt ra cho kỳ tới, không phải kết quả đã đạt.",
    )
    is_estimate = models.BooleanField("số ước tính", default=False, help_text="Văn bản ghi “ước”.")
    sentence = models.TextField(
        "câu trích", blank=True, help_text="Câu trong văn bản gốc chứa số liệu này."
    )
    searched_fields = ("name", "sentence", "unit", "period")

    class Meta(MeetingPart.Meta):
        verbose_name = "chỉ tiêu"
        verbose_name_plural = "chỉ tiêu"
        constraints = [
            *MeetingPart.Meta.constraints,
            models.CheckConstraint(
                condition=Q(value__isnull=False)
                | Q(change_pct__isnull=False)
                | Q(plan_pct__isnull=False),
                name="resolutions_indicator_has_figure",
                violation_error_message=(
                    "Chỉ tiêu cần ít nhất một số liệu: giá trị, tỷ lệ tăng giảm "
                    "hoặc tỷ lệ đạt kế hoạch."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(parent=F("pk")),
                name="resolutions_indicator_not_own_part",
                violation_error_message="Một chỉ tiêu không thể là phần của chính nó.",
            ),
        ]
        indexes = [
            models.Index(fields=["topic"], name="resolutions_indicator_topic"),
        ]

    def __str__(self):
        figures = []
        if self.value is not None:
            figures.append(
                f"{vietnamese.format_decimal(self.value, grouping=True)} {self.unit}".strip()
            )
        if self.change_pct is not None:
            verb = "giảm" if self.change_pct < 0 else "tăng"
            change = f"{verb} {vietnamese.format_decimal(abs(self.change_pct))}%"
            figures.append(
                f"{change} so với {self.compared_with}" if self.compared_with else change
            )
        if self.plan_pct is not None:
            figures.append(f"đạt {vietnamese.format_decimal(self.plan_pct)}% kế hoạch")
        return f"{self.name}: {', '.join(figures)}" if figures else self.name


class DirectiveQuerySet(models.QuerySet):
    def on_topic(self, topic: Topic):
        """Directives of a topic or any finer topic under it, by section or by tag."""
        ids = topic.descendant_ids()
        # A subquery rather than a join on tags: no duplicates, so no DISTINCT over the table.
        tagged = Directive.tags.through.objects.filter(topic__in=ids).values("directive_id")
        return self.filter(Q(topic__in=ids) | Q(pk__in=tagged))

    def of_committee(self, committee: Committee):
        return self.filter(meeting__committee=committee)

    def with_status(self, today: date | None = None):
        """Each directive's follow-up status as of today, computed in the query."""
        conditions = Directive.status_conditions(today or timezone.localdate())
        return self.annotate(
            follow_up_status=Case(
                *(When(condition, then=Value(status)) for status, condition in conditions.items()),
                output_field=models.CharField(),
            )
        )

    def in_status(self, *statuses: str, today: date | None = None):
        conditions = Directive.status_conditions(today or timezone.localdate())
        wanted = Q(pk__in=[])
        for status in statuses:
            wanted |= conditions[status]
        return self.filter(wanted)

    def open(self, today: date | None = None):
        """Not done and not handed on to a later conclusion: still the office's to follow."""
        return self.in_status(Directive.Status.ON_SCHEDULE, Directive.Status.OVERDUE, today=today)


class DirectiveManager(MeetingPartManager.from_queryset(DirectiveQuerySet)):  # type: ignore[misc]
    pass


@reversion.register()
class Directive(Searchable, MeetingPart):
    class Status(models.TextChoices):
        """How offices report a task: computed from its dates, never typed (status_on)."""

        DONE_ON_TIME = "done_on_time", "Hoàn thành đúng hạn"
        DONE_LATE = "done_late", "Hoàn thành quá hạn"
        ON_SCHEDULE = "on_schedule", "Đang thực hiện trong hạn"
        OVERDUE = "overdue", "Quá hạn chưa hoàn thành"
        CARRIED_OVER = "carried_over", "Chuyển sang kết luận sau"

    section_order = models.PositiveSmallIntegerField(
        "mục số (theo thứ tự đọc)",
        default=1,
        help_text="Thứ tự thật của mục trong văn bản, đếm từ 1.",
    )
    section_number = models.CharField(
        "số mục như bản in",
        max_length=10,
        blank=True,
        help_text="Giữ nguyên như văn bản in, kể cả khi in nhầm (ví dụ hai mục cùng in “2/”).",
    )
    section_heading = models.CharField("tên mục", max_length=300, blank=True)
    text = models.TextField("nội dung nhiệm vụ")
    topic = models.ForeignKey(
        Topic,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="directives",
        verbose_name="lĩnh vực",
        help_text="Lĩnh vực của mục chứa nhiệm vụ.",
    )
    tags = models.ManyToManyField(
        Topic,
        blank=True,
        related_name="tagged_directives",
        verbose_name="chủ đề",
        help_text="Các chủ đề chi tiết hơn mà nhiệm vụ đề cập.",
    )
    responsible_unit = models.CharField(
        "đơn vị được giao (như văn bản ghi)",
        max_length=300,
        blank=True,
        help_text="Nguyên văn khi văn bản nêu tên, ví dụ “Ủy ban nhân dân quận”.",
    )
    lead_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_directives",
        verbose_name="đơn vị chủ trì",
    )
    supporting_units = models.ManyToManyField(
        Unit, blank=True, related_name="supported_directives", verbose_name="đơn vị phối hợp"
    )
    cited_documents = models.TextField(
        "văn bản được dẫn",
        blank=True,
        help_text="Mỗi dòng một văn bản, ví dụ “Nghị quyết số 41-NQ/TW”.",
    )
    due_period = models.CharField(
        "thời hạn", max_length=100, blank=True, help_text="Ví dụ “quý IV/2007”."
    )
    due_on = models.DateField(
        "hạn hoàn thành",
        null=True,
        blank=True,
        help_text=(
            "Để trống thì lấy ngày cuối của thời hạn, nếu không có thì ngày cuối kỳ kế hoạch "
            "của hội nghị."
        ),
    )
    completed_on = models.DateField(
        "ngày hoàn thành", null=True, blank=True, help_text="Để trống khi chưa hoàn thành."
    )
    carried_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carried_to",
        verbose_name="tiếp nối nhiệm vụ",
        help_text="Cùng nhiệm vụ trong một kết luận trước, chưa hoàn thành và được chuyển sang.",
    )
    searched_fields = ("text", "section_heading", "responsible_unit", "cited_documents")

    objects = DirectiveManager()  # type: ignore[misc]  # the part manager, with its queries

    natural_key_fields = ("section_order", "position")

    class Meta(MeetingPart.Meta):
        ordering = ["meeting_id", "section_order", "position", "id"]
        verbose_name = "nhiệm vụ"
        verbose_name_plural = "nhiệm vụ"
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "section_order", "position"],
                name="resolutions_directive_unique_position",
                violation_error_message="Hai nhiệm vụ trong cùng mục không được trùng thứ tự.",
            ),
            models.CheckConstraint(
                condition=Q(section_order__gte=1),
                name="resolutions_directive_section_order_positive",
                violation_error_message="Thứ tự mục phải từ 1 trở lên.",
            ),
            models.CheckConstraint(
                condition=~Q(carried_from=F("pk")),
                name="resolutions_directive_not_carried_from_itself",
                violation_error_message="Một nhiệm vụ không thể tiếp nối chính nó.",
            ),
        ]
        indexes = [
            # Topic filters.
            models.Index(fields=["topic"], name="resolutions_directive_topic"),
            # The follow-up report and the overdue list: undone directives by deadline.
            models.Index(
                fields=["due_on"],
                condition=Q(completed_on__isnull=True),
                name="resolutions_directive_undone",
            ),
        ]

    def __str__(self):
        return vietnamese.first_words(self.text, 14)

    def clean(self):
        super().clean()
        meeting = self.meeting if self.meeting_id else None
        started = meeting.started_on if meeting else None
        if self.completed_on and started and self.completed_on < started:
            raise ValidationError(
                {
                    "completed_on": "Ngày hoàn thành không thể trước ngày họp "
                    f"({vietnamese.format_date(started)})."
                }
            )

    def derive_fields(self) -> None:
        """A directive with no deadline of its own is due when its period or the plan ends."""
        super().derive_fields()
        if self.due_on is None:
            self.due_on = self.deadline_from_periods()

    @classmethod
    def derived_columns(cls) -> list[str]:
        return [*super().derived_columns(), "due_on"]

    def deadline_from_periods(self) -> date | None:
        year, quarter = vietnamese.parse_period(self.due_period)
        if year is None and self.meeting_id:
            year, quarter = self.meeting.plan_year, self.meeting.plan_quarter
        return vietnamese.period_end(year, quarter) if year else None

    @staticmethod
    def status_on(
        today: date, *, due_on: date | None, completed_on: date | None, carried_over: bool
    ) -> Directive.Status:
        """The rule, for one directive. status_conditions says the same in SQL."""
        Status = Directive.Status
        if completed_on is not None:
            late = due_on is not None and completed_on > due_on
            return Status.DONE_LATE if late else Status.DONE_ON_TIME
        if carried_over:
            return Status.CARRIED_OVER
        if due_on is not None and today > due_on:
            return Status.OVERDUE
        return Status.ON_SCHEDULE

    @staticmethod
    def status_conditions(today: date) -> dict[str, Q]:
        """status_on as one condition per status, for filters and counts in the database."""
        Status = Directive.Status
        done, undone = Q(completed_on__isnull=False), Q(completed_on__isnull=True)
        no_deadline = Q(due_on__isnull=True)
        carried = Q(Exists(Directive.objects.filter(carried_from=OuterRef("pk"))))
        return {
            Status.DONE_ON_TIME: done & (no_deadline | Q(completed_on__lte=F("due_on"))),
            Status.DONE_LATE: done & Q(completed_on__gt=F("due_on")),
            Status.CARRIED_OVER: undone & carried,
            Status.ON_SCHEDULE: undone & ~carried & (no_deadline | Q(due_on__gte=today)),
            Status.OVERDUE: undone & ~carried & Q(due_on__lt=today),
        }

    @property
    def status(self) -> Directive.Status:
        """As of today; read from with_status() when the queryset computed it."""
        if "follow_up_status" in self.__dict__:
            return Directive.Status(self.__dict__["follow_up_status"])
        return self.status_on(
            timezone.localdate(),
            due_on=self.due_on,
            completed_on=self.completed_on,
            carried_over=bool(self.pk) and self.carried_to.exists(),
        )

    def get_status_display(self) -> str:
        return self.status.label

    @property
    def section_place(self) -> str:
        """The directive's section: its order, and the number the document printed in
        brackets when that differs ("3 (III)")."""
        order, printed = str(self.section_order), (self.section_number or "").strip()
        return f"{order} ({printed})" if printed and printed != order else order

    def carry_forward(self, meeting: Meeting) -> Directive:
        """The same task set again in a later meeting's conclusion, linked both ways."""
        if meeting.pk == self.meeting_id:
            raise ValidationError("Nhiệm vụ đã thuộc hội nghị này.")
        if self.carried_to.filter(meeting=meeting).exists():
            raise ValidationError("Nhiệm vụ này đã được chuyển sang hội nghị này.")
        new = Directive(
            meeting=meeting,
            section_order=self.section_order,
            section_number=self.section_number,
            section_heading=self.section_heading,
            text=self.text,
            topic=self.topic,
            responsible_unit=self.responsible_unit,
            lead_unit=self.lead_unit,
            cited_documents=self.cited_documents,
            carried_from=self,
        )
        new.save()
        new.tags.set(self.tags.all())
        new.supporting_units.set(self.supporting_units.all())
        return new


@reversion.register()
class Finding(Searchable, MeetingPart):
    class Kind(models.TextChoices):
        ACHIEVEMENT = "achievement", "Kết quả đạt được"
        SHORTCOMING = "shortcoming", "Hạn chế, tồn tại"

    kind = models.CharField("loại", max_length=20, choices=Kind.choices)
    text = models.TextField("nội dung")
    topic = models.ForeignKey(
        Topic,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="findings",
        verbose_name="lĩnh vực",
    )
    searched_fields = ("text",)

    class Meta(MeetingPart.Meta):
        verbose_name = "kết quả, tồn tại"
        verbose_name_plural = "kết quả, tồn tại"

    def __str__(self):
        return f"{self.get_kind_display()}: {vietnamese.first_words(self.text, 12)}"


# --- Follow-up ----------------------------------------------------------------------------


@reversion.register()
class ProgressNote(NormalizedTextModel):
    """What the office learned about a directive's progress, and when."""

    directive = models.ForeignKey(
        Directive, on_delete=models.CASCADE, related_name="progress_notes", verbose_name="nhiệm vụ"
    )
    noted_on = models.DateField("ngày", default=timezone.localdate)
    text = models.TextField("tình hình thực hiện")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="người ghi",
        help_text="Tự điền theo người đăng nhập.",
    )

    class Meta:
        ordering = ["directive_id", "noted_on", "id"]
        verbose_name = "ghi nhận tiến độ"
        verbose_name_plural = "ghi nhận tiến độ"

    def __str__(self):
        return f"{vietnamese.format_date(self.noted_on)}: {vietnamese.first_words(self.text, 12)}"


class SourceFile(models.Model):
    """A file a conclusion was read from, kept byte for byte as it was received: the archive's
    original ("bản gốc"), handed over with the register. The text the register shows is
    Meeting.source_text; this is what the office was given."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="source_files", verbose_name="hội nghị"
    )
    name = models.CharField("tên tệp", max_length=255)
    content = models.BinaryField("nội dung tệp", editable=False)
    size = models.PositiveBigIntegerField("dung lượng (byte)", editable=False)
    sha256 = models.CharField("mã SHA-256", max_length=64, editable=False, db_index=True)
    format = models.CharField(
        "định dạng", max_length=10, blank=True, help_text="Định dạng nhận ra khi đọc tệp."
    )
    encodings = models.CharField(
        "bảng mã đã chuyển",
        max_length=200,
        blank=True,
        help_text="Bảng mã cũ đã chuyển sang Unicode.",
    )
    ocr = models.BooleanField("đọc bằng nhận dạng chữ (OCR)", default=False)
    received_at = models.DateTimeField("thời điểm nhận", default=timezone.now, editable=False)

    class Meta:
        ordering = ["meeting_id", "received_at", "id"]
        verbose_name = "tệp văn bản gốc"
        verbose_name_plural = "tệp văn bản gốc"
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "sha256"], name="source_file_once_per_meeting"
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name = vietnamese.nfc(self.name)
        content = bytes(self.content)
        self.size = len(content)
        self.sha256 = hashlib.sha256(content).hexdigest()
        super().save(*args, **kwargs)

    @property
    def format_label(self) -> str:
        from .parsing.intake import FORMAT_LABELS

        return FORMAT_LABELS.get(self.format, self.format)

    @property
    def encodings_label(self) -> str:
        """The legacy encodings converted, as the preview names them ("VNI, TCVN3 (ABC)")."""
        from .parsing.encodings import LABELS

        return ", ".join(LABELS.get(code, code) for code in self.encodings.split(", ") if code)


from .api.tokens import ApiToken  # noqa: E402, F401  (a model of this app, in the API's package)

# Issuing data lives with the rest of the issuing code; imported here so that its models
# belong to this app.
from .issuing.models import Issuance, IssuingProfile, RegisteredNumber  # noqa: E402, F401
from .series.models import (  # noqa: E402, F401  (issue 15)
    DirectiveRepeat,
    DirectiveTarget,
    IndicatorSeries,
    RepeatGram,
    RepeatWords,
    SeriesMatch,
)
