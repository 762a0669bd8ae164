"""Finding directives as staff ask for them, on SQLite and on PostgreSQL, with the seeds loaded."""

import json
import os
import unicodedata
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from resolutions import search as search_module
from resolutions.bulk import insert_rows
from resolutions.management.commands.search_index import use_ranked_index
from resolutions.models import Directive, Finding, Indicator, Topic
from resolutions.search import highlight, parse_query, search
from resolutions.services.fixtures import import_seeds

from .factories import DirectiveFactory, MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeds(db):
    call_command("loaddata", "topics", "committees", verbosity=0)
    (outcome,) = import_seeds()
    return outcome.meeting


def places(queryset):
    return [(d.section_order, d.position) for d in queryset]


class TestWhatStaffType:
    def test_mass_mobilization_without_accents(self, seeds):
        found = places(search(Directive.objects.all(), "van dong nhan dan"))
        assert found[0] == (4, 5)  # "… công tác vận động nhân dân …", the words together
        # Section 4 is "Công tác xây dựng Đảng và vận động nhân dân": all of it comes next.
        assert set(found[1:7]) == {(4, 1), (4, 2), (4, 3), (4, 4), (4, 6), (4, 7)}

    def test_thu_thiem_finds_land_clearance_and_compensation(self, seeds):
        assert places(search(Directive.objects.all(), "Thu Thiem")) == [(1, 1)]
        indicators = search(Indicator.objects.all(), "Thu Thiem")
        assert {i.name for i in indicators} == {
            "Chi trả bồi thường các dự án",
            "chi trả bồi thường cho dự án khu đô thị mới Thủ Thiêm",
        }

    def test_the_repeated_sentence_is_found_in_both_places(self, seeds):
        found = places(search(Directive.objects.all(), "cai cach hanh chinh"))
        assert sorted(found) == [(1, 6), (2, 6)]

    @pytest.mark.parametrize(
        "query",
        [
            "giai phong mat bang",
            "giải phóng mặt bằng",
            "giải phóng mặt bẳng",
            "GIẢI PHÓNG MẶT BẰNG",
        ],
    )
    def test_accents_case_and_tone_slips_do_not_matter(self, seeds, query):
        assert places(search(Directive.objects.all(), query)) == [(1, 1)]

    def test_d_with_stroke_folds_to_d(self, seeds):
        assert (4, 1) in places(search(Directive.objects.all(), "dang vien"))

    def test_nfd_input_finds_nfc_text(self, seeds):
        nfd = unicodedata.normalize("NFD", "khiếu nại tố cáo")
        assert places(search(Directive.objects.all(), nfd)) == [(3, 4)]

    def test_a_quoted_phrase_does_not_match_the_words_apart(self, seeds):
        apart = places(search(Directive.objects.all(), "hanh chinh cai cach"))
        assert sorted(apart) == [(1, 6), (2, 6)]  # the words, in any order
        assert places(search(Directive.objects.all(), '"hanh chinh cai cach"')) == []
        assert sorted(places(search(Directive.objects.all(), "“cải cách hành chính”"))) == [
            (1, 6),
            (2, 6),
        ]

    def test_the_exact_accented_wording_ranks_first(self, seeds):
        found = places(search(Directive.objects.all(), "vận động nhân dân"))
        assert found[0] == (4, 5)

    def test_newer_meetings_come_first_when_equal(self, seeds):
        older = MeetingFactory(started_on=date(2001, 1, 5))
        newer = MeetingFactory(started_on=date(2020, 1, 5))
        for meeting in (older, newer):
            DirectiveFactory(meeting=meeting, text="Xây dựng nông thôn mới kiểu mẫu.")
        found = list(search(Directive.objects.all(), "nong thon moi"))
        assert [d.meeting for d in found] == [newer, older]

    def test_near_misses_on_postgresql(self, seeds):
        found = places(search(Directive.objects.all(), "giai phong mat bangg"))
        if connection.vendor == "postgresql":
            assert found == [(1, 1)]  # pg_trgm's word similarity
        else:
            assert found == []  # SQLite matches whole folded words only

    def test_findings_are_searchable_too(self, seeds):
        found = search(Finding.objects.all(), "dieu tra kham pha an")
        assert [f.kind for f in found] == [Finding.Kind.SHORTCOMING]


