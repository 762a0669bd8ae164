from django.core.management.base import BaseCommand, CommandError

from resolutions.handover.restore import restore_package
from resolutions.upload_safety import UploadRefused


class Command(BaseCommand):
    help = (
        "Khôi phục một gói nộp lưu vào sổ (thường là một sổ trống): các bảng của tệp Excel "
        "lưu trữ và các tệp văn bản gốc; gói được kiểm tra trước, lỗi thì không ghi gì."
    )

    def add_arguments(self, parser):
        parser.add_argument("package", help="Tệp zip của gói nộp lưu.")

    def handle(self, *args, package, **options):
        try:
            outcome = restore_package(package)
        except FileNotFoundError:
            raise CommandError(f"Không có tệp “{package}”.") from None
        except UploadRefused as error:
            raise CommandError(str(error)) from None
        return f"Đã khôi phục: {outcome.summary()}."
