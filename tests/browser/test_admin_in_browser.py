"""The admin as a person uses it, in a real browser."""

import pytest

from resolutions.models import Directive

from ..factories import DirectiveFactory, MeetingFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_clerk_logs_in_and_sees_the_register_in_vietnamese(logged_in_page):
    page = logged_in_page
    assert page.locator("#site-name").inner_text() == "Sổ kết luận Hội nghị Ban Chấp hành"
    for label in ("Hội nghị", "Nhiệm vụ", "Chỉ tiêu", "Cấp ủy", "Lĩnh vực"):
        assert page.get_by_role("link", name=label, exact=True).count() == 1


def test_dragging_a_directive_by_its_handle_reorders_it(logged_in_page, live_server):
    page = logged_in_page
    meeting = MeetingFactory()
    first = DirectiveFactory(meeting=meeting, text="Nhiệm vụ thứ nhất.")
    second = DirectiveFactory(meeting=meeting, text="Nhiệm vụ thứ hai.")
    page.goto(f"{live_server.url}/admin/resolutions/meeting/{meeting.pk}/change/")

    rows = page.locator("#directives-group tr.form-row.has_original")
    rows.nth(1).locator(".position-handle").drag_to(rows.nth(0), target_position={"x": 5, "y": 2})
    assert page.locator("#directives-group textarea").first.input_value() == "Nhiệm vụ thứ hai."
    page.locator("input[name=_save]").first.click()
    page.wait_for_url(f"{live_server.url}/admin/resolutions/meeting/")

    order = list(Directive.objects.filter(meeting=meeting).values_list("pk", flat=True))
    assert order == [second.pk, first.pk]


def test_a_meetings_tables_show_its_rows_and_one_new_row_per_click(logged_in_page, live_server):
    """The tasks and figures are drawn as cards; the row Django keeps to copy for "Thêm …"
    is never one of them, and each click adds exactly one empty card, which is saved."""
    page = logged_in_page
    meeting = MeetingFactory()
    DirectiveFactory(meeting=meeting, text="Nhiệm vụ đã có.")
    page.goto(f"{live_server.url}/admin/resolutions/meeting/{meeting.pk}/change/")
    for group in ("#directives-group", "#indicators-group"):
        assert not page.locator(f"{group} tr.empty-form").is_visible()
    cards = page.locator("#directives-group tr.form-row:visible")
    assert cards.count() == 1
    page.locator("#directives-group .add-row a").click()
    assert cards.count() == 2
    cards.nth(1).locator("textarea").fill("Nhiệm vụ thêm trên trang.")
    cards.nth(1).locator("input[name$=position]").fill("2")
    page.locator("input[name=_save]").first.click()
    page.wait_for_url(f"{live_server.url}/admin/resolutions/meeting/")
    texts = list(Directive.objects.filter(meeting=meeting).values_list("text", flat=True))
    assert texts == ["Nhiệm vụ đã có.", "Nhiệm vụ thêm trên trang."]
