"""Spreadsheets for the archive: exported, restored into an empty register, nothing lost."""

import hashlib
import io
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import tablib
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from resolutions.models import (
    Committee,
    Directive,
    Finding,
    Indicator,
    Meeting,
    ProgressNote,
    Report,
    Topic,
    Unit,
)
from resolutions.services.conclusions import import_path
from resolutions.services.fixtures import import_seeds
from resolutions.spreadsheets.archive import (
    INFO_SHEET,
    export_archive,
    export_table,
    import_table,
    read_table,
    restore_archive,
)
from resolutions.spreadsheets.resources import DirectiveResource, IndicatorResource, MeetingResource
from resolutions.upload_safety import UploadRefused

from .helpers import DOCUMENTS, WRITTEN

pytestmark = pytest.mark.django_db
MODELS = (ProgressNote, Directive, Finding, Indicator, Report, Meeting, Unit, Committee, Topic)


@pytest.fixture
def register(db):
    """The seeds and the written documents imported, with the links clerks add by hand."""
    call_command("loaddata", "topics", "committees", verbosity=0)
    (seed,) = import_seeds()
    for name in WRITTEN:
        import_path(DOCUMENTS / f"{name}.txt")
    later = Meeting.objects.get(number=3)  # Củ Chi
    old = seed.meeting.directives.get(section_order=1, position=1)
    new = later.directives.first()
    new.carried_from = old
    new.save()
    # The follow-up a clerk records: units, a deadline, a completion, a progress note.
    district = seed.meeting.committee
    people = Unit.objects.get(committee=district, name="Ủy ban nhân dân quận")
    front = Unit.objects.get(committee=district, name="Ủy ban Mặt trận Tổ quốc Việt Nam quận")
    youth = Unit.objects.create(committee=district, name="Tổ công tác Thủ Thiêm", short_name="TCT")
    done = seed.meeting.directives.get(section_order=1, position=2)
    done.lead_unit, done.due_on, done.completed_on = people, date(2007, 12, 15), date(2008, 1, 9)
    done.save()
    done.supporting_units.set([front, youth])
    ProgressNote.objects.create(directive=done, noted_on=date(2007, 11, 20), text="Đã họp dân.")
    return seed.meeting


def sheets(path):
    book = load_workbook(path, read_only=True)
    data = {
        name: list(book[name].iter_rows(values_only=True))
        for name in book.sheetnames
        if name != INFO_SHEET
    }
    book.close()
    return data


def empty_the_register():
    Committee.objects.update(parent=None, successor=None)
    Topic.objects.update(parent=None)
    for model in MODELS:
        model.objects.all().delete()


def snapshot():
    return {
        "directives": sorted(
            (d.natural_key(), d.text, d.status, d.due_on, d.completed_on,
             d.topic.slug if d.topic else None,
             tuple(sorted(t.slug for t in d.tags.all())),
             d.lead_unit.name if d.lead_unit else None,
             tuple(sorted(u.name for u in d.supporting_units.all())),
             d.carried_from.natural_key() if d.carried_from else None)
            for d in Directive.objects.select_related(
                "topic", "lead_unit", "carried_from__meeting__committee"
            )
        ),
        "units": sorted(
            (u.natural_key(), u.short_name, u.kind)
            for u in Unit.objects.select_related("committee")
        ),
        "notes": sorted(
            (n.directive.natural_key(), n.noted_on, n.text)
            for n in ProgressNote.objects.select_related("directive__meeting__committee")
        ),
        "indicators": sorted(
            (i.natural_key(), i.value, i.change_pct, i.plan_pct,
             i.parent.natural_key() if i.parent else None)
            for i in Indicator.objects.select_related("parent__meeting__committee")
        ),
        "committees": sorted(
            (c.name, c.level, c.parent.name if c.parent else None,
             c.successor.name if c.successor else None, c.active_until)
            for c in Committee.objects.select_related("parent", "successor")
        ),
        "meetings": sorted(
            (m.natural_key(), m.started_on, m.ended_on, m.title, m.source_checksum)
            for m in Meeting.objects.select_related("committee")
        ),
        "counts": {m.__name__: m.objects.count() for m in MODELS},
    }  # fmt: skip


