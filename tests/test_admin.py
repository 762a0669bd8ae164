"""The admin as a clerk uses it: Vietnamese pages, dd/mm/yyyy dates, decimal commas, inlines."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.html import escape

from resolutions.models import Committee, Directive, Finding, Indicator, Meeting, Report, Topic
from resolutions.roles import REGISTER

from .factories import (
    CommitteeFactory,
    DirectiveFactory,
    FindingFactory,
    IndicatorFactory,
    MeetingFactory,
    ReportFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

MODELS = [Committee, Meeting, Report, Indicator, Directive, Finding, Topic]
FACTORIES = {
    Committee: CommitteeFactory,
    Meeting: MeetingFactory,
    Report: ReportFactory,
    Indicator: IndicatorFactory,
    Directive: DirectiveFactory,
    Finding: FindingFactory,
    Topic: TopicFactory,
}


def admin_url(model, view, *args):
    return reverse(f"admin:resolutions_{model._meta.model_name}_{view}", args=args)


def inline_management(prefix, total=0, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def inline_rows(prefix, *rows, initial=0):
    """POST data for an inline formset holding *rows* (dicts of field name to value)."""
    data = inline_management(prefix, total=len(rows), initial=initial)
    for index, row in enumerate(rows):
        data.update({f"{prefix}-{index}-{name}": value for name, value in row.items()})
    return data


def meeting_form(committee, **fields):
    data = {
        "committee": str(committee.pk),
        "term": "3",
        "number": "9",
        "kind": Meeting.Kind.EXTENDED,
        "started_on": "16/10/2007",
        "ended_on": "17/10/2007",
        "document_kind": Meeting.DocumentKind.CONCLUSION,
        "title": "Kết luận Hội nghị lần thứ 9 Ban Chấp hành Đảng bộ Quận 2 khóa III",
        "review_period": "9 tháng năm 2007",
        "plan_period": "quý IV/2007",
    }
    for prefix in ("reports", "indicators", "directives", "findings"):
        data.update(inline_management(prefix))
    data.update(fields)
    return data


class TestAccess:
    @pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
    def test_an_anonymous_visitor_is_sent_to_the_login_page(self, client, model):
        response = client.get(admin_url(model, "changelist"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))

    @pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
    def test_the_role_that_enters_it_opens_list_search_add_and_change_pages(
        self, client, clerk, administrator, model
    ):
        # Clerks enter the meetings and their rows; reference data is the administrator's.
        client.force_login(clerk if model._meta.model_name in REGISTER else administrator)
        record = FACTORIES[model]()
        assert client.get(admin_url(model, "changelist")).status_code == 200
        assert client.get(admin_url(model, "changelist"), {"q": "Quận"}).status_code == 200
        assert client.get(admin_url(model, "add")).status_code == 200
        assert client.get(admin_url(model, "change", record.pk)).status_code == 200

    def test_the_index_lists_the_models_in_vietnamese(self, clerk_client):
        page = clerk_client.get(reverse("admin:index")).content.decode()
        for label in ("Sổ kết luận hội nghị", "Hội nghị", "Nhiệm vụ", "Chỉ tiêu", "Cấp ủy"):
            assert label in page
        assert "Quản lý kết luận hội nghị" in page
        assert 'lang="vi"' in page


class TestListPages:
    @pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
    def test_a_list_page_costs_the_same_queries_for_1_and_50_rows(
        self, clerk_client, django_assert_num_queries, model
    ):
        """The count for one row is measured, then 49 more rows must not add a query."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        meeting = MeetingFactory()
        topic = TopicFactory()

        def make():
            if model in (Report, Indicator, Directive, Finding):
                kwargs = {"meeting": meeting}
                if model in (Indicator, Directive, Finding):
                    kwargs["topic"] = topic
                record = FACTORIES[model](**kwargs)
                if model is Directive:
                    record.tags.add(topic)
                return record
            if model is Meeting:
                return MeetingFactory(committee=meeting.committee)
            if model is Committee:
                return CommitteeFactory(parent=meeting.committee)
            return TopicFactory(parent=topic)

        make()
        url = admin_url(model, "changelist")
        with CaptureQueriesContext(connection) as one_row:
            assert clerk_client.get(url).status_code == 200
        for _ in range(49):
            make()
        with django_assert_num_queries(len(one_row.captured_queries)):
            response = clerk_client.get(url)
        assert response.status_code == 200
        assert len(response.context["cl"].result_list) >= 50

    def test_the_meeting_list_shows_the_heading_and_the_count_of_directives(
        self, clerk_client, meeting9
    ):
        DirectiveFactory.create_batch(3, meeting=meeting9)
        page = clerk_client.get(admin_url(Meeting, "changelist")).content.decode()
        assert "Hội nghị lần thứ 9 BCH Đảng bộ Quận 2 khóa III (16–17/10/2007)" in page
        assert '<td class="field-directive_total">3</td>' in page
        assert '<td class="field-term_display">III</td>' in page
        assert "16/10/2007" in page

    def test_search_finds_a_meeting_by_its_committee(self, clerk_client, meeting9):
        MeetingFactory(title="Kết luận khác")
        response = clerk_client.get(admin_url(Meeting, "changelist"), {"q": "Quận 2"})
        assert list(response.context["cl"].result_list) == [meeting9]

    def test_the_topic_filter_includes_finer_topics(self, clerk_client, meeting9):
        economy = TopicFactory(slug="kinh-te", name="Kinh tế")
        land = TopicFactory(slug="boi-thuong", name="Bồi thường", parent=economy)
        wanted = DirectiveFactory(meeting=meeting9, topic=land)
        DirectiveFactory(meeting=meeting9, topic=TopicFactory(slug="dan-van", name="Dân vận"))
        response = clerk_client.get(admin_url(Directive, "changelist"), {"linh_vuc": "kinh-te"})
        assert list(response.context["cl"].result_list) == [wanted]

    def test_ended_committees_are_listed_apart(self, clerk_client, district2):
        district2.active_until = date(2020, 12, 31)
        district2.save()
        active = CommitteeFactory()
        ended = clerk_client.get(admin_url(Committee, "changelist"), {"hoat_dong": "ended"})
        working = clerk_client.get(admin_url(Committee, "changelist"), {"hoat_dong": "active"})
        assert list(ended.context["cl"].result_list) == [district2]
        assert list(working.context["cl"].result_list) == [active]


