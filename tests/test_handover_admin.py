"""The handover package's page in the admin: the archive role chooses a committee and a term
and downloads the package, streamed; a clerk without the archive permission is refused."""

import io
import json
import re
import zipfile

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from resolutions.handover import package as handover
from resolutions.roles import ROLES

from .factories import UserFactory
from .test_handover import seed_register

pytestmark = pytest.mark.django_db


@pytest.fixture
def register(db):
    return seed_register()


URL = "admin:resolutions_meeting_handover"


@pytest.fixture
def archivist_client(client, clerk):  # clerk: the roles are set up
    user = UserFactory(username="vanthu")
    user.groups.set([Group.objects.get(name=ROLES["archivist"][0])])
    client.force_login(user)
    return client


def test_a_clerk_without_the_archive_permission_is_refused(clerk_client, register):
    assert clerk_client.get(reverse(URL)).status_code == 403
    download = clerk_client.get(reverse(URL), {"committee": register.pk})
    assert download.status_code == 403
    assert reverse(URL) not in clerk_client.get("/admin/").content.decode()


def test_the_archivist_finds_the_page_and_downloads_the_package(archivist_client, register):
    index = archivist_client.get("/admin/").content.decode()
    link = re.search(r'<a href="([^"]+)">Gói nộp lưu</a>', index)
    assert link and link.group(1) == reverse(URL)
    page = archivist_client.get(reverse(URL)).content.decode()
    assert "Tải gói nộp lưu" in page
    assert register.name in page  # a choice of the committee list
    response = archivist_client.get(reverse(URL), {"committee": register.pk, "term": "3"})
    assert response.status_code == 200 and response.streaming
    assert response["Content-Disposition"].endswith('goi-nop-luu-quan-uy-quan-2-khoa-iii.zip"')
    data = b"".join(response.streaming_content)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        document = json.loads(archive.read(handover.DATA))
    assert document["goi"]["cap_uy"] == register.name
    assert document["goi"]["khoa"] == 3
    assert len(document["ho_so"]) == 2


def test_a_term_that_is_no_term_is_refused_on_the_page(archivist_client, register):
    response = archivist_client.get(reverse(URL), {"committee": register.pk, "term": "0"})
    assert response.status_code == 200 and not getattr(response, "streaming", False)
    assert "Đảm bảo giá trị này lớn hơn hoặc bằng với 1" in response.content.decode()
