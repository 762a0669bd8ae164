"""Every path that imports a file keeps the file's bytes as the meeting's source file, in the
import's transaction: the command line, the admin's zip of files, the admin's text import of
an uploaded file. Pasted text keeps none; a refused file keeps nothing; the same file imported
again is kept once. The meeting's page lists its source files, each downloadable by whoever may
see the meeting."""

import io
import zipfile
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from resolutions.models import Meeting, SourceFile
from resolutions.parsing.encodings import VNI, encode
from resolutions.roles import role_group, setup_roles
from resolutions.services import audit, batch

from .factories import UserFactory
from .test_shelf_import import CU_CHI, TAN_DINH

pytestmark = pytest.mark.django_db
TEXT_URL = reverse("admin:resolutions_meeting_import_text")
SHELF_URL = reverse("admin:resolutions_meeting_import_shelf")


@pytest.fixture(autouse=True)
def reference_data(db):
    call_command("loaddata", "topics", "committees", verbosity=0)


def vni_bytes() -> bytes:
    return encode(TAN_DINH.read_text(encoding="utf-8"), VNI, "replace")


def run(*args) -> tuple[str, CommandError | None]:
    out = StringIO()
    try:
        call_command("import_conclusions", *map(str, args), stdout=out, stderr=StringIO())
    except CommandError as error:
        return out.getvalue(), error
    return out.getvalue(), None


def only_source() -> SourceFile:
    (source,) = SourceFile.objects.all()
    return source


def test_the_command_keeps_each_files_bytes_and_how_it_was_read(tmp_path):
    data = vni_bytes()
    (tmp_path / "tan-dinh.txt").write_bytes(data)
    _out, error = run(tmp_path)
    assert error is None
    source = only_source()
    assert bytes(source.content) == data  # the VNI bytes, not the Unicode text
    assert source.meeting == Meeting.objects.get()
    assert (source.name, source.format, source.encodings, source.ocr) == (
        "tan-dinh.txt",
        "txt",
        "vni",
        False,
    )
    assert source.sha256 == audit.checksum(data)


def test_the_same_file_imported_again_is_kept_once(tmp_path):
    (tmp_path / "cu-chi.txt").write_bytes(CU_CHI.read_bytes())
    run(tmp_path)
    # Read again on purpose (--overwrite-edits does not skip a file imported before).
    out, error = run(tmp_path, "--overwrite-edits")
    assert error is None and "1 không thay đổi" in out
    assert SourceFile.objects.count() == 1


def test_another_file_of_the_same_text_is_kept_beside_the_first(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "cu-chi.txt").write_bytes(CU_CHI.read_bytes())
    # The same conclusion saved with Windows line ends: other bytes, the same text.
    other = CU_CHI.read_bytes().replace(b"\n", b"\r\n")
    (tmp_path / "b" / "cu-chi-ban-2.txt").write_bytes(other)
    out, _error = run(tmp_path, "--recursive")
    assert "1 nhập mới, 0 cập nhật, 1 không thay đổi" in out
    assert sorted(bytes(s.content) for s in SourceFile.objects.all()) == sorted(
        [CU_CHI.read_bytes(), other]
    )


def test_a_refused_file_keeps_nothing(tmp_path):
    # Readable, but names no meeting: refused by the import, after the file was read.
    (tmp_path / "ghi-chu.txt").write_text("Một ghi chú không phải kết luận.\n", encoding="utf-8")
    _out, error = run(tmp_path)
    assert "1/1 văn bản không nhập được" in str(error)
    assert not SourceFile.objects.exists() and not Meeting.objects.exists()


def test_a_dry_run_keeps_nothing(tmp_path):
    (tmp_path / "cu-chi.txt").write_bytes(CU_CHI.read_bytes())
    run(tmp_path, "--dry-run")
    assert not SourceFile.objects.exists()


def test_a_file_already_imported_is_found_by_its_checksum_in_one_query(tmp_path):
    (tmp_path / "cu-chi.txt").write_bytes(CU_CHI.read_bytes())
    run(tmp_path)
    checksum = audit.checksum(CU_CHI.read_bytes())
    with CaptureQueriesContext(connection) as queries:
        assert batch.already_imported(checksum)
    assert len(queries) == 1 and "sha256" in queries[0]["sql"]
    assert not batch.already_imported(audit.checksum(b"other bytes"))


def zipped(files: dict[str, bytes]) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return SimpleUploadedFile("ke.zip", buffer.getvalue())


