"""List filters for the admin's pages. None of them lists every committee or meeting: on a
register of a million directives, a filter's choices come from the small tables (topics,
meetings' terms and years) or from a typed value, never from a DISTINCT over the big ones.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib import admin, messages

from .. import vietnamese
from ..models import Committee, Directive, Meeting, Topic


class TopicFilter(admin.SimpleListFilter):
    """Rows whose topic is this one or a finer one under it."""

    title = "lĩnh vực"
    parameter_name = "linh_vuc"
    topic_path = "topic"

    def lookups(self, request, model_admin):
        # The topics are a small table (a few dozen rows): each filter reads them itself.
        topics = list(Topic.objects.select_related("parent"))
        choices = []
        for root in (t for t in topics if t.parent_id is None):
            choices.append((root.slug, root.name))
            choices += [(t.slug, f"— {t.name}") for t in topics if t.parent_id == root.pk]
        return choices

    def chosen_topic_ids(self) -> set[int] | None:
        """The chosen topic and its finer ones: None when none is chosen, an empty set for an
        unknown slug (which then matches nothing)."""
        if not self.value():
            return None
        topic = Topic.objects.filter(slug=self.value()).first()
        return topic.descendant_ids() if topic is not None else set()

    def queryset(self, request, queryset):
        ids = self.chosen_topic_ids()
        if ids is None:
            return queryset
        return queryset.filter(**{f"{self.topic_path}__in": ids})


class SectionTopicFilter(TopicFilter):
    """A directive's topic is its section's: "Kinh tế" lists the directives of economic
    sections, not those that merely mention the economy (TagFilter finds those)."""

    title = "lĩnh vực của mục"


class TagFilter(TopicFilter):
    """Directives tagged with a topic (or a finer one), whatever their section."""

    title = "chủ đề gắn thẻ"
    parameter_name = "the"

    def queryset(self, request, queryset):
        ids = self.chosen_topic_ids()
        if ids is None:
            return queryset
        # A subquery rather than a join on tags: no duplicates, so no DISTINCT over the table.
        tagged = Directive.tags.through.objects.filter(topic__in=ids)
        return queryset.filter(pk__in=tagged.values("directive_id"))


class FollowUpStatusFilter(admin.SimpleListFilter):
    """The computed follow-up status, as of today (Directive.status_conditions)."""

    title = "tình trạng thực hiện"
    parameter_name = "tinh_trang"

    def lookups(self, request, model_admin):
        return [*Directive.Status.choices, ("open", "Chưa hoàn thành (trong hạn và quá hạn)")]

    def queryset(self, request, queryset):
        if self.value() == "open":
            return queryset.open()
        if self.value() in Directive.Status.values:
            return queryset.in_status(self.value())
        return queryset


class ParentTopicFilter(TopicFilter):
    title = "thuộc lĩnh vực"
    topic_path = "pk"


class InputFilter(admin.SimpleListFilter):
    """A filter given as a typed value instead of a list of choices."""

    template = "admin/resolutions/input_filter.html"
    placeholder = ""

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        self.request = request
        self.other_params = [
            (key, value)
            for key, values in request.GET.lists()
            if key not in (self.parameter_name, "p")
            for value in values
        ]

    def lookups(self, request, model_admin):
        return ()

    def has_output(self):
        return True

    def choices(self, changelist):
        yield {
            "hidden": self.other_params,
            "value": self.value() or "",
            "placeholder": self.placeholder,
            "clear_url": changelist.get_query_string(remove=[self.parameter_name]),
        }


class CommitteeFilter(InputFilter):
    """Committees by a few letters of their name, accents or not ("quan 2")."""

    title = "cấp ủy"
    parameter_name = "cap_uy"
    placeholder = "gõ tên, ví dụ: quận 2"
    committee_path = "meeting__committee"

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        committees = Committee.objects.named_like(self.value())
        return queryset.filter(**{f"{self.committee_path}__in": committees})


class MeetingDateFilter(InputFilter):
    """The meeting's dates, from and to, typed as dd/mm/yyyy (either may be left empty)."""

    title = "ngày họp (từ – đến)"
    parameter_name = "ngay_hop"
    placeholder = "01/01/2007 - 31/12/2010"
    date_path = "meeting__started_on"

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        start, _, end = self.value().partition("-")
        bounds = {}
        for lookup, text in (("gte", start), ("lte", end)):
            text = text.strip()
            if not text:
                continue
            try:
                bounds[f"{self.date_path}__{lookup}"] = datetime.strptime(text, "%d/%m/%Y").date()
            except ValueError:
                messages.warning(
                    request,
                    f"Ngày “{text}” không đúng dạng ngày/tháng/năm (dd/mm/yyyy); bộ lọc ngày họp "
                    "được bỏ qua.",
                )
                return queryset
        return queryset.filter(**bounds)


class _MeetingValueFilter(admin.SimpleListFilter):
    """Choices read from the meetings table (thousands of rows), never from the big ones."""

    meeting_field = ""
    path = ""

    def lookups(self, request, model_admin):
        values = (
            Meeting.objects.exclude(**{f"{self.meeting_field}__isnull": True})
            .order_by(self.meeting_field)
            .values_list(self.meeting_field, flat=True)
            .distinct()
        )
        return [(str(v), self.label(v)) for v in values]

    def label(self, value):
        return str(value)

    def queryset(self, request, queryset):
        number = vietnamese.whole_number(self.value())
        return queryset if number is None else queryset.filter(**{self.path: number})


class TermFilter(_MeetingValueFilter):
    title = "khóa"
    parameter_name = "khoa"
    meeting_field = "term"
    path = "meeting__term"

    def label(self, value):
        return vietnamese.to_roman(value)


class MeetingTermFilter(TermFilter):
    """The same filter on the meetings' own list."""

    path = "term"


class PlanYearFilter(_MeetingValueFilter):
    title = "năm kế hoạch"
    parameter_name = "nam"
    meeting_field = "plan_year"
    path = "meeting__plan_year"


class PlanQuarterFilter(admin.SimpleListFilter):
    title = "quý kế hoạch"
    parameter_name = "quy"

    def lookups(self, request, model_admin):
        return Meeting.QUARTERS

    def queryset(self, request, queryset):
        quarter = vietnamese.whole_number(self.value())
        return queryset if quarter is None else queryset.filter(meeting__plan_quarter=quarter)


class ActiveCommitteeFilter(admin.SimpleListFilter):
    title = "tình trạng hoạt động"
    parameter_name = "hoat_dong"

    def lookups(self, request, model_admin):
        return [("active", "Đang hoạt động"), ("ended", "Đã kết thúc hoạt động")]

    def queryset(self, request, queryset):
        if self.value() == "active":
            return queryset.active()
        if self.value() == "ended":
            return queryset.dissolved()
        return queryset
