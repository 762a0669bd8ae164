"""A shelf at a time: `import_conclusions DIR --recursive --report OUT.xlsx` imports every
conclusion file of a folder tree, each in its own transaction, refuses the bad ones with their
reason while the batch goes on, reports every file, and when run again reads nothing twice."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from resolutions.models import Directive, Meeting
from resolutions.parsing.encodings import VNI, encode
from resolutions.services import batch

from .helpers import DOCUMENTS, docx_of

pytestmark = pytest.mark.django_db
# Conclusions written for the tests (tests/documents), each a different meeting.
CU_CHI, TAN_DINH, BEN_TRE = (
    DOCUMENTS / f"{name}.txt"
    for name in ("huyen_cu_chi_2016", "phuong_tan_dinh_2022", "tinh_ben_tre_2019")
)


@pytest.fixture
def shelf(tmp_path, db):
    """A folder as an office keeps one: Unicode at the top, older files below it."""
    call_command("loaddata", "topics", "committees", verbosity=0)
    (tmp_path / "2016").mkdir()
    (tmp_path / "2019" / "word").mkdir(parents=True)
    (tmp_path / "cu-chi.txt").write_bytes(CU_CHI.read_bytes())
    tan_dinh = TAN_DINH.read_text(encoding="utf-8")
    (tmp_path / "2016" / "tan-dinh.txt").write_bytes(encode(tan_dinh, VNI, "replace"))
    paragraphs = [p for p in BEN_TRE.read_text(encoding="utf-8").split("\n") if p.strip()]
    (tmp_path / "2019" / "word" / "ben-tre.docx").write_bytes(docx_of(paragraphs))
    (tmp_path / "2019" / "hong.txt").write_bytes(b"\xfa\xfb\xfc\xfd \xf0\xf0\xf0\xf0")
    (tmp_path / "2019" / "ghi-chu.odt").write_bytes(b"not a conclusion file type")
    return tmp_path


def run(*args) -> tuple[str, str, CommandError | None]:
    out, err = StringIO(), StringIO()
    try:
        call_command("import_conclusions", *map(str, args), stdout=out, stderr=err)
    except CommandError as error:
        return out.getvalue(), err.getvalue(), error
    return out.getvalue(), err.getvalue(), None


def test_a_folder_tree_is_imported_and_each_file_reported(shelf, tmp_path):
    report = tmp_path / "bao-cao.xlsx"
    out, err, error = run(shelf, "--recursive", "--report", report)
    assert Meeting.objects.count() == 3
    assert "1/4 văn bản không nhập được" in str(error)  # the bad file, after the others
    assert "hong.txt: dòng 1 không đọc được" in err
    assert "4 tệp: 3 nhập mới, 0 cập nhật, 0 không thay đổi, 1 từ chối" in out
    rows = list(load_workbook(report).active.iter_rows(values_only=True))
    header = rows.index(next(r for r in rows if r and r[0] == "Tệp"))
    by_file = {row[0].replace(str(shelf) + "/", ""): row for row in rows[header + 1 :]}
    assert set(by_file) == {
        "cu-chi.txt",
        "2016/tan-dinh.txt",
        "2019/hong.txt",
        "2019/word/ben-tre.docx",
    }  # the .odt is not a conclusion file
    assert by_file["2016/tan-dinh.txt"][1:2] == ("nhập mới",)
    assert by_file["2016/tan-dinh.txt"][4] == "VNI"
    assert "VNI; đã chuyển sang Unicode" in by_file["2016/tan-dinh.txt"][6]
    assert by_file["2019/word/ben-tre.docx"][3] == "Word (.docx)"
    assert by_file["2019/hong.txt"][1] == "từ chối"
    assert "không xác định được bảng mã" in by_file["2019/hong.txt"][2]
    assert len(by_file["cu-chi.txt"][7]) == 64  # its SHA-256


def test_without_recursive_only_the_top_folder_is_read(shelf):
    out, _err, error = run(shelf)
    assert error is None
    assert list(Meeting.objects.values_list("source_name", flat=True)) == ["cu-chi.txt"]
    assert "1 tệp: 1 nhập mới" in out


def test_a_second_run_reads_nothing_again_and_changes_nothing(shelf, monkeypatch):
    run(shelf, "--recursive")
    directives = list(Directive.objects.order_by("pk").values_list("pk", "text"))

    def not_again(name, data):
        raise AssertionError(f"{name} read again")

    # The bad file is read again (it was never imported), the three imported ones are not.
    read = batch.read_upload
    monkeypatch.setattr(
        batch,
        "read_upload",
        lambda name, data: read(name, data) if name == "hong.txt" else not_again(name, data),
    )
    out, _err, _error = run(shelf, "--recursive")
    assert "4 tệp: 0 nhập mới, 0 cập nhật, 3 không thay đổi, 1 từ chối" in out
    assert "3 tệp đã nhập trước đây, không đọc lại" in out
    assert list(Directive.objects.order_by("pk").values_list("pk", "text")) == directives


def test_a_file_whose_meeting_was_deleted_is_imported_again(shelf):
    run(shelf)
    Meeting.objects.all().delete()
    out, _err, _error = run(shelf)
    assert "1 tệp: 1 nhập mới" in out and Meeting.objects.count() == 1


def test_a_dry_run_writes_nothing_and_is_not_remembered(shelf):
    out, _err, _error = run(shelf, "--recursive", "--dry-run")
    assert "[chạy thử]" in out and Meeting.objects.count() == 0
    out, _err, _error = run(shelf, "--recursive")
    assert Meeting.objects.count() == 3


def test_a_path_with_no_conclusion_file_says_so(tmp_path, db):
    (tmp_path / "anh.odt").write_bytes(b"x")
    _out, _err, error = run(tmp_path)
    assert "Không tìm thấy tệp kết luận nào" in str(error)
