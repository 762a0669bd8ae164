"""Settings for the conclusions register, read from the environment.

One module for every environment. Production defaults are the safe ones: DEBUG is off,
no host is allowed and a SECRET_KEY must be given. For local work set DEBUG=1 (the README's
run command does).

    DATABASE_URL   postgres://user:password@host:5432/name (default: SQLite file db.sqlite3)
    SECRET_KEY     required when DEBUG is off
    DEBUG          1/0, true/false, yes/no (default: off)
    ALLOWED_HOSTS  comma-separated host names (default: none; localhost when DEBUG is on)
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from resolutions.api.settings import REST_FRAMEWORK, SPECTACULAR_SETTINGS  # noqa: F401
from resolutions.db_router import SHARED_CACHE_TABLE, replica_databases

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use 1/0, true/false).")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an integer.") from None


def shared_cache(url: str) -> dict:
    """The cache every process shares: Redis when CACHE_URL names one, else the database."""
    if url.startswith(("redis://", "rediss://", "unix://")):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if url:
        raise ImproperlyConfigured(f"CACHE_URL={url!r}: only redis:// (or none) is understood.")
    return {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": SHARED_CACHE_TABLE,
        # One row per client counted in the last minute: far below this, so none is culled.
        "OPTIONS": {"MAX_ENTRIES": 50000},
    }


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# The dev-only app (bench/: the demo and its logins with a known password, the synthetic
# register and the benchmarks): with DEBUG, or asked for (BENCH=1) to measure with DEBUG off
# as production runs; a production start has none of it. The tests install it
# (config/settings_test.py).
BENCH = env_bool("BENCH", DEBUG)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it to a long random value in production, "
            "or set DEBUG=1 for local development."
        )
    SECRET_KEY = "django-insecure-local-development-only"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
CSRF_FAILURE_VIEW = "resolutions.errors_views.csrf_failure"  # Vietnamese, inside the admin

INSTALLED_APPS = [
    "resolutions.admin_config.RegisterAdminConfig",  # django.contrib.admin, our site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "import_export",
    "reversion",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "resolutions",
]
if BENCH:
    INSTALLED_APPS.append("bench")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "resolutions.db_router.StickyPrimaryMiddleware",
    # Last, as django-axes asks: turns a locked-out login into its refusal page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Overrides of templates that django.contrib.admin itself provides (admin/base_site.html):
        # searched before every app, the admin included.
        "DIRS": [BASE_DIR / "resolutions" / "site_templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Widgets drawn in Python where Django's own template would give the same characters: a
# meeting's page holds hundreds of them (resolutions/form_rendering.py).
FORM_RENDERER = "resolutions.form_rendering.FastRenderer"

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Two saves at once: BEGIN IMMEDIATE takes SQLite's write lock when a transaction starts,
    # so the second waits (up to SQLITE_TIMEOUT seconds) for the first to commit, then reads
    # what it wrote and gets the meeting page's conflict message, instead of failing midway
    # with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        timeout=env_int("SQLITE_TIMEOUT", 20), transaction_mode="IMMEDIATE"
    )
# Read replicas for the API and the reading room (resolutions/db_router.py).
DATABASES.update(
    replica_databases(env_list("DATABASE_REPLICA_URLS", []), primary=DATABASES["default"])
)
DATABASE_ROUTERS = ["resolutions.db_router.ReplicaRouter"]
REPLICA_MAX_LAG_SECONDS = env_int("REPLICA_MAX_LAG_SECONDS", 5)
REPLICA_CHECK_SECONDS = env_int("REPLICA_CHECK_SECONDS", 5)
REPLICA_STICKY_SECONDS = env_int("REPLICA_STICKY_SECONDS", 10)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Caches: "default" is per process (what a process may forget); "shared" is one for every
# process and server, for what must be counted once: the API's rate limits. Redis with
# CACHE_URL=redis://host:6379/0 (needs the `redis` package), else a table of the primary
# database, made by the migrations (0014_shared_cache).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "shared": shared_cache(os.environ.get("CACHE_URL", "")),
}
# How long a shared proxy may serve a reading-room page again without asking (seconds).
READING_ROOM_MAX_AGE = env_int("READING_ROOM_MAX_AGE", 300)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login throttling (django-axes, resolutions/login_throttle.py): after LOGIN_FAILURE_LIMIT
# wrong passwords for one login name from one address, that pair is refused, even with the
# right password, for LOGIN_COOLOFF_MINUTES. A right password before that resets the count.
AUTHENTICATION_BACKENDS = [
    "resolutions.login_throttle.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "resolutions.login_throttle.locked_out"
# The client's address: REMOTE_ADDR unless a proxy that sets the header is in front (then,
# e.g., LOGIN_IP_HEADERS=HTTP_X_FORWARDED_FOR and LOGIN_PROXY_COUNT=1).
AXES_IPWARE_META_PRECEDENCE_ORDER = env_list("LOGIN_IP_HEADERS", ["REMOTE_ADDR"])
AXES_IPWARE_PROXY_COUNT = env_int("LOGIN_PROXY_COUNT", 0) or None
# The access log keeps failures only; successful logins are in the sessions already.
AXES_DISABLE_ACCESS_LOG = True
# Its admin pages have no Vietnamese; lockouts are lifted with `manage.py axes_reset_username`.
AXES_ENABLE_ADMIN = False

# Vietnamese interface; dates as dd/mm/yyyy and decimal commas come from config/formats/vi.
LANGUAGE_CODE = "vi"
# Only Vietnamese: the interface must not follow an English browser's Accept-Language.
LANGUAGES = [("vi", "Tiếng Việt")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["config.formats"]
LOCALE_PATHS = [BASE_DIR / "resolutions" / "locale"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed, compressed files in production; plain files where collectstatic has not run.
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# Uploads (conclusion texts, spreadsheets) are held in memory up to this size and refused above
# the admin's own limits; 10 MiB covers a year's archive workbook.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 10 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = env_int("FILE_UPLOAD_MAX_MEMORY_SIZE", 10 * 1024 * 1024)
# The one size limit per kind of upload, in bytes (resolutions.upload_safety, which refuses every
# upload over its kind's limit, or a zip that expands past the *_EXPANDED one).
UPLOAD_LIMITS = {
    "document": env_int("UPLOAD_MAX_DOCUMENT_BYTES", 5 * 1024 * 1024),
    "document_expanded": env_int("UPLOAD_MAX_DOCUMENT_EXPANDED_BYTES", 50 * 1024 * 1024),
    "spreadsheet": env_int("UPLOAD_MAX_SPREADSHEET_BYTES", 200 * 1024 * 1024),
    "spreadsheet_expanded": env_int("UPLOAD_MAX_SPREADSHEET_EXPANDED_BYTES", 2048 * 1024 * 1024),
    # The admin's zip of conclusion files; each file in it is held to "document".
    "shelf": env_int("UPLOAD_MAX_SHELF_BYTES", 200 * 1024 * 1024),
    "shelf_expanded": env_int("UPLOAD_MAX_SHELF_EXPANDED_BYTES", 2048 * 1024 * 1024),
    # A handover package read by verify_handover / restore_handover.
    "handover": env_int("UPLOAD_MAX_HANDOVER_BYTES", 4096 * 1024 * 1024),
    "handover_expanded": env_int("UPLOAD_MAX_HANDOVER_EXPANDED_BYTES", 8192 * 1024 * 1024),
}
# Data rows one spreadsheet upload may hold; a larger file is refused while it is being read.
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 100_000)

# Security: strict unless DEBUG is on. Behind a TLS-terminating proxy set
# SECURE_PROXY_SSL_HEADER_NAME=HTTP_X_FORWARDED_PROTO.
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
if os.environ.get("SECURE_PROXY_SSL_HEADER_NAME"):
    SECURE_PROXY_SSL_HEADER = (os.environ["SECURE_PROXY_SSL_HEADER_NAME"], "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # pikepdf announces itself at INFO ("logger bridge initialized"), in English, on the
    # clerk's terminal: only its warnings are worth showing.
    "loggers": {"pikepdf": {"level": "WARNING"}},
}
