"""The admin's "Nhập nhiều văn bản (tệp zip)" page: a zip of conclusion files imported as
``import_conclusions DIR --recursive`` imports a folder, with the same report per file."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.template.response import TemplateResponse

from .. import upload_safety
from ..parsing import DocumentError
from ..services.batch import REFUSED, STATUS_LABELS, import_files, unpack_zip, write_report
from .widgets import FilePickerInput


class ShelfImportForm(forms.Form):
    archive = forms.FileField(
        label="Tệp zip các văn bản",
        widget=FilePickerInput,
        help_text=(
            "Mỗi văn bản một tệp (.txt, .docx, .doc, .rtf, .pdf, ảnh quét), trong thư mục nào "
            "cũng được; tối đa {} MB, mỗi văn bản tối đa {} MB. Văn bản đã nhập (cùng SHA-256) "
            "không được đọc lại. Một kệ lớn hơn: lệnh import_conclusions trên máy chủ."
        ),
    )
    dry_run = forms.BooleanField(label="Chỉ chạy thử (không ghi gì)", required=False, initial=True)
    report = forms.BooleanField(label="Tải về báo cáo (.xlsx)", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        archive = self.fields["archive"]
        archive.help_text = str(archive.help_text).format(
            upload_safety.limit("shelf") // upload_safety.MB,
            upload_safety.limit("document") // upload_safety.MB,
        )

    def clean_archive(self):
        upload = self.cleaned_data["archive"]
        upload_safety.check_size(upload.name, upload.size, "shelf", forms.ValidationError)
        return upload


def import_shelf_view(model_admin, request):
    """Upload a zip; each file in it is imported in its own transaction and reported."""
    if not request.user.has_perm("resolutions.import_conclusion"):
        raise PermissionDenied
    form = ShelfImportForm(request.POST or None, request.FILES or None)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": "Nhập nhiều văn bản (tệp zip)",
        "form": form,
        "labels": STATUS_LABELS,
    }
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["archive"]
        with tempfile.TemporaryDirectory(prefix="shelf-") as folder:
            try:
                paths = unpack_zip(upload.name, upload, Path(folder))
            except DocumentError as error:
                context["refused"] = str(error)
                return TemplateResponse(
                    request, "admin/resolutions/meeting/import_shelf.html", context
                )
            reports = import_files(paths, dry_run=form.cleaned_data["dry_run"], user=request.user)
            for report in reports:  # named as in the zip, not by the temporary folder
                report.path = str(Path(report.path).relative_to(folder))
            if form.cleaned_data["report"]:
                stored = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
                write_report(reports, stored)
                stored.seek(0)
                return FileResponse(stored, as_attachment=True, filename="bao-cao-nhap.xlsx")
        context.update(
            reports=reports,
            dry_run=form.cleaned_data["dry_run"],
            refused_count=sum(r.status == REFUSED for r in reports),
            counts=[
                (label, sum(r.status == status for r in reports))
                for status, label in STATUS_LABELS.items()
            ],
        )
    return TemplateResponse(request, "admin/resolutions/meeting/import_shelf.html", context)
