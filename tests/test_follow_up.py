"""Following directives until they are done: deadlines, computed status, units, progress
notes, carrying a task forward into the next conclusion, and the follow-up report."""

import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from resolutions.models import Directive, Meeting, ProgressNote, Unit
from resolutions.services.conclusions import import_path
from resolutions.services.follow_up import build_report

from .factories import DirectiveFactory, MeetingFactory
from .helpers import SEED

pytestmark = pytest.mark.django_db
Status = Directive.Status
DUE = date(2007, 12, 31)


# --- The status rule, at the edges of the deadline ----------------------------------------

EDGES = [
    # (today, due_on, completed_on, carried over, status)
    (date(2007, 12, 31), DUE, None, False, Status.ON_SCHEDULE),  # the last day is in time
    (date(2008, 1, 1), DUE, None, False, Status.OVERDUE),  # the day after is not
    (date(2008, 1, 1), DUE, DUE, False, Status.DONE_ON_TIME),  # done on the last day
    (date(2008, 1, 1), DUE, date(2008, 1, 1), False, Status.DONE_LATE),  # a day late
    (date(2007, 11, 1), DUE, date(2007, 10, 20), False, Status.DONE_ON_TIME),  # early
    (date(2030, 1, 1), None, None, False, Status.ON_SCHEDULE),  # no deadline, never overdue
    (date(2030, 1, 1), None, date(2008, 5, 1), False, Status.DONE_ON_TIME),
    (date(2008, 1, 1), DUE, None, True, Status.CARRIED_OVER),  # handed to the next meeting
    (date(2008, 1, 1), DUE, date(2008, 2, 1), True, Status.DONE_LATE),  # done all the same
]


@pytest.mark.parametrize(("today", "due_on", "completed_on", "carried", "expected"), EDGES)
def test_the_status_follows_the_dates(today, due_on, completed_on, carried, expected):
    computed = Directive.status_on(
        today, due_on=due_on, completed_on=completed_on, carried_over=carried
    )
    assert computed == expected


@pytest.mark.parametrize(("today", "due_on", "completed_on", "carried", "expected"), EDGES)
def test_the_database_computes_the_same_status(today, due_on, completed_on, carried, expected):
    meeting = MeetingFactory(started_on=date(2007, 10, 16))
    directive = DirectiveFactory(meeting=meeting, due_on=due_on, completed_on=completed_on)
    if carried:
        DirectiveFactory(
            meeting=MeetingFactory(committee=meeting.committee), carried_from=directive
        )
    annotated = Directive.objects.with_status(today).get(pk=directive.pk)
    assert annotated.status == expected
    assert list(Directive.objects.in_status(expected, today=today)).count(directive) == 1
    others = [s for s in Status if s != expected]
    assert not Directive.objects.in_status(*others, today=today).filter(pk=directive.pk).exists()


def test_a_directive_without_a_deadline_is_due_when_its_period_ends(meeting9):
    stated = DirectiveFactory(meeting=meeting9, due_period="6 tháng đầu năm 2008 (quý II/2008)")
    assert stated.due_on == date(2008, 6, 30)
    from_the_plan = DirectiveFactory(meeting=meeting9, due_period="")
    assert from_the_plan.due_on == date(2007, 12, 31)  # the meeting plans for quý IV/2007
    typed = DirectiveFactory(meeting=meeting9, due_on=date(2007, 11, 30))
    assert typed.due_on == date(2007, 11, 30)


def test_a_completion_before_the_meeting_is_refused(meeting9):
    directive = DirectiveFactory(meeting=meeting9)
    directive.completed_on = date(2007, 10, 1)
    with pytest.raises(ValidationError) as error:
        directive.full_clean()
    assert error.value.message_dict["completed_on"] == [
        "Ngày hoàn thành không thể trước ngày họp (16/10/2007)."
    ]


# --- Units --------------------------------------------------------------------------------


def test_an_imported_directive_is_led_by_the_unit_it_names(db):
    call_command("loaddata", "topics", "committees", verbosity=0)
    meeting = import_path(SEED).meeting
    named = meeting.directives.get(text__startswith="Ủy ban nhân dân quận có biện pháp")
    assert named.lead_unit == Unit.objects.get(name="Ủy ban nhân dân quận")
    assert meeting.directives.filter(lead_unit__isnull=False).count() == 1


# --- Progress notes, and marking a directive done from its page ---------------------------


