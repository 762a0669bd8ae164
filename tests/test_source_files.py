"""A conclusion's source file is kept byte for byte, once per meeting."""

import hashlib

import pytest

from resolutions.models import SourceFile
from resolutions.services.sources import keep_source_file, meetings_with_file

pytestmark = pytest.mark.django_db


def test_the_bytes_received_are_kept_with_their_checksum_and_size(meeting9):
    meeting = meeting9
    data = "Kết luận Hội nghị".encode("utf-16")  # bytes as a file holds them, not as text
    kept = keep_source_file(meeting, "Ke\u0302\u0301t lua\u0323\u0302n.txt", data)
    stored = SourceFile.objects.get(pk=kept.pk)
    assert bytes(stored.content) == data
    assert stored.size == len(data)
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert stored.name == "Kết luận.txt"  # NFC
    assert meetings_with_file(stored.sha256) == [meeting.pk]


def test_the_same_file_twice_is_kept_once(meeting9):
    meeting = meeting9
    first = keep_source_file(meeting, "a.txt", b"abc")
    again = keep_source_file(meeting, "b.txt", b"abc")
    assert again.pk == first.pk
    assert meeting.source_files.count() == 1
