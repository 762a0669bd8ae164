"""Which module may import which, as README's "Layout" draws it.

The file formats (reading and writing CSV, XLSX, ODS) know no model and no service; the parser
and the upload checks know no Django, so that the parser runs on its own and reads .docx files
through the same zip rule as the spreadsheets.
"""

import ast
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parent.parent / "resolutions"


def imported(path: Path) -> set[str]:
    """Every module a file imports, written as an absolute dotted name."""
    package = ".".join(path.relative_to(APP.parent).with_suffix("").parts[:-1])
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")
            if node.level:
                base = base[: len(base) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


@pytest.mark.parametrize("module", ["formats", "readers", "xlsx", "ods", "cells"])
def test_the_file_formats_import_no_model_and_no_service(module):
    names = imported(APP / "spreadsheets" / f"{module}.py")
    assert not {n for n in names if n.startswith(("resolutions.services", "resolutions.models"))}


@pytest.mark.parametrize(
    "path", [APP / "upload_safety.py", *sorted((APP / "parsing").glob("*.py"))], ids=str
)
def test_the_parser_and_the_upload_checks_import_no_django(path):
    assert not {n for n in imported(path) if n.split(".")[0] == "django"}


def test_the_spreadsheets_never_import_the_admin():
    for path in (APP / "spreadsheets").glob("*.py"):
        assert not {n for n in imported(path) if n.startswith("resolutions.admin")}, path.name
