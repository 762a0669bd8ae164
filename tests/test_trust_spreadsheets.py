"""Spreadsheets that cannot attack whoever opens them, that come back exactly, and hostile or
broken files refused with their row and reason (issue 18, items 5-9, 12, 13, 16, 18)."""

import csv
import io
import tempfile
import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from odf import opendocument
from odf.namespaces import OFFICENS
from odf.table import TableCell, TableRow
from openpyxl import Workbook, load_workbook

from resolutions import vietnamese
from resolutions.models import Directive, Indicator, Meeting, ProgressNote, Unit
from resolutions.services import follow_up
from resolutions.services.fixtures import import_seeds
from resolutions.spreadsheets import cells
from resolutions.spreadsheets.archive import (
    export_archive,
    export_table,
    import_table,
    read_table,
    restore_archive,
)
from resolutions.spreadsheets.resources import (
    DirectiveResource,
    IndicatorResource,
    MeetingResource,
    UnitResource,
)
from resolutions.upload_safety import UploadRefused
from resolutions.uploads import folder

from .factories import UserFactory
from .test_office import SOFFICE, convert

pytestmark = pytest.mark.django_db
FORMAT = {"csv": "0", "xlsx": "1", "ods": "2", "json": "3"}
FORMATS = ("csv", "xlsx", "ods", "json")
# Texts a person may well write, that a spreadsheet would run, or that look escaped already.
TRICKY = (
    '=HYPERLINK("http://evil.example","bấm vào đây")',
    "'=already quoted",
    "'-5",
    "-5",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\rbắt đầu bằng CR",
    "dòng một\r\ndòng hai\rdòng ba\nhết",
    "hai  dấu cách\tvà tab",
    "_x000D_ viết sẵn",
)


@pytest.fixture
def seeds(db):
    call_command("loaddata", "topics", "committees", verbosity=0)
    return import_seeds()[0].meeting


@pytest.fixture
def formula_unit(seeds):
    """A unit whose name a spreadsheet would run as a formula, lead of 19 directives and
    supporting 19 others, as in the report."""
    unit = Unit.objects.create(committee=seeds.committee, name="=2+3 unit")
    other = Unit.objects.create(committee=seeds.committee, name="'-5 tổ")
    directives = list(seeds.directives.order_by("section_order", "position"))
    for directive in directives[:19]:
        directive.lead_unit = unit
        directive.save()
        directive.supporting_units.set([unit, other])
    return unit


def all_cells(data: bytes):
    book = load_workbook(io.BytesIO(data))
    return [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]


# --- Item 5: one escaping rule, and its inverse ------------------------------------------


@given(
    st.one_of(
        st.text(),
        st.builds(
            lambda p, s: p + s, st.sampled_from([*cells.FORMULA_TRIGGERS, "'", "''"]), st.text()
        ),
    )
)
def test_escape_then_unescape_gives_back_any_text(text):
    written = cells.escape(text)
    assert cells.unescape(written) == text
    assert not written.startswith(cells.FORMULA_TRIGGERS)
    # A text we had no need to escape reads back as it is, whoever wrote it.
    if written == text:
        assert cells.unescape(text) == text


@given(st.text(alphabet=st.characters(codec="utf-8")))
def test_the_xlsx_spelling_of_control_characters_gives_back_any_text(text):
    assert cells.from_ooxml(cells.to_ooxml(text)) == text


def test_the_follow_up_workbook_runs_no_text_as_a_formula(seeds, formula_unit):
    directive = seeds.directives.get(lead_unit=formula_unit, section_order=1, position=1)
    directive.text = '=HYPERLINK("http://evil.example","bấm vào đây")'
    directive.due_on = date(2007, 12, 31)
    directive.save()
    report = follow_up.build_report(committee=seeds.committee, today=date(2030, 1, 1))
    found = all_cells(follow_up.report_workbook(report).getvalue())
    assert [c.value for c in found if c.data_type == "f"] == []
    texts = {c.value for c in found if isinstance(c.value, str)}
    assert "'=2+3 unit" in texts
    assert "'" + directive.text in texts


