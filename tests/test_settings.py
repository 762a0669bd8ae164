"""Settings come from the environment, with production defaults that are safe."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from resolutions.models import Committee, Directive, Meeting, Topic

ROOT = Path(__file__).resolve().parent.parent


def production_like(**env) -> dict[str, str]:
    """This environment without the test session's own switches, plus ``env``."""
    ignored = {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE"}
    return {**{k: v for k, v in os.environ.items() if k not in ignored}, **env}


def manage(*args, **env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=production_like(**env),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_checks_are_clean_with_debug_off_and_a_real_secret():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="register.example.org",
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_it_refuses_to_start_in_production_without_a_secret():
    result = manage("check", DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_a_debug_flag_that_is_not_a_boolean_is_refused():
    result = manage("check", DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG='maybe' is not a boolean" in result.stderr


def test_the_interface_is_vietnamese_in_hanoi_time():
    assert settings.LANGUAGE_CODE == "vi"
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"


@pytest.mark.django_db
def test_the_demo_is_refused_when_debug_is_off():
    with pytest.raises(CommandError, match="DEBUG=1"):
        call_command("demo", "--no-serve")
    assert not get_user_model().objects.filter(username="demo").exists()


@pytest.mark.django_db
def test_the_demo_loads_reference_data_and_a_login_and_can_run_twice(settings, capsys):
    settings.DEBUG = True
    call_command("demo", "--no-serve")
    call_command("demo", "--no-serve")
    out = capsys.readouterr().out
    assert "“demo” with password “demo”" in out
    user = get_user_model().objects.get(username="demo")
    assert user.is_staff and user.check_password("demo")
    assert Topic.objects.filter(parent__isnull=True).count() == 5
    district2 = Committee.objects.get(short_name="Quận ủy Quận 2")
    assert district2.successor.name == "Ban Chấp hành Đảng bộ thành phố Thủ Đức"
    # Every document in seeds/ is imported, once however often the demo runs.
    assert Meeting.objects.get().committee == district2
    assert Directive.objects.count() == 24


def test_a_server_process_loads_the_application_and_settles_it():
    """What gunicorn imports (config.wsgi) starts with production settings, and leaves what it
    loaded out of the collector's full passes (config/process.py)."""
    env = production_like(DEBUG="0", SECRET_KEY=secrets.token_urlsafe(50))
    script = (
        "import gc, config.wsgi; print(callable(config.wsgi.application), gc.get_freeze_count())"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    loaded, frozen = result.stdout.split()
    assert loaded == "True" and int(frozen) > 10_000
