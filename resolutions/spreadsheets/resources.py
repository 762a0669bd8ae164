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

from django.db.models import Case, F, Value, When

from ..models import (
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
from .base import Column, RegisterResource, column
from .signals import rows_written
from .widgets import (
    MEETING_COLUMNS,
    BooleanWidget,
    ChoiceWidget,
    CommitteeWidget,
    DateWidget,
    DecimalWidget,
    DirectiveRefWidget,
    IntegerWidget,
    MeetingWidget,
    ParentIndicatorWidget,
    StatusWidget,
    TagsWidget,
    TermWidget,
    TopicWidget,
    UnitsWidget,
    UnitWidget,
    UserWidget,
)

LEVEL_ORDER = (
    Committee.Level.CENTRAL,
    Committee.Level.PROVINCE,
    Committee.Level.DISTRICT,
    Committee.Level.WARD,
)


class TopicResource(RegisterResource):
    deferred = ("parent",)
    slug = column("slug", "Mã", required=True)
    name = column("name", "Tên lĩnh vực", required=True)
    parent = column("parent", "Thuộc lĩnh vực", TopicWidget())
    keywords = column("keywords", "Từ khóa")
    position = column("position", "Thứ tự", IntegerWidget())

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
    name = column("name", "Tên cấp ủy", required=True)
    short_name = column("short_name", "Tên gọi tắt")
    symbol = column("symbol", "Ký hiệu")
    level = column("level", "Cấp", ChoiceWidget(Committee.Level), required=True)
    parent = column("parent", "Cấp ủy cấp trên", CommitteeWidget())
    active_from = column("active_from", "Hoạt động từ ngày", DateWidget())
    active_until = column("active_until", "Hoạt động đến ngày", DateWidget())
    successor = column("successor", "Cấp ủy kế tục", CommitteeWidget())

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
    committee = column("committee", "Cấp ủy", CommitteeWidget(), required=True)
    name = column("name", "Tên đơn vị", required=True)
    short_name = column("short_name", "Tên viết tắt")
    kind = column("kind", "Loại", ChoiceWidget(Unit.Kind), required=True)
    position = column("position", "Thứ tự", IntegerWidget())

    class Meta(RegisterResource.Meta):
        model = Unit
        fields = ("committee", "name", "short_name", "kind", "position")
        import_id_fields = ("committee", "name")

    def get_queryset(self):
        return Unit.objects.select_related("committee").order_by(
            "committee__name", "position", "name"
        )


class _ChangesMeetings(RegisterResource):
    """Rows written in bulk skip save(): a meeting page opened before the file changed the
    meeting or its rows must not save over them (Meeting.edit_version), as after any other
    change."""

    def changed_meeting(self, instance):
        raise NotImplementedError

    def before_import(self, dataset, **kwargs):
        self.changed_meetings = set()
        super().before_import(dataset, **kwargs)

    def before_save_instance(self, instance, row, **kwargs):
        super().before_save_instance(instance, row, **kwargs)
        if (meeting := self.changed_meeting(instance)) is not None:
            self.changed_meetings.add(meeting)

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        if self.changed_meetings:
            Meeting.objects.filter(pk__in=self.changed_meetings).mark_changed()
            if not kwargs.get("dry_run"):
                model = self._meta.model
                rows_written.send(type(self), model=model, meeting_ids=self.changed_meetings)


class MeetingResource(_ChangesMeetings):
    committee = column("committee", "Cấp ủy", CommitteeWidget(), required=True)
    term = column("term", "Khóa", TermWidget(), required=True)
    number = column("number", "Hội nghị lần thứ", IntegerWidget(), required=True)
    kind = column("kind", "Hình thức", ChoiceWidget(Meeting.Kind))
    started_on = column("started_on", "Ngày bắt đầu", DateWidget(), required=True)
    ended_on = column("ended_on", "Ngày kết thúc", DateWidget())
    review_period = column("review_period", "Kỳ kiểm điểm")
    plan_period = column("plan_period", "Kỳ kế hoạch")
    document_kind = column("document_kind", "Loại văn bản", ChoiceWidget(Meeting.DocumentKind))
    title = column("title", "Tiêu đề văn bản", required=True)
    document_symbol = column("document_symbol", "Số, ký hiệu")
    issued_on = column("issued_on", "Ngày ban hành", DateWidget())
    published_on = column("published_on", "Ngày đăng tải", DateWidget())
    is_public = column("is_public", "Công khai trên trang đọc", BooleanWidget())
    general_instruction = column("general_instruction", "Chỉ đạo chung")
    source_name = column("source_name", "Tệp nguồn")
    source_text = column("source_text", "Văn bản gốc")

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
            "is_public",
            "general_instruction",
            "source_name",
            "source_text",
        )
        import_id_fields = ("committee", "term", "number")

    def get_queryset(self):
        return Meeting.objects.select_related("committee").order_by(
            "committee__name", "term", "number"
        )

    def changed_meeting(self, instance):
        return instance.pk  # an existing meeting the file changes (a new one has no page open)


