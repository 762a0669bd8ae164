"""The demo, the benchmarks and the synthetic register are a dev-only app (bench/), apart
from the product: a production start has none of their commands, and they run with DEBUG off (as
production does) on a fresh checkout, when asked for with BENCH=1."""

import json
import secrets

from .test_settings import ROOT, manage

PRODUCTION = {"DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(50)}


def test_a_production_start_has_no_benchmark_generator_or_demo_command():
    result = manage("help", "--commands", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    commands = result.stdout.split()
    assert "import_conclusions" in commands  # the product's own are there
    assert not [c for c in commands if c.startswith("benchmark_") or c == "generate_archive"]
    # Nothing in the product makes a login with a known password (the demo's).
    assert "demo" not in commands


def test_the_product_never_imports_the_bench():
    for path in (ROOT / "resolutions").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "from bench" not in text and "import bench" not in text, path


def test_benchmark_search_runs_with_debug_off_before_collectstatic(tmp_path):
    env = {**PRODUCTION, "BENCH": "1", "DATABASE_URL": f"sqlite:///{tmp_path / 'bench.sqlite3'}"}
    for command in (
        ("migrate", "--no-input", "-v", "0"),
        ("loaddata", "topics", "-v", "0"),
        ("generate_archive", "--directives", "200"),
    ):
        result = manage(*command, **env)
        assert result.returncode == 0, result.stderr
    result = manage("benchmark_search", "--repeat", "1", "--json", **env)
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    assert figures["directives"] == 200 and figures["changelist_queries"] > 0
    # The login it made for the page is gone, and had no password anyone could type.
    users = manage(
        "shell",
        "-c",
        "from django.contrib.auth.models import User; print(User.objects.count())",
        **env,
    )
    assert users.stdout.split()[-1] == "0", users.stderr
