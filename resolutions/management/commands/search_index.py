from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection, transaction

from resolutions.search import SEARCHED_TABLES, ranks_in_index, use_ranked_index


class Command(BaseCommand):
    help = (
        "Show or choose how PostgreSQL indexes the search: GIN (the default; fast imports; "
        "a rare question's matches are read from the table to find the newest) or RUM (each "
        "entry carries its meeting's day: the index hands the newest matches over; imports "
        "write more slowly). RUM needs the extension: apt-get install postgresql-15-rum."
    )

    def add_arguments(self, parser):
        choice = parser.add_mutually_exclusive_group()
        choice.add_argument("--rum", action="store_true", help="RUM indexes, newest matches first")
        choice.add_argument("--gin", action="store_true", help="back to GIN indexes")

    def handle(self, *args, rum, gin, **options):
        if connection.vendor != "postgresql":
            raise CommandError("Chỉ PostgreSQL có chỉ mục tìm kiếm để chọn; SQLite không cần.")
        if rum or gin:
            try:
                with transaction.atomic():
                    use_ranked_index(rum)
            except DatabaseError as error:
                raise CommandError(f"Không đổi được chỉ mục: {error}") from None
        for table in SEARCHED_TABLES:
            kind = "RUM (chỉ mục trả kết quả mới nhất trước)" if ranks_in_index(table) else "GIN"
            self.stdout.write(f"{table}: {kind}")