@pytest.mark.parametrize("file_format", FORMATS)
def test_names_and_texts_are_escaped_in_every_format_and_come_back_exactly(
    seeds, formula_unit, file_format
):
    directives = list(seeds.directives.order_by("section_order", "position")[: len(TRICKY)])
    for directive, text in zip(directives, TRICKY, strict=True):
        directive.text = text
        directive.save()
    queryset = Directive.objects.filter(meeting=seeds)
    data = export_table(DirectiveResource, queryset, file_format)
    table = read_table(data, file_format)
    shown = [str(v) for row in table for v in row if isinstance(v, str)]
    assert not [v for v in shown if v.startswith(cells.FORMULA_TRIGGERS)]
    assert "'=2+3 unit" in shown
    if file_format == "xlsx":
        assert [c.value for c in all_cells(data) if c.data_type == "f"] == []

    def state():
        return sorted(
            (
                d.section_order,
                d.position,
                d.text,
                d.lead_unit.name if d.lead_unit else None,
                tuple(sorted(u.name for u in d.supporting_units.all())),
            )
            for d in queryset.select_related("lead_unit")
        )

    before = state()
    # Stored as the register stores every text (NFC, line ends as LF): that is what must
    # come back, byte for byte.
    assert {t for _, _, t, _, _ in before} >= {vietnamese.nfc(t) for t in TRICKY}
    queryset.delete()
    outcome = import_table(DirectiveResource, data, file_format, name=f"nv.{file_format}")
    assert outcome.counts["new"] == len(before)
    assert state() == before


def test_the_archive_writes_names_escaped_and_restores_them(seeds, formula_unit, tmp_path):
    path = tmp_path / "luu-tru.xlsx"
    export_archive(path)
    book = load_workbook(path)
    formulas = [
        c.value for s in book.worksheets for r in s.iter_rows() for c in r if c.data_type == "f"
    ]
    assert formulas == []
    units = [row[1].value for row in book["Đơn vị"].iter_rows(min_row=2)]
    assert "'=2+3 unit" in units and "''-5 tổ" in units
    Directive.objects.filter(lead_unit=formula_unit).update(lead_unit=None)
    Directive.supporting_units.through.objects.all().delete()
    restore_archive(path)
    assert Directive.objects.filter(lead_unit__name="=2+3 unit").count() == 19
    assert Directive.objects.filter(supporting_units__name="'-5 tổ").count() == 19


# --- Item 6: our own XLSX re-imports with nothing lost ----------------------------------------


def test_reimporting_our_own_xlsx_keeps_every_lead_and_supporting_unit(seeds, formula_unit):
    data = export_table(DirectiveResource, Directive.objects.filter(meeting=seeds), "xlsx")
    Directive.objects.update(lead_unit=None)
    Directive.supporting_units.through.objects.all().delete()
    import_table(DirectiveResource, data, "xlsx", name="nv.xlsx")
    assert Directive.objects.filter(lead_unit=formula_unit).count() == 19
    assert Directive.objects.filter(supporting_units=formula_unit).count() == 19


def test_a_unit_name_that_names_no_unit_is_the_rows_error(seeds):
    table = read_table(export_table(UnitResource, Unit.objects.none(), "csv"), "csv")
    headers = read_table(
        export_table(DirectiveResource, Directive.objects.filter(meeting=seeds)[:1], "csv"), "csv"
    )
    row = dict(zip(headers.headers, headers[0], strict=True))
    row["Đơn vị chủ trì"] = "Ban không có"
    table = tablib.Dataset(list(row.values()), headers=list(row))
    with pytest.raises(UploadRefused) as refused:
        import_table(DirectiveResource, table.export("csv").encode(), "csv", name="nv.csv")
    assert "dòng 2: cột “Đơn vị chủ trì”: không có đơn vị “Ban không có”" in str(refused.value)


def test_a_workbook_cell_holding_a_formula_is_refused_with_its_place(seeds):
    data = export_table(DirectiveResource, Directive.objects.filter(meeting=seeds)[:2], "xlsx")
    book = load_workbook(io.BytesIO(data))
    sheet = book.active
    column = [c.value for c in sheet[1]].index("Đơn vị chủ trì") + 1
    sheet.cell(3, column).value = "=2+3 unit"  # what another program would have written
    stream = io.BytesIO()
    book.save(stream)
    before = list(Directive.objects.values_list("lead_unit", flat=True))
    with pytest.raises(UploadRefused) as refused:
        import_table(DirectiveResource, stream.getvalue(), "xlsx", name="nv.xlsx")
    letter = sheet.cell(3, column).column_letter
    assert f"ô {letter}3" in str(refused.value) and "công thức" in str(refused.value)
    assert list(Directive.objects.values_list("lead_unit", flat=True)) == before


# --- Item 7: derived columns recomputed on update --------------------------------------------


