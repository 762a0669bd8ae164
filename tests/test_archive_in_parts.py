"""An archive's sheets are restored a part at a time (memory flat however long the archive):
what a clerk gets is the same as from a sheet read whole — every row, every link between rows
of the same table wherever they stand, a row repeated anywhere in the sheet refused, and bad
rows named by their row in the file."""

import pytest

from resolutions.models import Directive
from resolutions.spreadsheets import archive as archive_module
from resolutions.spreadsheets.archive import export_archive, restore_archive
from resolutions.upload_safety import UploadRefused

from . import test_archive
from .test_archive import column, edited, empty_the_register, snapshot

pytestmark = pytest.mark.django_db
register = test_archive.register  # the register of tests/test_archive.py, links and all


@pytest.fixture
def small_parts(monkeypatch):
    monkeypatch.setattr(archive_module, "PART", 2)


def refusal(path) -> str:
    with pytest.raises(UploadRefused) as error:
        restore_archive(path)
    assert Directive.objects.count() == 0  # nothing written
    return str(error.value)  # the message and each bad row it names


def test_a_register_restored_in_parts_of_two_rows_loses_nothing(register, tmp_path, small_parts):
    # A directive citing one that the sheet lists later (a part not yet read when it is).
    seed = register.directives.get(section_order=1, position=3)
    seed.carried_from = Directive.objects.exclude(meeting=register).order_by("-pk").first()
    seed.save()
    before = snapshot()
    path = tmp_path / "a.xlsx"
    export_archive(path)
    empty_the_register()
    outcome = restore_archive(path)
    assert snapshot() == before
    directives = next(s for s in outcome.sheets if s.name == "Nhiệm vụ")
    assert directives.rows == 42 and directives.counts["new"] == 42
    again = restore_archive(path)  # the same file again: every row unchanged
    assert next(s for s in again.sheets if s.name == "Nhiệm vụ").counts.get("skip") == 42
    assert snapshot() == before


def test_a_row_repeating_one_of_an_earlier_part_is_refused_with_both_rows(
    register, tmp_path, small_parts
):
    path = tmp_path / "a.xlsx"
    export_archive(path)
    empty_the_register()
    edited(path, "Nhiệm vụ", lambda s: s.append([c.value for c in s[3]]))
    message = refusal(path)
    assert "bảng “Nhiệm vụ”" in message and "dòng 44 trùng với dòng 3" in message


def test_bad_rows_of_several_parts_are_named_by_their_rows_in_the_file(
    register, tmp_path, small_parts, monkeypatch
):
    monkeypatch.setattr(archive_module, "MAX_PROBLEMS_SHOWN", 2)
    path = tmp_path / "a.xlsx"
    export_archive(path)
    empty_the_register()

    def spoil(sheet):
        for row in (2, 7, 30):
            sheet.cell(row, column(sheet, "Hạn hoàn thành"), "31/02/2026")

    edited(path, "Nhiệm vụ", spoil)
    message = refusal(path)
    assert "bảng “Nhiệm vụ”: 3 lỗi; không có gì được ghi" in message
    assert "dòng 2: cột “Hạn hoàn thành”" in message
    assert "dòng 7: cột “Hạn hoàn thành”" in message
    assert "… và 1 lỗi khác." in message


def test_a_citation_of_a_directive_no_part_holds_is_refused_with_its_row(
    register, tmp_path, small_parts
):
    path = tmp_path / "a.xlsx"
    export_archive(path)
    empty_the_register()
    cited = "Ban Chấp hành Đảng bộ Quận 2 | khóa III | lần 9 | mục 7 | nhiệm vụ 99"
    edited(path, "Nhiệm vụ", lambda s: s.cell(5, column(s, "Tiếp nối nhiệm vụ"), cited))
    message = refusal(path)
    assert f"dòng 5: cột “Tiếp nối nhiệm vụ”: không có nhiệm vụ “{cited}” trong sổ" in message
