"""The register's reference data and its meetings, declared: what each list shows, filters and
searches, and how a meeting's page is laid out. The pages beyond these are in views.py.
"""

from functools import partial

import reversion
from django.contrib import admin, messages
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import redirect
from django.urls import path, reverse

from .. import vietnamese
from ..issuing.admin import document_link
from ..models import Committee, Directive, Meeting, SourceFile, Topic, Unit
from ..series.matching import match_meeting
from ..services.tagging import suggest_tags
from ..spreadsheets import resources
from . import evidence, filling, shelf, views
from .base import RegisterAdmin
from .filters import ActiveCommitteeFilter, MeetingTermFilter, ParentTopicFilter
from .forms import MeetingForm
from .inlines import DirectiveInline, FindingInline, IndicatorInline, ReportInline


def source_files(meeting_id) -> list[SourceFile]:
    """The files a meeting was read from, listed without their bytes (read on download)."""
    pk = vietnamese.whole_number(str(meeting_id))
    if pk is None:
        return []
    return list(
        SourceFile.objects.filter(meeting_id=pk).defer("content").order_by("received_at", "id")
    )


# --- Reference data -----------------------------------------------------------------------


@admin.register(Topic)
class TopicAdmin(RegisterAdmin):
    resource_classes = [resources.TopicResource]
    list_display = ("name", "slug", "parent", "position")
    list_filter = (ParentTopicFilter,)
    list_select_related = ("parent",)
    search_fields = ("name", "slug", "keywords")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("parent",)
    fields = ("name", "slug", "parent", "position", "keywords", "created_at", "updated_at")


@admin.register(Committee)
class CommitteeAdmin(RegisterAdmin):
    resource_classes = [resources.CommitteeResource]
    list_display = (
        "name",
        "short_name",
        "symbol",
        "level",
        "parent",
        "active_from",
        "active_until",
        "successor",
    )
    list_filter = ("level", ActiveCommitteeFilter)
    list_select_related = ("parent", "successor")
    search_fields = ("name", "short_name", "symbol")
    autocomplete_fields = ("parent", "successor")
    fieldsets = (
        (None, {"fields": ("name", "short_name", "symbol", "level", "parent")}),
        (
            "Thời gian hoạt động",
            {
                "fields": (("active_from", "active_until"), "successor"),
                "description": "Cấp ủy đã giải thể hoặc sáp nhập vẫn được giữ cùng hồ sơ của mình.",
            },
        ),
        ("Lịch sử bản ghi", {"classes": ("collapse",), "fields": ("created_at", "updated_at")}),
    )


