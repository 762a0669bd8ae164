"""Reads of the API and the reading room on a PostgreSQL streaming replica, everything else on
the primary; a client that has just written reads from the primary; a replica that is down or
lagging is left out. Each test asserts which server answered each query.

The replica tests need DATABASE_REPLICA_URLS (CI: `.ci/replica` makes one on port 5433 with
pg_basebackup -R); without it they are skipped, unless REQUIRE_REPLICA is set, and the tests
of the router switched off run instead."""

import os
import time

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from resolutions import db_router
from resolutions.db_router import SHARED_CACHE_TABLE, ReplicaRouter, replica_aliases
from resolutions.models import Meeting

from .public_register import build_register

ALIASES = replica_aliases()


def bearer(key):
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def selects(captured):
    return [q["sql"] for q in captured.captured_queries if q["sql"].lstrip().startswith("SELECT")]


# --- The router switched off (no replica configured: SQLite, and PostgreSQL alone) ----------


@pytest.mark.skipif(bool(ALIASES), reason="a replica is configured")
@pytest.mark.django_db
def test_without_replicas_the_api_and_reading_room_read_the_primary(client):
    register = build_register()
    with CaptureQueriesContext(connections["default"]) as primary:
        assert client.get("/").status_code == 200
        response = client.get(
            reverse("api:meeting-list"), **bearer(register.keys[register.own.name])
        )
        assert response.status_code == 200
    assert selects(primary)
    assert list(connections) == ["default"]
    router = ReplicaRouter()
    assert router.db_for_read(Meeting) == router.db_for_write(Meeting) == "default"


# --- A real streaming replica ----------------------------------------------------------------


@pytest.fixture
def replica(settings, django_db_blocker):
    """The first replica, reading the test database the primary created (streamed to it)."""
    if not ALIASES:
        if os.environ.get("REQUIRE_REPLICA"):
            pytest.fail("REQUIRE_REPLICA is set but DATABASE_REPLICA_URLS names no replica")
        pytest.skip("no replica configured (DATABASE_REPLICA_URLS)")
    settings.REPLICA_CHECK_SECONDS = 0  # every request checks the replica's health anew
    settings.REPLICA_MAX_LAG_SECONDS = 5
    alias = ALIASES[0]
    connection = connections[alias]
    mirrored = connection.settings_dict
    connection.close()
    connection.settings_dict = {
        **settings.DATABASES[alias],
        "NAME": connections["default"].settings_dict["NAME"],
        "TEST": {"MIRROR": "default"},  # never flushed: a standby cannot be written
    }
    db_router._health.clear()
    yield alias
    connection.close()
    connection.settings_dict = mirrored
    db_router._health.clear()


def caught_up(alias):
    """Wait until the replica has replayed everything the primary has written."""
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()")
        (written,) = cursor.fetchone()
    for _ in range(200):
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [written])
            if cursor.fetchone()[0]:
                return
        time.sleep(0.05)
    raise AssertionError("the replica did not catch up in 10 s")


def served(client, alias, url, **headers):
    """The response, and the SELECTs each server ran for it."""
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections[alias]) as secondary,
    ):
        response = client.get(url, **headers)
    return response, selects(primary), selects(secondary)


def server_of(alias):
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT inet_server_port(), pg_is_in_recovery()")
        return cursor.fetchone()


@pytest.mark.django_db(transaction=True, databases="__all__")
def test_the_api_and_the_reading_room_read_from_the_replica(client, replica):
    register = build_register()
    caught_up(replica)
    assert server_of(replica)[1] is True  # a standby, in recovery
    assert server_of(replica)[0] != server_of("default")[0]
    key = register.keys[register.own.name]
    response, primary, secondary = served(
        client, replica, reverse("api:directive-list"), **bearer(key)
    )
    assert response.status_code == 200
    assert {row["id"] for row in response.json()["results"]} == {
        register.public["directive"].pk,
        register.hidden["directive"].pk,
    }
    # Only the token's rate count is read on the primary (the shared cache, never stale).
    assert secondary and all(SHARED_CACHE_TABLE in sql for sql in primary)
    meeting = register.public["meeting"]
    response, primary, secondary = served(client, replica, f"/ket-luan/{meeting.pk}/")
    assert response.status_code == 200 and meeting.title in response.content.decode()
    assert secondary and not primary


