import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from resolutions.parsing import DocumentError, as_gold_dict, evidence_dict, read_path
from resolutions.services.conclusions import parse_text


class Command(BaseCommand):
    help = (
        "Parse a conclusion (.txt or .docx) and print its structure without writing anything; "
        "--format json follows the schema of the hand-checked files in shared/gold/."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, path, format, **options):
        try:
            parsed = parse_text(read_path(path), Path(path).name)
        except (DocumentError, OSError) as error:
            raise CommandError(str(error)) from None
        structure = as_gold_dict(parsed, Path(path).name)
        if format == "json":
            structure["evidence"] = evidence_dict(parsed)
            self.stdout.write(json.dumps(structure, ensure_ascii=False, indent=1))
            return
        meeting = structure["meeting"]
        self.stdout.write(structure["document"].get("title", ""))
        for key, value in meeting.items():
            self.stdout.write(f"  {key}: {value}")
        self.stdout.write(f"Báo cáo thông qua: {len(structure['reports_adopted'])}")
        for title in structure["reports_adopted"]:
            self.stdout.write(f"  - {title}")
        self.stdout.write(f"Chỉ tiêu: {len(parsed.indicators)}")
        for indicator in parsed.indicators:
            self.stdout.write(f"  - {indicator.name}: {indicator.value} {indicator.unit}".rstrip())
        for section in structure["sections"]:
            topic = section["topic"] or "chưa rõ lĩnh vực"
            self.stdout.write(
                f"Mục {section['order']} (in “{section['printed_number']}”) {section['heading']}"
                f" [{topic}]: {len(section['directives'])} nhiệm vụ"
            )
            for text in section["directives"]:
                self.stdout.write(f"  - {text[:100]}")
        for warning in parsed.warnings:
            self.stdout.write(self.style.WARNING(f"Cảnh báo {warning}"))
