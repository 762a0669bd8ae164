"""List-page exports a person opens (issue 12, item 13): Vietnamese file, sheet and column
names, number and date cells, topics by name, the computed status, fitted columns and a bold,
frozen header; and the files still import back to exactly what was exported."""

import io
import zipfile
from datetime import date, datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from resolutions.models import Directive, Topic
from resolutions.services.fixtures import import_seeds
from resolutions.spreadsheets.archive import export_table, import_table
from resolutions.spreadsheets.cells import MAX_WIDTH
from resolutions.spreadsheets.resources import DirectiveResource

from .test_office import SOFFICE
from .test_trust_spreadsheets import FORMAT, confirm, ods_cells, preview

pytestmark = pytest.mark.django_db
ENGLISH = ("Meeting", "Term", "Directive", "Topic", "Tablib", "Dataset", "Status", "Section")


@pytest.fixture
def seeds(db):
    call_command("loaddata", "topics", "committees", verbosity=0)
    meeting = import_seeds()[0].meeting
    first = meeting.directives.order_by("section_order", "position").first()
    first.due_on, first.completed_on = date(2007, 12, 31), date(2008, 1, 9)
    first.save()
    first.tags.set(Topic.objects.filter(slug__in=["khieu-nai-to-cao", "kinh-te"]))
    return meeting


def admin_download(client, model, file_format, action=False):
    """The file as the list page's "Xuất" button, or its export action, gives it."""
    if action:
        ids = Directive.objects.values_list("pk", flat=True)
        response = client.post(
            reverse(f"admin:resolutions_{model}_changelist"),
            {"action": "export_admin_action", "_selected_action": list(ids)},
        )
        form = response.context["form"]
        url = reverse(f"admin:resolutions_{model}_export")
        data = {"format": FORMAT[file_format], "resource": "0", "export_items": list(ids)}
    else:
        url = reverse(f"admin:resolutions_{model}_export")
        form = client.get(url).context["form"]
        data = {"format": FORMAT[file_format], "resource": "0"}
    data.update(
        {name: "on" for name in form.fields if name not in ("format", "resource", "export_items")}
    )
    response = client.post(url, data)
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response["Content-Disposition"], body


def by_header(sheet):
    rows = list(sheet.iter_rows())
    headers = [c.value for c in rows[0]]
    return headers, [dict(zip(headers, row, strict=False)) for row in rows[1:]]


def column_widths(sheet):
    return {c.value: sheet.column_dimensions[c.column_letter].width for c in sheet[1]}


@pytest.mark.parametrize("action", [False, True], ids=["button", "action"])
def test_the_directives_xlsx_reads_as_a_person_expects(clerk_client, seeds, action):
    disposition, data = admin_download(clerk_client, "directive", "xlsx", action=action)
    today = timezone.localdate()
    assert f'filename="nhiem-vu-{today:%Y-%m-%d}.xlsx"' in disposition
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Nhiệm vụ"]
    sheet = book["Nhiệm vụ"]
    headers, rows = by_header(sheet)
    assert headers[:3] == ["Cấp ủy", "Khóa", "Hội nghị lần thứ"]
    assert not [h for h in headers if any(word in h for word in ENGLISH)]
    first = next(r for r in rows if (r["Mục (thứ tự)"].value, r["Thứ tự"].value) == (1, 1))
    # Numbers and dates are number and date cells, dates shown day first.
    assert first["Hội nghị lần thứ"].data_type == "n" and first["Hội nghị lần thứ"].value == 9
    assert first["Ngày hoàn thành"].is_date
    assert first["Ngày hoàn thành"].value == datetime(2008, 1, 9)
    assert first["Ngày hoàn thành"].number_format == "dd/mm/yyyy"
    # Topics by the names a person reads; a name holding a comma is still one tag.
    assert first["Lĩnh vực"].value == "Kinh tế"
    assert first["Chủ đề"].value == "Khiếu nại, tố cáo; Kinh tế"
    # The status as of today, computed from the dates.
    assert first["Tình trạng"].value == "Hoàn thành quá hạn"
    statuses = {r["Tình trạng"].value for r in rows}
    assert statuses == {"Hoàn thành quá hạn", "Quá hạn chưa hoàn thành"}
    # Laid out: header bold and frozen, columns as wide as they need, long text wrapped.
    assert sheet.freeze_panes == "A2"
    assert all(c.font.b for c in sheet[1])
    width = column_widths(sheet)
    assert width["Khóa"] < 12
    assert width["Nội dung nhiệm vụ"] == MAX_WIDTH
    assert first["Nội dung nhiệm vụ"].alignment.wrap_text
    assert width["Cấp ủy"] == len("Ban Chấp hành Đảng bộ Quận 2") + 2
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1


@pytest.mark.parametrize(
    ("model", "stem", "sheet"),
    [
        ("indicator", "chi-tieu", "Chỉ tiêu"),
        ("finding", "ket-qua-ton-tai", "Kết quả, tồn tại"),
        ("topic", "linh-vuc", "Lĩnh vực"),
    ],
)
def test_every_list_exports_under_its_vietnamese_name(clerk_client, seeds, model, stem, sheet):
    disposition, data = admin_download(clerk_client, model, "xlsx")
    assert f'filename="{stem}-{timezone.localdate():%Y-%m-%d}.xlsx"' in disposition
    assert load_workbook(io.BytesIO(data)).sheetnames == [sheet]


