"""The clerk's workspace: one page per meeting with everything inline, and list pages to find
records. Admin classes declare; any logic they need lives on the models or in services.
"""

import tempfile
from contextlib import nullcontext
from pathlib import Path

import reversion
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import quote
from django.contrib.admin.views.main import ORDER_VAR, ChangeList
from django.contrib.admin.widgets import AdminTextInputWidget, RelatedFieldWidgetWrapper
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import CharField, Count, Value
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.http import FileResponse, QueryDict
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.formats import localize
from django.utils.html import format_html, format_html_join
from django.utils.timezone import template_localtime
from import_export.admin import ExportActionMixin, ImportExportMixin
from reversion.admin import VersionAdmin
from reversion.errors import RevertError
from reversion.utils import mute_signals

from . import evidence_display, formats, resources, search, vietnamese
from .admin_figures import FiguresAsWritten
from .filters import (
    ActiveCommitteeFilter,
    CommitteeFilter,
    FollowUpStatusFilter,
    MeetingDateFilter,
    MeetingTermFilter,
    ParentTopicFilter,
    PlanQuarterFilter,
    PlanYearFilter,
    SectionTopicFilter,
    TagFilter,
    TermFilter,
    TopicFilter,
)
from .forms import (
    ArchiveExportForm,
    ArchiveRestoreForm,
    ConclusionImportForm,
    ExportForm,
    FollowUpReportForm,
    MeetingForm,
    NormalizedTextField,
    PositionedInlineFormSet,
    RegisterForm,
    VietnameseDecimalField,
)
from .models import (
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
from .pagination import EstimatedCountPaginator
from .parsing import DocumentError, as_gold_dict, read_text
from .series.matching import match_meeting
from .services import audit, follow_up, reverting
from .services.archive import INFO_SHEET, ArchiveRefused, export_archive, restore_archive
from .services.conclusions import (
    ImportRefused,
    form_initial,
    import_conclusion,
    parse_text,
)
from .services.tagging import explain_tags, suggest_tags
from .uploads import SessionBoundImportMixin
from .widgets import FilePickerInput

FORM_FIELD_OVERRIDES = {
    models.DecimalField: {"form_class": VietnameseDecimalField},
    models.CharField: {"form_class": NormalizedTextField},
    models.TextField: {"form_class": NormalizedTextField},
    # A slug keeps its own form field (the CharField entry above would replace it).
    models.SlugField: {"form_class": forms.SlugField, "widget": AdminTextInputWidget},
}


class RegisterAdmin(SessionBoundImportMixin, ImportExportMixin, ExportActionMixin, VersionAdmin):
    """Options every list page of the register shares: spreadsheets in and out, and the
    history of every record (django-reversion)."""

    form = RegisterForm
    formfield_overrides = FORM_FIELD_OVERRIDES
    list_per_page = 50
    readonly_fields = ("created_at", "updated_at")
    formats = formats.FORMATS
    export_form_class = ExportForm
    history_latest_first = True
    object_history_template = "admin/resolutions/object_history.html"
    import_template_name = "admin/resolutions/import.html"
    revision_form_template = recover_form_template = "admin/resolutions/revert_form.html"

    def create_revision(self, request):
        # Reading a page writes nothing: no revision, and no savepoint around the page.
        if request.method in ("GET", "HEAD"):
            return nullcontext()
        return super().create_revision(request)

    def changelist_view(self, request, extra_context=None):
        # A NUL character cannot be stored or compared on PostgreSQL: a list asked for with one
        # in its filters or search (?linh_vuc=%00) is shown without it.
        if any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            kept = QueryDict(mutable=True)
            for key, values in request.GET.lists():
                kept.setlist(key.replace("\x00", ""), [v.replace("\x00", "") for v in values])
            self.message_user(
                request,
                "Địa chỉ trang có ký tự rỗng (NUL) trong bộ lọc hoặc ô tìm kiếm; ký tự này đã "
                "được bỏ đi.",
                messages.WARNING,
            )
            return redirect(f"{request.path}?{kept.urlencode()}")
        return super().changelist_view(request, extra_context)

    def get_search_results(self, request, queryset, search_term):
        # Also asked by the autocomplete boxes, whose term may carry a NUL.
        return super().get_search_results(request, queryset, search_term.replace("\x00", ""))

    def save_model(self, request, obj, form, change):
        # A page saved without an edit writes nothing: no new save time, no version counted,
        # no revision in the history (a revision is only written for what was saved).
        # A revert is a change though its form shows what the database now holds:
        # django-reversion writes the earlier version before the form is read.
        match = request.resolver_match
        reverting = match is not None and match.url_name.endswith(("_revision", "_recover"))
        if change and not form.has_changed() and not reverting:
            return
        super().save_model(request, obj, form, change)

    def log_change(self, request, obj, message):
        if not message:  # nothing on the page changed: nothing to log
            return None
        return super().log_change(request, obj, message)

    def has_import_permission(self, request):
        # Importing rows adds and changes them: the same rights as typing them in.
        return self.has_add_permission(request) and self.has_change_permission(request)

    def has_export_permission(self, request):
        return self.has_view_permission(request)

    def create_import_form(self, request):
        form = super().create_import_form(request)
        field = form.fields["import_file"]
        field.widget = FilePickerInput(attrs=field.widget.attrs)
        return form

    def get_import_data_kwargs(self, **kwargs):
        data_kwargs = super().get_import_data_kwargs(**kwargs)
        # The dry run before confirming shows every row's cells and what changes; the
        # confirmed import does not pay for that.
        match = getattr(kwargs.get("request"), "resolver_match", None)
        preview = f"{self.opts.app_label}_{self.opts.model_name}_import"
        data_kwargs["show_changes"] = match is not None and match.url_name == preview
        return data_kwargs

    def import_action(self, request, **kwargs):
        response = super().import_action(request, **kwargs)
        context = getattr(response, "context_data", None)
        if context is not None:
            # The columns a file may hold, and those it must: django-import-export lists
            # none when the file was refused.
            shown = [cls() for cls in self.resource_classes]
            context["fields_list"] = context.get("fields_list") or [
                (r.get_display_name(), [f.column_name for f in r.get_user_visible_fields()])
                for r in shown
            ]
            context["required_columns"] = [
                (r.get_display_name(), r.required_columns()) for r in shown
            ]
        return response

    def process_dataset(self, dataset, form, request, **kwargs):
        # The whole file is one revision, named by the file and its checksum.
        name = form.cleaned_data.get("original_file_name") or ""
        stored = self.get_tmp_storage_class()(
            name=form.cleaned_data["import_file_name"],
            read_mode="rb",
            **self.get_tmp_storage_class_kwargs(),
        )
        with audit.recorded(audit.import_comment(name, stored.read()), request.user):
            result = super().process_dataset(dataset, form, request, **kwargs)
            audit.add_import_result(result)
        return result

    def history_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, admin.utils.unquote(object_id))
        changes = audit.changes(obj) if obj else {}
        context = {
            **(extra_context or {}),
            "changes": changes,
            # Opening an earlier version offers to restore it: for those who may change it.
            "has_change_permission": bool(obj) and self.has_change_permission(request, obj),
        }
        return super().history_view(request, object_id, context)

    def _reversion_revisionform_view(self, request, version, template_name, extra_context=None):
        """The page that restores an earlier version (django-reversion's revision and recover
        views both come here). Unlike django-reversion's own, it restores only a version of
        this page's model, only the record and its own rows (services.reverting), only what
        the person may change, and overwrites later edits of those rows only when told to."""
        if version.content_type_id != ContentType.objects.get_for_model(self.model).pk:
            return self.refused(
                request,
                f"Phiên bản này không phải của một {self.opts.verbose_name}: không thể khôi "
                "phục nó từ trang này.",
                status=404,
            )
        revert = reverting.plan(version)
        refused = revert.refused_for(request.user)
        if refused:
            return self.refused(
                request,
                "Bạn không có quyền khôi phục bản này, vì nó sẽ ghi lại những bản ghi bạn "
                "không được sửa: " + "; ".join(refused) + ".",
                status=403,
            )
        changed_since = revert.changed_since()
        if request.method == "POST" and changed_since and "_confirm_overwrite" not in request.POST:
            self.message_user(
                request,
                "Chưa khôi phục: hãy đọc danh sách bản ghi sẽ bị thay đổi và đánh dấu ô xác "
                "nhận trước khi bấm Lưu.",
                messages.ERROR,
            )
            request.method = "GET"  # shown again, written nothing
        extra_context = {
            **(extra_context or {}),
            "revert_changed_since": changed_since,
            "revert_parent": "reversion/recover_form.html"
            if (extra_context or {}).get("recover")
            else "reversion/revision_form.html",
        }
        signals = (
            mute_signals(pre_save, post_save, pre_delete, post_delete, m2m_changed)
            if request.method == "GET"
            else nullcontext()
        )
        try:
            with transaction.atomic(using=version.db), signals:
                revert.apply()
                with self.create_revision(request):
                    response = self.changeform_view(
                        request, quote(version.object_id), request.path, extra_context
                    )
                    saved = request.method == "POST" and response.status_code == 302
                    if saved:
                        stamp = localize(template_localtime(version.revision.date_created))
                        reversion.set_comment(f"Trở lại bản đã lưu lúc {stamp}")
                if saved:
                    return response
                # Shown, not saved (a first look, or a form refused): undo the restore. The
                # rollback is of this block, the one that holds the restore; inside the
                # revision's own block it would undo only what the form wrote.
                if hasattr(response, "render"):
                    response.template_name = template_name
                    response.render()
                transaction.set_rollback(True, using=version.db)
                return response
        except (RevertError, models.ProtectedError) as error:
            self.message_user(request, str(error), messages.ERROR)
            return redirect(
                reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")
            )

    def refused(self, request, message, status=403):
        """A refusal in the admin's look, in Vietnamese."""
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Không thực hiện được",
            "message": message,
        }
        return TemplateResponse(request, "admin/resolutions/refused.html", context, status=status)

    def add_data_read_fail_error_to_form(self, form, error):
        # Our own refusals say what is wrong in Vietnamese; keep their words.
        if isinstance(error, ValueError) and error.__class__.__module__.startswith("resolutions"):
            form.add_error("import_file", str(error))
        else:
            super().add_data_read_fail_error_to_form(form, error)

    def get_export_data(self, file_format, request, queryset, **kwargs):
        # The resources write numbers and dates in one fixed form per format (resources.py).
        kwargs["spreadsheet_format"] = file_format.get_title().lower()
        return super().get_export_data(file_format, request, queryset, **kwargs)

    def get_export_filename(self, request, queryset, file_format):
        # "nhiem-vu-2026-11-30.xlsx", not the model's English name.
        resource_class = self.get_export_resource_classes(request)[0]
        return resource_class.file_name(file_format.get_extension())

    def get_data_for_export(self, request, queryset, **kwargs):
        # Numbers and dates as number and date cells in XLSX and ODS: django-import-export
        # recognizes only its own format classes as such, not ours (formats.py).
        kwargs["force_native_type"] = kwargs.get("spreadsheet_format") in formats.NATIVE
        return super().get_data_for_export(request, queryset, **kwargs)

    class Media:
        css = {"all": ["resolutions/admin.css"]}
        js = ["resolutions/narrow_screen.js"]