def directive_form(directive, **changes):
    data = {
        "meeting": directive.meeting_id,
        "section_order": directive.section_order,
        "section_number": directive.section_number,
        "section_heading": directive.section_heading,
        "position": directive.position,
        "text": directive.text,
        "topic": directive.topic_id or "",
        "due_period": directive.due_period,
        "due_on": directive.due_on.strftime("%d/%m/%Y") if directive.due_on else "",
        "completed_on": "",
        "progress_notes-TOTAL_FORMS": "0",
        "progress_notes-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return data


def test_a_clerk_marks_a_directive_done_with_a_progress_note(meeting9, clerk, clerk_client):
    directive = DirectiveFactory(meeting=meeting9)
    url = reverse("admin:resolutions_directive_change", args=[directive.pk])
    response = clerk_client.post(
        url,
        directive_form(
            directive,
            completed_on="20/12/2007",
            **{
                "progress_notes-TOTAL_FORMS": "1",
                "progress_notes-0-noted_on": "20/12/2007",
                "progress_notes-0-text": "Đã bàn giao mặt bằng khu trung tâm.",
            },
        ),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    directive.refresh_from_db()
    assert directive.completed_on == date(2007, 12, 20)
    assert directive.status == Status.DONE_ON_TIME
    note = ProgressNote.objects.get(directive=directive)
    assert note.author == clerk and note.noted_on == date(2007, 12, 20)
    page = clerk_client.get(url).content.decode()
    assert "Hoàn thành đúng hạn" in page and "Đã bàn giao mặt bằng khu trung tâm." in page


def test_the_search_page_filters_and_shows_the_status(meeting9, clerk_client):
    DirectiveFactory(meeting=meeting9, text="Nhiệm vụ đã xong.", completed_on=date(2007, 11, 2))
    DirectiveFactory(meeting=meeting9, text="Nhiệm vụ còn dở.")
    url = reverse("admin:resolutions_directive_changelist")
    page = clerk_client.get(url, {"tinh_trang": "overdue"}).content.decode()
    assert "Nhiệm vụ còn dở." in page and "Nhiệm vụ đã xong." not in page
    assert "Quá hạn chưa hoàn thành" in page
    page = clerk_client.get(url, {"tinh_trang": "done_on_time"}).content.decode()
    assert "Nhiệm vụ đã xong." in page and "Nhiệm vụ còn dở." not in page


# --- Carrying a directive forward ---------------------------------------------------------


@pytest.fixture
def next_meeting(meeting9):
    return Meeting.objects.create(
        committee=meeting9.committee,
        term=3,
        number=10,
        started_on=date(2008, 1, 15),
        plan_period="quý I/2008",
        title="Kết luận Hội nghị lần thứ 10",
    )


def test_open_directives_of_the_previous_conclusion_are_listed_and_carried_forward(
    meeting9, next_meeting, clerk_client
):
    done = DirectiveFactory(meeting=meeting9, text="Đã xong.", completed_on=date(2007, 12, 1))
    late = DirectiveFactory(meeting=meeting9, text="Chưa xong: giải phóng mặt bằng Thủ Thiêm.")
    page_url = reverse("admin:resolutions_meeting_change", args=[next_meeting.pk])

    page = clerk_client.get(page_url).content.decode()
    assert "Nhiệm vụ chưa hoàn thành của hội nghị trước" in page
    assert "Chưa xong: giải phóng mặt bằng Thủ Thiêm." in page
    assert "Đã xong." not in page

    carry = reverse("admin:resolutions_meeting_carry_forward", args=[next_meeting.pk])
    response = clerk_client.post(carry, {"directive": late.pk})
    assert response.status_code == 302 and response.url == page_url

    new = next_meeting.directives.get()
    assert new.carried_from == late and new.text == late.text
    late.refresh_from_db()
    assert list(late.carried_to.all()) == [new]
    assert late.status == Status.CARRIED_OVER and done.status == Status.DONE_ON_TIME
    # Both directions are shown: the old directive says where it went.
    old_page = clerk_client.get(reverse("admin:resolutions_directive_change", args=[late.pk]))
    new_url = reverse("admin:resolutions_directive_change", args=[new.pk])
    assert f'href="{new_url}"' in old_page.content.decode()
    # ...and it is no longer listed as open; carrying it twice is refused.
    page = clerk_client.get(page_url).content.decode()
    assert "Không còn nhiệm vụ nào chưa hoàn thành." in page
    clerk_client.post(carry, {"directive": late.pk})
    assert next_meeting.directives.count() == 1


# --- The follow-up report -----------------------------------------------------------------


@pytest.fixture
def followed(meeting9):
    people = Unit.objects.create(committee=meeting9.committee, name="Ủy ban nhân dân quận")
    youth = Unit.objects.create(committee=meeting9.committee, name="Quận Đoàn")
    for completed in (date(2007, 12, 1), date(2008, 2, 1), None):
        DirectiveFactory(meeting=meeting9, lead_unit=people, completed_on=completed)
    DirectiveFactory(meeting=meeting9, lead_unit=youth, completed_on=date(2007, 11, 1))
    DirectiveFactory(meeting=meeting9)
    return meeting9


def test_the_report_counts_by_status_and_by_unit(followed):
    report = build_report(committee=followed.committee, today=date(2008, 3, 1))
    assert report.overall.counts == {
        Status.DONE_ON_TIME: 2,
        Status.DONE_LATE: 1,
        Status.OVERDUE: 2,
    }
    units = {t.name: t for t in report.units}
    assert units["Ủy ban nhân dân quận"].total == 3
    assert round(units["Ủy ban nhân dân quận"].completion_rate, 1) == 66.7
    assert round(units["Ủy ban nhân dân quận"].on_time_rate, 1) == 33.3
    assert units["Quận Đoàn"].completion_rate == 100
    assert report.units[-1].name == "Chưa giao đơn vị chủ trì"
    assert report.overdue_count == 2 and len(report.overdue) == 2
    # A period that holds no meeting counts nothing.
    empty = build_report(committee=followed.committee, start=date(2009, 1, 1))
    assert empty.overall.total == 0


def test_the_report_page_and_its_workbook(followed, clerk_client):
    url = reverse("admin:resolutions_directive_follow_up")
    query = {"committee": followed.committee.pk, "start": "01/10/2007", "end": "31/12/2007"}
    page = clerk_client.get(url, query).content.decode()
    assert "Theo đơn vị chủ trì" in page and "Ủy ban nhân dân quận" in page
    assert "Nhiệm vụ quá hạn chưa hoàn thành (" in page
    assert "Quá hạn chưa hoàn thành" in page

    response = clerk_client.get(url, {**query, "xlsx": "1"})
    assert 'filename="theo-doi-nhiem-vu-quan-uy-quan-2-' in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames == ["Tổng hợp", "Theo đơn vị", "Quá hạn"]
    summary = {row[0]: row[1] for row in book["Tổng hợp"].iter_rows(values_only=True) if row}
    assert summary["Tổng cộng"] == 5
    assert summary["Hoàn thành đúng hạn"] == 2
    units = {row[0].value: row for row in book["Theo đơn vị"].iter_rows()}
    rate = units["Ủy ban nhân dân quận"][-2]  # a number shown as a percentage, not text
    assert rate.value == 0.6667 and rate.number_format == "0.0%"
    assert len(list(book["Quá hạn"].iter_rows())) == 1 + Directive.objects.open().count()


def test_a_reversed_period_is_refused_with_a_message(clerk_client):
    url = reverse("admin:resolutions_directive_follow_up")
    page = clerk_client.get(url, {"start": "01/01/2008", "end": "01/01/2007"}).content.decode()
    assert "Ngày cuối kỳ phải sau ngày đầu kỳ." in page


def test_a_new_meeting_opens_on_its_page_when_the_previous_one_left_work_open(
    meeting9, clerk_client
):
    DirectiveFactory(meeting=meeting9, text="Chưa xong.")
    data = {
        "committee": meeting9.committee_id,
        "term": 3,
        "number": 10,
        "kind": "regular",
        "started_on": "15/01/2008",
        "document_kind": "conclusion",
        "title": "Kết luận Hội nghị lần thứ 10",
        "plan_period": "quý I/2008",
        "_save": "Lưu",
    }
    for prefix in ("reports", "indicators", "directives", "findings"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    response = clerk_client.post(reverse("admin:resolutions_meeting_add"), data, follow=True)
    new = Meeting.objects.get(number=10)
    assert response.redirect_chain[-1][0].endswith(
        reverse("admin:resolutions_meeting_change", args=[new.pk]) + "#open-directives"
    )
    page = response.content.decode()
    assert "còn 1 nhiệm vụ chưa hoàn thành" in page and "Chưa xong." in page