def test_indicator_figures_are_number_cells(clerk_client, seeds):
    _, data = admin_download(clerk_client, "indicator", "xlsx")
    _, rows = by_header(load_workbook(io.BytesIO(data)).active)
    values = [r["Giá trị"] for r in rows if r["Giá trị"].value is not None]
    assert values and all(c.data_type == "n" for c in values)
    assert 55.699 in [c.value for c in values]


def test_the_ods_export_is_named_typed_and_laid_out(clerk_client, seeds):
    disposition, data = admin_download(clerk_client, "directive", "ods")
    assert f'filename="nhiem-vu-{timezone.localdate():%Y-%m-%d}.ods"' in disposition
    rows = ods_cells(data)
    headers = [text for _, text in rows[0]]
    assert "Tình trạng" in headers and "Khóa" in headers
    dates = [row[headers.index("Ngày hoàn thành")] for row in rows[1:]]
    assert ("date", "09/01/2008") in dates
    content = zipfile.ZipFile(io.BytesIO(data)).read("content.xml").decode()
    assert '<table:table table:name="Nhiệm vụ"' in content
    assert "<table:table-header-rows>" in content  # repeated on every printed page
    settings = zipfile.ZipFile(io.BytesIO(data)).read("settings.xml").decode()
    assert "VerticalSplitPosition" in settings


@pytest.mark.skipif(not SOFFICE, reason="LibreOffice is not installed")
def test_libreoffice_opens_the_ods_export_with_its_layout(seeds, tmp_path):
    """LibreOffice reads the ODS's widths, bold header and print setup: saved again as XLSX by
    LibreOffice itself, the workbook shows them. (The frozen header is a view setting, which a
    headless LibreOffice does not keep.)"""
    import subprocess

    path = tmp_path / "nhiem-vu.ods"
    path.write_bytes(export_table(DirectiveResource, Directive.objects.all(), "ods"))
    subprocess.run(
        [
            SOFFICE,
            "--headless",
            "--norestore",
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(tmp_path / "out"),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    sheet = load_workbook(tmp_path / "out" / "nhiem-vu.xlsx")["Nhiệm vụ"]
    assert all(c.font.b for c in sheet[1])
    width = column_widths(sheet)
    assert width["Khóa"] < width["Cấp ủy"] < width["Nội dung nhiệm vụ"]
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.print_title_rows == "$1:$1"


@pytest.mark.parametrize("file_format", ["xlsx", "ods", "csv", "json"])
def test_a_list_export_imports_back_exactly(clerk_client, seeds, file_format):
    def state():
        return sorted(
            (
                d.section_order,
                d.position,
                d.text,
                d.topic_id,
                tuple(sorted(d.tags.values_list("pk", flat=True))),
                d.due_on,
                d.completed_on,
            )
            for d in Directive.objects.all()
        )

    before = state()
    _, data = admin_download(clerk_client, "directive", file_format)
    Directive.objects.all().delete()
    response = preview(clerk_client, f"nv.{file_format}", data, file_format, "directive")
    assert "confirm_form" in response.context, response.content.decode()[:2000]
    assert confirm(clerk_client, response, "directive").status_code == 302
    assert state() == before


def test_topics_sharing_a_name_are_written_by_slug_and_come_back(seeds):
    """A name that names two topics cannot key a file: those two are written by slug, and each
    row comes back to the topic it had."""
    a = Topic.objects.create(name="Khác", slug="khac-kinh-te")
    b = Topic.objects.create(name="Khác", slug="khac-xa-hoi")
    directives = list(seeds.directives.order_by("section_order", "position")[:2])
    directives[0].topic, directives[1].topic = a, b
    for d in directives:
        d.save()
    directives[0].tags.set([b])
    data = export_table(DirectiveResource, Directive.objects.all(), "xlsx")
    _, rows = by_header(load_workbook(io.BytesIO(data)).active)
    shown = {(r["Mục (thứ tự)"].value, r["Thứ tự"].value): r for r in rows}
    first = shown[(directives[0].section_order, directives[0].position)]
    assert first["Lĩnh vực"].value == "khac-kinh-te"
    assert first["Chủ đề"].value == "khac-xa-hoi"
    Directive.objects.filter(pk__in=[d.pk for d in directives]).update(topic=None)
    import_table(DirectiveResource, data, "xlsx", name="nv.xlsx")
    assert Directive.objects.get(pk=directives[0].pk).topic == a
    assert Directive.objects.get(pk=directives[1].pk).topic == b
    assert list(Directive.objects.get(pk=directives[0].pk).tags.all()) == [b]


def test_a_clerk_may_name_a_topic_by_name_or_slug_but_not_ambiguously(seeds):
    from resolutions.spreadsheets.widgets import ImportProblem, TopicWidget

    Topic.objects.create(name="Khác", slug="khac-1")
    Topic.objects.create(name="Khác", slug="khac-2")
    widget = TopicWidget()
    kinh_te = Topic.objects.get(slug="kinh-te")
    assert widget.clean("Kinh tế") == widget.clean("kinh te") == widget.clean("kinh-te") == kinh_te
    with pytest.raises(ImportProblem, match="hãy ghi mã của lĩnh vực muốn chọn"):
        widget.clean("Khác")
    assert widget.clean("khac-2").slug == "khac-2"