def test_an_archive_restores_into_an_empty_register_with_nothing_lost(register, tmp_path):
    before = snapshot()
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    counts = export_archive(first, exported_by="văn thư")
    assert counts["Nhiệm vụ"] == 42

    empty_the_register()
    outcome = restore_archive(first)
    assert "Nhiệm vụ: 42 mới" in outcome.summary()
    assert snapshot() == before

    export_archive(second)
    assert sheets(first) == sheets(second)


def test_restoring_the_same_archive_again_changes_nothing(register, tmp_path):
    path = tmp_path / "a.xlsx"
    export_archive(path)
    before = snapshot()
    outcome = restore_archive(path)
    assert "mới" not in outcome.summary() and "cập nhật" not in outcome.summary()
    assert snapshot() == before


def test_the_description_sheet_counts_and_checks_every_sheet(register, tmp_path):
    path = tmp_path / "a.xlsx"
    export_archive(path, exported_by="văn thư")
    book = load_workbook(path, read_only=True)
    assert book.sheetnames[0] == INFO_SHEET
    info = list(book[INFO_SHEET].iter_rows(values_only=True))
    assert ("Người xuất", "văn thư") in [tuple(r[:2]) for r in info]
    described = {r[0]: (r[1], r[2]) for r in info if len(r) > 2 and len(str(r[2] or "")) == 64}
    assert described["Nhiệm vụ"][0] == 42
    assert described["Cấp ủy"][0] == Committee.objects.count()


def test_a_dry_run_writes_nothing(register, tmp_path):
    path = tmp_path / "a.xlsx"
    export_archive(path)
    empty_the_register()
    outcome = restore_archive(path, dry_run=True)
    assert outcome.summary().startswith("[chạy thử]")
    assert Directive.objects.count() == 0 and Topic.objects.count() == 0


def test_an_export_can_be_limited_to_a_committee_and_a_year(register, tmp_path):
    path = tmp_path / "q2.xlsx"
    counts = export_archive(path, committee=register.committee, year=2007)
    assert counts["Hội nghị"] == 1 and counts["Nhiệm vụ"] == 24


# --- Bad files ----------------------------------------------------------------------------


def edited(path, sheet, edit):
    book = load_workbook(path)
    edit(book[sheet])
    book.save(path)
    return path


@pytest.fixture
def archive(register, tmp_path):
    path = tmp_path / "a.xlsx"
    export_archive(path)
    empty_the_register()
    return path


def refused(path) -> str:
    with pytest.raises(UploadRefused) as error:
        restore_archive(path)
    assert Topic.objects.count() == 0 and Directive.objects.count() == 0  # nothing written
    return str(error.value)


def column(sheet, header):
    return [c.value for c in sheet[1]].index(header) + 1


def test_a_wrong_header_is_refused(archive):
    edited(archive, "Nhiệm vụ", lambda s: s.cell(1, column(s, "Ngày hoàn thành"), "Xử lý"))
    message = refused(archive)
    assert "bảng “Nhiệm vụ”" in message
    assert "tệp có cột không thuộc bảng này: “Xử lý”" in message


def test_a_missing_required_column_is_refused(archive):
    edited(archive, "Hội nghị", lambda s: s.delete_cols(column(s, "Ngày bắt đầu")))
    assert "tệp thiếu cột “Ngày bắt đầu”" in refused(archive)


def test_an_unknown_committee_is_refused_with_its_row_and_column(archive):
    edited(
        archive,
        "Hội nghị",
        lambda s: s.cell(3, column(s, "Cấp ủy"), "Ban Chấp hành Đảng bộ Sao Hỏa"),
    )
    message = refused(archive)
    assert (
        "dòng 3: cột “Cấp ủy”: không có cấp ủy “Ban Chấp hành Đảng bộ Sao Hỏa” trong sổ" in message
    )


