"""The form renderer that writes the simple widgets in Python (resolutions/form_rendering.py)
gives the clerk the very page Django's templates give: compared character for character on
the busiest pages, with and without errors shown."""

import re

import pytest
from django.core.management import call_command
from django.forms.renderers import get_default_renderer
from django.test import override_settings
from django.urls import reverse

from resolutions.form_rendering import FastRenderer
from resolutions.services.fixtures import import_seeds

pytestmark = pytest.mark.django_db
DJANGO = "django.forms.renderers.DjangoTemplates"
FAST = "resolutions.form_rendering.FastRenderer"


@pytest.fixture
def seed(db):
    call_command("loaddata", "topics", "committees", verbosity=0)
    return import_seeds()[0].meeting


def page(client, url, renderer, data=None) -> str:
    with override_settings(FORM_RENDERER=renderer):
        response = client.post(url, data) if data is not None else client.get(url)
        assert isinstance(get_default_renderer(), FastRenderer) == (renderer == FAST)
    assert response.status_code == 200
    # Each answer carries a fresh CSRF token.
    return re.sub(r'(name="csrfmiddlewaretoken" value=")[^"]+', r"\1…", response.content.decode())


def same_page(client, url, data=None) -> str:
    fast = page(client, url, FAST, data)
    assert fast == page(client, url, DJANGO, data)
    return fast


def test_the_meeting_page_is_the_same_drawn_either_way(clerk_client, seed):
    shown = same_page(clerk_client, reverse("admin:resolutions_meeting_change", args=[seed.pk]))
    # It is the whole page: every task's text in its box, the selected topics, the dates.
    directive = seed.directives.get(section_order=1, position=1)
    assert directive.text[:40] in shown
    assert shown.count("<textarea") >= seed.directives.count()
    assert "<select" in shown and 'type="checkbox"' in shown and 'type="hidden"' in shown
    assert '<p class="date">' in shown  # the admin's date input: the meeting's and tasks' dates


def test_a_meeting_page_with_errors_is_the_same_drawn_either_way(clerk_client, seed):
    url = reverse("admin:resolutions_meeting_change", args=[seed.pk])
    data = {"title": "", "started_on": "31/02/2007", "committee": seed.committee_id}
    for prefix in ("reports", "indicators", "directives", "findings"):
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    shown = same_page(clerk_client, url, data)
    assert 'class="errorlist' in shown  # the errors are drawn, by the templates


def test_the_new_meeting_and_task_pages_are_the_same_drawn_either_way(clerk_client, seed):
    same_page(clerk_client, reverse("admin:resolutions_meeting_add"))
    directive = seed.directives.get(section_order=1, position=2)
    same_page(clerk_client, reverse("admin:resolutions_directive_change", args=[directive.pk]))
