import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from resolutions.services.evaluation import PARTS, evaluate_folder

# Column labels, in the order of PARTS.
LABELS = ("hội nghị", "báo cáo", "chỉ tiêu", "kết quả", "mục", "nhiệm vụ")


class Command(BaseCommand):
    help = (
        "Compare the parser's reading of every document of DIR (a .txt with its expected .json "
        "beside it; default tests/documents/) with what a clerk recorded: fields right / fields "
        "expected per document and in total, by part, and the figures read that the JSON does "
        "not list (noise). -v 2 lists what was missed. How fields are counted: "
        "resolutions/services/evaluation.py."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", nargs="?", metavar="DIR")
        parser.add_argument("--json", action="store_true", dest="as_json")

    def handle(self, *args, folder, as_json: bool, verbosity: int, **options):
        folder = Path(folder) if folder else Path(settings.BASE_DIR) / "tests" / "documents"
        if not folder.is_dir():
            raise CommandError(f"Không có thư mục {folder}.")
        evaluation = evaluate_folder(folder)
        if not evaluation.documents:
            raise CommandError(f"Thư mục {folder} không có văn bản .txt nào kèm tệp .json.")
        if as_json:
            self.stdout.write(json.dumps(evaluation.as_dict(), ensure_ascii=False, indent=1))
            return
        self.stdout.write(
            f"{'văn bản':34}" + "".join(f"{label:>11}" for label in LABELS) + f"{'tổng':>11}  thừa"
        )
        for document in evaluation.documents:
            cells = [f"{document.parts[p].right}/{document.parts[p].expected}" for p in PARTS]
            self.stdout.write(
                f"{document.name[:33]:34}"
                + "".join(f"{cell:>11}" for cell in cells)
                + f"{document.right}/{document.expected}".rjust(11)
                + f"  {document.noise}/{document.figures_read}"
            )
            if verbosity >= 2:
                for part in PARTS:
                    for miss in document.parts[part].misses:
                        self.stdout.write(f"    [{part}] {miss}")
        parts = evaluation.parts
        self.stdout.write(
            f"{'tổng':34}"
            + "".join(f"{parts[p].right}/{parts[p].expected}".rjust(11) for p in PARTS)
            + f"{evaluation.right}/{evaluation.expected}".rjust(11)
            + f"  {evaluation.noise}/{evaluation.figures_read}"
        )
        self.stdout.write(
            f"{'tỷ lệ đúng':34}"
            + "".join(f"{_pct(parts[p].right, parts[p].expected):>11}" for p in PARTS)
            + f"{_pct(evaluation.right, evaluation.expected):>11}"
            + f"  {_pct(evaluation.noise, evaluation.figures_read)} số liệu thừa"
        )


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "—"
