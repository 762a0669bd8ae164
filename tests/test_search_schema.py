"""What the search reads on PostgreSQL (triggers written in migrations) and on SQLite (the
folded words each model fills from its searched_fields) name the same columns."""

import re

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import connection

from resolutions.checks import check_search_triggers, trigger_columns
from resolutions.models import Directive, Finding, Indicator


def test_the_searched_fields_are_the_trigger_columns():
    assert check_search_triggers() == []
    assert trigger_columns()["resolutions_directive"] == list(Directive.searched_fields)


def test_a_searched_field_the_trigger_does_not_watch_fails_the_checks(monkeypatch):
    monkeypatch.setattr(Finding, "searched_fields", ("text", "kind"))
    (error,) = check_search_triggers()
    assert error.id == "resolutions.E001"
    assert "resolutions_finding watches ['text']" in error.msg


def test_manage_py_check_runs_it(monkeypatch):
    monkeypatch.setattr(Indicator, "searched_fields", ("name",))
    with pytest.raises(SystemCheckError, match=r"resolutions\.E001"):
        call_command("check")


@pytest.mark.django_db
def test_the_database_triggers_watch_the_searched_fields():
    if connection.vendor != "postgresql":
        pytest.skip("the search triggers are PostgreSQL's")
    for model in (Directive, Indicator, Finding):
        table = model._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE tgname = %s",
                [f"{table}_search_vector"],
            )
            (definition,) = cursor.fetchone()
        watched = re.search(r"UPDATE OF (.+?) ON", definition).group(1).split(", ")
        assert watched == list(model.searched_fields), table
