"""Spreadsheets from the admin: export with a chosen format, import with a dry run first."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from resolutions.models import Indicator
from resolutions.services.fixtures import import_seeds

pytestmark = pytest.mark.django_db
FORMAT = {"csv": "0", "xlsx": "1", "ods": "2", "json": "3"}


@pytest.fixture
def seeds(db):
    call_command("loaddata", "topics", "committees", verbosity=0)
    return import_seeds()[0].meeting


def export_everything(client, model, file_format, **extra):
    url = reverse(f"admin:resolutions_{model}_export")
    form = client.get(url).context["form"]
    data = {"format": FORMAT[file_format], "resource": "0", **extra}
    data.update(
        {name: "on" for name in form.fields if name not in ("format", "resource", "export_items")}
    )
    return client.post(url, data)


def test_the_list_page_offers_import_and_export(clerk_client, seeds):
    page = clerk_client.get(reverse("admin:resolutions_indicator_changelist")).content.decode()
    assert reverse("admin:resolutions_indicator_import") in page
    assert reverse("admin:resolutions_indicator_export") in page


def test_an_export_from_the_admin_is_csv_with_a_bom_and_decimal_commas(clerk_client, seeds):
    response = export_everything(clerk_client, "indicator", "csv")
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    assert content.startswith("\ufeff".encode())
    text = content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Cấp ủy,Khóa,Hội nghị lần thứ,Thứ tự,Tên chỉ tiêu")
    assert "55,699" in text and "Thủ Thiêm" in text


def test_an_import_from_the_admin_shows_a_dry_run_then_writes(clerk_client, seeds):
    csv = (
        "Cấp ủy,Khóa,Hội nghị lần thứ,Thứ tự,Tên chỉ tiêu,Giá trị,Đơn vị tính\n"
        'Ban Chấp hành Đảng bộ Quận 2,III,9,50,Số hộ được hỗ trợ,"1.234,5",hộ\n'
    ).encode()
    url = reverse("admin:resolutions_indicator_import")
    preview = clerk_client.post(
        url,
        {
            "resource": "0",
            "format": FORMAT["csv"],
            "import_file": SimpleUploadedFile("chi_tieu.csv", b"\xef\xbb\xbf" + csv),
        },
    )
    assert preview.status_code == 200
    assert not Indicator.objects.filter(position=50).exists()  # a dry run only
    confirm = preview.context["confirm_form"]
    done = clerk_client.post(
        reverse("admin:resolutions_indicator_process_import"),
        {name: confirm.initial.get(name, "") for name in confirm.fields},
    )
    assert done.status_code == 302
    assert str(Indicator.objects.get(position=50).value) == "1234.5000"


def test_a_bad_file_in_the_admin_writes_nothing_and_shows_the_row(clerk_client, seeds):
    csv = (
        "Cấp ủy,Khóa,Hội nghị lần thứ,Thứ tự,Tên chỉ tiêu,Giá trị\n"
        "Ban Chấp hành Đảng bộ Quận 2,III,9,51,Được,1\n"
        "Ban Chấp hành Đảng bộ Quận 2,III,9,52,Hỏng,không rõ\n"
    ).encode()
    response = clerk_client.post(
        reverse("admin:resolutions_indicator_import"),
        {
            "resource": "0",
            "format": FORMAT["csv"],
            "import_file": SimpleUploadedFile("hong.csv", csv),
        },
    )
    page = response.content.decode()
    assert "“không rõ” không phải là một số hợp lệ" in page
    assert not Indicator.objects.filter(position__in=[51, 52]).exists()


def test_an_xlsx_that_is_not_a_zip_is_refused_in_the_admin(clerk_client, seeds):
    response = clerk_client.post(
        reverse("admin:resolutions_indicator_import"),
        {
            "resource": "0",
            "format": FORMAT["xlsx"],
            "import_file": SimpleUploadedFile("gia.xlsx", b"not a spreadsheet"),
        },
    )
    assert "không phải tệp bảng tính .xlsx/.ods" in response.content.decode()


def test_the_import_and_export_pages_speak_vietnamese(clerk_client, seeds):
    page = clerk_client.get(reverse("admin:resolutions_indicator_import")).content.decode()
    assert "Tệp cần nhập" in page and "Định dạng" in page
    assert "Tệp nhập đọc các cột sau" in page
    export = clerk_client.get(reverse("admin:resolutions_indicator_export")).content.decode()
    assert "Tệp xuất sẽ gồm các cột sau" in export
