"""The tasks that come back for one directive, read in one written statement rather than a
query the ORM builds on every call (issue 15's benchmark): the same directives, meetings and
committees as the ORM's select_related gives, field for field, in the same order, with the
same status, on both databases; one query, whatever the directive page shows of them."""

from datetime import date

import pytest

from resolutions.models import Directive, DirectiveRepeat, Meeting
from resolutions.series import repeats
from resolutions.series.matching import match_meeting

from .factories import DirectiveFactory, MeetingFactory

pytestmark = pytest.mark.django_db

CLEARANCE = (
    "Đẩy nhanh việc bồi thường, giải phóng mặt bằng để bàn giao đất cho dự án đường ven sông "
    "của quận"
)
MARKET = "Sắp xếp lại các chợ tạm trên địa bàn phường, bố trí chỗ buôn bán cho các hộ kinh doanh"


@pytest.fixture
def four_conclusions(district2):
    """The same two tasks given at four meetings; the first clearance carried on to the
    second, the second done late, the market done on time once; one meeting public, with the
    values its import recorded, another ending a day after it starts."""
    days = (date(2009, 1, 8), date(2009, 7, 9), date(2010, 1, 14), date(2010, 7, 15))
    made = []
    for number, day in enumerate(days, start=20):
        meeting = MeetingFactory(committee=district2, number=number, started_on=day)
        clearance = DirectiveFactory(
            meeting=meeting, text=CLEARANCE, due_on=date(day.year, 12, 31), section_order=2
        )
        market = DirectiveFactory(meeting=meeting, text=MARKET, position=2)
        made.append((clearance, market))
    Meeting.objects.filter(pk=made[1][0].meeting_id).update(
        is_public=True, imported_values={"title": "Kết luận hội nghị", "số": 21}
    )
    Meeting.objects.filter(pk=made[2][0].meeting_id).update(ended_on=date(2010, 1, 15))
    Directive.objects.filter(pk=made[1][0].pk).update(carried_from=made[0][0])
    Directive.objects.filter(pk=made[1][1].pk).update(completed_on=date(2009, 9, 30))
    Directive.objects.filter(pk=made[2][0].pk).update(completed_on=date(2011, 2, 1))
    for meeting in Meeting.objects.order_by("started_on"):
        match_meeting(meeting)
    return made


def fields(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


def as_the_orm_reads(directive: Directive) -> list[tuple]:
    """What the ORM's query of the same steps gives: each earlier directive, its meeting and
    committee, its status (with_status, in SQL) and the similarity of the link."""
    rows = (
        Directive.objects.filter(repeated_in__directive=directive)
        .with_status()
        .select_related("meeting__committee")
        .order_by("-meeting__started_on", "section_order", "position")
    )
    scores = dict(
        DirectiveRepeat.objects.filter(directive=directive).values_list("earlier_id", "similarity")
    )
    return [
        (
            fields(d),
            fields(d.meeting),
            fields(d.meeting.committee),
            d.follow_up_status,
            pytest.approx(scores[d.pk]),
        )
        for d in rows
    ]


def as_read(directive: Directive) -> list[tuple]:
    return [
        (
            fields(r.directive),
            fields(r.directive.meeting),
            fields(r.directive.meeting.committee),
            r.directive.status,
            r.similarity,
        )
        for r in repeats.repeats_of(directive)
    ]


def test_the_same_rows_as_the_orm_reads(four_conclusions):
    last_clearance, last_market = four_conclusions[-1]
    found = as_read(last_clearance)
    assert len(found) == 3
    assert found == as_the_orm_reads(last_clearance)
    assert as_read(last_market) == as_the_orm_reads(last_market)
    for directive in Directive.objects.all():
        assert as_read(directive) == as_the_orm_reads(directive)


def test_what_the_page_shows_of_each(four_conclusions):
    last_clearance, _ = four_conclusions[-1]
    found = repeats.repeats_of(last_clearance)
    assert [r.directive.meeting.number for r in found] == [22, 21, 20]  # newest first
    assert [r.directive.get_status_display() for r in found] == [
        "Hoàn thành quá hạn",  # done after its deadline
        "Quá hạn chưa hoàn thành",
        "Chuyển sang kết luận sau",  # carried on to the next conclusion
    ]
    public = found[1].directive.meeting
    assert public.is_public is True
    assert public.imported_values == {"title": "Kết luận hội nghị", "số": 21}
    assert found[0].directive.meeting.ended_on == date(2010, 1, 15)
    assert str(found[2].directive.meeting) == (
        "Hội nghị lần thứ 20 BCH Đảng bộ Quận 2 khóa III (08/01/2009)"
    )


def test_one_query_for_all_the_page_shows(four_conclusions, django_assert_num_queries):
    last_clearance, _ = four_conclusions[-1]
    with django_assert_num_queries(1):
        shown = [
            (str(r.directive.meeting), r.directive.text, r.directive.get_status_display())
            for r in repeats.repeats_of(last_clearance)
        ]
    assert len(shown) == 3
    first = four_conclusions[0][0]
    with django_assert_num_queries(1):
        assert repeats.repeats_of(first) == []  # nothing before the first
    assert repeats.repeats_of(Directive(meeting=first.meeting, text=CLEARANCE)) == []
