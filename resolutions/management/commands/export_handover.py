from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from resolutions.handover.package import export_handover
from resolutions.issuing.pdf import ConversionError
from resolutions.models import Committee
from resolutions.vietnamese import parse_term


class Command(BaseCommand):
    help = (
        "Lập gói nộp lưu của một cấp ủy (một khóa): tệp Excel lưu trữ, dữ liệu JSON và dữ liệu "
        "đặc tả, các tệp văn bản gốc, bản PDF/A (với --with-pdf), biên bản giao nộp và danh mục "
        "mã SHA-256, trong một tệp zip."
    )

    def add_arguments(self, parser):
        parser.add_argument("out", help="Tệp zip ghi ra.")
        parser.add_argument("--committee", required=True, help="Tên cấp ủy (như trong sổ).")
        parser.add_argument("--term", help="Khóa (III hoặc 3); để trống: mọi khóa.")
        parser.add_argument(
            "--with-pdf",
            action="store_true",
            help="Kèm bản PDF/A-2b của từng kết luận (cần LibreOffice).",
        )

    def handle(self, *args, out, committee, term, with_pdf, **options):
        found = Committee.objects.filter(name=committee).first()
        if found is None:
            raise CommandError(f"Không có cấp ủy “{committee}” trong sổ.")
        number = None
        if term:
            try:
                number = parse_term(term)
            except ValueError as error:
                raise CommandError(str(error)) from None
        path = Path(out)
        try:
            with path.open("wb") as target:
                outcome = export_handover(target, committee=found, term=number, with_pdf=with_pdf)
        except ConversionError as error:
            path.unlink(missing_ok=True)
            raise CommandError(str(error)) from None
        return f"Đã ghi {path}: {outcome.summary()}."
