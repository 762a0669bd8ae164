"""The options every page of the register shares: spreadsheets in and out, the history of every
record (django-reversion), and the search of a meeting's rows."""

from contextlib import nullcontext

import reversion
from django.contrib import admin, messages
from django.contrib.admin.utils import quote
from django.contrib.admin.views.main import ORDER_VAR, ChangeList
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import CharField, Value
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.http import QueryDict
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.timezone import template_localtime  # type: ignore[attr-defined]
from import_export.admin import ExportActionMixin, ImportExportMixin
from reversion.admin import VersionAdmin
from reversion.errors import RevertError
from reversion.utils import mute_signals

from .. import search, vietnamese
from ..pagination import EstimatedCountPaginator
from ..services import audit, reverting
from ..spreadsheets import formats, ods, readers
from ..upload_safety import UploadRefused
from ..uploads import SessionBoundImportMixin
from .forms import ExportForm, RegisterForm
from .inlines import FORM_FIELD_OVERRIDES
from .widgets import FilePickerInput

# Our own refusals of a file, whose Vietnamese words the import page shows as they are.
FILE_REFUSALS = (readers.Unreadable, ods.TooManyRows, UploadRefused)


class RegisterAdmin(SessionBoundImportMixin, ImportExportMixin, ExportActionMixin, VersionAdmin):
    """Options every list page of the register shares: spreadsheets in and out, and the
    history of every record (django-reversion)."""

    form = RegisterForm
    formfield_overrides = FORM_FIELD_OVERRIDES
    list_per_page = 50
    readonly_fields: tuple[str, ...] = ("created_at", "updated_at")
    formats = formats.FORMATS
    export_form_class = ExportForm
    history_latest_first = True
    object_history_template = "admin/resolutions/object_history.html"
    import_template_name = "admin/resolutions/import.html"
    revision_form_template = recover_form_template = "admin/resolutions/revert_form.html"

    def get_valid_export_item_pks(self, request):
        # The export action checks the rows a person ticked against this list.
        # django-import-export's own lists every id of the table (a million choices on a large
        # register) and warns that it is deprecated: the ticked ids this person may export
        # (their queryset) are the same check, in one query bounded by the page's selection.
        ticked = [pk for pk in request.POST.getlist("export_items") if pk.isdigit()]
        queryset = self.get_export_queryset(request).filter(pk__in=ticked)
        return queryset.values_list("pk", flat=True)

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
            # Written nothing: the same page is shown again, asked for afresh.
            return redirect(request.get_full_path())
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
        if isinstance(error, FILE_REFUSALS):
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


class MeetingPartAdmin(RegisterAdmin):
    """List pages for a meeting's rows, to find them across meetings and committees."""

    list_select_related: tuple[str, ...] = ("meeting__committee",)
    autocomplete_fields: tuple[str, ...] = ("meeting",)
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
