"""Browser tests: Playwright drives Debian's chromium (``apt-get install chromium``).

Playwright cannot download its own browsers on our machines, so the system build is launched
by path. CI sets REQUIRE_BROWSER=1 so that a missing browser fails the run instead of skipping.
"""

import os
import shutil

import pytest

# Playwright's sync API runs an event loop in the test thread, and the session's database set-up
# may happen inside it; the ORM calls made there are still synchronous and safe. This has to be
# set before any fixture runs, hence at import.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def pytest_collection_modifyitems(config, items):
    if CHROMIUM:
        return
    if os.environ.get("REQUIRE_BROWSER") == "1":
        raise pytest.UsageError("Browser tests need Debian's chromium: apt-get install chromium")
    marker = pytest.mark.skip(reason="chromium is not installed (apt-get install chromium)")
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(marker)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture
def logged_in_page(page, live_server, django_user_model):
    """A browser page logged in to the admin as a superuser, through the login form."""
    django_user_model.objects.create_superuser("thuky", password="mat-khau-thu-nghiem")
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "thuky")
    page.fill("#id_password", "mat-khau-thu-nghiem")
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    return page
