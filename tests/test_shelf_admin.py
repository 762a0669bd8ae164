"""The admin's "Nhập nhiều văn bản (tệp zip)": a zip of conclusion files imported like a folder
by import_conclusions, each file reported; a bad zip refused with nothing written."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from resolutions.models import Meeting
from resolutions.parsing.encodings import VNI, encode

from .factories import UserFactory
from .test_shelf_import import BEN_TRE, CU_CHI, TAN_DINH

URL = reverse("admin:resolutions_meeting_import_shelf")
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def reference_data(db):
    call_command("loaddata", "topics", "committees", verbosity=0)


def zipped(files: dict[str, bytes]) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return SimpleUploadedFile("ke-2016-2019.zip", buffer.getvalue())


def shelf() -> SimpleUploadedFile:
    return zipped(
        {
            "cu-chi.txt": CU_CHI.read_bytes(),
            "2016/tan-dinh.txt": encode(TAN_DINH.read_text(encoding="utf-8"), VNI, "replace"),
            "../../2019/ben-tre.txt": BEN_TRE.read_bytes(),  # kept inside, never above
            "2019/hong.txt": b"\xfa\xfb\xfc\xfd \xf0\xf0\xf0\xf0",
            "2019/muc-luc.odt": b"not a conclusion file",
        }
    )


def test_the_meeting_list_links_to_the_zip_import(clerk_client):
    page = clerk_client.get(reverse("admin:resolutions_meeting_changelist")).content.decode()
    assert URL in page and "Nhập nhiều văn bản (tệp zip)" in page


def test_a_zip_of_files_is_imported_each_on_its_own_and_reported(administrator_client):
    # The administrator: the shelf's committees are new to the register, and a clerk may not
    # add a committee (see test_a_clerks_shelf_names_no_new_committee).
    response = administrator_client.post(URL, {"archive": shelf()})
    page = response.content.decode()
    assert response.status_code == 200
    assert "4 tệp: 3 nhập mới, 0 cập nhật, 0 không thay đổi, 1 từ chối" in page
    assert "2016/tan-dinh.txt" in page and "VNI; đã chuyển sang Unicode" in page
    assert "2019/ben-tre.txt" in page  # the ".." of its name dropped
    assert "hong.txt: dòng 1 không đọc được" in page
    assert Meeting.objects.count() == 3


def test_a_dry_run_shows_the_same_and_writes_nothing(administrator_client):
    page = administrator_client.post(URL, {"archive": shelf(), "dry_run": "on"}).content.decode()
    assert "[chạy thử, không ghi gì] 4 tệp: 3 nhập mới" in page
    assert Meeting.objects.count() == 0


def test_the_report_downloads_as_a_workbook(administrator_client):
    response = administrator_client.post(URL, {"archive": shelf(), "report": "on"})
    assert response["Content-Disposition"].endswith('filename="bao-cao-nhap.xlsx"')
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values)
    files = {row[0]: row[1] for row in rows if row and row[0] and row[0].endswith(".txt")}
    assert files == {
        "cu-chi.txt": "nhập mới",
        "2016/tan-dinh.txt": "nhập mới",
        "2019/ben-tre.txt": "nhập mới",
        "2019/hong.txt": "từ chối",
    }


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("hong.zip", b"PK\x03\x04 not really a zip"),
            "hong.zip: tệp zip bị hỏng",
        ),
        (zipped({"bom.txt": b"\x00" * (6 * 1024 * 1024)}), "giải nén ra quá 5 MB"),
    ],
    ids=["damaged", "bomb"],
)
def test_a_bad_zip_is_refused_and_nothing_is_written(clerk_client, upload, message):
    page = clerk_client.post(URL, {"archive": upload}).content.decode()
    assert message in page
    assert Meeting.objects.count() == 0


def test_it_is_refused_to_whoever_may_not_import(client):
    client.force_login(UserFactory(username="nguoixem", is_staff=True))
    assert client.get(URL).status_code == 403


def test_a_clerks_shelf_names_no_new_committee(clerk_client):
    """A clerk may not add committees: each file naming one the register lacks is refused
    with its reason, and nothing of it is written."""
    page = clerk_client.post(URL, {"archive": shelf()}).content.decode()
    assert "4 tệp: 0 nhập mới, 0 cập nhật, 0 không thay đổi, 4 từ chối" in page
    assert not Meeting.objects.exists()
