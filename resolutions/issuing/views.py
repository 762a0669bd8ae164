"""The admin pages of issuing: the conclusion as a document to read and print, and its .docx
and PDF/A to download. Added to the admin site by RegisterSite.get_urls."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from .layout import build_document
from .pdf import ConversionError
from .rendering import FORMATS, meetings_to_render, render_meeting


def urls(site) -> list:
    return [
        path(
            "resolutions/meeting/<int:pk>/document/",
            site.admin_view(lambda request, pk: document_view(site, request, pk)),
            name="resolutions_meeting_document",
        ),
        path(
            "resolutions/meeting/<int:pk>/document.<str:fmt>",
            site.admin_view(lambda request, pk, fmt: download_view(request, pk, fmt)),
            name="resolutions_meeting_document_file",
        ),
    ]


def _meeting(request, pk: int):
    # Every role that may view a meeting may read and print its conclusion.
    if not request.user.has_perm("resolutions.view_meeting"):
        raise PermissionDenied
    meeting = meetings_to_render().filter(pk=pk).first()
    if meeting is None:
        raise Http404("Không tìm thấy hội nghị.")
    return meeting


def document_view(site, request, pk: int):
    meeting = _meeting(request, pk)
    document = build_document(meeting)
    context = {
        **site.each_context(request),
        "title": document.subject,
        "meeting": meeting,
        "document": document,
        "opts": meeting._meta,
        "formats": sorted(FORMATS),
    }
    return TemplateResponse(request, "admin/resolutions/meeting/document.html", context)


def download_view(request, pk: int, fmt: str):
    meeting = _meeting(request, pk)
    if fmt not in FORMATS:
        raise Http404("Định dạng không hỗ trợ.")
    try:
        rendered = render_meeting(meeting, fmt)
    except ConversionError as error:
        messages.error(request, str(error))
        return redirect(reverse("admin:resolutions_meeting_document", args=[pk]))
    response = HttpResponse(rendered.data, content_type=rendered.content_type)
    response["Content-Disposition"] = f'attachment; filename="{rendered.name}"'
    return response
