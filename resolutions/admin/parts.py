"""A meeting's rows on list pages of their own, to find them across meetings and committees:
reports, figures, tasks (with their follow-up) and findings.
"""

from functools import partial

from django.contrib import admin
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from .. import search
from ..issuing.admin import document_link
from ..models import Directive, Finding, Indicator, ProgressNote, Report
from ..series import repeats
from ..services.tagging import explain_tags, suggest_tags
from ..spreadsheets import resources
from . import views
from .base import MeetingPartAdmin, SearchableAdmin
from .figures import FiguresAsWritten
from .filters import (
    CommitteeFilter,
    FollowUpStatusFilter,
    MeetingDateFilter,
    PlanQuarterFilter,
    PlanYearFilter,
    SectionTopicFilter,
    TagFilter,
    TermFilter,
    TopicFilter,
)
from .inlines import ProgressNoteInline


@admin.register(Report)
class ReportAdmin(MeetingPartAdmin):
    resource_classes = [resources.ReportResource]
    list_display = ("__str__", "kind", "meeting_link", "position")
    list_filter = ("kind", TermFilter)
    search_fields = ("title",)
    fields = ("meeting", "position", "kind", "title", "created_at", "updated_at")


@admin.register(Indicator)
class IndicatorAdmin(FiguresAsWritten, SearchableAdmin):
    resource_classes = [resources.IndicatorResource]
    list_display = (
        "name_display",
        "value",
        "unit",
        "change_pct",
        "plan_pct",
        "period",
        "topic",
        "meeting_link",
    )
    list_filter = (
        TopicFilter,
        "is_target",
        "is_estimate",
        CommitteeFilter,
        TermFilter,
        PlanYearFilter,
        MeetingDateFilter,
    )
    list_select_related = ("meeting__committee", "topic")
    search_fields = ("name",)
    autocomplete_fields = ("meeting", "topic", "parent")
    fieldsets = (
        (None, {"fields": ("meeting", "position", "topic", "name", "period")}),
        (
            "Số liệu",
            {
                "fields": (
                    ("value", "unit"),
                    "target_value",
                    ("change_pct", "compared_with"),
                    "plan_pct",
                    "parent",
                    ("is_target", "is_estimate"),
                    "sentence",
                )
            },
        ),
        ("Lịch sử bản ghi", {"classes": ("collapse",), "fields": ("created_at", "updated_at")}),
    )

    @admin.display(description="chỉ tiêu", ordering="name")
    def name_display(self, obj):
        return self.highlighted(obj, obj.name)


@admin.register(Directive)
class DirectiveAdmin(SearchableAdmin):
    """The search page for directives, and each directive's follow-up."""

    resource_classes = [resources.DirectiveResource]
    list_display = (
        "text_display",
        "section_display",
        "topic",
        "tag_list",
        "lead_unit",
        "due_on",
        "status_display",
        "meeting_link",
        document_link,
    )
    list_filter = (
        SectionTopicFilter,
        TagFilter,
        FollowUpStatusFilter,
        CommitteeFilter,
        TermFilter,
        PlanYearFilter,
        PlanQuarterFilter,
        MeetingDateFilter,
    )
    list_select_related = ("meeting__committee", "topic", "lead_unit")
    search_fields = ("text",)
    autocomplete_fields = (
        "meeting",
        "topic",
        "tags",
        "carried_from",
        "lead_unit",
        "supporting_units",
    )
    readonly_fields = (
        "status_display",
        "tag_reasons",
        "carried_to_links",
        "created_at",
        "updated_at",
    )
    inlines = (ProgressNoteInline,)
    change_list_template = "admin/resolutions/directive/change_list.html"
    change_form_template = "admin/resolutions/directive/change_form.html"  # with its repeats
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "meeting",
                    ("section_order", "section_number", "section_heading"),
                    "position",
                    "text",
                )
            },
        ),
        ("Phân loại", {"fields": ("topic", "tags", "tag_reasons", "cited_documents")}),
        (
            "Theo dõi thực hiện",
            {
                "fields": (
                    "lead_unit",
                    "supporting_units",
                    "responsible_unit",
                    ("due_period", "due_on"),
                    "completed_on",
                    "status_display",
                    "carried_from",
                    "carried_to_links",
                )
            },
        ),
        ("Lịch sử bản ghi", {"classes": ("collapse",), "fields": ("created_at", "updated_at")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).with_status().prefetch_related("tags")

    def get_urls(self):
        return [
            path(
                "follow-up/",
                self.admin_site.admin_view(partial(views.follow_up, self)),
                name="resolutions_directive_follow_up",
            ),
            *super().get_urls(),
        ]

    def save_formset(self, request, form, formset, change):
        if formset.model is ProgressNote:
            for note in formset.save(commit=False):
                note.author = note.author or request.user
                note.save()
            for note in formset.deleted_objects:
                note.delete()
            return
        super().save_formset(request, form, formset, change)

    @admin.display(description="nhiệm vụ")
    def text_display(self, obj):
        shown = self.highlighted(obj, obj.text, context=obj.section_heading)
        if not getattr(obj, "search_query", ""):
            return shown
        # Found through its section's heading (or unit, or cited documents), not its own words.
        through = search.matched_through(
            search.Query.loads(obj.search_query), obj.text, search.context_fields(obj)
        )
        if not through:
            return shown
        return format_html(
            '<span class="search-context">khớp {}</span> {}', ", ".join(through), shown
        )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if not change and not form.instance.tags.exists():
            suggest_tags([form.instance])
        repeats.refresh([form.instance.pk])  # its words may have changed: its links follow

    @admin.display(description="mục", ordering="section_order")
    def section_display(self, obj):
        printed = obj.section_place
        if not obj.section_heading:
            return printed
        heading = obj.section_heading
        if getattr(obj, "search_query", ""):
            heading = self.highlighted(obj, heading)
        return format_html("{}. {}", printed, heading)

    @admin.display(description="lý do gắn thẻ")
    def tag_reasons(self, obj):
        lines = explain_tags(obj) if obj.pk else []
        if not lines:
            return "—"
        return format_html(
            '<ul class="tag-reasons">{}</ul>',
            format_html_join("", "<li>{}</li>", ((line,) for line in lines)),
        )

    @admin.display(description="chủ đề")
    def tag_list(self, obj):
        return ", ".join(tag.name for tag in obj.tags.all())

    @admin.display(description="tình trạng", ordering="follow_up_status")
    def status_display(self, obj):
        if obj.pk is None:
            return "—"
        return format_html(
            '<span class="status status-{}">{}</span>', obj.status, obj.get_status_display()
        )

    @admin.display(description="đã chuyển sang")
    def carried_to_links(self, obj):
        later = list(obj.carried_to.select_related("meeting__committee")) if obj.pk else []
        if not later:
            return "—"
        return format_html_join(
            ", ",
            '<a href="{}">{}</a>',
            (
                (reverse("admin:resolutions_directive_change", args=[d.pk]), d.meeting)
                for d in later
            ),
        )


@admin.register(Finding)
class FindingAdmin(SearchableAdmin):
    resource_classes = [resources.FindingResource]
    list_display = ("text_display", "kind", "topic", "meeting_link")
    list_filter = ("kind", TopicFilter, CommitteeFilter, TermFilter, MeetingDateFilter)
    list_select_related = ("meeting__committee", "topic")
    search_fields = ("text",)
    autocomplete_fields = ("meeting", "topic")
    fields = ("meeting", "position", "kind", "topic", "text", "created_at", "updated_at")

    @admin.display(description="nội dung")
    def text_display(self, obj):
        return self.highlighted(obj, obj.text)