def test_an_update_from_a_file_recomputes_every_derived_column_as_save_would(seeds):
    meetings = read_table(
        export_table(MeetingResource, Meeting.objects.filter(pk=seeds.pk), "csv"), "csv"
    )
    row = dict(zip(meetings.headers, meetings[0], strict=True))
    row["Kỳ kế hoạch"] = "quý II/2008"
    row["Văn bản gốc"] = "Văn bản đã sửa."
    meetings = tablib.Dataset(list(row.values()), headers=list(row))
    import_table(MeetingResource, meetings.export("csv").encode(), "csv", name="hn.csv")
    opened_at = seeds.edit_version
    seeds.refresh_from_db()
    assert (seeds.plan_year, seeds.plan_quarter) == (2008, 2)
    assert seeds.edit_version > opened_at  # a meeting page opened before must not save over it
    stored = (seeds.plan_year, seeds.plan_quarter, seeds.source_checksum)
    seeds.save()
    assert (seeds.plan_year, seeds.plan_quarter, seeds.source_checksum) == stored

    directive = seeds.directives.order_by("section_order", "position").first()
    table = read_table(
        export_table(DirectiveResource, Directive.objects.filter(pk=directive.pk), "csv"), "csv"
    )
    row = dict(zip(table.headers, table[0], strict=True))
    row["Nội dung nhiệm vụ"] = "Khẩn trương hoàn thành kè Thanh Đa."
    table = tablib.Dataset(list(row.values()), headers=list(row))
    import_table(DirectiveResource, table.export("csv").encode(), "csv", name="nv.csv")
    directive.refresh_from_db()
    assert "ke thanh da" in directive.search_text
    assert Directive.objects.filter(search_text__contains="ke thanh da").get() == directive
    stored = directive.search_text
    directive.save()
    assert directive.search_text == stored


# --- Item 8: the confirm step opens only what this session uploaded ---------------------------


def preview(client, name, data, file_format="csv", model="indicator"):
    return client.post(
        reverse(f"admin:resolutions_{model}_import"),
        {
            "resource": "0",
            "format": FORMAT[file_format],
            "import_file": SimpleUploadedFile(name, data),
        },
    )


def confirm(client, response, model="indicator", **changed):
    form = response.context["confirm_form"]
    data = {name: form.initial.get(name, "") for name in form.fields}
    data.update(changed)
    return client.post(reverse(f"admin:resolutions_{model}_process_import"), data)


INDICATOR_CSV = (
    "Cấp ủy,Khóa,Hội nghị lần thứ,Thứ tự,Tên chỉ tiêu,Giá trị\n"
    'Ban Chấp hành Đảng bộ Quận 2,III,9,60,Số hộ,"12,5"\n'
).encode()


def test_the_confirm_step_never_opens_or_deletes_a_path_from_the_form(clerk_client, seeds):
    victim = Path(tempfile.gettempdir()) / "nan-nhan.txt"
    victim.write_text("của người khác")
    response = preview(clerk_client, "chi_tieu.csv", INDICATOR_CSV)
    for name in ("../../tmp/nan-nhan.txt", str(victim), "nan-nhan.txt"):
        done = confirm(clerk_client, response, import_file_name=name)
        assert done.status_code == 302
        assert victim.read_text() == "của người khác"
    page = clerk_client.get(done["Location"]).content.decode()
    assert "không thuộc phiên làm việc này" in page
    assert not Indicator.objects.filter(position=60).exists()
    victim.unlink()


def test_the_confirm_step_refuses_an_upload_of_another_session(clerk_client, seeds):
    theirs = preview(clerk_client, "chi_tieu.csv", INDICATOR_CSV)
    name = theirs.context["confirm_form"].initial["import_file_name"]
    client = Client()
    client.force_login(UserFactory(is_superuser=True))
    mine = preview(client, "khac.csv", INDICATOR_CSV.replace("Số hộ".encode(), "Số người".encode()))
    done = confirm(client, mine, import_file_name=name)
    assert done.status_code == 302 and not Indicator.objects.filter(position=60).exists()
    assert (folder() / name).exists()  # still the clerk's to confirm
    assert confirm(clerk_client, theirs).status_code == 302
    assert Indicator.objects.get(position=60).name == "Số hộ"
    assert not (folder() / name).exists()


# --- Item 9: ODS imports; admin exports keep numbers and dates as such ------------------------


