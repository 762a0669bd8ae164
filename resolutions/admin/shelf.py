"""The admin's "Nhập nhiều văn bản (tệp zip)" page: a zip of conclusion files imported as
``import_conclusions DIR --recursive`` imports a folder, with the same report per file."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.template.response import TemplateResponse

from ..parsing import DocumentError
from ..services.batch import REFUSED, STATUS_LABELS, import_files, unpack_zip, write_report
from .widgets import FilePickerInput

# A zip of a shelf of scans can be large; a zip beyond this is split by the person.
MAX_ZIP_BYTES = 200 * 1024 * 1024


class ShelfImportForm(forms.Form):
    archive = forms.FileField(
        label="Tệp zip các văn bản",
        widget=FilePickerInput,
        help_text=(
            "Mỗi văn bản một tệp (.txt, .docx, .doc, .rtf, .pdf, ảnh quét), trong thư mục nào "
            f"cũng được; tối đa {MAX_ZIP_BYTES // 1024 // 1024} MB. Văn bản đã nhập (cùng "
            "SHA-256) không được đọc lại."
        ),
    )
    dry_run = forms.BooleanField(label="Chỉ chạy thử (không ghi gì)", required=False, initial=True)
    report = forms.BooleanField(label="Tải về báo cáo (.xlsx)", required=False)

    def clean_archive(self):
        upload = self.cleaned_data["archive"]
        if upload.size > MAX_ZIP_BYTES:
            raise forms.ValidationError(
                f"{upload.name}: tệp quá lớn ({upload.size / 1024 / 1024:.1f} MB); giới hạn là "
                f"{MAX_ZIP_BYTES // 1024 // 1024} MB, hãy chia thành nhiều tệp zip."
            )
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