class MeetingPartInline(admin.TabularInline):
    """A meeting's rows, in document order; the position column is the handle to reorder them."""

    form = RegisterForm
    formset = PositionedInlineFormSet
    formfield_overrides = {
        **FORM_FIELD_OVERRIDES,
        models.TextField: {
            **FORM_FIELD_OVERRIDES[models.TextField],
            "widget": forms.Textarea(attrs={"rows": 2, "cols": 60}),
        },
    }
    extra = 0
    show_change_link = True

    class Media:
        js = ["resolutions/inline_order.js", "resolutions/inline_cards.js"]

    def get_extra(self, request, obj=None, **kwargs):
        # "Điền từ văn bản" shows one form per row the text gave.
        filled = getattr(request, "filled_from_text", None)
        return len(filled.rows.get(self.model, [])) if filled else self.extra

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        # A meeting's rows pick topics; editing the taxonomy from a row only clutters the page.
        if field is not None and isinstance(field.widget, RelatedFieldWidgetWrapper):
            field.widget.can_add_related = field.widget.can_change_related = False
            field.widget.can_delete_related = field.widget.can_view_related = False
        return field


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


class ReportInline(MeetingPartInline):
    model = Report
    fields = ("position", "kind", "title")


class IndicatorInline(FiguresAsWritten, MeetingPartInline):
    model = Indicator
    fields = (
        "position",
        "name",
        "value",
        "unit",
        "change_pct",
        "compared_with",
        "plan_pct",
        "period",
        "topic",
        "is_target",
        "is_estimate",
    )
    autocomplete_fields = ("topic",)


