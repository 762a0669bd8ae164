"""The series' sheets of the archive (issue 15): the series, which series each meeting's
figure belongs to, and the figure each task aims at; named by natural keys like every sheet
(resolutions/spreadsheets/resources.py), restored after the rows they link
(spreadsheets/archive.py's ARCHIVE_SHEETS)."""

from __future__ import annotations

from .. import vietnamese
from ..spreadsheets.base import Column, RegisterResource, column
from ..spreadsheets.resources import meeting_columns
from ..spreadsheets.widgets import (
    MEETING_COLUMNS,
    ChoiceWidget,
    CommitteeWidget,
    DecimalWidget,
    DirectiveRefWidget,
    IndicatorRefWidget,
    Lookup,
    TextWidget,
    UserWidget,
    row_committee,
    text_of,
)
from .models import DirectiveTarget, IndicatorSeries, SeriesMatch, name_key, unit_key


class SeriesWidget(Lookup):
    """A series (chỉ tiêu theo dõi) by its name and the unit in the row's *unit_column*, within
    the committee named in the row's "Cấp ủy" column. Names compare as matching compares them
    (folded words), as the database keeps each series unique."""

    missing = "không có chỉ tiêu theo dõi “{}” trong sổ"
    shown_field = "name"

    def __init__(self, unit_column: str):
        super().__init__()
        self.unit_column = unit_column

    def load(self):
        return {
            (vietnamese.fold(s.committee.name), s.name_key, s.unit_key): s
            for s in IndicatorSeries.objects.select_related("committee")
        }

    def fetch(self, key):
        committee, name, unit = key
        candidates = IndicatorSeries.objects.filter(name_key=name, unit_key=unit)
        found = candidates.select_related("committee")
        return next((s for s in found if vietnamese.fold(s.committee.name) == committee), None)

    def clean(self, value, row=None, **kwargs):
        name = vietnamese.nfc(text_of(value)).strip()
        if not name:
            return None
        unit = vietnamese.nfc(text_of((row or {}).get(self.unit_column))).strip()
        committee = row_committee(row)
        shown = f"{name}” ({unit or 'không đơn vị'}) của “{committee}"
        return self.find((vietnamese.fold(committee), name_key(name), unit_key(unit)), shown)


class SeriesResource(RegisterResource):
    """A committee's indicator series (issue 15), named by committee + name + unit."""

    committee = column("committee", "Cấp ủy", CommitteeWidget(), required=True)
    name = column("name", "Tên chỉ tiêu theo dõi", required=True)
    unit = column("unit", "Đơn vị tính")
    synonyms = column("synonyms", "Tên gọi khác")

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

    series = column("series", "Chỉ tiêu theo dõi", SeriesWidget(SERIES_UNIT))
    series_unit = Column(
        attribute="series__unit",
        column_name=SERIES_UNIT,
        widget=TextWidget(),
        readonly=True,
        english="series unit",
    )
    state = column("state", "Trạng thái", ChoiceWidget(SeriesMatch.State))
    reason = column("reason", "Lý do")
    confirmed_by = column("confirmed_by", "Người xác nhận", UserWidget())

    # The series a written link leaves and joins have changed figures (only rows that differ
    # from the register's are written: skip_unchanged).
    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        writes = bool(self.create_instances) and (using_transactions or not dry_run)
        joined = [instance.series_id for instance in self.create_instances]
        super().bulk_create(using_transactions, dry_run, raise_errors, batch_size, result)
        if writes:
            IndicatorSeries.objects.of_links(*joined).mark_changed()

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if self.update_instances and (using_transactions or not dry_run):
            model, fields = self._meta.model, self.get_bulk_update_fields()
            try:
                left = model._base_manager.filter(
                    pk__in=[instance.pk for instance in self.update_instances]
                ).values_list("series_id", flat=True)
                changed = [*left, *(instance.series_id for instance in self.update_instances)]
                for instance in self.update_instances:
                    instance.prepare_for_write()
                self.write_checked(
                    self.update_instances,
                    lambda rows: model._base_manager.bulk_update(rows, fields),
                    result,
                    raise_errors,
                )
                IndicatorSeries.objects.of_links(*changed).mark_changed()
            finally:
                self.update_instances.clear()


class SeriesMatchResource(_LinkResource):
    """Which series each meeting's indicator belongs to: the indicator named by its meeting's
    three columns and its position, as the "Chỉ tiêu" sheet names it."""

    # Shown beside the indicator, whose own widget reads them to find its meeting.
    meeting, meeting_term, meeting_number = meeting_columns("indicator__meeting", readonly=True)
    indicator = column("indicator", "Thứ tự chỉ tiêu", IndicatorRefWidget(), required=True)
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
    directive = column("directive", "Nhiệm vụ", DirectiveRefWidget(), required=True)
    measure = column("measure", "Đo bằng", ChoiceWidget(DirectiveTarget.Measure))
    value = column("value", "Mức đề ra", DecimalWidget(), required=True)

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
