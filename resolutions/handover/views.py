"""The admin page of the handover package, for the archive role (and the administrator):
choose a committee and a term, download the package. Added to the admin site by
RegisterSite.get_urls. The package is written to a temporary file and streamed from it, so
a large register is never built in memory."""

from __future__ import annotations

import tempfile

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.template.response import TemplateResponse
from django.urls import path

from ..issuing.pdf import ConversionError
from ..models import Committee, Meeting
from ..vietnamese import to_roman
from .package import export_handover


class HandoverForm(forms.Form):
    committee: forms.ModelChoiceField = forms.ModelChoiceField(
        label="Cấp ủy", queryset=Committee.objects.none()
    )
    term = forms.IntegerField(
        label="Khóa",
        required=False,
        min_value=1,
        max_value=50,
        help_text="Nhập bằng số (3 là khóa III). Để trống: mọi khóa.",
    )
    with_pdf = forms.BooleanField(
        label="Kèm bản PDF/A của từng kết luận",
        required=False,
        help_text="Lâu hơn: mỗi kết luận được chuyển sang PDF/A bằng LibreOffice.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = Committee.objects.all()


def urls(site) -> list:
    return [
        path(
            "resolutions/meeting/handover/",
            site.admin_view(lambda request: handover_view(site, request)),
            name="resolutions_meeting_handover",
        )
    ]


def handover_view(site, request):
    if not request.user.has_perm("resolutions.manage_archive"):
        raise PermissionDenied
    form = HandoverForm(request.GET if "committee" in request.GET else None)
    if form.is_bound and form.is_valid():
        committee, term = form.cleaned_data["committee"], form.cleaned_data["term"]
        stored = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
        try:
            export_handover(
                stored, committee=committee, term=term, with_pdf=form.cleaned_data["with_pdf"]
            )
        except ConversionError as error:
            stored.close()
            messages.error(request, str(error))
        else:
            stored.seek(0)
            name = f"goi-nop-luu-{committee.file_slug}"
            if term:
                name += f"-khoa-{to_roman(term).lower()}"
            return FileResponse(stored, as_attachment=True, filename=f"{name}.zip")
    context = {
        **site.each_context(request),
        "opts": Meeting._meta,
        "title": "Gói nộp lưu",
        "form": form,
    }
    return TemplateResponse(request, "admin/resolutions/meeting/handover.html", context)
