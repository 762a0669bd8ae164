from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection, transaction

from resolutions.search import SEARCHED_TABLES, ranks_in_index


def use_ranked_index(ranked: bool) -> None:
    """Index the search vectors with RUM, each word's entries carrying the day of the record's
    meeting (faster searches: the index hands over the newest matches without reading the
    table; slower writes), or with GIN (migration 0003's default: fast writes, a search
    reads every match from the table to find the newest). RUM needs the extension: Debian's
    package postgresql-15-rum."""
    with connection.cursor() as cursor:
        # An index cannot be built while the transaction owes foreign-key checks.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        if ranked:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS rum")
        for table in SEARCHED_TABLES:
            if ranked:
                cursor.execute(
                    f"CREATE INDEX IF NOT EXISTS {table}_search_rum ON {table} USING rum "
                    "(search_vector rum_tsvector_addon_ops, search_recency) "
                    "WITH (attach = 'search_recency', to = 'search_vector')"
                )
                cursor.execute(f"DROP INDEX IF EXISTS {table}_search_vector")
            else:
                cursor.execute(
                    f"CREATE INDEX IF NOT EXISTS {table}_search_vector ON {table} "
                    "USING gin (search_vector)"
                )
                cursor.execute(f"DROP INDEX IF EXISTS {table}_search_rum")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


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
