"""A scan previewed then confirmed in the admin's text import: the confirmation writes what the
preview read (the OCR text, its values guesses) and keeps the scan itself, marked as read by
OCR, without the clerk's browser posting the text back."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from resolutions.admin import pending
from resolutions.models import Meeting, SourceFile
from resolutions.parsing import intake as intake_module

from .helpers import SCANNED_CONCLUSION, needs_ocr, png, scan

URL = reverse("admin:resolutions_meeting_import_text")
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def reference_data(db):
    call_command("loaddata", "topics", "committees", verbosity=0)


@needs_ocr
def test_a_scan_confirmed_is_stored_as_read_by_ocr_with_its_bytes(clerk_client, monkeypatch):
    data = png(scan(SCANNED_CONCLUSION))
    preview = clerk_client.post(
        URL, {"document": SimpleUploadedFile("quet.png", data), "preview": "1"}
    )
    page = preview.content.decode()
    assert "evidence-guessed" in page and "evidence-exact" not in page
    guesses = len(preview.context["guessed"])
    token = preview.context["confirm_form"].initial["pending"]
    assert not Meeting.objects.exists()

    # The confirmation does not read the scan again: OCR ran once, at the preview.
    def no_ocr_again(*args, **kwargs):
        raise AssertionError("OCR ran again on confirmation")

    monkeypatch.setattr(intake_module, "_scan", no_ocr_again)
    confirmed = clerk_client.post(URL, {"pending": token, "confirm": "1"}, follow=True)
    meeting = Meeting.objects.get()
    assert meeting.directives.count() == 2
    source = SourceFile.objects.get(meeting=meeting)
    assert source.ocr and source.format == "scan" and bytes(source.content) == data
    page = confirmed.content.decode()
    assert f"Văn bản đọc bằng nhận dạng chữ (OCR): {guesses} giá trị là phỏng đoán" in page
    assert "(đọc bằng OCR: mọi giá trị là phỏng đoán)" in page  # the source file's row
    assert pending.SESSION_KEY not in clerk_client.session  # released once written


def test_the_text_posted_back_is_not_what_a_confirmation_writes(clerk_client):
    """What was previewed is confirmed, whatever text the browser sends with the token."""
    text = "\n".join(SCANNED_CONCLUSION) + "\n"
    preview = clerk_client.post(
        URL, {"document": SimpleUploadedFile("ket-luan.txt", text.encode()), "preview": "1"}
    )
    token = preview.context["confirm_form"].initial["pending"]
    changed = text.replace("Tập trung thu ngân sách", "Thay bằng chữ khác")
    clerk_client.post(URL, {"pending": token, "text": changed, "confirm": "1"})
    meeting = Meeting.objects.get()
    assert "Tập trung thu ngân sách" in meeting.source_text
    assert bytes(SourceFile.objects.get().content) == text.encode()


def test_a_second_preview_replaces_the_first_held_one(clerk_client):
    text = "\n".join(SCANNED_CONCLUSION) + "\n"
    first = clerk_client.post(
        URL, {"document": SimpleUploadedFile("a.txt", text.encode()), "preview": "1"}
    )
    clerk_client.post(URL, {"document": SimpleUploadedFile("b.txt", text.encode()), "preview": "1"})
    token = first.context["confirm_form"].initial["pending"]
    page = clerk_client.post(URL, {"pending": token, "confirm": "1"}).content.decode()
    assert "Bản xem trước này đã hết hạn" in page
    assert not Meeting.objects.exists()
