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
from ..series.models import DirectiveTarget, IndicatorSeries, SeriesMatch
from .base import Column, RegisterResource, _column
from .signals import rows_written
from .widgets import (
    MEETING_COLUMNS,
    BooleanWidget,
    ChoiceWidget,
    CommitteeWidget,
    DateWidget,
    DecimalWidget,
    DirectiveRefWidget,
    IndicatorRefWidget,
    IntegerWidget,
    MeetingWidget,
    ParentIndicatorWidget,
    SeriesWidget,
    StatusWidget,
    TagsWidget,
    TermWidget,
    TextWidget,
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
    is_public = _column("is_public", "Công khai trên trang đọc", BooleanWidget())
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


def _meeting_columns(path: str, *, readonly: bool = False) -> tuple[Column, Column, Column]:
    """The three columns that name a meeting (MEETING_COLUMNS: committee, term, number), read
    through ``path``. The committee column imports the meeting (reading the other two from
    the row) unless ``readonly``; term and number are only written."""
    return (
        _column(
            path,
            MEETING_COLUMNS[0],
            MeetingWidget(),
            readonly=readonly,
            required=not readonly,
            english="committee",
        ),
        _column(f"{path}__term", MEETING_COLUMNS[1], TermWidget(), readonly=True, english="term"),
        _column(
            f"{path}__number", MEETING_COLUMNS[2], IntegerWidget(), readonly=True, english="number"
        ),
    )


class _PartResource(_ChangesMeetings):
    """A meeting's rows: the meeting is named by three columns (committee, term, number)."""

    meeting, meeting_term, meeting_number = _meeting_columns("meeting")
    MEETING_FIELDS = ("meeting", "meeting_term", "meeting_number")

    def get_queryset(self):
        return self._meta.model.objects.select_related("meeting__committee").order_by(
            "meeting__committee__name", "meeting__term", "meeting__number", *self.order
        )

    def changed_meeting(self, instance):
        return instance.meeting_id


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


class SeriesResource(RegisterResource):
    """A committee's indicator series (issue 15), named by committee + name + unit."""

    committee = _column("committee", "Cấp ủy", CommitteeWidget(), required=True)
    name = _column("name", "Tên chỉ tiêu theo dõi", required=True)
    unit = _column("unit", "Đơn vị tính")
    synonyms = _column("synonyms", "Tên gọi khác")

    class Meta(RegisterResource.Meta):
        model = IndicatorSeries
        fields = ("committee", "name", "unit", "synonyms")
        import_id_fields = ("committee", "name", "unit")

    def get_queryset(self):
        return IndicatorSeries.objects.select_related("committee").order_by(
            "committee__name", "name", "unit", "pk"
        )


SERIES_UNIT = "Đơn vị tính của chỉ tiêu theo dõi"


class _LinkResource(RegisterResource):
    """A link to a series that a clerk decides (series.models.SeriesLink): its series, state,
    reason and who confirmed it. Imported over the suggestion the receiving register made for
    the same indicator or directive. Links keep no time of change: updated in bulk as they
    are, not through bulk.update_rows."""

    series = _column("series", "Chỉ tiêu theo dõi", SeriesWidget(SERIES_UNIT))
    series_unit = Column(
        attribute="series__unit",
        column_name=SERIES_UNIT,
        widget=TextWidget(),
        readonly=True,
        english="series unit",
    )
    state = _column("state", "Trạng thái", ChoiceWidget(SeriesMatch.State))
    reason = _column("reason", "Lý do")
    confirmed_by = _column("confirmed_by", "Người xác nhận", UserWidget())

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if self.update_instances and (using_transactions or not dry_run):
            model, fields = self._meta.model, self.get_bulk_update_fields()
            try:
                for instance in self.update_instances:
                    instance.prepare_for_write()
                self.write_checked(
                    self.update_instances,
                    lambda rows: model._base_manager.bulk_update(rows, fields),
                    result,
                    raise_errors,
                )
            finally:
                self.update_instances.clear()


class SeriesMatchResource(_LinkResource):
    """Which series each meeting's indicator belongs to: the indicator named by its meeting's
    three columns and its position, as the "Chỉ tiêu" sheet names it."""

    # Shown beside the indicator, whose own widget reads them to find its meeting.
    meeting, meeting_term, meeting_number = _meeting_columns("indicator__meeting", readonly=True)
    indicator = _column("indicator", "Thứ tự chỉ tiêu", IndicatorRefWidget(), required=True)
    indicator_name = Column(
        attribute="indicator__name",
        column_name="Tên chỉ tiêu",
        widget=TextWidget(),
        readonly=True,
        english="indicator name",
    )

    class Meta(RegisterResource.Meta):
        model = SeriesMatch
        fields = (
            "meeting",
            "meeting_term",
            "meeting_number",
            "indicator",
            "indicator_name",
            "series",
            "series_unit",
            "state",
            "reason",
            "confirmed_by",
        )
        import_id_fields = ("indicator",)

    def key_columns(self) -> list[str]:
        return [*MEETING_COLUMNS, "Thứ tự chỉ tiêu"]

    def required_columns(self) -> list[str]:
        return self.key_columns()

    def get_queryset(self):
        return SeriesMatch.objects.select_related(
            "indicator__meeting__committee", "series", "confirmed_by"
        ).order_by(
            "indicator__meeting__committee__name",
            "indicator__meeting__term",
            "indicator__meeting__number",
            "indicator__position",
        )


class DirectiveTargetResource(_LinkResource):
    """The figure each directive aims at: the directive cited as the "Tiến độ" sheet cites it,
    its series among those of the committee in the "Cấp ủy" column."""

    committee = Column(
        attribute="directive__meeting__committee",
        column_name="Cấp ủy",
        widget=CommitteeWidget(),
        readonly=True,
        english="committee",
    )
    directive = _column("directive", "Nhiệm vụ", DirectiveRefWidget(), required=True)
    measure = _column("measure", "Đo bằng", ChoiceWidget(DirectiveTarget.Measure))
    value = _column("value", "Mức đề ra", DecimalWidget(), required=True)

    class Meta(RegisterResource.Meta):
        model = DirectiveTarget
        fields = (
            "committee",
            "directive",
            "series",
            "series_unit",
            "measure",
            "value",
            "state",
            "reason",
            "confirmed_by",
        )
        import_id_fields = ("directive",)

    def required_columns(self) -> list[str]:
        return ["Cấp ủy", *super().required_columns()]

    def get_queryset(self):
        return DirectiveTarget.objects.select_related(
            "directive__meeting__committee", "series", "confirmed_by"
        ).order_by(
            "directive__meeting__committee__name",
            "directive__meeting__term",
            "directive__meeting__number",
            "directive__section_order",
            "directive__position",
        )


# The archive's sheets, in the order a restore must follow. The series come before the
# meetings' figures, so that the figures a restore writes join them rather than open new ones
# (series/matching.py); the matches and targets then update the suggestions made on the way.
ARCHIVE_SHEETS = (
    ("Lĩnh vực", TopicResource),
    ("Cấp ủy", CommitteeResource),
    ("Đơn vị", UnitResource),
    ("Chỉ tiêu theo dõi", SeriesResource),
    ("Hội nghị", MeetingResource),
    ("Báo cáo", ReportResource),
    ("Chỉ tiêu", IndicatorResource),
    ("Ghép chỉ tiêu", SeriesMatchResource),
    ("Nhiệm vụ", DirectiveResource),
    ("Mục tiêu nhiệm vụ", DirectiveTargetResource),
    ("Kết quả, tồn tại", FindingResource),
    ("Tiến độ", ProgressNoteResource),
)
