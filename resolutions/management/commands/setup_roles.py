from django.core.management.base import BaseCommand

from resolutions.roles import setup_roles


class Command(BaseCommand):
    help = (
        "Create or update the groups clerk (Chuyên viên văn phòng), archivist (Văn thư lưu "
        "trữ), viewer (Người xem) and administrator (Quản trị viên) with their permissions. "
        "Safe to run again: each group ends with exactly its role's permissions."
    )

    def handle(self, *args, **options):
        for name, count in setup_roles().items():
            self.stdout.write(f"{name}: {count} quyền")
