"""The tasks that come back, stored: each directive's links to the earlier directives of its
committee that say nearly the same are made when its meeting is imported or saved, follow its
edits and its deletion, and make the report of tasks given three times or more a query. The
links are those the measure gives over every pair (both databases) (issue 15)."""

from datetime import date
from itertools import combinations

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from resolutions.models import Directive, DirectiveRepeat, Meeting
from resolutions.series import repeats
from resolutions.series.matching import match_meeting

from .browser_form import form_data
from .factories import CommitteeFactory, DirectiveFactory, MeetingFactory
from .helpers import CLEARANCE, CLEARANCE_AGAIN

pytestmark = pytest.mark.django_db

RECEPTION = "Tăng cường công tác tiếp công dân và giải quyết khiếu nại tố cáo của công dân."
RECEPTION_AGAIN = "Tiếp tục tăng cường công tác tiếp công dân, giải quyết khiếu nại tố cáo."
SCHOOLS = "Hoàn thành xây dựng ba trường tiểu học đạt chuẩn quốc gia trước năm học mới."


def links() -> set[tuple[int, int]]:
    return set(DirectiveRepeat.objects.values_list("directive_id", "earlier_id"))


def every_pair() -> set[tuple[int, int]]:
    """The links the measure gives when every pair of a committee's directives is compared."""
    rows = list(
        Directive.objects.values_list(
            "pk", "meeting__committee_id", "meeting__started_on", "search_text"
        )
    )
    found = set()
    for a, b in combinations(rows, 2):
        if a[1] != b[1] or a[2] == b[2]:
            continue
        later, earlier = (a, b) if a[2] > b[2] else (b, a)
        score = repeats.similarity(repeats.own_words(a[3]), repeats.own_words(b[3]))
        if score >= repeats.SIMILARITY:
            found.add((later[0], earlier[0]))
    return found


@pytest.fixture
def register(district2):
    """Three conclusions of District 2, imported in turn, and one of another committee."""
    texts = (
        (date(2007, 10, 16), [CLEARANCE, RECEPTION, SCHOOLS]),
        (date(2008, 4, 10), [CLEARANCE.upper(), RECEPTION_AGAIN]),
        (date(2008, 10, 15), [CLEARANCE_AGAIN, RECEPTION]),
    )
    made = []
    for number, (day, said) in enumerate(texts, start=9):
        meeting = MeetingFactory(committee=district2, number=number, started_on=day)
        made.append(
            [
                DirectiveFactory(meeting=meeting, position=position, text=text)
                for position, text in enumerate(said, start=1)
            ]
        )
        match_meeting(meeting)
    other = MeetingFactory(committee=CommitteeFactory(), started_on=date(2006, 1, 5))
    DirectiveFactory(meeting=other, text=CLEARANCE)
    match_meeting(other)
    return made


def test_links_are_made_as_meetings_are_imported(register):
    (clearance, reception, _), (clearance2, reception2), (clearance3, reception3) = register
    assert links() == {
        (clearance2.pk, clearance.pk),
        (clearance3.pk, clearance2.pk),
        (clearance3.pk, clearance.pk),
        (reception2.pk, reception.pk),
        (reception3.pk, reception2.pk),
        (reception3.pk, reception.pk),
    }
    assert links() == every_pair()
    found = repeats.repeats_of(clearance3)
    assert [r.directive for r in found] == [clearance2, clearance]  # newest first
    assert found[0].similarity == pytest.approx(
        repeats.similarity(
            repeats.own_words(clearance3.search_text), repeats.own_words(clearance2.search_text)
        ),
        abs=1e-6,
    )


def test_the_report_of_tasks_given_three_times_is_a_query(
    register, district2, django_assert_max_num_queries
):
    (_, _, _), (_, _), (clearance3, reception3) = register
    with django_assert_max_num_queries(4):
        listed = repeats.repeated_tasks(district2, at_least=3)
    assert [d for d, _ in listed] == [clearance3, reception3]  # by section order
    assert [repeats.meetings_count(found) + 1 for _, found in listed] == [3, 3]
    assert repeats.repeated_tasks(district2, at_least=4) == []


