"""The official documents of meetings as files: .docx, or PDF/A made by one LibreOffice
process for the whole batch."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Prefetch

from ..models import Directive, Meeting
from .docx import write_docx
from .layout import IssuedDocument, build_document
from .pdf import convert_to_pdf

FORMATS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


@dataclass(frozen=True)
class RenderedFile:
    name: str
    data: bytes
    content_type: str
    document: IssuedDocument


def meetings_to_render(queryset=None):
    """Meetings with everything the document prints, in a fixed number of queries."""
    queryset = queryset if queryset is not None else Meeting.objects.all()
    return queryset.select_related(
        "committee__parent", "committee__issuing_profile", "issuance"
    ).prefetch_related(
        "reports",
        "findings",
        Prefetch("directives", queryset=Directive.objects.order_by("section_order", "position")),
    )


def render_meetings(meetings: Iterable[Meeting], fmt: str = "docx") -> list[RenderedFile]:
    if fmt not in FORMATS:
        raise ValueError(f"Định dạng “{fmt}” không hỗ trợ; chọn docx hoặc pdf.")
    documents = [build_document(m) for m in meetings]
    files = {_unique(d.file_stem, i): (d, write_docx(d)) for i, d in enumerate(documents)}
    if fmt == "pdf":
        pdfs = convert_to_pdf({stem: docx for stem, (_, docx) in files.items()})
        files = {stem: (d, pdfs[stem]) for stem, (d, _) in files.items()}
    return [
        RenderedFile(f"{stem}.{fmt}", data, FORMATS[fmt], document)
        for stem, (document, data) in files.items()
    ]


def render_meeting(meeting: Meeting, fmt: str = "docx") -> RenderedFile:
    return render_meetings([meeting], fmt)[0]


def _unique(stem: str, index: int) -> str:
    return f"{stem}-{index + 1}" if index else stem