def meeting_columns(path: str, *, readonly: bool = False) -> tuple[Column, Column, Column]:
    """The three columns that name a meeting (MEETING_COLUMNS: committee, term, number), read
    through ``path``. The committee column imports the meeting (reading the other two from
    the row) unless ``readonly``; term and number are only written."""
    return (
        column(
            path,
            MEETING_COLUMNS[0],
            MeetingWidget(),
            readonly=readonly,
            required=not readonly,
            english="committee",
        ),
        column(f"{path}__term", MEETING_COLUMNS[1], TermWidget(), readonly=True, english="term"),
        column(
            f"{path}__number", MEETING_COLUMNS[2], IntegerWidget(), readonly=True, english="number"
        ),
    )


class _PartResource(_ChangesMeetings):
    """A meeting's rows: the meeting is named by three columns (committee, term, number)."""

    meeting, meeting_term, meeting_number = meeting_columns("meeting")
    MEETING_FIELDS = ("meeting", "meeting_term", "meeting_number")

    def get_queryset(self):
        return self._meta.model.objects.select_related("meeting__committee").order_by(
            "meeting__committee__name", "meeting__term", "meeting__number", *self.order
        )

    def changed_meeting(self, instance):
        return instance.meeting_id


class ReportResource(_PartResource):
    position = column("position", "Thứ tự", IntegerWidget(), required=True)
    kind = column("kind", "Loại", ChoiceWidget(Report.Kind))
    title = column("title", "Tên văn bản", required=True)
    order = ("position",)

    class Meta(RegisterResource.Meta):
        model = Report
        fields = (*_PartResource.MEETING_FIELDS, "position", "kind", "title")
        import_id_fields = ("meeting", "position")


class IndicatorResource(_PartResource):
    deferred = ("parent",)
    position = column("position", "Thứ tự", IntegerWidget(), required=True)
    name = column("name", "Tên chỉ tiêu", required=True)
    period = column("period", "Kỳ số liệu")
    value = column("value", "Giá trị", DecimalWidget())
    unit = column("unit", "Đơn vị tính")
    target_value = column("target_value", "Mức đề ra", DecimalWidget())
    change_pct = column("change_pct", "Tăng, giảm (%)", DecimalWidget())
    compared_with = column("compared_with", "So với")
    plan_pct = column("plan_pct", "Đạt (% kế hoạch)", DecimalWidget())
    parent = column("parent", "Thuộc chỉ tiêu (thứ tự)", ParentIndicatorWidget())
    is_target = column("is_target", "Là mục tiêu", BooleanWidget())
    is_estimate = column("is_estimate", "Số ước tính", BooleanWidget())
    topic = column("topic", "Lĩnh vực", TopicWidget())
    sentence = column("sentence", "Câu trích")
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
    section_order = column("section_order", "Mục (thứ tự)", IntegerWidget(), required=True)
    section_number = column("section_number", "Số mục in")
    section_heading = column("section_heading", "Tên mục")
    position = column("position", "Thứ tự", IntegerWidget(), required=True)
    text = column("text", "Nội dung nhiệm vụ", required=True)
    topic = column("topic", "Lĩnh vực", TopicWidget())
    tags = Column(
        attribute="tags", column_name="Chủ đề", widget=TagsWidget(), english="tags", m2m_add=False
    )
    responsible_unit = column("responsible_unit", "Đơn vị được giao")
    lead_unit = column("lead_unit", "Đơn vị chủ trì", UnitWidget())
    supporting_units = Column(
        attribute="supporting_units",
        column_name="Đơn vị phối hợp",
        widget=UnitsWidget(),
        english="supporting units",
        m2m_add=False,
    )
    cited_documents = column("cited_documents", "Văn bản được dẫn")
    due_period = column("due_period", "Thời hạn")
    due_on = column("due_on", "Hạn hoàn thành", DateWidget())
    completed_on = column("completed_on", "Ngày hoàn thành", DateWidget())
    # Computed from the dates as of the day of export (Directive.status): shown, never read.
    status = Column(
        attribute="status",
        column_name="Tình trạng",
        widget=StatusWidget(),
        readonly=True,
        english="status",
    )
    carried_from = column("carried_from", "Tiếp nối nhiệm vụ", DirectiveRefWidget())
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
    position = column("position", "Thứ tự", IntegerWidget(), required=True)
    kind = column("kind", "Loại", ChoiceWidget(Finding.Kind), required=True)
    text = column("text", "Nội dung", required=True)
    topic = column("topic", "Lĩnh vực", TopicWidget())
    order = ("position",)

    class Meta(RegisterResource.Meta):
        model = Finding
        fields = (*_PartResource.MEETING_FIELDS, "position", "kind", "text", "topic")
        import_id_fields = ("meeting", "position")


class ProgressNoteResource(RegisterResource):
    directive = column("directive", "Nhiệm vụ", DirectiveRefWidget(), required=True)
    noted_on = column("noted_on", "Ngày", DateWidget(), required=True)
    text = column("text", "Tình hình thực hiện", required=True)
    author = column("author", "Người ghi", UserWidget())

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
