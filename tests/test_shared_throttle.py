"""A token's rate limit is counted once for every process that serves it (issue 17): the counts
live in the shared cache (a table of the primary database, or Redis), not in each gunicorn
worker's memory, where three workers would let a token make three times its rate."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends import locmem
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test import Client
from django.urls import reverse

from config.settings import shared_cache
from resolutions.api.tokens import ApiToken
from resolutions.db_router import SHARED_CACHE_TABLE

from .factories import CommitteeFactory

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def fresh_counts():
    yield
    caches["shared"].clear()  # committed rows: a transactional test leaves them otherwise


def token_key(rate):
    token = ApiToken(name="Cổng theo dõi", committee=CommitteeFactory(), rate_per_minute=rate)
    key = token.issue_key()
    token.save()
    return key


def codes(key, count):
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    return [client.get(reverse("api:topic-list")).status_code for _ in range(count)]


def forget_this_process():
    """What a new worker starts with: no cache connection and no memory of its own."""
    for alias in settings.CACHES:
        del caches[alias]
    locmem._caches.clear()
    locmem._expire_info.clear()


@pytest.mark.django_db
def test_a_second_process_sees_the_count_of_the_first():
    key = token_key(rate=3)
    assert codes(key, 2) == [200, 200]
    forget_this_process()  # the next requests are served by "another worker"
    assert codes(key, 2) == [200, 429]


@pytest.mark.django_db
def test_the_counts_are_rows_of_the_shared_table_on_the_primary():
    key = token_key(rate=5)
    codes(key, 1)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT cache_key FROM {connection.ops.quote_name(SHARED_CACHE_TABLE)}")
        keys = [row[0] for row in cursor.fetchall()]
    token = ApiToken.objects.get()
    assert any(k.endswith(f"api-throttle-token-{token.pk}") for k in keys)


@pytest.mark.django_db(transaction=True)
def test_two_real_processes_share_one_limit(fresh_counts):
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("the SQLite test database is in this process's memory only")
    key = token_key(rate=3)
    assert codes(key, 2) == [200, 200]
    other = subprocess.run(
        [
            sys.executable,
            "-c",
            "import json, django; django.setup();"
            "from django.test import Client;"
            "client = Client(HTTP_AUTHORIZATION='Bearer ' + __import__('os').environ['KEY']);"
            "print(json.dumps([client.get('/api/v1/topics/').status_code for _ in range(2)]))",
        ],
        cwd=ROOT,
        env={
            **os.environ,
            "KEY": key,
            "DJANGO_SETTINGS_MODULE": "config.settings_test",
            "DATABASE_URL": _url_of_this_test_database(),
            "DATABASE_REPLICA_URLS": "",
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert json.loads(other.stdout.strip().splitlines()[-1]) == [200, 429]
    assert codes(key, 1) == [429]


def _url_of_this_test_database() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def test_the_shared_cache_is_the_database_unless_redis_is_named():
    assert settings.CACHES["shared"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert shared_cache("")["LOCATION"] == SHARED_CACHE_TABLE
    redis = shared_cache("redis://127.0.0.1:6379/0")
    assert redis == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/0",
    }
    with pytest.raises(ImproperlyConfigured):
        shared_cache("memcached://127.0.0.1")