@pytest.mark.django_db(transaction=True, databases="__all__")
def test_the_admin_reads_and_writes_on_the_primary(admin_client, replica):
    build_register()
    caught_up(replica)
    response, primary, secondary = served(
        admin_client, replica, reverse("admin:resolutions_meeting_changelist")
    )
    assert response.status_code == 200
    assert primary and not secondary


@pytest.mark.django_db(transaction=True, databases="__all__")
def test_a_client_that_has_just_written_reads_its_writes_from_the_primary(
    admin_client, replica, settings
):
    register = build_register()
    caught_up(replica)
    meeting = register.hidden["meeting"]
    # The clerk marks a conclusion public, then opens the reading room at once.
    admin_client.post(reverse("admin:logout"))  # any write (POST) makes the client sticky
    sticky = admin_client.cookies[db_router.STICKY_COOKIE]
    assert int(sticky["max-age"]) == settings.REPLICA_STICKY_SECONDS
    Meeting.objects.filter(pk=meeting.pk).update(is_public=True)
    response, primary, secondary = served(admin_client, replica, f"/ket-luan/{meeting.pk}/")
    assert response.status_code == 200
    assert primary and not secondary
    # Some seconds later (the cookie's time is past) the replica serves it again.
    admin_client.cookies[db_router.STICKY_COOKIE] = f"{time.time() - 1:.0f}"
    caught_up(replica)
    response, primary, secondary = served(admin_client, replica, f"/ket-luan/{meeting.pk}/")
    assert response.status_code == 200
    assert secondary and not primary


@pytest.mark.django_db(transaction=True, databases="__all__")
def test_reads_fall_back_to_the_primary_when_the_replica_is_down(client, replica, settings):
    register = build_register()
    connection = connections[replica]
    connection.close()
    working = connection.settings_dict
    connection.settings_dict = {**working, "PORT": "1"}  # nothing listens there
    try:
        with CaptureQueriesContext(connections["default"]) as primary:
            response = client.get(
                reverse("api:meeting-list"), **bearer(register.keys[register.own.name])
            )
        assert response.status_code == 200
        assert len(response.json()["results"]) == 2
        assert selects(primary)
    finally:
        connection.close()
        connection.settings_dict = working


@pytest.mark.django_db(transaction=True, databases="__all__")
def test_reads_fall_back_to_the_primary_while_the_replica_lags(client, replica, settings):
    register = build_register()
    caught_up(replica)
    settings.REPLICA_MAX_LAG_SECONDS = 1
    key = register.keys[register.own.name]
    with connections[replica].cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_pause()")
    try:
        Meeting.objects.filter(pk=register.hidden["meeting"].pk).update(title="Tiêu đề mới")
        time.sleep(1.5)
        response, primary, secondary = served(
            client, replica, reverse("api:meeting-list"), **bearer(key)
        )
        assert response.status_code == 200
        assert "Tiêu đề mới" in response.content.decode()  # read from the primary
        assert primary
        assert all("resolutions_meeting" not in sql for sql in secondary)  # health check only
    finally:
        with connections[replica].cursor() as cursor:
            cursor.execute("SELECT pg_wal_replay_resume()")
    caught_up(replica)
    response, primary, secondary = served(
        client, replica, reverse("api:meeting-list"), **bearer(key)
    )
    assert "Tiêu đề mới" in response.content.decode()
    assert secondary and all(SHARED_CACHE_TABLE in sql for sql in primary)  # the rate count
