"""The admin's "Nhập kết luận từ văn bản" page: read, review, and only then write."""

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from resolutions.models import Directive, Meeting

from .factories import UserFactory
from .helpers import SEED

URL = reverse("admin:resolutions_meeting_import_text")
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def reference_data(db):
    call_command("loaddata", "topics", "committees", verbosity=0)


def test_the_meeting_list_links_to_the_import_page(clerk_client):
    page = clerk_client.get(reverse("admin:resolutions_meeting_changelist")).content.decode()
    assert URL in page and "Nhập kết luận từ văn bản" in page


def test_pasted_text_is_shown_for_review_and_nothing_is_written(clerk_client):
    response = clerk_client.post(URL, {"text": SEED.read_text(encoding="utf-8"), "preview": "1"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Kết quả đọc văn bản — kiểm tra trước khi ghi" in page
    assert "Nếu xác nhận:</strong> [chạy thử] văn bản dán: tạo mới Hội nghị lần thứ 9" in page
    assert "Nhiệm vụ (24)" in page
    assert "Mục 4 (in “2”): Công tác xây dựng Đảng và vận động nhân dân" in page
    assert "dòng 55: mục thứ 4" in page  # the numbering slip, with its line
    assert 'name="confirm"' in page
    assert Meeting.objects.count() == 0


def test_confirming_writes_the_meeting_and_opens_it(clerk_client):
    text = SEED.read_text(encoding="utf-8")
    response = clerk_client.post(URL, {"text": text, "source_name": SEED.name, "confirm": "1"})
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:resolutions_meeting_change", args=[meeting.pk])
    assert meeting.directives.count() == 24
    assert meeting.source_name == SEED.name
    page = clerk_client.get(response["Location"]).content.decode()
    assert "tạo mới Hội nghị lần thứ 9 BCH Đảng bộ Quận 2 khóa III" in page
    assert "4 cảnh báo cần xem lại" in page


def test_an_uploaded_file_is_read_in_its_encoding(clerk_client):
    upload = SimpleUploadedFile(SEED.name, SEED.read_text(encoding="utf-8").encode("utf-16"))
    response = clerk_client.post(URL, {"document": upload, "preview": "1"})
    page = response.content.decode()
    assert f"[chạy thử] {SEED.name}: tạo mới" in page
    confirm = clerk_client.post(
        URL, {"text": SEED.read_text(encoding="utf-8"), "source_name": SEED.name, "confirm": "1"}
    )
    assert confirm.status_code == 302
    again = clerk_client.post(URL, {"document": SimpleUploadedFile(SEED.name, SEED.read_bytes())})
    page = again.content.decode()
    assert "Không có gì thay đổi" in page and "Không có gì được ghi" in page
    assert Directive.objects.count() == 24


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("rong.txt", b""), "rong.txt: tệp rỗng"),
        (
            SimpleUploadedFile("a.exe", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"),
            "a.exe: đây là tệp nhị phân",
        ),
        (SimpleUploadedFile("anh.png", b"\x89PNG\r\n\x1a\n\x00\x00"), "anh.png: ảnh bị hỏng"),
        (
            SimpleUploadedFile("cu.txt", b"\xfa\xfb\xfc\xfd \xf0\xf0\xf0\xf0"),
            "không xác định được bảng mã",
        ),
    ],
    ids=["empty", "binary", "damaged-image", "no-encoding"],
)
def test_a_bad_file_is_refused_with_its_reason(clerk_client, upload, message):
    response = clerk_client.post(URL, {"document": upload, "preview": "1"})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Meeting.objects.count() == 0


def test_nothing_chosen_asks_for_a_file_or_text(clerk_client):
    response = clerk_client.post(URL, {"text": "   ", "preview": "1"})
    assert "Hãy chọn một tệp hoặc dán nội dung" in response.content.decode()


def test_a_document_that_cannot_be_a_meeting_is_refused_even_when_confirmed(clerk_client):
    text = "Kết luận Hội nghị\n\nTình hình ổn định."
    response = clerk_client.post(URL, {"text": text, "confirm": "1"})
    assert response.status_code == 200
    assert "không nhập được vì không tìm thấy" in response.content.decode()
    assert Meeting.objects.count() == 0


def test_a_user_who_may_not_add_meetings_is_refused(client):
    viewer = UserFactory(username="nguoixem")
    viewer.user_permissions.set(Permission.objects.filter(codename="view_meeting"))
    client.force_login(viewer)
    assert client.get(URL).status_code == 403
    page = client.get(reverse("admin:resolutions_meeting_changelist")).content.decode()
    assert URL not in page
