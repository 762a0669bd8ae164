from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from resolutions.issuing.pdf import ConversionError
from resolutions.issuing.rendering import FORMATS, meetings_to_render, render_meeting


class Command(BaseCommand):
    help = (
        "Xuất văn bản kết luận chính thức của một hội nghị (theo thể thức văn bản của Đảng) "
        "ra .docx hoặc PDF/A."
    )

    def add_arguments(self, parser):
        parser.add_argument("meeting", help="Mã hội nghị (số) hoặc số, ký hiệu văn bản (15-KL/QU).")
        parser.add_argument("--format", choices=sorted(FORMATS), default="docx")
        parser.add_argument("--out", help="Tệp ghi ra; mặc định theo tên văn bản, ở thư mục này.")

    def handle(self, *args, meeting, format, out, **options):
        meetings = meetings_to_render()
        if meeting.isdigit():
            found = meetings.filter(pk=int(meeting))
        else:
            found = meetings.filter(document_symbol=meeting)
        if len(found) != 1:
            raise CommandError(
                f"Không tìm thấy hội nghị “{meeting}”."
                if not found
                else f"Có {len(found)} hội nghị mang số “{meeting}”; hãy dùng mã hội nghị."
            )
        try:
            rendered = render_meeting(found[0], format)
        except ConversionError as error:
            raise CommandError(str(error)) from None
        path = Path(out or rendered.name)
        path.write_bytes(rendered.data)
        document = rendered.document
        draft = f" (DỰ THẢO: thiếu {', '.join(document.missing)})" if document.is_draft else ""
        return f"Đã ghi {path} ({len(rendered.data):,} byte){draft}."
