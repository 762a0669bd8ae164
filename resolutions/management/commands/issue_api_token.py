"""Make a read-API token for a committee and print its key once (the register keeps only its
hash). The admin's *Khóa truy cập API* page does the same for a person."""

from django.core.management.base import BaseCommand, CommandError

from resolutions.api.tokens import ApiToken
from resolutions.models import Committee


class Command(BaseCommand):
    help = "Tạo khóa truy cập API cho một cấp ủy và in khóa ra (chỉ một lần)."

    def add_arguments(self, parser):
        parser.add_argument("committee", help="tên cấp ủy, có dấu hoặc không")
        parser.add_argument("--name", default="Hệ thống bên ngoài", help="tên hệ thống dùng khóa")
        parser.add_argument("--rate", type=int, default=120, help="số yêu cầu mỗi phút")

    def handle(self, *args, committee, name, rate, **options):
        found = Committee.objects.all().named(committee)
        if found is None:
            raise CommandError(f"Không có cấp ủy “{committee}”.")
        token = ApiToken(name=name, committee=found, rate_per_minute=rate)
        key = token.issue_key()
        token.save()
        return key