class TestQueriesThatFindNothing:
    @pytest.mark.parametrize("query", ["!!! ??? ---", "“”", "..."])
    def test_symbols_only_give_a_clear_empty_result(self, seeds, query):
        parsed = parse_query(query)
        assert parsed.error == "Câu tìm kiếm không có chữ hay số nào để tìm."
        assert list(search(Directive.objects.all(), parsed)) == []

    def test_ten_thousand_characters_give_a_clear_empty_result(self, seeds):
        parsed = parse_query("giải phóng mặt bằng " * 499 + "giải phóng mặt bằng.")
        assert parsed.error.startswith("Câu tìm kiếm dài 10000 ký tự, quá giới hạn 200 ký tự")
        assert list(search(Directive.objects.all(), parsed)) == []

    def test_sql_and_like_wildcards_are_just_text(self, seeds):
        for query in ["%", "_", "'; DROP TABLE resolutions_directive; --", "a%b"]:
            list(search(Directive.objects.all(), query))
        assert Directive.objects.count() == 24


class TestTopics:
    def test_a_topic_filter_returns_exactly_its_directives(self, seeds):
        security = Topic.objects.get(slug="quoc-phong-an-ninh")
        assert sorted(places(Directive.objects.on_topic(security))) == [
            (3, 1),
            (3, 2),
            (3, 3),
            (3, 4),
        ]

    def test_a_finer_topic_finds_directives_tagged_with_it(self, seeds):
        land = Topic.objects.get(slug="boi-thuong-tai-dinh-cu")
        assert (1, 1) in places(Directive.objects.on_topic(land))
        assert list(Directive.objects.get(section_order=1, position=1).tags.all()) != []

    def test_retagging_changes_nothing_after_an_import_and_restores_removed_tags(self, seeds):
        out = StringIO()
        call_command("retag_directives", "--dry-run", stdout=out)
        assert out.getvalue().startswith("[chạy thử] 0 nhiệm vụ đổi chủ đề, 24 giữ nguyên.")
        directive = Directive.objects.get(section_order=1, position=1)
        directive.tags.clear()
        call_command("retag_directives", stdout=StringIO())
        assert directive.tags.filter(slug="boi-thuong-tai-dinh-cu").exists()

    def test_a_directive_entered_in_the_admin_gets_suggested_tags(self, seeds, clerk_client):
        response = clerk_client.post(
            reverse("admin:resolutions_directive_add"),
            {
                "meeting": seeds.pk,
                "section_order": "5",
                "position": "",
                "text": "Kiểm tra việc phòng, chống ma túy trong thanh niên.",
                "progress_notes-TOTAL_FORMS": "0",
                "progress_notes-INITIAL_FORMS": "0",
            },
        )
        assert response.status_code == 302
        directive = Directive.objects.get(section_order=5)
        assert {t.slug for t in directive.tags.all()} == {"ma-tuy", "thanh-nien"}


class TestTheSearchPage:
    URL = reverse("admin:resolutions_directive_changelist")

    def test_results_are_highlighted_with_their_topic_and_meeting(self, seeds, clerk_client):
        response = clerk_client.get(self.URL, {"q": "thu thiem"})
        page = response.content.decode()
        assert list(response.context["cl"].result_list) == [
            Directive.objects.get(section_order=1, position=1)
        ]
        assert "<mark>Thủ</mark> <mark>Thiêm</mark>" in page
        assert reverse("admin:resolutions_meeting_change", args=[seeds.pk]) in page
        assert "Bồi thường – tái định cư" in page  # a tag

    def test_a_search_page_costs_a_fixed_number_of_queries(self, seeds, clerk_client):
        with CaptureQueriesContext(connection) as few:
            clerk_client.get(self.URL, {"q": "Thu Thiem"})
        with CaptureQueriesContext(connection) as many:
            clerk_client.get(self.URL, {"q": "tiep tuc"})
        # 13: the two topic filters read the small topics table a query each.
        assert len(few) == len(many) <= 13

    def test_filters_combine_with_the_search(self, seeds, clerk_client):
        response = clerk_client.get(
            self.URL, {"q": "tang cuong", "linh_vuc": "quoc-phong-an-ninh", "cap_uy": "quan 2"}
        )
        assert sorted(places(response.context["cl"].result_list)) == [(3, 1), (3, 3), (3, 4)]
        other = clerk_client.get(self.URL, {"cap_uy": "Thu Duc"})
        assert list(other.context["cl"].result_list) == []

    def test_meeting_dates_filter(self, seeds, clerk_client):
        inside = clerk_client.get(self.URL, {"ngay_hop": "01/10/2007 - 31/10/2007"})
        outside = clerk_client.get(self.URL, {"ngay_hop": "01/01/2008 -"})
        assert inside.context["cl"].result_count == 24
        assert outside.context["cl"].result_count == 0
        bad = clerk_client.get(self.URL, {"ngay_hop": "31/02/2007 -"})
        assert "không đúng dạng ngày/tháng/năm" in bad.content.decode()

    def test_a_query_that_cannot_be_searched_says_why(self, seeds, clerk_client):
        response = clerk_client.get(self.URL, {"q": "x" * 10_000})
        assert response.status_code == 200
        assert "quá giới hạn 200 ký tự" in response.content.decode()
        assert response.context["cl"].result_count == 0

    def test_indicators_and_findings_have_the_same_search(self, seeds, clerk_client):
        indicators = clerk_client.get(
            reverse("admin:resolutions_indicator_changelist"), {"q": "Thu Thiem"}
        )
        assert len(indicators.context["cl"].result_list) == 2
        findings = clerk_client.get(
            reverse("admin:resolutions_finding_changelist"), {"q": "dieu tra kham pha an"}
        )
        assert "<mark>điều</mark> <mark>tra</mark>" in findings.content.decode()