def test_an_unknown_topic_is_refused(archive):
    edited(archive, "Nhiệm vụ", lambda s: s.cell(2, column(s, "Lĩnh vực"), "thien-van"))
    assert "dòng 2: cột “Lĩnh vực”: không có lĩnh vực “thien-van” trong sổ" in refused(archive)


def test_a_malformed_number_is_refused(archive):
    edited(archive, "Chỉ tiêu", lambda s: s.cell(2, column(s, "Giá trị"), "12,3,4 tỷ"))
    assert "cột “Giá trị”: “12,3,4 tỷ” không phải là một số hợp lệ" in refused(archive)


def test_a_date_that_does_not_exist_is_refused(archive):
    edited(archive, "Hội nghị", lambda s: s.cell(2, column(s, "Ngày bắt đầu"), "31/02/2007"))
    message = refused(archive)
    assert "dòng 2: cột “Ngày bắt đầu”: “31/02/2007” không phải là một ngày có thật" in message


def test_a_duplicate_row_is_refused(archive):
    def duplicate(sheet):
        sheet.append([c.value for c in sheet[2]])

    edited(archive, "Báo cáo", duplicate)
    assert "trùng với dòng 2" in refused(archive)


def test_a_file_that_is_not_a_zip_is_refused(tmp_path, db):
    path = tmp_path / "gia.xlsx"
    path.write_text("Cấp ủy;Khóa\nQuận 2;III\n", encoding="utf-8")
    assert "gia.xlsx: không phải tệp bảng tính .xlsx/.ods" in refused(path)


def test_a_zip_bomb_is_refused_before_it_is_read(tmp_path, db):
    path = tmp_path / "bom.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as bomb:
        bomb.writestr("xl/worksheets/sheet1.xml", b"\0" * (64 * 1024 * 1024))
    assert path.stat().st_size < 1024 * 1024
    assert "bom zip" in refused(path)


def test_a_file_over_the_size_limit_is_refused(tmp_path, db):
    path = tmp_path / "lon.xlsx"
    with path.open("wb") as handle:
        handle.truncate(300 * 1024 * 1024)  # sparse
    assert "lon.xlsx: tệp quá lớn (300.0 MB)" in refused(path)


# --- One table, every format ----------------------------------------------------------------


def test_csv_is_written_with_a_bom_and_decimal_commas(register):
    data = export_table(IndicatorResource, Indicator.objects.filter(meeting=register), "csv")
    assert data.startswith("\ufeff".encode())
    text = data.decode("utf-8-sig")
    assert "Tổng vốn đầu tư xây dựng cơ bản thực hiện" in text
    assert "55,699" in text and "50,14" in text and "16/10/2007" not in text  # no dates here
    meetings = export_table(MeetingResource, Meeting.objects.filter(pk=register.pk), "csv")
    assert "16/10/2007" in meetings.decode("utf-8-sig")


@pytest.mark.parametrize(
    ("written", "meant"),
    [("55,699", Decimal("55.699")), ("1.234,5", Decimal("1234.5")), ("50.14", Decimal("50.14"))],
)
def test_numbers_as_clerks_write_them_import_as_meant(register, written, meant):
    csv = (
        "Cấp ủy,Khóa,Hội nghị lần thứ,Thứ tự,Tên chỉ tiêu,Giá trị,Đơn vị tính\n"
        f'Ban Chấp hành Đảng bộ Quận 2,III,9,99,Chỉ tiêu thử,"{written}",tỷ đồng\n'
    )
    import_table(IndicatorResource, csv.encode("utf-8"), "csv", name="thu.csv")
    assert Indicator.objects.get(position=99).value == meant


def test_english_headers_and_a_csv_without_bom_are_accepted(register):
    csv = (
        "committee,term,number,position,name,value,unit\n"
        'Ban Chấp hành Đảng bộ Quận 2,3,9,98,Chỉ tiêu tiếng Anh,"7,5",%\n'
    )
    import_table(IndicatorResource, csv.encode("utf-8"), "csv", name="en.csv")
    assert Indicator.objects.get(position=98).value == Decimal("7.5")


