"""The handover package (gói nộp lưu): what it holds, that the same register writes the same
bytes, that it verifies itself and refuses what was changed, and that it restores into an
empty register with everything back (this file runs on SQLite and on PostgreSQL)."""

import hashlib
import io
import json
import zipfile
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from docx import Document

from resolutions.handover import metadata
from resolutions.handover import package as handover
from resolutions.handover.verify import schema_errors, verify_package
from resolutions.models import (
    Committee,
    Directive,
    Finding,
    Indicator,
    Meeting,
    ProgressNote,
    Report,
    SourceFile,
    Topic,
    Unit,
)
from resolutions.services.fixtures import import_seeds
from resolutions.services.sources import keep_source_file
from resolutions.spreadsheets.archive import ARCHIVE_SHEETS
from resolutions.upload_safety import UploadRefused

pytestmark = pytest.mark.django_db
MODELS = (ProgressNote, Directive, Finding, Indicator, Report, SourceFile, Meeting, Unit)
SOURCE_TEXT = "Kết luận Hội nghị lần thứ 10, viết để thử gói nộp lưu.\n".encode("utf-16")
SEED_FILE = Path(settings.BASE_DIR) / "seeds" / "000_105c69dbb7379ef3.txt"
SCAN = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4  # bytes kept as received, never read


def seed_register():
    """The seed conclusion (District 2, term III, meeting 9), a second meeting with two source
    files, a progress note, and a meeting of another committee that must stay out."""
    call_command("loaddata", "topics", "committees", verbosity=0)
    (seed,) = import_seeds()
    meeting = seed.meeting
    second = Meeting.objects.create(
        committee=meeting.committee,
        term=3,
        number=10,
        started_on=date(2008, 1, 15),
        title="Kết luận Hội nghị lần thứ 10 Ban Chấp hành Đảng bộ Quận 2 khóa III",
        document_symbol="31-TB/QU",
        issued_on=date(2008, 1, 18),
        is_public=True,
    )
    keep_source_file(second, "Kết luận 10.txt", SOURCE_TEXT)
    scan = keep_source_file(second, "trang-1.png", SCAN)
    SourceFile.objects.filter(pk=scan.pk).update(format="scan", ocr=True)
    task = meeting.directives.order_by("section_order", "position").first()
    ProgressNote.objects.create(directive=task, noted_on=date(2007, 11, 20), text="=Đã họp dân.")
    other = Committee.objects.exclude(pk=meeting.committee_id).first()
    Meeting.objects.create(
        committee=other, term=1, number=1, started_on=date(2008, 3, 1), title="Không thuộc gói"
    )
    return meeting.committee


@pytest.fixture
def register(db):
    return seed_register()


