"""Settings for the test suite (pytest-django reads them; see pyproject.toml).

The production settings with DEBUG off, as production runs, and only what tests need on top:
a secret of their own, local hosts for the browser tests' live server, no HTTPS redirect,
plain static files (collectstatic has not run), the bench app, and a fast password hasher
(the default one is slow on purpose, and the suite logs users in hundreds of times).
"""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-not-a-secret")

from .settings import *  # noqa: F403
from .settings import INSTALLED_APPS, STORAGES

ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]", "testserver"]
SECURE_SSL_REDIRECT = False
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if "bench" not in INSTALLED_APPS:
    INSTALLED_APPS = [*INSTALLED_APPS, "bench"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