def test_a_changed_text_saved_on_the_directive_page_is_linked_anew(register, clerk_client):
    (clearance, _, school), (clearance2, _), (clearance3, _) = register
    url = reverse("admin:resolutions_directive_change", args=[clearance2.pk])
    page = clerk_client.get(url).content.decode()
    response = clerk_client.post(url, form_data(page, "directive_form", {"text": SCHOOLS}))
    assert response.status_code == 302
    # No longer the clearance: its links go; now it repeats the schools of the first meeting.
    assert [r.directive for r in repeats.repeats_of(clearance3)] == [clearance]
    assert [r.directive for r in repeats.repeats_of(clearance2)] == [school]
    assert links() == every_pair()


def test_a_changed_text_saved_with_its_meeting_is_linked_anew(register):
    (_, reception, _), (_, reception2), (_, reception3) = register
    reception3.text = "Tổ chức tốt đại hội Hội Cựu chiến binh các phường nhiệm kỳ 2008 – 2013."
    reception3.save()
    match_meeting(reception3.meeting)  # as the meeting page does when saved
    assert repeats.repeats_of(reception3) == []
    assert [r.directive for r in repeats.repeats_of(reception2)] == [reception]
    assert links() == every_pair()


def test_a_deleted_directive_takes_its_links_with_it(register):
    (clearance, _, _), (clearance2, _), (clearance3, _) = register
    clearance2.delete()
    assert [r.directive for r in repeats.repeats_of(clearance3)] == [clearance]
    assert not DirectiveRepeat.objects.filter(earlier_id=clearance2.pk).exists()
    assert links() == every_pair()


def test_a_meeting_moved_in_time_turns_its_links_round(register):
    (clearance, _, _), (clearance2, _), (clearance3, _) = register
    first = clearance.meeting
    first.started_on = date(2009, 1, 10)  # now the latest of the three
    first.save()
    match_meeting(first)
    assert [r.directive for r in repeats.repeats_of(clearance)] == [clearance3, clearance2]
    assert repeats.repeats_of(clearance2) == []
    assert links() == every_pair()


def test_rebuilding_gives_the_same_links(register, district2):
    before = links()
    DirectiveRepeat.objects.all().delete()
    call_command("rebuild_repeats", stdout=(out := _Output()))
    assert links() == before
    assert "Đã lập lại 6 liên kết nhiệm vụ được giao lại" in out.text
    call_command("rebuild_repeats", committee=district2.pk, stdout=_Output())
    assert links() == before
    with pytest.raises(CommandError, match="Không có cấp ủy mã 0"):
        call_command("rebuild_repeats", committee=0)


def test_links_between_meetings_of_the_same_day_are_not_made(district2):
    day = date(2008, 1, 5)
    one = MeetingFactory(committee=district2, number=1, started_on=day)
    two = MeetingFactory(committee=district2, number=2, started_on=day)
    DirectiveFactory(meeting=one, text=CLEARANCE)
    DirectiveFactory(meeting=two, text=CLEARANCE)
    for meeting in Meeting.objects.all():
        match_meeting(meeting)
    assert links() == set() == every_pair()


class _Output:
    def __init__(self):
        self.text = ""

    def write(self, text):
        self.text += text

    def flush(self):
        pass


def test_a_report_of_two_times_lists_each_task_once_at_its_latest(register, district2):
    (clearance, reception, _), (clearance2, reception2), (clearance3, reception3) = register
    listed = repeats.repeated_tasks(district2, at_least=2)
    # The third meeting's tasks stand for the second's and the first's, which they repeat.
    assert [d for d, _ in listed] == [clearance3, reception3]
    assert [r.directive for r in listed[0][1]] == [clearance2, clearance]
    assert [r.directive for r in listed[1][1]] == [reception2, reception]
