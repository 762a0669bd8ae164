"""The archive keeps which conclusions the office published: restored into an empty register,
the reading room shows the same ones."""

import pytest
from django.core.management import call_command

from resolutions.models import Meeting
from resolutions.services.conclusions import import_path
from resolutions.services.fixtures import import_seeds
from resolutions.spreadsheets.archive import export_archive, restore_archive

from .helpers import DOCUMENTS, WRITTEN
from .test_archive import empty_the_register

pytestmark = pytest.mark.django_db


def test_a_restored_archive_publishes_the_same_conclusions(client, tmp_path):
    call_command("loaddata", "topics", "committees", verbosity=0)
    (seed,) = import_seeds()
    for name in WRITTEN:
        import_path(DOCUMENTS / f"{name}.txt")
    Meeting.objects.filter(pk=seed.meeting.pk).update(is_public=True)
    published = {m.natural_key() for m in Meeting.objects.public()}
    path = tmp_path / "luu-tru.xlsx"
    export_archive(path)

    empty_the_register()
    restore_archive(path)
    assert {m.natural_key() for m in Meeting.objects.public()} == published
    assert Meeting.objects.exclude(is_public=True).count() == len(WRITTEN)
    assert seed.meeting.title in client.get("/").content.decode()
