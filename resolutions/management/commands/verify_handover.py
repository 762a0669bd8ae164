from django.core.management.base import BaseCommand, CommandError

from resolutions.handover.verify import verify_package
from resolutions.upload_safety import UploadRefused


class Command(BaseCommand):
    help = (
        "Kiểm tra một gói nộp lưu: mã SHA-256 của mọi tệp, dữ liệu JSON theo lược đồ, nhận "
        "dạng PDF/A, tệp ghi trong dữ liệu đặc tả có trong gói và ngược lại."
    )

    def add_arguments(self, parser):
        parser.add_argument("package", help="Tệp zip của gói nộp lưu.")

    def handle(self, *args, package, **options):
        try:
            result = verify_package(package)
        except (UploadRefused, FileNotFoundError) as error:
            if isinstance(error, FileNotFoundError):
                raise CommandError(f"Không có tệp “{package}”.") from None
            raise CommandError(str(error)) from None
        for note in result.notes:
            self.stdout.write(note)
        if not result.ok:
            for problem in result.shown_problems():
                self.stderr.write(f"- {problem}")
            raise CommandError(
                f"{result.name}: gói có {len(result.problems)} lỗi ({result.files} tệp)."
            )
        return f"{result.name}: gói hợp lệ ({result.files} tệp, mọi mã kiểm tra khớp)."
