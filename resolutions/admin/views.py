"""The admin's own pages, beyond Django's list and edit pages: the text import, "Điền từ văn
bản", carrying tasks forward, the archive, and the follow-up report. Each is a function of the
ModelAdmin that serves it (``get_urls``) and the request; it checks the person's rights, calls a
service and renders or redirects.
"""

import io
import tempfile
from pathlib import Path

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from .. import vietnamese
from ..parsing import DocumentError, read_text
from ..parsing.intake import as_guessed
from ..services import audit
from ..services import follow_up as follow_up_report
from ..services.conclusions import ImportRefused, import_conclusion, parse_text
from ..spreadsheets.archive import ARCHIVE_SHEETS, INFO_SHEET, export_archive, restore_archive
from ..upload_safety import UploadRefused
from . import evidence, filling, pending
from .forms import ArchiveExportForm, ArchiveRestoreForm, ConclusionImportForm, FollowUpReportForm


def fill_from_text(model_admin, request):
    """Read the pasted conclusion and send the clerk to the add page filled from it, unsaved
    (filling.py)."""
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    text = request.POST.get("source_text", "")
    if not text.strip():
        model_admin.message_user(
            request,
            "Hãy dán toàn văn kết luận vào ô “Văn bản gốc” rồi bấm “Điền từ văn bản”.",
            messages.ERROR,
        )
        return redirect(request.path)
    name = request.POST.get("source_name", "")
    try:  # the limits and cleaning of an uploaded document's text
        text = read_text(name or "văn bản dán", text)
    except DocumentError as error:
        model_admin.message_user(request, str(error), messages.ERROR)
        return redirect(request.path)
    key, filled = filling.store(request, text, name)
    for warning in filled.initial.warnings:
        model_admin.message_user(request, f"Cảnh báo: {warning}", messages.WARNING)
    if filled.parsed.evidence:
        model_admin.message_user(
            request, f"Nguồn các giá trị: {evidence.summary(filled.parsed)}.", messages.INFO
        )
    model_admin.message_user(
        request,
        f"Đã điền từ văn bản: {filled.initial.summary()}. Hãy kiểm tra rồi bấm Lưu; "
        "chưa có gì được lưu.",
        messages.INFO,
    )
    return redirect(f"{request.path}?{filling.PARAM}={key}")