class DirectiveInline(MeetingPartInline):
    model = Directive
    fields = (
        "position",
        "section_order",
        "section_number",
        "section_heading",
        "text",
        "topic",
        "tags",
        "responsible_unit",
        "lead_unit",
        "due_period",
        "due_on",
    )
    autocomplete_fields = ("topic", "tags", "lead_unit")


class FindingInline(MeetingPartInline):
    model = Finding
    fields = ("position", "kind", "text", "topic")
    autocomplete_fields = ("topic",)


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
    )
    list_filter = (
        "kind",
        "document_kind",
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
        filled = getattr(request, "filled_from_text", None)
        return filled.meeting if filled else super().get_changeform_initial_data(request)

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        filled = getattr(request, "filled_from_text", None)
        if filled:
            kwargs["initial"] = filled.rows.get(inline.model, [])
        return kwargs

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if object_id is None and request.method == "POST" and "_fill_from_text" in request.POST:
            return self.fill_from_text(request, form_url, extra_context)
        if object_id is not None:
            extra_context = {**(extra_context or {}), **self.carry_forward_context(object_id)}
        return super().changeform_view(request, object_id, form_url, extra_context)

    def fill_from_text(self, request, form_url, extra_context):
        """Parse the pasted conclusion and show the add page filled from it, unsaved."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        text = request.POST.get("source_text", "")
        if not text.strip():
            self.message_user(
                request,
                "Hãy dán toàn văn kết luận vào ô “Văn bản gốc” rồi bấm “Điền từ văn bản”.",
                messages.ERROR,
            )
            return redirect(request.path)
        name = request.POST.get("source_name", "")
        try:  # the limits and cleaning of an uploaded document's text
            text = read_text(name or "văn bản dán", text)
        except DocumentError as error:
            self.message_user(request, str(error), messages.ERROR)
            return redirect(request.path)
        parsed = parse_text(text, name)
        request.filled_from_text = filled = form_initial(parsed, name)
        for warning in filled.warnings:
            self.message_user(request, f"Cảnh báo: {warning}", messages.WARNING)
        if parsed.evidence:
            self.message_user(
                request, f"Nguồn các giá trị: {evidence_display.summary(parsed)}.", messages.INFO
            )
        self.message_user(
            request,
            f"Đã điền từ văn bản: {filled.summary()}. Hãy kiểm tra rồi bấm Lưu; "
            "chưa có gì được lưu.",
            messages.INFO,
        )
        # Rendered as a fresh add page: unbound forms whose initial values are the text's.
        request.method = "GET"
        return super().changeform_view(request, None, form_url, extra_context)

    def carry_forward_context(self, object_id) -> dict:
        meeting = Meeting.objects.filter(pk=object_id).first()
        previous, still_open = meeting.left_open() if meeting else (None, None)
        if previous is None:
            return {"open_directives": None}
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

    def carry_forward_view(self, request, object_id):
        """Set an open directive of the previous conclusion again in this meeting."""
        meeting = self.get_object(request, object_id)
        if meeting is None or request.method != "POST":
            raise PermissionDenied
        if not (self.has_change_permission(request, meeting) and self.has_add_permission(request)):
            raise PermissionDenied
        # Only what the page offers: a directive the previous meeting left open, or all of them.
        previous, left_open = meeting.left_open()
        if "all" in request.POST:
            return self._carry_all_forward(request, meeting, list(left_open or []))
        chosen = vietnamese.whole_number(request.POST.get("directive"))
        old = left_open.filter(pk=chosen).first() if previous and chosen is not None else None
        if old is None:
            self.message_user(
                request,
                "Không chuyển được: chỉ chuyển sang hội nghị này được những nhiệm vụ chưa hoàn "
                f"thành của hội nghị trước của cùng cấp ủy ({previous or 'chưa có'}), "
                "chọn trong danh sách cuối trang.",
                messages.ERROR,
            )
        else:
            try:
                with audit.recorded("Chuyển nhiệm vụ sang hội nghị sau", request.user):
                    new = old.carry_forward(meeting)
                    audit.add([new])
            except ValidationError as error:
                self.message_user(request, "; ".join(error.messages), messages.ERROR)
            else:
                url = reverse("admin:resolutions_directive_change", args=[new.pk])
                self.message_user(
                    request,
                    format_html(
                        'Đã chuyển nhiệm vụ sang hội nghị này: <a href="{}">{}</a>.', url, new
                    ),
                    messages.SUCCESS,
                )
        return redirect(reverse("admin:resolutions_meeting_change", args=[meeting.pk]))

    def _carry_all_forward(self, request, meeting, still_open):
        """Every directive the previous meeting left open, set again here: all or none."""
        if not still_open:
            self.message_user(
                request,
                "Không chuyển được: hội nghị trước của cùng cấp ủy không còn nhiệm vụ nào chưa "
                "hoàn thành.",
                messages.ERROR,
            )
        else:
            try:
                with audit.recorded("Chuyển nhiệm vụ sang hội nghị sau", request.user):
                    audit.add([old.carry_forward(meeting) for old in still_open])
            except ValidationError as error:
                self.message_user(request, "; ".join(error.messages), messages.ERROR)
            else:
                self.message_user(
                    request,
                    f"Đã chuyển {len(still_open)} nhiệm vụ chưa hoàn thành sang hội nghị này.",
                    messages.SUCCESS,
                )
        return redirect(reverse("admin:resolutions_meeting_change", args=[meeting.pk]))

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
        return super().get_queryset(request).annotate(directive_count=Count("directives"))

    def get_urls(self):
        return [
            path(
                "import-text/",
                self.admin_site.admin_view(self.import_text_view),
                name="resolutions_meeting_import_text",
            ),
            path(
                "archive/",
                self.admin_site.admin_view(self.archive_view),
                name="resolutions_meeting_archive",
            ),
            path(
                "<path:object_id>/carry-forward/",
                self.admin_site.admin_view(self.carry_forward_view),
                name="resolutions_meeting_carry_forward",
            ),
            *super().get_urls(),
        ]

    def archive_view(self, request):
        """Download the archive workbook, or restore one, for those allowed to."""
        if not request.user.has_perm("resolutions.manage_archive"):
            raise PermissionDenied
        export_form = ArchiveExportForm(request.GET if "export" in request.GET else None)
        restore_form = ArchiveRestoreForm(request.POST or None, request.FILES or None)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Tệp lưu trữ",
            # What the workbook holds, read from what writes it: a sheet and its columns.
            "info_sheet": INFO_SHEET,
            "sheets": [
                (name, cls._meta.model._meta.verbose_name_plural, cls().get_export_headers())
                for name, cls in resources.ARCHIVE_SHEETS
            ],
            "export_form": export_form,
            "restore_form": restore_form,
        }
        if export_form.is_bound and export_form.is_valid():
            return self._archive_download(request, **export_form.cleaned_data)
        if request.method == "POST" and restore_form.is_valid():
            upload = restore_form.cleaned_data["archive"]
            with tempfile.NamedTemporaryFile(suffix=".xlsx") as stored:
                for chunk in upload.chunks():
                    stored.write(chunk)
                stored.flush()
                try:
                    outcome = restore_archive(
                        Path(stored.name),
                        dry_run=restore_form.cleaned_data["dry_run"],
                        user=request.user,
                        name=upload.name,
                    )
                except ArchiveRefused as error:
                    context["refused"] = str(error).replace(Path(stored.name).name, upload.name)
                    context["problems"] = error.problems
                else:
                    context["outcome"] = outcome
        return TemplateResponse(request, "admin/resolutions/meeting/archive.html", context)

    def _archive_download(self, request, committee, year):
        # Written to a temporary file by a write-only workbook, then streamed from it: memory
        # stays flat however large the register is.
        stored = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
        export_archive(
            stored, committee=committee, year=year, exported_by=request.user.get_username()
        )
        stored.seek(0)
        name = "so-ket-luan"
        if committee:
            name += "-" + committee.file_slug
        if year:
            name += f"-{year}"
        return FileResponse(stored, as_attachment=True, filename=f"{name}.xlsx")

    def import_text_view(self, request):
        """Upload or paste a conclusion, review what the parser read, then confirm to write."""
        if not request.user.has_perm("resolutions.import_conclusion"):
            raise PermissionDenied
        form = ConclusionImportForm(request.POST or None, request.FILES or None)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Nhập kết luận từ văn bản",
            "form": form,
        }
        if request.method == "POST" and form.is_valid():
            text, name = form.cleaned_data["text"], form.cleaned_data["source_name"]
            parsed = parse_text(text, name)
            confirmed = "confirm" in request.POST
            try:
                outcome = import_conclusion(
                    parsed,
                    source_name=name,
                    dry_run=not confirmed,
                    user=request.user,
                    overwrite_edits=confirmed and form.cleaned_data["overwrite_edits"],
                )
            except ImportRefused as error:
                context["refused"] = str(error)
            else:
                if confirmed:
                    level = messages.INFO if outcome.status == "unchanged" else messages.SUCCESS
                    self.message_user(request, outcome.summary(), level)
                    if outcome.warnings:
                        # One warning a line, as on the preview.
                        listed = format_html_join(
                            "", "<li>{}</li>", ((w,) for w in outcome.warnings)
                        )
                        self.message_user(
                            request,
                            format_html(
                                '{} cảnh báo cần xem lại:<ul class="import-warning-list">{}</ul>',
                                len(outcome.warnings),
                                listed,
                            ),
                            messages.WARNING,
                        )
                    return redirect(
                        reverse("admin:resolutions_meeting_change", args=[outcome.meeting.pk])
                    )
                context["outcome"] = outcome
            context.update(
                parsed=parsed,
                sources=evidence_display.sources(parsed),
                structure=as_gold_dict(parsed, name),
                confirm_form=ConclusionImportForm(
                    initial={"text": parsed.source_text, "source_name": name}
                ),
            )
        return TemplateResponse(request, "admin/resolutions/meeting/import_text.html", context)

    @admin.display(description="khóa", ordering="term")
    def term_display(self, obj):
        return obj.term_roman

    @admin.display(description="số nhiệm vụ", ordering="directive_count")
    def directive_total(self, obj):
        return obj.directive_count


class MeetingPartAdmin(RegisterAdmin):
    """List pages for a meeting's rows, to find them across meetings and committees."""

    list_select_related = ("meeting__committee",)
    autocomplete_fields = ("meeting",)
    show_full_result_count = False
    # Facet counts would count a million rows once per filter choice on every page.
    show_facets = admin.ShowFacets.NEVER
    paginator = EstimatedCountPaginator

    @admin.display(description="hội nghị", ordering="meeting__started_on")
    def meeting_link(self, obj):
        url = reverse("admin:resolutions_meeting_change", args=[obj.meeting_id])
        return format_html('<a href="{}">{}</a>', url, obj.meeting)


class RankedChangeList(ChangeList):
    """Search results come best first unless the person sorts by a column."""

    def get_ordering(self, request, queryset):
        if "rank" in queryset.query.annotations and ORDER_VAR not in self.params:
            return ["-rank", "-meeting__started_on", "-pk"]
        return super().get_ordering(request, queryset)

    def get_results(self, request):
        super().get_results(request)
        # Only the newest matches are ranked and listed (resolutions.search): say so when
        # they fill the list.
        window = self.queryset.query.annotations.get("search_window")
        if window is not None and self.result_count >= window.value:
            shown = vietnamese.format_decimal(window.value, grouping=True)
            messages.info(
                request,
                f"Hiển thị {shown} kết quả mới nhất, xếp theo mức độ khớp; hãy thêm từ khóa "
                "hoặc chọn bộ lọc (năm, cấp ủy, lĩnh vực) để tìm các kết quả cũ hơn.",
            )


class SearchableAdmin(MeetingPartAdmin):
    """The search box uses resolutions.search: accents or not, phrases, ranked results."""

    search_help_text = (
        "Gõ có dấu hoặc không dấu, ví dụ: giai phong mat bang; "
        "đặt cụm từ trong ngoặc kép để tìm đúng cụm: “cải cách hành chính”."
    )

    def get_search_results(self, request, queryset, search_term):
        search_term = search_term.replace("\x00", "")
        if not search_term.strip():
            return queryset, False
        query = search.parse_query(search_term)
        if query.error:
            self.message_user(request, query.error, messages.WARNING)
        found = search.search(queryset, query)
        if query.corrections:
            self.message_user(request, query.correction_notice, messages.INFO)
        # The query as searched (corrections included) travels with each row, to mark in it
        # what matched.
        return found.annotate(search_query=Value(query.dumps(), output_field=CharField())), False

    def get_changelist(self, request, **kwargs):
        return RankedChangeList

    def highlighted(self, obj, text, context=""):
        return search.highlight(
            text, search.Query.loads(getattr(obj, "search_query", "")), context=context
        )


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


class ProgressNoteInline(admin.TabularInline):
    model = ProgressNote
    fields = ("noted_on", "text", "author")
    readonly_fields = ("author",)
    extra = 1
    form = RegisterForm
    formfield_overrides = {
        **FORM_FIELD_OVERRIDES,
        models.TextField: {
            **FORM_FIELD_OVERRIDES[models.TextField],
            "widget": forms.Textarea(attrs={"rows": 2}),
        },
    }


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
                self.admin_site.admin_view(self.follow_up_view),
                name="resolutions_directive_follow_up",
            ),
            *super().get_urls(),
        ]

    def follow_up_view(self, request):
        """Counts by status and by lead unit for a committee and a period; XLSX on request."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = FollowUpReportForm(request.GET or None)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Báo cáo theo dõi thực hiện nhiệm vụ",
            "form": form,
        }
        if form.is_bound and form.is_valid():
            report = follow_up.build_report(**form.cleaned_data)
            if "xlsx" in request.GET:
                return FileResponse(
                    follow_up.report_workbook(report),
                    as_attachment=True,
                    filename=report.file_name(),
                )
            context["report"] = report
        return TemplateResponse(request, "admin/resolutions/directive/follow_up.html", context)

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