def test_the_zip_page_keeps_each_members_bytes(administrator_client):
    files = {"cu-chi.txt": CU_CHI.read_bytes(), "2016/tan-dinh.txt": vni_bytes()}
    page = administrator_client.post(SHELF_URL, {"archive": zipped(files)}).content.decode()
    assert "2 tệp: 2 nhập mới" in page
    kept = {s.name: bytes(s.content) for s in SourceFile.objects.all()}
    assert kept == {"cu-chi.txt": files["cu-chi.txt"], "tan-dinh.txt": files["2016/tan-dinh.txt"]}
    # The same zip again: nothing read again, nothing kept twice.
    page = administrator_client.post(SHELF_URL, {"archive": zipped(files)}).content.decode()
    assert "2 tệp: 0 nhập mới, 0 cập nhật, 2 không thay đổi" in page
    assert SourceFile.objects.count() == 2


def test_the_zip_pages_dry_run_keeps_nothing(administrator_client):
    files = {"cu-chi.txt": CU_CHI.read_bytes()}
    administrator_client.post(SHELF_URL, {"archive": zipped(files), "dry_run": "on"})
    assert not SourceFile.objects.exists()


def preview_and_confirm(client, upload) -> tuple[str, object]:
    preview = client.post(TEXT_URL, {"document": upload, "preview": "1"})
    assert not SourceFile.objects.exists()  # the preview writes nothing
    token = preview.context["confirm_form"].initial["pending"]
    confirmed = client.post(TEXT_URL, {"pending": token, "confirm": "1"}, follow=True)
    return preview.content.decode(), confirmed


def test_the_text_import_of_an_uploaded_file_keeps_its_bytes_on_confirm(administrator_client):
    data = vni_bytes()
    page, confirmed = preview_and_confirm(
        administrator_client, SimpleUploadedFile("tan-dinh.txt", data)
    )
    assert "VNI; đã chuyển sang Unicode" in page
    meeting = Meeting.objects.get()
    assert confirmed.redirect_chain[-1][0] == reverse(
        "admin:resolutions_meeting_change", args=[meeting.pk]
    )
    source = only_source()
    assert bytes(source.content) == data and source.meeting == meeting
    assert (source.format, source.encodings) == ("txt", "vni")
    # The history names the file's checksum, as the command line's imports do.
    assert batch.already_imported(audit.checksum(data))


def test_pasted_text_keeps_no_source_file(administrator_client):
    text = CU_CHI.read_text(encoding="utf-8")
    preview = administrator_client.post(TEXT_URL, {"text": text, "preview": "1"})
    token = preview.context["confirm_form"].initial["pending"]
    administrator_client.post(TEXT_URL, {"pending": token, "confirm": "1"})
    assert Meeting.objects.count() == 1
    assert not SourceFile.objects.exists()


def test_a_refused_upload_keeps_nothing(administrator_client):
    upload = SimpleUploadedFile("ghi-chu.txt", "Một ghi chú, không phải kết luận.\n".encode())
    page = administrator_client.post(TEXT_URL, {"document": upload, "preview": "1"})
    assert "không nhập được vì không tìm thấy" in page.content.decode()
    assert not SourceFile.objects.exists()


def test_a_confirmation_whose_preview_is_gone_writes_nothing(administrator_client):
    page = administrator_client.post(TEXT_URL, {"pending": "không-còn", "confirm": "1"})
    assert "Bản xem trước này đã hết hạn" in page.content.decode()
    assert not Meeting.objects.exists() and not SourceFile.objects.exists()


@pytest.fixture
def imported(tmp_path):
    (tmp_path / "tan-dinh.txt").write_bytes(vni_bytes())
    run(tmp_path)
    return only_source()


def test_the_meetings_page_lists_its_source_files_with_a_download(administrator_client, imported):
    url = reverse("admin:resolutions_meeting_change", args=[imported.meeting_id])
    page = administrator_client.get(url).content.decode()
    download = reverse(
        "admin:resolutions_meeting_source_file", args=[imported.meeting_id, imported.pk]
    )
    assert "Tệp văn bản gốc (nguyên bản đã nhận)" in page
    assert "tan-dinh.txt" in page and imported.sha256 in page and download in page
    assert "<td>VNI</td>" in page and "văn bản thuần (.txt)" in page
    response = administrator_client.get(download)
    assert response["Content-Disposition"] == 'attachment; filename="tan-dinh.txt"'
    assert b"".join(response.streaming_content) == vni_bytes()


def test_a_viewer_downloads_the_file_and_a_stranger_may_not(client, imported):
    setup_roles()
    download = reverse(
        "admin:resolutions_meeting_source_file", args=[imported.meeting_id, imported.pk]
    )
    viewer = UserFactory(username="nguoixem")
    viewer.groups.set([role_group("viewer")])
    client.force_login(viewer)
    assert b"".join(client.get(download).streaming_content) == vni_bytes()
    client.force_login(UserFactory(username="khach", is_staff=True))
    assert client.get(download).status_code == 403
    # Another meeting's file is not reached through this meeting.
    client.force_login(viewer)
    other = reverse("admin:resolutions_meeting_source_file", args=[imported.meeting_id, 999999])
    assert client.get(other).status_code == 404
