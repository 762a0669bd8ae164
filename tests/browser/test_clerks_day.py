"""A clerk's day in a real browser: enter a conclusion from its text, find a directive by
typing without accents, mark one done and see the follow-up report change; and a viewer who
cannot add anything.

With README_SCREENSHOTS=<folder> set, the pages shown in the README are saved there
(`README_SCREENSHOTS=tests/browser/screenshots .venv/bin/python -m pytest tests/browser`).
"""

import os
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from playwright.sync_api import expect

from resolutions.models import Directive, Meeting
from resolutions.services.conclusions import import_path

from ..factories import UserFactory
from ..helpers import SEED

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "mat-khau-thu-nghiem"


def keep_for_readme(page, name):
    folder = os.environ.get("README_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.set_viewport_size({"width": 1440, "height": 900})
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=False)


@pytest.fixture
def office(db):
    call_command("loaddata", "topics", "committees", verbosity=0)
    call_command("setup_roles", verbosity=0)


def log_in(page, live_server, role):
    username = {"Chuyên viên văn phòng": "chuyenvien", "Người xem": "nguoixem"}[role]
    user = UserFactory(username=username, first_name="Lan", password=PASSWORD)
    user.groups.set([Group.objects.get(name=role)])
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    return page


def test_a_clerk_enters_a_conclusion_from_its_text(page, live_server, office):
    log_in(page, live_server, "Chuyên viên văn phòng")
    page.goto(f"{live_server.url}/admin/resolutions/meeting/add/")
    page.fill("#id_source_text", SEED.read_text(encoding="utf-8"))
    page.get_by_role("button", name="Điền từ văn bản").click()

    expect(page.locator(".messagelist .info", has_text="Đã điền từ văn bản")).to_contain_text(
        "24 nhiệm vụ"
    )
    expect(page.locator(".messagelist .warning").first).to_contain_text("Cảnh báo: dòng")
    expect(page.locator("#id_number")).to_have_value("9")
    expect(page.locator("#id_started_on")).to_have_value("16/10/2007")
    expect(page.locator("#select2-id_committee-container")).to_contain_text("Quận 2")
    directives = page.locator("#directives-group tr.form-row:not(.empty-form)")
    expect(directives).to_have_count(24)
    assert Meeting.objects.count() == 0  # nothing saved yet
    keep_for_readme(page, "meeting-filled-from-text")

    page.locator("input[name=_save]").first.click()
    page.wait_for_url(f"{live_server.url}/admin/resolutions/meeting/")
    expect(page.locator(".messagelist .success")).to_contain_text("thành công")
    row = page.locator("#result_list tbody tr").filter(has_text="Hội nghị lần thứ 9")
    expect(row.locator("td.field-directive_total")).to_have_text("24")
    meeting = Meeting.objects.get()
    assert meeting.directives.count() == 24 and meeting.indicators.exists()


def test_van_dong_finds_mass_mobilization_and_opens_it(page, live_server, office):
    import_path(SEED)
    log_in(page, live_server, "Chuyên viên văn phòng")
    page.goto(f"{live_server.url}/admin/resolutions/directive/")
    page.fill("#searchbar", "van dong")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"q=van\+dong"))
    first = page.locator("#result_list tbody tr").first
    expect(first).to_contain_text(re.compile("vận động", re.I))
    expect(first.locator("mark")).not_to_have_count(0)  # the words found are highlighted
    keep_for_readme(page, "directive-search")

    first.locator("th a, td a").first.click()
    expect(page.locator("#id_text")).to_have_value(re.compile("vận động", re.I))


def test_marking_a_directive_done_changes_the_follow_up_report(page, live_server, office):
    meeting = import_path(SEED).meeting
    log_in(page, live_server, "Chuyên viên văn phòng")
    report = (
        f"{live_server.url}/admin/resolutions/directive/follow-up/"
        f"?committee={meeting.committee_id}&start=01/01/2007&end=31/12/2007"
    )
    page.goto(report)
    on_time = page.locator("#by-status tbody tr").filter(has_text="Hoàn thành đúng hạn")
    expect(on_time.locator("td.number")).to_have_text("0")

    directive = Directive.objects.get(meeting=meeting, section_order=1, position=1)
    page.goto(f"{live_server.url}/admin/resolutions/directive/{directive.pk}/change/")
    page.fill("#id_completed_on", "20/12/2007")
    page.locator("#progress_notes-group textarea").first.fill("Đã bàn giao mặt bằng.")
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist .success")).to_be_visible()

    page.goto(report)
    expect(on_time.locator("td.number")).to_have_text("1")
    keep_for_readme(page, "follow-up-report")
    directive.refresh_from_db()
    assert directive.status == Directive.Status.DONE_ON_TIME


def test_a_viewer_cannot_see_the_add_button(page, live_server, office):
    import_path(SEED)
    log_in(page, live_server, "Người xem")
    page.goto(f"{live_server.url}/admin/resolutions/meeting/")
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
    expect(page.locator("a.addlink")).to_have_count(0)
    response = page.goto(f"{live_server.url}/admin/resolutions/meeting/add/")
    assert response.status == 403
    expect(page.locator("h1")).to_have_text("Không có quyền")