def carry_forward(model_admin, request, object_id):
    """Set an open directive of the previous conclusion again in this meeting."""
    meeting = model_admin.get_object(request, object_id)
    if meeting is None or request.method != "POST":
        raise PermissionDenied
    if not (
        model_admin.has_change_permission(request, meeting)
        and model_admin.has_add_permission(request)
    ):
        raise PermissionDenied
    # Only what the page offers: a directive the previous meeting left open, or all of them.
    previous, left_open = meeting.left_open()
    if "all" in request.POST:
        return _carry_all_forward(model_admin, request, meeting, list(left_open or []))
    chosen = vietnamese.whole_number(request.POST.get("directive"))
    old = left_open.filter(pk=chosen).first() if previous and chosen is not None else None
    if old is None:
        model_admin.message_user(
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
            model_admin.message_user(request, "; ".join(error.messages), messages.ERROR)
        else:
            url = reverse("admin:resolutions_directive_change", args=[new.pk])
            model_admin.message_user(
                request,
                format_html('Đã chuyển nhiệm vụ sang hội nghị này: <a href="{}">{}</a>.', url, new),
                messages.SUCCESS,
            )
    return redirect(reverse("admin:resolutions_meeting_change", args=[meeting.pk]))


def _carry_all_forward(model_admin, request, meeting, still_open):
    """Every directive the previous meeting left open, set again here: all or none."""
    if not still_open:
        model_admin.message_user(
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
            model_admin.message_user(request, "; ".join(error.messages), messages.ERROR)
        else:
            model_admin.message_user(
                request,
                f"Đã chuyển {len(still_open)} nhiệm vụ chưa hoàn thành sang hội nghị này.",
                messages.SUCCESS,
            )
    return redirect(reverse("admin:resolutions_meeting_change", args=[meeting.pk]))


def archive(model_admin, request):
    """Download the archive workbook, or restore one, for those allowed to."""
    if not request.user.has_perm("resolutions.manage_archive"):
        raise PermissionDenied
    export_form = ArchiveExportForm(request.GET if "export" in request.GET else None)
    restore_form = ArchiveRestoreForm(request.POST or None, request.FILES or None)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": "Tệp lưu trữ",
        # What the workbook holds, read from what writes it: a sheet and its columns.
        "info_sheet": INFO_SHEET,
        "sheets": [
            (name, cls._meta.model._meta.verbose_name_plural, cls().get_export_headers())
            for name, cls in ARCHIVE_SHEETS
        ],
        "export_form": export_form,
        "restore_form": restore_form,
    }
    if export_form.is_bound and export_form.is_valid():
        return _archive_download(model_admin, request, **export_form.cleaned_data)
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
            except UploadRefused as error:
                context["refused"] = str(error).replace(Path(stored.name).name, upload.name)
                context["problems"] = error.problems
            else:
                context["outcome"] = outcome
    return TemplateResponse(request, "admin/resolutions/meeting/archive.html", context)


def _archive_download(model_admin, request, committee, year):
    # Written to a temporary file by a write-only workbook, then streamed from it: memory
    # stays flat however large the register is.
    stored = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    export_archive(stored, committee=committee, year=year, exported_by=request.user.get_username())
    stored.seek(0)
    name = "so-ket-luan"
    if committee:
        name += "-" + committee.file_slug
    if year:
        name += f"-{year}"
    return FileResponse(stored, as_attachment=True, filename=f"{name}.xlsx")


def import_text(model_admin, request):
    """Upload or paste a conclusion, review what the parser read, then confirm to write."""
    if not request.user.has_perm("resolutions.import_conclusion"):
        raise PermissionDenied
    form = ConclusionImportForm(request.POST or None, request.FILES or None)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": "Nhập kết luận từ văn bản",
        "form": form,
    }
    if request.method == "POST" and form.is_valid():
        confirmed = "confirm" in request.POST
        token = form.cleaned_data["pending"]
        if token and not form.cleaned_data.get("document"):
            # The confirmation of a preview: what it read, not the text posted back.
            held = pending.take(request, token)
            if held is None:
                context["refused"] = pending.EXPIRED
                return TemplateResponse(
                    request, "admin/resolutions/meeting/import_text.html", context
                )
            name, intake, data = held.name, held.intake, held.data
        else:
            name, intake = form.cleaned_data["source_name"], form.cleaned_data.get("intake")
            data = form.cleaned_data["data"]
        text = intake.text if intake is not None else form.cleaned_data["text"]
        parsed = parse_text(text, name)
        # How the file was read (format, encodings converted, OCR): OCR's values are guesses.
        context["intake"] = intake
        if intake is not None and intake.ocr:
            as_guessed(parsed)
        try:
            outcome = import_conclusion(
                parsed,
                source_name=name,
                dry_run=not confirmed,
                user=request.user,
                overwrite_edits=confirmed and form.cleaned_data["overwrite_edits"],
                data=data,  # a file's bytes, kept as the meeting's source file on confirm
                intake=intake,
            )
        except ImportRefused as error:
            context["refused"] = str(error)
        else:
            if confirmed:
                pending.release(request)
                level = messages.INFO if outcome.status == "unchanged" else messages.SUCCESS
                model_admin.message_user(request, outcome.summary(), level)
                if intake is not None and intake.ocr:
                    model_admin.message_user(
                        request,
                        f"Văn bản đọc bằng nhận dạng chữ (OCR): {len(evidence.unsure(parsed))} "
                        "giá trị là phỏng đoán, hãy đối chiếu với tệp gốc (cuối trang).",
                        messages.WARNING,
                    )
                if outcome.warnings:
                    # One warning a line, as on the preview.
                    listed = format_html_join("", "<li>{}</li>", ((w,) for w in outcome.warnings))
                    model_admin.message_user(
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
        initial = {"source_name": name}
        if intake is not None:
            initial["pending"] = pending.hold(request, name, intake, data)
        else:
            initial["text"] = parsed.source_text
        context.update(
            parsed=parsed,
            sources=evidence.sources(parsed),
            guessed=evidence.unsure(parsed),
            confirm_form=ConclusionImportForm(initial=initial),
        )
    return TemplateResponse(request, "admin/resolutions/meeting/import_text.html", context)


def source_file(model_admin, request, object_id, file_id):
    """One of a meeting's source files, as received, for whoever may see the meeting."""
    meeting = model_admin.get_object(request, object_id)
    if meeting is None or not model_admin.has_view_or_change_permission(request, meeting):
        raise PermissionDenied
    source = meeting.source_files.filter(pk=file_id).first()
    if source is None:
        raise Http404("Không có tệp gốc này trong hội nghị.")
    return FileResponse(
        io.BytesIO(bytes(source.content)),
        as_attachment=True,
        filename=source.name,
        content_type="application/octet-stream",
    )


def follow_up(model_admin, request):
    """Counts by status and by lead unit for a committee and a period; XLSX on request."""
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    form = FollowUpReportForm(request.GET or None)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": "Báo cáo theo dõi thực hiện nhiệm vụ",
        "form": form,
    }
    if form.is_bound and form.is_valid():
        report = follow_up_report.build_report(**form.cleaned_data)
        if "xlsx" in request.GET:
            return FileResponse(
                follow_up_report.report_workbook(report),
                as_attachment=True,
                filename=report.file_name(),
            )
        context["report"] = report
    return TemplateResponse(request, "admin/resolutions/directive/follow_up.html", context)