def test_highlight_escapes_html():
    html = highlight("<b>Thủ Thiêm</b> & co", "thu thiem")
    assert html == "&lt;b&gt;<mark>Thủ</mark> <mark>Thiêm</mark>&lt;/b&gt; &amp; co"


def test_search_directives_command_prints_json(seeds):
    out = StringIO()
    call_command(
        "search_directives", "thu thiem", "--json", "--topic", "kinh-te", "--limit", "5", stdout=out
    )
    (row,) = json.loads(out.getvalue())
    assert set(row) == {
        "meeting",
        "section_order",
        "position",
        "topic",
        "tags",
        "text",
        "rank",
        "matched_through",
    }
    assert row["matched_through"] == []  # its own text says "Thủ Thiêm"
    assert row["meeting"] == ["Ban Chấp hành Đảng bộ Quận 2", 3, 9]
    assert (row["section_order"], row["position"], row["topic"]) == (1, 1, "kinh-te")
    assert "boi-thuong-tai-dinh-cu" in row["tags"]


def test_the_command_lists_as_many_as_asked_even_past_the_window(seeds, monkeypatch):
    monkeypatch.setattr(search_module, "RECENT_WINDOW", 3)
    out = StringIO()
    call_command("search_directives", "tiep tuc", "--json", "--limit", "5", stdout=out)
    assert len(json.loads(out.getvalue())) == 5


class TestRankingInTheIndex:
    """PostgreSQL with RUM indexes (manage.py search_index --rum): the index hands over the
    newest matches, and only those are ranked by the whole rule (resolutions.search)."""

    @pytest.fixture(autouse=True)
    def rum(self, db):
        if connection.vendor != "postgresql":
            pytest.skip("RUM is a PostgreSQL index; SQLite ranks every match")
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'rum'")
            available = cursor.fetchone() is not None
        if not available and os.environ.get("REQUIRE_RUM") != "1":
            pytest.skip("the RUM extension is not installed (apt-get install postgresql-15-rum)")
        # The test's transaction undoes it: PostgreSQL's DDL is transactional.
        call_command("search_index", "--rum", stdout=StringIO())
        yield
        use_ranked_index(False)

    def test_a_rarer_question_reads_the_newest_matches_from_the_rum_index(self, seeds, monkeypatch):
        # The newest rows hold too few matches: the search asks the index.
        monkeypatch.setattr(search_module, "NEWEST_ROWS_READ", 3)
        with CaptureQueriesContext(connection) as captured:
            found = places(search(Directive.objects.all(), "cai cach hanh chinh"))
        assert sorted(found) == [(1, 6), (2, 6)]
        (call,) = [q["sql"] for q in captured if "resolutions_ids_in_index_order" in q["sql"]]
        with connection.cursor() as cursor:
            cursor.execute("SHOW enable_bitmapscan")  # off inside the function only
            assert cursor.fetchone() == ("on",)
            cursor.execute(call.replace("resolutions_ids_in_index_order", "", 1))
            (statement,) = cursor.fetchone()  # the statement the function ran
            assert "<=|" in statement
            cursor.execute("SET LOCAL enable_seqscan = off")  # a few rows: cheaper to scan
            cursor.execute("SET LOCAL enable_bitmapscan = off")
            cursor.execute("EXPLAIN " + statement)
            plan = "\n".join(row for (row,) in cursor.fetchall())
        assert "Index Scan using resolutions_directive_search_rum" in plan

    def test_the_index_and_the_newest_rows_find_the_same(self, seeds, monkeypatch):
        read_all = [(d.pk, d.rank) for d in search(Directive.objects.all(), "tiep tuc")]
        monkeypatch.setattr(search_module, "NEWEST_ROWS_READ", 3)
        from_index = [(d.pk, d.rank) for d in search(Directive.objects.all(), "tiep tuc")]
        assert from_index == read_all

    def test_it_ranks_as_without_it_and_the_command_switches_back(self, seeds):
        ranked = [(d.pk, round(d.rank, 6)) for d in search(Directive.objects.all(), "tiep tuc")]
        out = StringIO()
        call_command("search_index", "--gin", stdout=out)
        assert "resolutions_directive: GIN" in out.getvalue()
        plain = [(d.pk, round(d.rank, 6)) for d in search(Directive.objects.all(), "tiep tuc")]
        assert plain == ranked

    def test_the_index_hands_over_the_newest_matches(self, seeds):
        older = MeetingFactory(started_on=date(2001, 1, 5))
        newer = MeetingFactory(started_on=date(2031, 1, 5))
        for meeting in (older, newer):
            DirectiveFactory(meeting=meeting, text="Tiếp tục xây dựng nông thôn mới kiểu mẫu.")
        best = search(Directive.objects.all(), "tiep tuc", window=2)
        assert {d.meeting for d in best} == {newer, seeds}