@pytest.mark.parametrize("file_format", ["csv", "xlsx", "ods", "json"])
def test_every_format_round_trips_a_table(register, file_format):
    queryset = Directive.objects.filter(meeting=register)

    def rows(directives):
        return sorted((d.natural_key(), d.text, d.due_on, d.completed_on) for d in directives)

    before = rows(queryset)
    data = export_table(DirectiveResource, queryset, file_format)
    queryset.delete()
    outcome = import_table(DirectiveResource, data, file_format, name=f"nv.{file_format}")
    assert outcome.counts["new"] == 24
    assert rows(queryset.all()) == before


def test_a_file_replaces_the_tags_of_rows_it_updates_and_sets_those_of_rows_it_adds(register):
    kept, readded = register.directives.order_by("section_order", "position")[:2]
    kept.tags.set([Topic.objects.get(slug="ma-tuy")])
    readded.tags.set([Topic.objects.get(slug="kinh-te")])
    both = Directive.objects.filter(pk__in=[kept.pk, readded.pk])
    table = read_table(export_table(DirectiveResource, both, "csv"), "csv")
    tags = table.headers.index("Chủ đề")
    rows = [list(row) for row in table]
    rows[0][tags] = "boi-thuong-tai-dinh-cu"  # the first row's tags, changed in the file
    table = tablib.Dataset(*rows, headers=table.headers)
    readded.delete()
    outcome = import_table(DirectiveResource, table.export("csv").encode(), "csv", name="t.csv")
    assert (outcome.counts["new"], outcome.counts["update"]) == (1, 1)
    assert [t.slug for t in kept.tags.all()] == ["boi-thuong-tai-dinh-cu"]
    back = Directive.objects.get(meeting=register, section_order=1, position=readded.position)
    assert [t.slug for t in back.tags.all()] == ["kinh-te"]


def test_a_cell_that_would_run_as_a_formula_is_neutralized_and_restored(register):
    directive = register.directives.first()
    directive.text = '=HYPERLINK("http://evil.example","bấm vào đây")'
    directive.save()
    data = export_table(DirectiveResource, Directive.objects.filter(pk=directive.pk), "xlsx")
    book = load_workbook(io.BytesIO(data))
    cells = [c for row in book.active.iter_rows() for c in row]
    text_cell = next(c for c in cells if isinstance(c.value, str) and "HYPERLINK" in c.value)
    assert text_cell.data_type == "s" and text_cell.value.startswith("'=")
    headers = [c.value for c in book.active[1]]
    section = book.active.cell(2, headers.index("Mục (thứ tự)") + 1)
    assert section.data_type == "n" and section.value == directive.section_order
    import_table(DirectiveResource, data, "xlsx", name="nv.xlsx")
    directive.refresh_from_db()
    assert directive.text == '=HYPERLINK("http://evil.example","bấm vào đây")'


def test_a_bad_row_in_one_table_leaves_the_database_as_it_was(register):
    csv = (
        "Cấp ủy,Khóa,Hội nghị lần thứ,Thứ tự,Tên chỉ tiêu,Giá trị\n"
        "Ban Chấp hành Đảng bộ Quận 2,III,9,90,Tốt,1\n"
        "Ban Chấp hành Đảng bộ Quận 2,III,9,91,Xấu,một nghìn\n"
    )
    count = Indicator.objects.count()
    with pytest.raises(UploadRefused) as error:
        import_table(IndicatorResource, csv.encode(), "csv", name="thu.csv")
    assert "dòng 3: cột “Giá trị”: “một nghìn” không phải là một số hợp lệ" in str(error.value)
    assert Indicator.objects.count() == count


def test_the_archive_commands(register, tmp_path):
    path = tmp_path / "a.xlsx"
    out = io.StringIO()
    call_command("export_archive", str(path), stdout=out)
    assert "Nhiệm vụ 42" in out.getvalue()
    out = io.StringIO()
    call_command("import_archive", str(path), "--dry-run", stdout=out)
    assert out.getvalue().startswith("[chạy thử] Lĩnh vực: 30 không đổi")
    assert Path(path).exists()


