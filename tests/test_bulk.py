"""Rows written in bulk (imports, audit versions) read back as Django itself writes them."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from reversion.models import Revision, Version

from resolutions.bulk import insert_rows, insert_values
from resolutions.models import Directive, Indicator

from .factories import MeetingFactory, TopicFactory

pytestmark = pytest.mark.django_db


def _fields(instance, *names):
    return {name: getattr(instance, name) for name in names}


def test_new_rows_get_ids_and_read_back_as_written():
    meeting = MeetingFactory()
    topic = TopicFactory()
    written = [
        Directive(
            meeting=meeting,
            topic=topic,
            section_order=1,
            position=position,
            text=f"Tiếp tục đẩy mạnh công tác vận động nhân dân số {position}",
            due_on=date(2008, 6, 30) if position == 1 else None,
        )
        for position in (1, 2)
    ]
    for directive in written:
        directive.normalize_text()
    insert_rows(Directive, written)

    assert all(directive.pk for directive in written)
    names = ("meeting_id", "topic_id", "position", "text", "due_on", "search_text", "created_at")
    for directive in written:
        stored = Directive.objects.get(pk=directive.pk)
        assert _fields(stored, *names) == _fields(directive, *names)


def test_decimals_go_through_djangos_own_conversion():
    indicator = Indicator(
        meeting=MeetingFactory(), position=1, name="Thu ngân sách", value=Decimal("1234.5")
    )
    indicator.normalize_text()
    insert_rows(Indicator, [indicator])
    assert Indicator.objects.get(pk=indicator.pk).value == Decimal("1234.5")


def test_ready_values_are_inserted_with_ids_from_the_database():
    revision = Revision.objects.create(date_created=timezone.now(), comment="Nhập từ tệp “a.xlsx”")
    content_type = ContentType.objects.get_for_model(Directive)
    insert_values(
        Version,
        [
            "revision_id",
            "content_type_id",
            "object_id",
            "db",
            "format",
            "serialized_data",
            "object_repr",
        ],
        [
            (revision.pk, content_type.pk, str(n), "default", "json", "[]", f"Nhiệm vụ {n}")
            for n in (1, 2)
        ],
    )
    assert list(revision.version_set.order_by("pk").values_list("object_repr", flat=True)) == [
        "Nhiệm vụ 1",
        "Nhiệm vụ 2",
    ]
