"""Reads of the API and the public reading room on PostgreSQL replicas; everything else on
the primary.

- ``DATABASE_REPLICA_URLS`` (comma-separated) adds one database alias per replica
  (``replica_0``, ``replica_1``…); with none, the router sends everything to ``default``.
- Only requests the ``replica_reads`` decorator marks (the API's and the reading room's views)
  read from a replica, in turn; the admin, commands and every write use the primary.
- A client that has just written (any unsafe method: a clerk's save) reads from the primary for
  ``REPLICA_STICKY_SECONDS`` afterwards, so it sees its own writes: a cookie says until when.
- A replica that cannot be reached, or whose replay lags the primary by more than
  ``REPLICA_MAX_LAG_SECONDS``, is left out (checked at most every ``REPLICA_CHECK_SECONDS``
  per process) and reads fall back to the primary when none is usable.
"""

from __future__ import annotations

import contextvars
import functools
import itertools
import logging
import time

import dj_database_url
from dj_database_url import DBConfig
from django.conf import settings
from django.db import DatabaseError, connections

logger = logging.getLogger(__name__)

PRIMARY = "default"
# The table of the cache every process shares (settings.CACHES["shared"]): rate counts are
# read and written on the primary, never from a replica that may lag.
SHARED_CACHE_TABLE = "resolutions_shared_cache"
STICKY_COOKIE = "primary_until"

# The replica this request reads from (None: the primary), chosen once per request.
_reading_from: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "reading_from", default=None
)
_health: dict[str, tuple[float, bool]] = {}
_turn = itertools.count()


def replica_databases(urls: list[str], primary: DBConfig) -> dict[str, DBConfig]:
    """DATABASES entries for the replicas: the primary's options, the replica's address.
    Tests mirror the primary (the replica streams the test database the primary creates;
    nothing may be created or flushed on a read-only server)."""
    replicas: dict[str, DBConfig] = {}
    for n, url in enumerate(urls):
        entry = dj_database_url.parse(
            url,
            conn_max_age=primary.get("CONN_MAX_AGE", 0),
            conn_health_checks=primary.get("CONN_HEALTH_CHECKS", False),
        )
        entry["OPTIONS"] = {**entry.get("OPTIONS", {}), "connect_timeout": 2}
        entry["TEST"] = {"MIRROR": PRIMARY}
        replicas[f"replica_{n}"] = entry
    return replicas


def replica_aliases() -> list[str]:
    return [alias for alias in settings.DATABASES if alias.startswith("replica_")]


def lag_seconds(alias: str) -> float:
    """How far *alias* is behind the primary: 0 when it has replayed all it received, else
    the age of the last transaction it replayed; infinite when it does not stream."""
    with connections[alias].cursor() as cursor:
        cursor.execute(
            "SELECT pg_is_in_recovery(), "
            "  EXISTS (SELECT 1 FROM pg_stat_wal_receiver WHERE status = 'streaming'), "
            "  CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0 "
            "  ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) "
            "  END"
        )
        in_recovery, streaming, lag = cursor.fetchone()
    if not in_recovery:
        return 0.0  # promoted: it is a primary now, with its own writes
    return float(lag) if streaming else float("inf")


def is_usable(alias: str) -> bool:
    checked_at, usable = _health.get(alias, (float("-inf"), False))
    now = time.monotonic()
    if now - checked_at < settings.REPLICA_CHECK_SECONDS:
        return usable
    try:
        usable = lag_seconds(alias) <= settings.REPLICA_MAX_LAG_SECONDS
    except DatabaseError as error:
        logger.warning("Replica %s unreachable, reading from the primary: %s", alias, error)
        connections[alias].close()
        usable = False
    _health[alias] = (now, usable)
    return usable


def choose_replica() -> str | None:
    """A usable replica, in turn, or None (read from the primary)."""
    aliases = replica_aliases()
    if not aliases:
        return None
    start = next(_turn)
    for n in range(len(aliases)):
        alias = aliases[(start + n) % len(aliases)]
        if is_usable(alias):
            return alias
    return None


def replica_reads(view):
    """Let *view* read from a replica, unless this client has just written."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        sticky = _sticky_until(request) > time.time()
        token = _reading_from.set(None if sticky else choose_replica())
        try:
            return view(request, *args, **kwargs)
        finally:
            _reading_from.reset(token)

    return wrapped


def _sticky_until(request) -> float:
    try:
        return float(request.COOKIES.get(STICKY_COOKIE, 0))
    except ValueError:
        return 0.0


def serving_alias() -> str:
    """The database this request reads from."""
    return _reading_from.get() or PRIMARY


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if model._meta.app_label == "django_cache":  # the shared cache: counted on the primary
            return PRIMARY
        return serving_alias()

    def db_for_write(self, model, **hints):
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replicas hold the primary's rows

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY


class StickyPrimaryMiddleware:
    """After a write, the client's next reads, for a few seconds, go to the primary."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method not in ("GET", "HEAD", "OPTIONS", "TRACE") and replica_aliases():
            until = time.time() + settings.REPLICA_STICKY_SECONDS
            response.set_cookie(
                STICKY_COOKIE,
                f"{until:.0f}",
                max_age=settings.REPLICA_STICKY_SECONDS,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response