def admin_export(client, model, file_format):
    url = reverse(f"admin:resolutions_{model}_export")
    form = client.get(url).context["form"]
    data = {"format": FORMAT[file_format], "resource": "0"}
    data.update(
        {name: "on" for name in form.fields if name not in ("format", "resource", "export_items")}
    )
    response = client.post(url, data)
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


def ods_cells(data):
    document = opendocument.load(io.BytesIO(data))
    rows = document.spreadsheet.getElementsByType(TableRow)
    return [
        [
            (c.attributes.get((OFFICENS, "value-type")), str(c))
            for c in row.getElementsByType(TableCell)
        ]
        for row in rows
    ]


@pytest.mark.parametrize("file_format", FORMATS)
def test_an_admin_export_imports_back_through_the_admin(clerk_client, seeds, file_format):
    directive = seeds.directives.order_by("section_order", "position").first()
    directive.due_on, directive.completed_on = date(2007, 12, 31), date(2008, 1, 9)
    directive.save()

    def state():
        return sorted(
            (d.section_order, d.position, d.text, d.due_on, d.completed_on)
            for d in Directive.objects.filter(meeting=seeds)
        )

    before = state()
    data = admin_export(clerk_client, "directive", file_format)
    if file_format == "xlsx":
        book = load_workbook(io.BytesIO(data))
        headers = [c.value for c in book.active[1]]
        section, position = headers.index("Mục (thứ tự)"), headers.index("Thứ tự")
        row = next(
            r
            for r in book.active.iter_rows(min_row=2)
            if (r[section].value, r[position].value) == (1, 1)
        )
        assert row[headers.index("Mục (thứ tự)")].data_type == "n"
        done = row[headers.index("Ngày hoàn thành")]
        assert done.is_date and done.value == datetime(2008, 1, 9)
        assert done.number_format == "dd/mm/yyyy"
    if file_format == "ods":
        rows = ods_cells(data)
        headers = [text for _, text in rows[0]]
        kinds = {kind for row in rows[1:] for kind, _ in [row[headers.index("Mục (thứ tự)")]]}
        assert kinds == {"float"}
        dates = [row[headers.index("Ngày hoàn thành")] for row in rows[1:]]
        assert ("date", "09/01/2008") in dates
    Directive.objects.filter(meeting=seeds).delete()
    response = preview(clerk_client, f"nv.{file_format}", data, file_format, "directive")
    assert response.status_code == 200
    assert "confirm_form" in response.context, response.content.decode()[:3000]
    assert confirm(clerk_client, response, "directive").status_code == 302
    assert state() == before


# --- Item 12: a constraint broken late in a file ----------------------------------------------


def directive_rows(seeds, count, bad_at):
    rows = [["Cấp ủy", "Khóa", "Hội nghị lần thứ", "Mục (thứ tự)", "Thứ tự", "Nội dung nhiệm vụ"]]
    for n in range(1, count + 1):
        section = 0 if n == bad_at else 50
        rows.append([seeds.committee.name, "III", 9, section, 1000 + n, f"Nhiệm vụ số {n}."])
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


def test_a_constraint_broken_late_in_a_file_is_reported_once_with_its_row(seeds):
    count = Directive.objects.count()
    with pytest.raises(UploadRefused) as refused:
        import_table(DirectiveResource, directive_rows(seeds, 3000, 2900), "csv", name="nv.csv")
    assert refused.value.problems == ["- dòng 2901: Thứ tự mục phải từ 1 trở lên."]
    assert Directive.objects.count() == count


def test_a_restore_reports_a_broken_constraint_once_and_writes_nothing(seeds, tmp_path):
    path = tmp_path / "luu-tru.xlsx"
    export_archive(path)
    book = load_workbook(path)
    sheet = book["Nhiệm vụ"]
    column = [c.value for c in sheet[1]].index("Mục (thứ tự)") + 1
    sheet.cell(sheet.max_row - 1, column).value = 0
    book.save(path)
    Directive.objects.filter(meeting=seeds).delete()
    with pytest.raises(UploadRefused) as refused:
        restore_archive(path)
    assert refused.value.problems == [f"- dòng {sheet.max_row - 1}: Thứ tự mục phải từ 1 trở lên."]
    assert not Directive.objects.exists()


