import getpass

from django.core.management.base import BaseCommand, CommandError

from resolutions.models import Committee
from resolutions.spreadsheets.archive import export_archive


class Command(BaseCommand):
    help = (
        "Write the archive workbook (.xlsx): one sheet per model and a sheet describing the "
        "file. Restore it with import_archive."
    )

    def add_arguments(self, parser):
        parser.add_argument("out")
        parser.add_argument("--committee", help="only this committee's meetings (name)")
        parser.add_argument("--year", type=int, help="only the meetings held that year")

    def handle(self, *args, out, committee, year, **options):
        chosen = None
        if committee:
            chosen = Committee.objects.filter(name=committee).first()
            if chosen is None:
                raise CommandError(f"Không có cấp ủy “{committee}” trong sổ.")
        counts = export_archive(out, committee=chosen, year=year, exported_by=getpass.getuser())
        self.stdout.write(
            f"{out}: " + ", ".join(f"{name} {count}" for name, count in counts.items())
        )
