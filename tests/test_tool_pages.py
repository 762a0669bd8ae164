"""The register's tool pages as a clerk reads them (issue 12, items 15-18 and the file inputs of
item 6): the spreadsheet preview, the text import's figures and warnings, carrying every open
directive forward, the follow-up report's dates, the archive page, the icon, another port."""

import csv
import re
import shlex
from datetime import date
from decimal import Decimal
from html.parser import HTMLParser
from io import BytesIO, StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.contrib.staticfiles import finders
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from resolutions.models import Directive, Indicator, Meeting
from resolutions.spreadsheets import resources
from resolutions.spreadsheets.archive import INFO_SHEET

from .factories import DirectiveFactory, IndicatorFactory, MeetingFactory, UserFactory
from .helpers import SEED
from .test_vietnamese_pages import english_in

pytestmark = pytest.mark.django_db
README = Path(__file__).resolve().parent.parent / "README.md"


class Tables(HTMLParser):
    """Each table of a page with the class asked for: rows of (cell class, cell text)."""

    def __init__(self, css_class):
        super().__init__()
        self.css_class, self.depth, self.rows, self.cell = css_class, 0, [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and self.css_class in (attrs.get("class") or "").split():
            self.depth = 1
        elif self.depth and tag == "tr":
            self.rows.append([])
        elif self.depth and tag in ("td", "th"):
            self.cell = [attrs.get("class") or "", ""]

    def handle_endtag(self, tag):
        if tag == "table":
            self.depth = 0
        elif self.depth and tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append((self.cell[0], " ".join(self.cell[1].split())))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell[1] += data


def table(page: str, css_class: str) -> list[list[tuple[str, str]]]:
    reader = Tables(css_class)
    reader.feed(page)
    return reader.rows


def texts(row):
    return [text for _, text in row]


# --- 15. The spreadsheet preview: each row's values, and what changes ----------------------

HEADER = "Cấp ủy,Khóa,Hội nghị lần thứ,Thứ tự,Tên chỉ tiêu,Giá trị,Đơn vị tính\n"
QUAN_2 = "Ban Chấp hành Đảng bộ Quận 2,III,9"


def preview(client, model, text: str, name="bang.csv"):
    return client.post(
        reverse(f"admin:resolutions_{model}_import"),
        {
            "resource": "0",
            "format": "0",  # CSV
            "import_file": SimpleUploadedFile(name, text.encode("utf-8")),
        },
    )


@pytest.fixture
def two_indicators(meeting9):
    IndicatorFactory(meeting=meeting9, position=1, name="Vốn đầu tư", value=Decimal("10"))
    IndicatorFactory(meeting=meeting9, position=2, name="Bồi thường", value=Decimal("970"))


def test_the_preview_shows_every_rows_values_and_marks_each_changed_cell(
    clerk_client, two_indicators
):
    csv = HEADER + (
        f'{QUAN_2},1,Vốn đầu tư,"12,5",tỷ đồng\n'  # one value changes
        f"{QUAN_2},2,Bồi thường,970,tỷ đồng\n"  # as the register holds it
        f"{QUAN_2},3,Số hộ được hỗ trợ,800,hộ\n"  # new
    )
    response = preview(clerk_client, "indicator", csv)
    page = response.content.decode()
    rows = table(page, "register-preview")
    header, *body = rows
    assert texts(header)[:2] == ["Dòng", "Thao tác"]
    assert texts(header)[2:9] == [
        "Cấp ủy",
        "Khóa",
        "Hội nghị lần thứ",
        "Thứ tự",
        "Tên chỉ tiêu",
        "Kỳ số liệu",
        "Giá trị",
    ]
    columns = texts(header)
    value, name = columns.index("Giá trị"), columns.index("Tên chỉ tiêu")
    changed, unchanged, new = body

    assert texts(changed)[:2] == ["2", "Cập nhật"]
    assert changed[value] == ("import-changed", "10 → 12,5")
    assert changed[name] == ("", "Vốn đầu tư")  # not marked: it stays
    assert [cell for cell in changed if cell[0] == "import-changed"] == [changed[value]]

    assert texts(unchanged)[:2] == ["3", "Không đổi"]
    assert texts(unchanged)[2:6] == ["Ban Chấp hành Đảng bộ Quận 2", "III", "9", "2"]
    assert unchanged[name][1] == "Bồi thường" and unchanged[value][1] == "970"
    assert not any(cls == "import-changed" for cls, _ in unchanged)

    assert texts(new)[:2] == ["4", "Mới"]
    assert new[name][1] == "Số hộ được hỗ trợ" and new[value][1] == "800"
    assert texts(new)[columns.index("Đơn vị tính")] == "hộ"

    assert english_in(page) == set()
    # A preview: nothing written.
    assert Indicator.objects.get(position=1).value == Decimal("10")
    assert not Indicator.objects.filter(position=3).exists()


def test_the_preview_shows_a_changed_tag_list_and_a_cleared_value(clerk_client, meeting9):
    call_command("loaddata", "topics", verbosity=0)
    directive = DirectiveFactory(meeting=meeting9, position=1, due_period="quý IV/2007")
    csv = (
        "Cấp ủy,Khóa,Hội nghị lần thứ,Mục (thứ tự),Thứ tự,Nội dung nhiệm vụ,Chủ đề,Thời hạn\n"
        f'{QUAN_2},1,1,"{directive.text}","dan-van, kinh-te",\n'
    )
    page = preview(clerk_client, "directive", csv).content.decode()
    header, row = table(page, "register-preview")
    columns = texts(header)
    assert row[columns.index("Chủ đề")] == ("import-changed", "(trống) → dan-van, kinh-te")
    assert row[columns.index("Thời hạn")] == ("import-changed", "quý IV/2007 → (trống)")
    assert row[columns.index("Nội dung nhiệm vụ")] == ("", directive.text)
    assert not directive.tags.exists()


def test_a_long_text_that_changes_is_shown_where_it_changes():
    from resolutions.spreadsheets.import_preview import Cell

    before = "Đầu văn bản. " * 40 + "kỳ họp cũ" + " Phần sau." * 40
    cell = Cell(before, before.replace("kỳ họp cũ", "kỳ họp mới"))
    assert cell.changed
    assert "kỳ họp cũ" in cell.shown_before and "kỳ họp mới" in cell.shown_after
    assert len(cell.shown_before) <= 162 and cell.shown_before[0] == "…"
    assert Cell(None, before).shown_after.startswith("Đầu văn bản.")  # a new row: its start


def test_the_required_columns_listed_are_those_a_file_cannot_leave_out(
    clerk_client, two_indicators
):
    page = clerk_client.get(reverse("admin:resolutions_indicator_import")).content.decode()
    listed = re.search(r'<p class="required-columns">(.*?)</p>', page, re.S).group(1)
    required = re.findall(r"<code>(.*?)</code>", listed)
    assert required == ["Cấp ủy", "Khóa", "Hội nghị lần thứ", "Thứ tự", "Tên chỉ tiêu"]
    full = HEADER.strip().split(",")
    cells = [*QUAN_2.split(","), "1", "Vốn đầu tư", "10", "tỷ đồng"]
    for column in full:
        kept = [i for i, name in enumerate(full) if name != column]
        csv = ",".join(full[i] for i in kept) + "\n" + ",".join(cells[i] for i in kept) + "\n"
        response = preview(clerk_client, "indicator", csv)
        refused = f"tệp thiếu cột “{column}”" in response.content.decode()
        assert refused == (column in required), column
        assert response.context.get("confirm_form") is None or not refused


ADMIN_RESOURCES = {
    "meeting": resources.MeetingResource,
    "report": resources.ReportResource,
    "indicator": resources.IndicatorResource,
    "directive": resources.DirectiveResource,
    "finding": resources.FindingResource,
    "topic": resources.TopicResource,
    "committee": resources.CommitteeResource,
    "unit": resources.UnitResource,
}


@pytest.mark.parametrize("model", list(ADMIN_RESOURCES))
def test_every_import_page_lists_exactly_the_columns_a_file_cannot_leave_out(
    administrator_client, model
):
    # The administrator: a clerk imports the meetings' rows, not the reference tables.
    page = administrator_client.get(reverse(f"admin:resolutions_{model}_import")).content.decode()
    listed = re.search(r'<p class="required-columns">(.*?)</p>', page, re.S).group(1)
    shown = re.findall(r"<code>(.*?)</code>", listed)
    # Every column a file of this table may hold, left out one at a time from a file that
    # has all the others (and one blank row): refused for a missing column iff it is listed.
    resource = ADMIN_RESOURCES[model]()
    columns = [f.column_name for f in resource.get_import_fields()]
    if "meeting" in resource.fields:  # a meeting's row names its meeting by three columns
        columns += ["Khóa", "Hội nghị lần thứ"]
    columns = list(dict.fromkeys(columns))
    refused = []
    for column in columns:
        others = [c for c in columns if c != column]
        written = StringIO()
        csv.writer(written).writerows([others, ["x"] * len(others)])
        page = preview(administrator_client, model, written.getvalue()).content.decode()
        if f"tệp thiếu cột “{column}”" in page:
            refused.append(column)
            assert "Traceback" not in page and english_in(page) == set()
    assert sorted(shown) == sorted(refused) and shown


# --- 16. The text import: every figure, warnings one a line ---------------------------------


def test_the_text_preview_shows_every_figure_read(clerk_client, reference_data):
    url = reverse("admin:resolutions_meeting_import_text")
    page = clerk_client.post(url, {"text": SEED.read_text(encoding="utf-8"), "preview": "1"})
    page = page.content.decode()
    header, *figures = (texts(row) for row in table(page, "import-figures"))
    assert header == [
        "Chỉ tiêu",
        "Giá trị",
        "Đơn vị tính",
        "So cùng kỳ (%)",
        "So kế hoạch (%)",
        "Kỳ số liệu",
        "Nguồn trong văn bản",
    ]
    by_name = {row[0]: row[1:] for row in figures}
    assert len(figures) == 6
    assert by_name["Tổng vốn đầu tư xây dựng cơ bản thực hiện"] == [
        "55,699",
        "tỷ đồng",
        "—",
        "50,14%",
        "9 tháng năm 2007",
        "dòng 7: “Tổng vốn đầu tư xây dựng cơ bản thực hiện 55,699”",
    ]
    industry = "giá trị sản xuất công nghiệp – tiểu thủ công nghiệp trên địa bàn"
    assert by_name[industry][:4] == ["—", "—", "79,5% (cùng kỳ)", "—"]
    assert by_name["trong đó chi trả bồi thường cho dự án khu đô thị mới Thủ Thiêm"][:2] == [
        "881",
        "tỷ đồng",
    ]
    warnings = re.findall(r'<li class="warning">(.*?)</li>', page, re.S)
    assert len(warnings) == 4
    assert all(w.startswith("dòng ") for w in warnings)


def test_after_confirming_the_warnings_are_listed_one_a_line(clerk_client, reference_data):
    url = reverse("admin:resolutions_meeting_import_text")
    text = SEED.read_text(encoding="utf-8")
    response = clerk_client.post(url, {"text": text, "source_name": SEED.name, "confirm": "1"})
    page = clerk_client.get(response["Location"]).content.decode()
    listed = re.search(r'<ul class="import-warning-list">(.*?)</ul>', page, re.S).group(1)
    items = re.findall(r"<li>(.*?)</li>", listed, re.S)
    assert len(items) == 4
    assert items[2].startswith("dòng 55: mục thứ 4")
    assert "4 cảnh báo cần xem lại" in page


# --- 17. Carry every open directive forward; section order and printed number --------------


@pytest.fixture
def two_meetings(meeting9):
    earlier = MeetingFactory(committee=meeting9.committee, number=8, started_on=date(2007, 7, 1))
    return {
        "meeting": meeting9,
        "open": [
            DirectiveFactory(meeting=earlier, position=1, section_order=3, section_number="III"),
            DirectiveFactory(meeting=earlier, position=2, text="Việc thứ hai còn mở."),
        ],
        "done": DirectiveFactory(meeting=earlier, position=3, completed_on=date(2007, 9, 1)),
        "url": reverse("admin:resolutions_meeting_carry_forward", args=[meeting9.pk]),
    }


def test_all_open_directives_are_carried_at_once(clerk_client, two_meetings):
    meeting = two_meetings["meeting"]
    page = clerk_client.get(reverse("admin:resolutions_meeting_change", args=[meeting.pk]))
    page = page.content.decode()
    assert (
        '<button type="submit" form="carry-forward-form" name="all" value="1">'
        "Chuyển tất cả sang hội nghị này (2 nhiệm vụ)</button>" in page
    )
    rows = table(page, "carry-forward-table")
    # In document order: section 1 first, then section 3, printed "III".
    assert [texts(row)[0] for row in rows[1:]] == ["1", "3 (III)"]

    response = clerk_client.post(two_meetings["url"], {"all": "1"}, follow=True)
    assert "Đã chuyển 2 nhiệm vụ chưa hoàn thành sang hội nghị này." in response.content.decode()
    carried = meeting.directives.order_by("carried_from__position")
    assert [d.carried_from for d in carried] == two_meetings["open"]
    assert not Directive.objects.filter(carried_from=two_meetings["done"]).exists()

    # Nothing left to carry: refused, nothing doubled.
    again = clerk_client.post(two_meetings["url"], {"all": "1"}, follow=True)
    assert "Không chuyển được" in again.content.decode()
    assert meeting.directives.count() == 2


def test_carrying_all_is_refused_to_a_viewer_and_to_a_first_meeting(client, two_meetings):
    call_command("setup_roles", verbosity=0)
    viewer = UserFactory(username="nguoixem-thu")
    viewer.groups.set([Group.objects.get(name="Người xem")])
    client.force_login(viewer)
    assert client.post(two_meetings["url"], {"all": "1"}).status_code == 403
    assert two_meetings["meeting"].directives.count() == 0

    clerk = UserFactory(username="chuyenvien-thu")
    clerk.groups.set([Group.objects.get(name="Chuyên viên văn phòng")])
    client.force_login(clerk)
    first = MeetingFactory(started_on=date(2001, 1, 1))
    url = reverse("admin:resolutions_meeting_carry_forward", args=[first.pk])
    response = client.post(url, {"all": "1"}, follow=True)
    assert "Không chuyển được" in response.content.decode()
    assert first.directives.count() == 0


def test_the_directive_list_shows_order_and_printed_number_when_they_differ(clerk_client, meeting9):
    DirectiveFactory(meeting=meeting9, section_order=3, section_number="III", text="Việc ba.")
    DirectiveFactory(meeting=meeting9, section_order=1, section_number="1", text="Việc một.")
    DirectiveFactory(meeting=meeting9, section_order=2, section_number="", text="Việc hai.")
    page = clerk_client.get(reverse("admin:resolutions_directive_changelist") + "?o=2")
    shown = re.findall(r'<td class="field-section_display">(.*?)</td>', page.content.decode())
    assert shown == ["1. Kinh tế", "2. Kinh tế", "3 (III). Kinh tế"]


# --- 18. Dates, the archive page, the icon, another port -----------------------------------


def test_the_follow_up_report_has_the_admins_date_pickers(clerk_client, meeting9):
    url = reverse("admin:resolutions_directive_follow_up")
    page = clerk_client.get(url, {"start": "01/10/2007", "end": "31/12/2007"}).content.decode()
    for name, value in (("start", "01/10/2007"), ("end", "31/12/2007")):
        field = re.search(rf'<input[^>]*name="{name}"[^>]*>', page).group(0)
        assert 'class="vDateField"' in field and f'value="{value}"' in field
    assert "admin/js/admin/DateTimeShortcuts.js" in page
    assert "admin/js/calendar.js" in page and reverse("admin:jsi18n") in page


def test_the_archive_page_describes_every_sheet_of_the_workbook(client, meeting9):
    call_command("setup_roles", verbosity=0)
    archivist = UserFactory(username="vanthu-thu")
    archivist.groups.set([Group.objects.get(name="Văn thư lưu trữ")])
    client.force_login(archivist)
    url = reverse("admin:resolutions_meeting_archive")
    page = client.get(url).content.decode()
    described = {row[0]: row[2] for row in map(texts, table(page, "archive-contents")[1:])}

    download = client.get(url, {"export": "1"})
    book = load_workbook(BytesIO(b"".join(download.streaming_content)), read_only=True)
    assert list(described) == book.sheetnames
    assert "mã kiểm tra SHA-256" in described[INFO_SHEET]
    for name in book.sheetnames[1:]:
        headers = [c.value for c in next(book[name].iter_rows(max_row=1))]
        assert described[name] == ", ".join(headers), name
    assert "Đơn vị chủ trì" in described["Nhiệm vụ"] and "Hạn hoàn thành" in described["Nhiệm vụ"]
    assert "Tình hình thực hiện" in described["Tiến độ"]


def test_every_admin_page_has_the_registers_icon(clerk_client):
    icon = '<link rel="icon" href="/static/resolutions/favicon.svg" type="image/svg+xml">'
    assert icon in Client().get(reverse("admin:login")).content.decode()
    for url in (
        reverse("admin:index"),
        reverse("admin:resolutions_directive_changelist"),
        reverse("admin:resolutions_directive_import"),
        reverse("admin:resolutions_meeting_archive"),
        reverse("admin:resolutions_meeting_add"),
        "/khong-co-trang-nay/",
    ):
        assert icon in clerk_client.get(url).content.decode(), url
    svg = Path(finders.find("resolutions/favicon.svg")).read_text()
    assert svg.startswith("<svg") and 'viewBox="0 0 32 32"' in svg


def test_the_readmes_other_port_commands_serve_there(monkeypatch, settings):
    from bench.management.commands import demo

    settings.DEBUG = True
    served = []
    real = demo.call_command

    def run(name, *args, **kwargs):
        if name == "runserver":
            served.append(args[0])
            return None
        return real(name, *args, **kwargs)

    monkeypatch.setattr(demo, "call_command", run)
    lines = [
        line for line in README.read_text().splitlines() if re.search(r"manage\.py demo \d", line)
    ]
    assert len(lines) == 2
    for line in lines:
        command = line.partition("#")[0]
        words = shlex.split(command)
        out = StringIO()
        call_command(*words[words.index("demo") :], stdout=out)
        assert "Log in at http://127.0.0.1:8080/admin/" in out.getvalue()
    assert served == ["127.0.0.1:8080", "127.0.0.1:8080"]
    assert Meeting.objects.exists()  # the demo was prepared before serving


# --- 6. File inputs: a labelled Vietnamese control on every upload form ---------------------


def test_every_upload_form_has_a_labelled_vietnamese_file_control(clerk_client, meeting9):
    clerk_client.force_login(UserFactory(username="quantri", is_superuser=True))
    pages = {
        reverse("admin:resolutions_meeting_import_text"): "id_document",
        reverse("admin:resolutions_meeting_archive"): "id_archive",
        reverse("admin:resolutions_indicator_import"): "id_import_file",
        reverse("admin:resolutions_directive_import"): "id_import_file",
    }
    for url, input_id in pages.items():
        page = clerk_client.get(url).content.decode()
        picker = re.search(r'<span class="file-picker">(.*?)</span></span>', page, re.S).group(1)
        assert re.search(rf'<input type="file" name="\w+"[^>]*id="{input_id}"', picker), url
        assert f'<label for="{input_id}" class="file-picker-button">Chọn tệp…</label>' in picker
        assert "Chưa chọn tệp nào" in picker
        assert "resolutions/file_picker.js" in page
        assert english_in(page) == set(), url