def test_a_constraint_broken_late_in_a_file_is_shown_in_the_admin_preview(clerk_client, seeds):
    count = Directive.objects.count()
    response = preview(
        clerk_client, "nv.csv", directive_rows(seeds, 3000, 2900), "csv", "directive"
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Thứ tự mục phải từ 1 trở lên." in page
    assert "Traceback" not in page and "confirm_form" not in response.context
    result = response.context["result"]
    assert [row.number for row in result.invalid_rows] == [2900]
    assert Directive.objects.count() == count


# --- Item 13: NUL characters -----------------------------------------------------------------


def test_a_nul_character_in_a_csv_cell_is_refused_with_its_row_and_column(seeds):
    data = (
        "Cấp ủy,Khóa,Hội nghị lần thứ,Thứ tự,Tên chỉ tiêu,Giá trị\n"
        "Ban Chấp hành Đảng bộ Quận 2,III,9,70,Được,1\n"
        "Ban Chấp hành Đảng bộ Quận 2,III,9,71,Có\x00NUL,1\n"
    ).encode()
    with pytest.raises(UploadRefused) as refused:
        import_table(IndicatorResource, data, "csv", name="ct.csv")
    assert "dòng 3: cột “Tên chỉ tiêu”: có ký tự NUL" in str(refused.value)
    assert not Indicator.objects.filter(position__in=[70, 71]).exists()


def test_a_nul_character_is_refused_in_the_admin_preview(clerk_client, seeds):
    data = (
        "Cấp ủy,Khóa,Hội nghị lần thứ,Thứ tự,Tên chỉ tiêu,Giá trị\n"
        "Ban Chấp hành Đảng bộ Quận 2\x00,III,9,71,Có,1\n"
    ).encode()
    response = preview(clerk_client, "ct.csv", data)
    assert response.status_code == 200
    assert "có ký tự NUL" in response.content.decode()
    assert not Indicator.objects.filter(position=71).exists()


# --- Item 16: restoring an unchanged archive ------------------------------------------------


def test_restoring_an_unchanged_archive_changes_and_warns_nothing(seeds, tmp_path):
    directive = seeds.directives.first()
    ProgressNote.objects.create(
        directive=directive,
        noted_on=date(2007, 11, 20),
        text="Đã họp dân.",
        author=UserFactory(username="-vanthu"),
    )
    ProgressNote.objects.create(directive=directive, noted_on=date(2007, 11, 20), text="  ")
    ProgressNote.objects.create(
        directive=directive, noted_on=date(2007, 11, 21), text="Đã  khảo sát\r\nxong."
    )
    path = tmp_path / "luu-tru.xlsx"
    export_archive(path)
    notes = sorted(ProgressNote.objects.values_list("directive", "noted_on", "text"))
    for _ in range(2):
        outcome = restore_archive(path)
        assert outcome.warnings == []
        assert "mới" not in outcome.summary() and "cập nhật" not in outcome.summary()
        assert sorted(ProgressNote.objects.values_list("directive", "noted_on", "text")) == notes


# --- Item 18: a cap on rows, refused while reading --------------------------------------------


def big_file(file_format, rows):
    header = ["Cấp ủy", "Khóa", "Hội nghị lần thứ", "Thứ tự", "Tên chỉ tiêu", "Giá trị"]
    body = [
        ["Ban Chấp hành Đảng bộ Quận 2", "III", 9, 100 + n, f"Chỉ tiêu {n}", n] for n in range(rows)
    ]
    if file_format == "xlsx":
        book = Workbook(write_only=True)
        sheet = book.create_sheet()
        for row in [header, *body]:
            sheet.append(row)
        stream = io.BytesIO()
        book.save(stream)
        return stream.getvalue()
    table = tablib.Dataset(*body, headers=header)
    from resolutions.spreadsheets import formats

    data = formats.BY_TITLE[file_format]().export_data(table)
    return data if isinstance(data, bytes) else data.encode()


@pytest.mark.parametrize("file_format", FORMATS)
def test_a_file_over_the_row_cap_is_refused_with_a_message(seeds, settings, file_format):
    settings.IMPORT_MAX_ROWS = 50
    import_table(IndicatorResource, big_file(file_format, 50), file_format, name="ok")
    assert Indicator.objects.filter(position__gte=100).count() == 50
    Indicator.objects.filter(position__gte=100).delete()
    with pytest.raises(UploadRefused) as refused:
        import_table(IndicatorResource, big_file(file_format, 51), file_format, name="lon")
    assert "quá giới hạn 50 dòng" in str(refused.value)
    assert not Indicator.objects.filter(position__gte=100).exists()


def test_the_row_cap_stops_reading_an_ods_that_repeats_a_row_a_million_times(seeds, settings):
    settings.IMPORT_MAX_ROWS = 1000
    data = big_file("ods", 2)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    members["content.xml"] = (
        members["content.xml"]
        .replace(b"<table:table-row>", b'<table:table-row table:number-rows-repeated="1000000">')
        .replace(b'<table:table-row table:number-rows-repeated="1000000">', b"<table:table-row>", 1)
    )
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    with pytest.raises(UploadRefused, match="quá giới hạn 1000 dòng"):
        import_table(IndicatorResource, stream.getvalue(), "ods", name="lap.ods")


def test_the_row_cap_is_shown_in_the_admin(clerk_client, seeds, settings):
    settings.IMPORT_MAX_ROWS = 10
    response = preview(clerk_client, "lon.xlsx", big_file("xlsx", 11), "xlsx")
    assert response.status_code == 200
    assert "quá giới hạn 10 dòng cho một lần nhập" in response.content.decode()


def test_vietnamese_survives_every_format(seeds):
    # The escaping and our own ODS writer must not touch ordinary text.
    name = vietnamese.nfc("Ủy ban Mặt trận Tổ quốc – “đặc biệt” ‘nháy’")
    Unit.objects.create(committee=seeds.committee, name=name)
    for file_format in FORMATS:
        data = export_table(UnitResource, Unit.objects.filter(name=name), file_format)
        assert read_table(data, file_format)[0][1] == name


def test_decimals_keep_their_digits_in_ods(seeds):
    indicator = seeds.indicators.exclude(value=None).first()
    indicator.value = Decimal("12345678.9876")
    indicator.save()
    data = export_table(IndicatorResource, Indicator.objects.filter(pk=indicator.pk), "ods")
    Indicator.objects.filter(pk=indicator.pk).update(value=None)
    import_table(IndicatorResource, data, "ods", name="ct.ods")
    indicator.refresh_from_db()
    assert indicator.value == Decimal("12345678.9876")


@pytest.mark.skipif(not SOFFICE, reason="LibreOffice is not installed")
def test_libreoffice_shows_our_ods_text_numbers_and_dates_as_written(seeds, tmp_path):
    directive = seeds.directives.order_by("section_order", "position").first()
    directive.text = "hai  dấu cách\tvà tab\ndòng hai"
    directive.completed_on = date(2008, 1, 9)
    directive.save()
    path = tmp_path / "nv.ods"
    path.write_bytes(
        export_table(DirectiveResource, Directive.objects.filter(pk=directive.pk), "ods")
    )
    (sheet,) = convert(path, tmp_path).values()
    (row,) = list(csv.reader(io.StringIO(sheet)))[1:]
    assert directive.text in row and "09/01/2008" in row and "1" in row


def test_an_ods_with_entities_is_refused_in_the_admin(clerk_client, seeds):
    data = big_file("ods", 1)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    laughs = b'<!DOCTYPE x [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    members["content.xml"] = members["content.xml"].replace(b"?>", b"?>" + laughs, 1)
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    response = preview(clerk_client, "cuoi.ods", stream.getvalue(), "ods")
    assert response.status_code == 200
    assert "không đọc được tệp .ods (tệp hỏng" in response.content.decode()


@pytest.mark.parametrize("name", ["Ban Tuyên giáo; Ban Dân vận", "Ban\nTuyên giáo", "Tổ\t8"])
def test_a_unit_name_a_spreadsheet_could_not_read_back_is_refused(
    seeds, administrator_client, name
):
    """Supporting units share one cell, separated by ";": such a name would make our own
    exports and the archive impossible to restore (found by the probes). Units are reference
    data: the administrator enters them."""
    from resolutions.spreadsheets.resources import UnitResource

    response = administrator_client.post(
        reverse("admin:resolutions_unit_add"),
        {"committee": seeds.committee_id, "name": name, "kind": Unit.Kind.OTHER, "position": 0},
    )
    assert response.status_code == 200
    assert "Tên đơn vị không được có dấu chấm phẩy (;)" in response.content.decode()

    rows = tablib.Dataset(headers=["Cấp ủy", "Tên đơn vị", "Loại"])
    rows.append([seeds.committee.name, name, "Khác"])
    with pytest.raises(UploadRefused) as refused:
        import_table(UnitResource, rows.export("csv").encode(), "csv", name="dv.csv")
    assert "dòng 2: cột “Tên đơn vị”: Tên đơn vị không được có dấu chấm phẩy (;)" in str(
        refused.value
    )
    assert not Unit.objects.filter(name=vietnamese.nfc(name).strip()).exists()