def exported(committee, **kwargs) -> bytes:
    out = io.BytesIO()
    handover.export_handover(out, committee=committee, **kwargs)
    return out.getvalue()


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def written(tmp_path, data: bytes, name="goi.zip"):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def rezipped(data: bytes, change) -> bytes:
    """The package with its members passed through *change* (name, bytes) -> [(name, bytes)]."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            for new_name, new_data in change(name, source.read(name)):
                target.writestr(new_name, new_data)
    return out.getvalue()


def test_the_package_holds_the_workbook_json_sources_record_and_manifest(register):
    files = members(exported(register))
    folder = "data/ho-so/khoa-03-hoi-nghi-010/van-ban-goc"
    assert files[f"{folder}/1-Kết luận 10.txt"] == SOURCE_TEXT
    assert files[f"{folder}/2-trang-1.png"] == SCAN
    assert {"bagit.txt", "bag-info.txt", "manifest-sha256.txt", "tagmanifest-sha256.txt"} <= set(
        files
    )
    assert {handover.WORKBOOK, handover.DATA, handover.SCHEMA_COPY} <= set(files)
    manifest = dict(
        reversed(line.split("  ", 1)) for line in files["manifest-sha256.txt"].decode().splitlines()
    )
    payload = [name for name in files if name.startswith("data/")]
    assert sorted(manifest) == sorted(payload)
    for name in payload:
        assert manifest[name] == hashlib.sha256(files[name]).hexdigest()
    oxum = f"Payload-Oxum: {sum(len(files[n]) for n in payload)}.{len(payload)}"
    assert oxum in files["bag-info.txt"].decode().splitlines()
    # Only the committee's meetings; the other committee's stays out.
    data = json.loads(files[handover.DATA])
    assert [(m["term"], m["number"]) for m in data["bang"]["hoi_nghi"]] == [("III", 9), ("III", 10)]
    assert "Không thuộc gói" not in files[handover.DATA].decode()


def test_the_metadata_records_each_conclusion_and_file(register):
    data = json.loads(members(exported(register))[handover.DATA])
    assert schema_errors(data) == []
    seed, second = data["ho_so"]
    assert second["so_ky_hieu"] == "31-TB/QU"
    assert (second["so"], second["ky_hieu"]) == (31, "TB/QU")
    assert second["ngay_van_ban"] == "2008-01-18"
    assert second["thoi_han_bao_quan"] == "Vĩnh viễn"
    assert second["ngon_ngu"] == "Tiếng Việt"
    assert second["che_do_su_dung"] == "Công khai"
    assert second["muc_do_tin_cay"] == "Số hóa"  # one of its files was read by OCR
    text, scan = second["tep"]
    assert text["ten_tep"] == "Kết luận 10.txt"
    assert text["sha256"] == hashlib.sha256(SOURCE_TEXT).hexdigest()
    assert text["dung_luong"] == len(SOURCE_TEXT)
    assert text["kieu_mime"] == "text/plain"
    assert (scan["dinh_dang"], scan["so_trang"], scan["doc_bang_ocr"]) == ("scan", 1, True)
    # No PDF asked for: each record, and the package, name what is missing.
    assert "Chưa có bản PDF/A (gói lập không kèm PDF)" in second["thieu"]
    assert seed["che_do_su_dung"] == "Hạn chế"
    # The seed was imported from its file, which the register keeps as received.
    (seed_file,) = seed["tep"]
    assert seed_file["ten_tep"] == "000_105c69dbb7379ef3.txt"
    assert seed_file["sha256"] == hashlib.sha256(SEED_FILE.read_bytes()).hexdigest()
    assert metadata.MISSING_SOURCE not in seed["thieu"]
    assert data["goi"]["thieu"] == ["2 kết luận chưa có bản PDF/A"]


def test_a_conclusion_without_its_file_is_named_in_the_package(register):
    SourceFile.objects.filter(meeting__number=9).delete()  # entered by hand, say
    data = json.loads(members(exported(register))[handover.DATA])
    seed, _second = data["ho_so"]
    assert seed["tep"] == []
    assert metadata.MISSING_SOURCE in seed["thieu"]
    assert data["goi"]["thieu"] == [
        "2 kết luận chưa có bản PDF/A",
        "1 kết luận không có tệp văn bản gốc",
    ]
    # Text as it is, without the workbook's guard against formulas.
    assert data["bang"]["tien_do"][0]["text"] == "=Đã họp dân."


def test_the_json_has_every_column_of_the_workbook(register):
    data = json.loads(members(exported(register))[handover.DATA])
    for _, resource_class in ARCHIVE_SHEETS:
        resource = resource_class()
        key = handover.TABLE_KEYS[resource._meta.model._meta.model_name]
        names = [resource.get_field_name(f) for f in resource.get_export_fields()]
        assert data["bang"][key], key
        assert list(data["bang"][key][0]) == names


def test_the_handover_record_lists_every_conclusion(register):
    record = members(exported(register))[f"{handover.RECORD}.docx"]
    document = Document(io.BytesIO(record))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "BIÊN BẢN" in text
    assert "Bên giao nộp: Văn phòng Ban Chấp hành Đảng bộ Quận 2, đại diện là:" in text
    assert "Tên khối tài liệu: Sổ kết luận Hội nghị Ban Chấp hành Đảng bộ Quận 2" in text
    assert "Còn thiếu: 2 kết luận chưa có bản PDF/A." in text
    rows = [[c.text for c in row.cells] for row in document.tables[0].rows]
    assert rows[0][:4] == ["STT", "Số, ký hiệu", "Ngày văn bản", "Trích yếu nội dung"]
    assert len(rows) == 3
    assert rows[2][:3] == ["2", "31-TB/QU", "18/01/2008"]
    assert rows[2][5] == "2"  # files


def test_the_same_register_gives_the_same_bytes(register):
    first = exported(register)
    assert exported(register) == first
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        times = {info.date_time for info in archive.infolist()}
        modes = {info.external_attr >> 16 for info in archive.infolist()}
    assert len(times) == 1 and modes == {0o100644}


def test_a_term_restricts_the_package(register):
    Meeting.objects.create(
        committee=register, term=4, number=1, started_on=date(2011, 1, 5), title="Khóa IV"
    )
    data = json.loads(members(exported(register, term=3))[handover.DATA])
    assert {m["term"] for m in data["bang"]["hoi_nghi"]} == {"III"}
    assert data["goi"]["khoa"] == 3


def test_verify_accepts_the_package_and_names_what_is_missing(register, tmp_path, capsys):
    path = written(tmp_path, exported(register))
    result = verify_package(path)
    assert result.problems == []
    call_command("verify_handover", str(path))
    out = capsys.readouterr().out
    assert "gói hợp lệ" in out
    assert "còn thiếu: 2 kết luận chưa có bản PDF/A" in out


def test_verify_finds_a_changed_file(register, tmp_path):
    name = "data/ho-so/khoa-03-hoi-nghi-010/van-ban-goc/1-Kết luận 10.txt"
    changed = rezipped(exported(register), lambda n, d: [(n, d + b"!" if n == name else d)])
    path = written(tmp_path, changed)
    problems = verify_package(path).problems
    assert (
        f"Tệp “{name}”: mã SHA-256 khác với manifest-sha256.txt (tệp đã bị sửa hoặc hỏng)."
        in problems
    )
    with pytest.raises(CommandError, match="gói có 2 lỗi"):
        call_command("verify_handover", str(path))


def test_verify_finds_files_added_and_taken_away(register, tmp_path):
    gone = "data/ho-so/khoa-03-hoi-nghi-010/van-ban-goc/2-trang-1.png"

    def change(name, data):
        if name == gone:
            return []
        if name == handover.DATA:
            return [(name, data), ("data/them.txt", b"x")]
        return [(name, data)]

    problems = verify_package(written(tmp_path, rezipped(exported(register), change))).problems
    assert f"Tệp “{gone}” có trong manifest-sha256.txt nhưng không có trong gói." in problems
    assert f"{handover.DATA} ghi tệp “{gone}” nhưng gói không có tệp này." in problems
    assert "Tệp “data/them.txt” có trong gói nhưng không có trong manifest-sha256.txt." in problems
    assert "Tệp “data/them.txt” có trong gói nhưng dữ liệu đặc tả không ghi." in problems


def test_verify_checks_the_json_against_its_schema(register, tmp_path):
    def change(name, data):
        if name != handover.DATA:
            return [(name, data)]
        document = json.loads(data)
        document["ho_so"][1]["ngay_van_ban"] = "18/01/2008"
        del document["ho_so"][0]["trich_yeu"]
        return [(name, json.dumps(document, ensure_ascii=False).encode())]

    problems = verify_package(written(tmp_path, rezipped(exported(register), change))).problems
    assert f"{handover.DATA}, tại ho_so/0: thiếu trường “trich_yeu”." in problems
    assert (
        f'{handover.DATA}, tại ho_so/1/ngay_van_ban: giá trị "18/01/2008" không đúng dạng.'
        in problems
    )


@pytest.mark.parametrize(
    ("name", "said"),
    [
        ("../ngoai.txt", "có đường dẫn ra ngoài thư mục của gói (“..”)"),
        ("/etc/passwd", "có đường dẫn tuyệt đối"),
        ("data\\x.txt", "có ký tự không được phép trong đường dẫn"),
    ],
)
def test_verify_refuses_a_path_leaving_the_package(tmp_path, name, said):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("bagit.txt", b"BagIt-Version: 1.0\n")
        archive.writestr(name, b"x")
    with pytest.raises(UploadRefused, match="gói " + said.replace("(", r"\(").replace(")", r"\)")):
        verify_package(written(tmp_path, out.getvalue()))


def test_verify_refuses_a_zip_bomb(tmp_path, settings):
    from resolutions import upload_safety

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data/bom.txt", b"\0" * (12 * upload_safety.MB))
    with pytest.raises(UploadRefused, match="bom zip"):
        verify_package(written(tmp_path, out.getvalue()))


def test_verify_refuses_what_is_not_a_zip(tmp_path):
    with pytest.raises(CommandError, match="không phải tệp zip của một gói nộp lưu"):
        call_command("verify_handover", str(written(tmp_path, b"not a zip")))


def empty_the_register():
    Committee.objects.update(parent=None, successor=None)
    Topic.objects.update(parent=None)
    for model in (*MODELS, Committee, Topic):
        model.objects.all().delete()


def comparable(data: dict) -> dict:
    """The package's records; the package's date is when the register last changed, which a
    restore changes."""
    data = dict(data)
    data["goi"] = {k: v for k, v in data["goi"].items() if k not in ("ngay_lap", "tep")}
    return data


def test_a_package_restores_into_an_empty_register_with_everything_back(register, tmp_path):
    first = exported(register)
    sources = {
        (s.meeting.number, s.name): bytes(s.content)
        for s in SourceFile.objects.select_related("meeting")
    }
    path = written(tmp_path, first)
    empty_the_register()
    assert not Meeting.objects.exists()
    call_command("restore_handover", str(path))
    committee = Committee.objects.get(name=register.name)
    again = members(exported(committee))
    assert comparable(json.loads(again[handover.DATA])) == comparable(
        json.loads(members(first)[handover.DATA])
    )
    assert {
        (s.meeting.number, s.name): bytes(s.content)
        for s in SourceFile.objects.select_related("meeting")
    } == sources
    scan = SourceFile.objects.get(name="trang-1.png")
    assert (scan.format, scan.ocr) == ("scan", True)


def test_a_package_that_does_not_verify_restores_nothing(register, tmp_path):
    name = "data/ho-so/khoa-03-hoi-nghi-010/van-ban-goc/1-Kết luận 10.txt"
    changed = rezipped(exported(register), lambda n, d: [(n, d + b"!" if n == name else d)])
    path = written(tmp_path, changed)
    empty_the_register()
    with pytest.raises(CommandError, match="gói không qua được kiểm tra; không có gì được ghi"):
        call_command("restore_handover", str(path))
    assert not Meeting.objects.exists()


def test_the_command_writes_the_package(register, tmp_path, capsys):
    out = tmp_path / "goi.zip"
    call_command("export_handover", str(out), committee=register.name, term="III")
    assert "2 kết luận" in capsys.readouterr().out
    assert verify_package(out).problems == []
    with pytest.raises(CommandError, match="Không có cấp ủy “Không có” trong sổ"):
        call_command("export_handover", str(out), committee="Không có")


def test_verify_refuses_a_package_over_its_size_limit(register, tmp_path, monkeypatch):
    from resolutions import upload_safety

    data = exported(register)
    monkeypatch.setitem(upload_safety.LIMITS, "handover", len(data) - 1)
    with pytest.raises(UploadRefused, match=r"tệp quá lớn .* cho một gói nộp lưu"):
        verify_package(written(tmp_path, data))


def test_verify_refuses_a_member_that_expands_past_the_limit(tmp_path, monkeypatch):
    from resolutions import upload_safety

    monkeypatch.setitem(upload_safety.LIMITS, "handover_expanded", 1000)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data/lon.txt", b"a" * 2000)
    with pytest.raises(UploadRefused, match="bom zip"):
        verify_package(written(tmp_path, out.getvalue()))