@admin.register(Unit)
class UnitAdmin(RegisterAdmin):
    resource_classes = [resources.UnitResource]
    list_display = ("name", "short_name", "kind", "committee", "position")
    list_filter = ("kind", ("committee", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("committee",)
    search_fields = ("name", "short_name", "committee__name", "committee__short_name")
    autocomplete_fields = ("committee",)
    fields = (
        "committee",
        "name",
        "short_name",
        "kind",
        "position",
        "created_at",
        "updated_at",
    )


# --- Meetings and their parts -------------------------------------------------------------


@admin.register(Meeting)
class MeetingAdmin(RegisterAdmin):
    resource_classes = [resources.MeetingResource]
    list_display = (
        "__str__",
        "committee",
        "term_display",
        "number",
        "kind",
        "started_on",
        "plan_period",
        "document_symbol",
        "directive_total",
        document_link,
    )
    list_filter = (
        "kind",
        "document_kind",
        "is_public",
        MeetingTermFilter,
        "plan_year",
        "plan_quarter",
        ("committee", admin.RelatedOnlyFieldListFilter),
    )
    list_select_related = ("committee",)
    search_fields = (
        "title",
        "document_symbol",
        "committee__name",
        "committee__short_name",
        "review_period",
        "plan_period",
    )
    date_hierarchy = "started_on"
    autocomplete_fields = ("committee",)
    readonly_fields = ("source_checksum", "created_at", "updated_at")
    save_on_top = True
    fieldsets = (
        (
            "Hội nghị",
            {
                "fields": (
                    "committee",
                    ("term", "number"),
                    "kind",
                    ("started_on", "ended_on"),
                    "seen_version",
                )
            },
        ),
        (
            "Văn bản kết luận",
            {
                "fields": (
                    "document_kind",
                    "title",
                    ("document_symbol", "issued_on", "published_on"),
                    "is_public",
                    ("review_period", "plan_period"),
                    ("plan_year", "plan_quarter"),
                    "general_instruction",
                )
            },
        ),
        (
            "Văn bản gốc",
            {"classes": ("collapse",), "fields": ("source_name", "source_text", "source_checksum")},
        ),
        ("Lịch sử bản ghi", {"classes": ("collapse",), "fields": ("created_at", "updated_at")}),
    )
    inlines = (ReportInline, IndicatorInline, DirectiveInline, FindingInline)

    form = MeetingForm
    change_list_template = "admin/resolutions/meeting/change_list.html"
    change_form_template = "admin/resolutions/meeting/change_form.html"

    def get_fieldsets(self, request, obj=None):
        if obj is not None and not self.has_change_permission(request, obj):
            # Read only: the version the page was opened at guards saves, and there are none.
            return [
                (name, {**opts, "fields": tuple(f for f in opts["fields"] if f != "seen_version")})
                for name, opts in self.fieldsets
            ]
        if obj is not None:
            return self.fieldsets
        # Adding: the conclusion's text first, to fill everything else from it.
        paste = (
            "Dán văn bản kết luận",
            {
                "fields": ("source_text", "source_name"),
                "description": "Dán toàn văn kết luận rồi bấm “Điền từ văn bản”, "
                "hoặc điền tay từng ô bên dưới.",
            },
        )
        skipped = ("Văn bản gốc", "Lịch sử bản ghi")
        return (paste, *(fs for fs in self.fieldsets if fs[0] not in skipped))

    def get_changeform_initial_data(self, request):
        filled = filling.filled(request)
        return filled.initial.meeting if filled else super().get_changeform_initial_data(request)

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        filled = filling.filled(request)
        if filled:
            kwargs["initial"] = filled.initial.rows.get(inline.model, [])
        return kwargs

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if object_id is None and request.method == "POST" and "_fill_from_text" in request.POST:
            return views.fill_from_text(self, request)
        filled = filling.filled(request) if object_id is None else None
        if filled:
            # Beside the form, where each figure and task was read, unsure ones marked.
            extra_context = {**(extra_context or {}), "fill_sources": evidence.rows(filled.parsed)}
        if object_id is not None:
            extra_context = {
                **(extra_context or {}),
                **self.carry_forward_context(object_id),
                "source_files": source_files(object_id),
            }
        return super().changeform_view(request, object_id, form_url, extra_context)

    def carry_forward_context(self, object_id) -> dict:
        meeting = Meeting.objects.filter(pk=object_id).first()
        previous, still_open = meeting.left_open() if meeting else (None, None)
        if previous is None:
            return {"open_directives": None}
        assert still_open is not None  # a previous meeting comes with its open directives
        open_directives = still_open.with_status().select_related("topic")
        return {"previous_meeting": previous, "open_directives": list(open_directives)}

    def response_add(self, request, obj, post_url_continue=None):
        # A new meeting whose predecessor left directives open opens on its own page, where
        # they are listed to be carried forward.
        previous, left_open = obj.left_open()
        still_open = left_open.count() if previous else 0
        if still_open and "_addanother" not in request.POST and "_popup" not in request.POST:
            self.message_user(
                request,
                f"Đã lưu {obj}. Hội nghị trước ({previous}) còn {still_open} nhiệm vụ chưa "
                "hoàn thành, liệt kê cuối trang: chọn “Chuyển sang hội nghị này” cho những "
                "nhiệm vụ được giao tiếp.",
                messages.SUCCESS,
            )
            url = reverse("admin:resolutions_meeting_change", args=[obj.pk])
            return redirect(f"{url}#open-directives")
        return super().response_add(request, obj, post_url_continue)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        match_meeting(form.instance)  # new figures to their series (resolutions/series)
        if change and not form.has_changed() and any(fs.has_changed() for fs in formsets):
            # Only rows changed, so the meeting itself was not saved; its revision still
            # keeps the whole conclusion as it now stands (the rows' saves counted a version).
            form.instance.refresh_from_db(fields=["edit_version"])
            reversion.add_to_revision(form.instance)

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is Directive:
            # New directives entered without tags get the ones their words suggest.
            suggest_tags([d for d in formset.new_objects if not d.tags.exists()])

    def get_queryset(self, request):
        # A count per meeting shown, by the directives' meeting index: joining and grouping
        # every directive would cost the list, its date hierarchy and its filters the whole
        # table (on a million directives, seconds).
        directives = (
            Directive.objects.filter(meeting=OuterRef("pk"))
            .order_by()
            .values("meeting")
            .annotate(total=Count("pk"))
            .values("total")
        )
        count = Coalesce(Subquery(directives), 0, output_field=IntegerField())
        return super().get_queryset(request).annotate(directive_count=count)

    def get_urls(self):
        return [
            path(
                "import-text/",
                self.admin_site.admin_view(partial(views.import_text, self)),
                name="resolutions_meeting_import_text",
            ),
            path(
                "import-shelf/",
                self.admin_site.admin_view(partial(shelf.import_shelf_view, self)),
                name="resolutions_meeting_import_shelf",
            ),
            path(
                "archive/",
                self.admin_site.admin_view(partial(views.archive, self)),
                name="resolutions_meeting_archive",
            ),
            path(
                "<path:object_id>/source-file/<int:file_id>/",
                self.admin_site.admin_view(partial(views.source_file, self)),
                name="resolutions_meeting_source_file",
            ),
            path(
                "<path:object_id>/carry-forward/",
                self.admin_site.admin_view(partial(views.carry_forward, self)),
                name="resolutions_meeting_carry_forward",
            ),
            *super().get_urls(),
        ]

    @admin.display(description="khóa", ordering="term")
    def term_display(self, obj):
        return obj.term_roman

    @admin.display(description="số nhiệm vụ", ordering="directive_count")
    def directive_total(self, obj):
        return obj.directive_count