class TestTheArchivePage:
    URL = "admin:resolutions_meeting_archive"

    @pytest.fixture
    def archivist(self, client, clerk):
        from django.contrib.auth.models import Permission

        clerk.user_permissions.add(Permission.objects.get(codename="manage_archive"))
        client.force_login(clerk)
        return client

    def test_it_is_refused_without_the_archive_permission(self, client, clerk):
        from django.contrib.auth.models import Permission

        clerk.user_permissions.remove(Permission.objects.get(codename="manage_archive"))
        client.force_login(clerk)
        assert client.get(reverse(self.URL)).status_code == 403
        page = client.get(reverse("admin:resolutions_meeting_changelist")).content.decode()
        assert reverse(self.URL) not in page

    def test_the_download_streams_a_workbook(self, archivist, register):
        response = archivist.get(reverse(self.URL), {"export": "1", "year": "2007"})
        assert response.status_code == 200 and response.streaming
        assert response["Content-Disposition"].endswith('so-ket-luan-2007.xlsx"')
        book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
        assert len(list(book["Nhiệm vụ"].iter_rows())) == 25  # the header and the seed's 24

    def test_an_upload_is_tried_first_then_restored(self, archivist, register, tmp_path):
        path = tmp_path / "a.xlsx"
        export_archive(path)
        empty_the_register()
        tried = archivist.post(reverse(self.URL), {"archive": path.open("rb"), "dry_run": "on"})
        assert "[chạy thử] Lĩnh vực: 30 mới" in tried.content.decode()
        assert Directive.objects.count() == 0
        done = archivist.post(reverse(self.URL), {"archive": path.open("rb")})
        assert "Nhiệm vụ: 42 mới" in done.content.decode()
        assert Directive.objects.count() == 42

    def test_a_bad_upload_shows_why(self, archivist, db):
        from django.core.files.uploadedfile import SimpleUploadedFile

        response = archivist.post(
            reverse(self.URL), {"archive": SimpleUploadedFile("hong.xlsx", b"not a zip")}
        )
        assert "hong.xlsx: không phải tệp bảng tính" in response.content.decode()


def test_the_archive_writes_exactly_what_the_resources_export(register):
    """The archive reads rows with values_list(); each must equal the resource's own export."""
    from resolutions.spreadsheets.archive import ARCHIVE_SHEETS

    register.directives.first().tags.add(Topic.objects.get(slug="ma-tuy"))
    for _, resource_class in ARCHIVE_SHEETS:
        resource = resource_class()
        queryset = resource.get_queryset()
        options = {"force_native_type": True, "spreadsheet_format": "xlsx"}
        slow = [resource.export_resource(obj, **options) for obj in queryset]
        assert list(resource.fast_rows(queryset, **options)) == slow, resource_class.__name__


def test_a_restore_is_one_revision_naming_the_file_and_its_checksum(register, tmp_path):
    from reversion.models import Revision

    path = tmp_path / "luu-tru-2007.xlsx"
    export_archive(path)
    empty_the_register()
    Revision.objects.all().delete()
    restore_archive(path)
    revision = Revision.objects.get()
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    assert revision.comment == f"Nhập từ tệp “luu-tru-2007.xlsx” (SHA-256 {digest})"
    assert revision.version_set.filter(content_type__model="directive").count() == 42
    # Restoring it again changes nothing and records nothing.
    restore_archive(path)
    assert Revision.objects.count() == 1


def test_a_row_the_database_refuses_is_reported_in_the_registers_words(register):
    # Section 0 passes every field rule; only the database's check constraint refuses it.
    csv = (
        "Cấp ủy,Khóa,Hội nghị lần thứ,Mục (thứ tự),Thứ tự,Nội dung nhiệm vụ\n"
        "Ban Chấp hành Đảng bộ Quận 2,III,9,0,1,Nhiệm vụ ở mục không tồn tại.\n"
    )
    count = Directive.objects.count()
    with pytest.raises(UploadRefused) as error:
        import_table(DirectiveResource, csv.encode(), "csv", name="nv.csv")
    assert "Thứ tự mục phải từ 1 trở lên." in str(error.value)
    assert Directive.objects.count() == count