class TestMeetingEntry:
    def test_a_clerk_enters_a_meeting_with_its_parts_in_one_page(self, clerk_client, district2):
        economy = TopicFactory(slug="kinh-te", name="Kinh tế")
        section = {"section_order": "1", "section_number": "1", "section_heading": "Kinh tế"}
        data = meeting_form(district2)
        data.update(
            inline_rows(
                "reports",
                {"position": "", "kind": "report", "title": "báo cáo tình hình kinh tế – xã hội"},
            )
        )
        data.update(
            inline_rows(
                "indicators",
                {
                    "position": "1",
                    "name": "Tổng vốn đầu tư xây dựng cơ bản thực hiện",
                    "value": "55,699",
                    "unit": "tỷ đồng",
                    "plan_pct": "50,14",
                    "topic": str(economy.pk),
                },
            )
        )
        data.update(
            inline_rows(
                "directives",
                {**section, "text": "Tập trung đẩy nhanh công tác bồi thường.", "status": "new"},
                {**section, "text": "Ủy ban nhân dân quận có biện pháp cụ thể.", "status": "new"},
            )
        )
        response = clerk_client.post(admin_url(Meeting, "add"), data)
        assert response.status_code == 302, response.context["adminform"].form.errors

        meeting = Meeting.objects.get()
        assert (meeting.started_on, meeting.ended_on) == (date(2007, 10, 16), date(2007, 10, 17))
        assert (meeting.plan_year, meeting.plan_quarter) == (2007, 4)
        indicator = meeting.indicators.get()
        assert (indicator.value, indicator.plan_pct) == (Decimal("55.699"), Decimal("50.14"))
        assert [d.position for d in meeting.directives.all()] == [1, 2]
        assert meeting.reports.get().position == 1

    def test_decimals_and_dates_are_shown_the_vietnamese_way(self, clerk_client, meeting9):
        IndicatorFactory(meeting=meeting9, value=Decimal("55.699"), plan_pct=Decimal("50.14"))
        page = clerk_client.get(admin_url(Meeting, "change", meeting9.pk)).content.decode()
        assert 'value="55,699"' in page
        assert 'value="50,14"' in page
        assert 'value="16/10/2007"' in page

    def test_a_malformed_number_is_refused_with_what_to_fix(self, clerk_client, district2):
        data = meeting_form(district2)
        data.update(
            inline_rows(
                "indicators", {"position": "1", "name": "Chi trả bồi thường", "value": "970 tỷ"}
            )
        )
        response = clerk_client.post(admin_url(Meeting, "add"), data)
        assert response.status_code == 200
        page = response.content.decode()
        assert "“970 tỷ” không phải là số" in page
        assert "ví dụ 55,699 hoặc 1.234,5" in page
        assert not Meeting.objects.exists()

    def test_an_impossible_date_is_refused(self, clerk_client, district2):
        response = clerk_client.post(
            admin_url(Meeting, "add"), meeting_form(district2, started_on="31/02/2007")
        )
        assert response.status_code == 200
        assert "started_on" in response.context["adminform"].form.errors
        assert not Meeting.objects.exists()

    def test_a_duplicate_meeting_is_refused_with_a_message(self, clerk_client, meeting9):
        response = clerk_client.post(admin_url(Meeting, "add"), meeting_form(meeting9.committee))
        assert response.status_code == 200
        page = response.content.decode()
        link = admin_url(Meeting, "change", meeting9.pk)
        assert (
            f"Sổ đã có {escape(str(meeting9))}: "
            f'<a href="{link}">mở hội nghị này</a> để sửa, thay vì nhập lại.'
        ) in page
        assert Meeting.objects.count() == 1

    def test_a_clerk_swaps_two_directives_by_their_positions(self, clerk_client, meeting9):
        first = DirectiveFactory(meeting=meeting9, text="Nhiệm vụ thứ nhất.")
        second = DirectiveFactory(meeting=meeting9, text="Nhiệm vụ thứ hai.")
        rows = [
            {
                "id": str(directive.pk),
                "meeting": str(meeting9.pk),
                "section_order": "1",
                "position": str(new_position),
                "text": directive.text,
                "status": "new",
            }
            for directive, new_position in [(first, 2), (second, 1)]
        ]
        data = meeting_form(meeting9.committee)
        data.update(inline_rows("directives", *rows, initial=2))
        # The page carries the version it was opened at (a page without it is refused).
        meeting9.refresh_from_db()
        data["seen_version"] = meeting9.edit_version
        response = clerk_client.post(admin_url(Meeting, "change", meeting9.pk), data)
        assert response.status_code == 302
        assert [d.text for d in meeting9.directives.all()] == [
            "Nhiệm vụ thứ hai.",
            "Nhiệm vụ thứ nhất.",
        ]

    def test_two_rows_given_one_position_are_refused(self, clerk_client, district2):
        data = meeting_form(district2)
        report = {"position": "1", "kind": "report"}
        data.update(
            inline_rows(
                "reports", {**report, "title": "Báo cáo A"}, {**report, "title": "Báo cáo B"}
            )
        )
        response = clerk_client.post(admin_url(Meeting, "add"), data)
        assert response.status_code == 200
        assert "Có hai dòng trùng thứ tự: hãy đánh số lại cột “thứ tự”" in response.content.decode()
        assert not Meeting.objects.exists()