class TestTheWindowOfNewestMatches:
    """A search ranks and lists the newest RECENT_WINDOW matches, and the page says so when
    they fill it (resolutions.search)."""

    def test_only_the_newest_matches_are_listed_ranked_by_the_whole_rule(self, seeds):
        older = MeetingFactory(started_on=date(2001, 1, 5))
        DirectiveFactory(meeting=older, text="Tiếp tục xây dựng nông thôn mới kiểu mẫu.")
        everything = search(Directive.objects.all(), "tiep tuc")
        assert everything.count() > 3
        assert older in {d.meeting for d in everything}
        best = search(Directive.objects.all(), "tiep tuc", window=3)
        assert best.count() == 3
        assert older not in {d.meeting for d in best}
        ranks = [d.rank for d in best]
        assert ranks == sorted(ranks, reverse=True)

    def test_the_search_page_says_when_only_the_newest_matches_are_listed(
        self, seeds, clerk_client, monkeypatch
    ):
        url = reverse("admin:resolutions_directive_changelist")
        monkeypatch.setattr(search_module, "RECENT_WINDOW", 3)
        response = clerk_client.get(url, {"q": "tiep tuc"})
        assert response.context["cl"].result_count == 3
        assert "Hiển thị 3 kết quả mới nhất, xếp theo mức độ khớp" in response.content.decode()
        narrow = clerk_client.get(url, {"q": "Thu Thiem"})
        assert "kết quả mới nhất" not in narrow.content.decode()


@pytest.fixture
def postgresql(db):
    if connection.vendor != "postgresql":
        pytest.skip("kept by PostgreSQL triggers; SQLite reads the meeting's date itself")


class TestWhatTheDatabaseKeepsForSearching:
    """PostgreSQL keeps each row's meeting day and the register's words by triggers, so bulk
    writes and later edits are searched like rows saved one by one."""

    def test_a_meeting_moved_in_time_moves_its_records_in_the_window(self, seeds, postgresql):
        first = MeetingFactory(started_on=date(2030, 1, 5))
        second = MeetingFactory(started_on=date(2031, 1, 5))
        for meeting in (first, second):
            DirectiveFactory(meeting=meeting, text="Xây dựng nông thôn mới kiểu mẫu.")
        assert [d.meeting for d in search(Directive.objects.all(), "kieu mau", window=1)] == [
            second
        ]
        first.started_on = date(2032, 1, 5)
        first.save()
        assert [d.meeting for d in search(Directive.objects.all(), "kieu mau", window=1)] == [first]

    def test_the_index_and_the_newest_rows_find_the_same(self, seeds, postgresql, monkeypatch):
        read_all = [(d.pk, d.rank) for d in search(Directive.objects.all(), "tiep tuc")]
        monkeypatch.setattr(search_module, "NEWEST_ROWS_READ", 3)
        from_index = [(d.pk, d.rank) for d in search(Directive.objects.all(), "tiep tuc")]
        assert from_index == read_all
        assert len(read_all) > 3

    def test_a_word_brought_in_by_copy_is_known_to_the_corrections(self, seeds, postgresql):
        directive = Directive(
            meeting=MeetingFactory(),
            topic=Topic.objects.get(slug="kinh-te"),
            section_order=1,
            position=1,
            text="Hoàn thành kè bờ sông Giồng Ông Tố.",
        )
        directive.normalize_text()
        insert_rows(Directive, [directive])
        # "Giồngg" is in no record: it is corrected to "giong", which the COPY brought in.
        assert list(search(Directive.objects.all(), "song Giongg")) == [directive]

    def test_a_word_close_to_nothing_finds_nothing(self, seeds):
        assert list(search(Directive.objects.all(), "qwxyzzk")) == []
