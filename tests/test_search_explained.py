"""A search result says why it was found: the words that matched, marked; a corrected word,
named; a match through the section's heading, labelled. On SQLite and on PostgreSQL."""

import json
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from resolutions.models import Directive
from resolutions.search import highlight
from resolutions.services.fixtures import import_seeds

pytestmark = pytest.mark.django_db

URL = reverse("admin:resolutions_directive_changelist")
MARK = re.compile(r"<mark>(.*?)</mark>")


@pytest.fixture
def seeds(db):
    call_command("loaddata", "topics", "committees", verbosity=0)
    (outcome,) = import_seeds()
    return outcome.meeting


def directive(section, position):
    return Directive.objects.get(section_order=section, position=position)


def rows(response):
    """Each listed directive's place, with the HTML of its text cell."""
    cl = response.context["cl"]
    admin = cl.model_admin
    return {(d.section_order, d.position): str(admin.text_display(d)) for d in cl.result_list}


class TestWhatIsMarked:
    def test_the_phrase_is_marked_not_a_stray_word_that_folds_alike(self, seeds):
        # 1.6 holds "cuộc vận động", "phục vụ nhân dân" and "hướng dẫn": "dan" folds from both
        # "dân" and "dẫn", but only the words standing beside another of the query's count.
        shown = highlight(directive(1, 6).text, "van dong nhan dan", words=200)
        assert MARK.findall(shown) == ["vận", "động", "nhân", "dân"]
        assert "hướng dẫn" in shown

    def test_the_excerpt_shows_where_the_phrase_is(self, seeds):
        text = "Hướng dẫn các đơn vị. " * 20 + "Tăng cường công tác vận động nhân dân."
        shown = highlight(text, "van dong nhan dan", words=12)
        assert shown.startswith("… ")
        assert "<mark>vận</mark> <mark>động</mark> <mark>nhân</mark> <mark>dân</mark>" in shown
        assert "hướng <mark>" not in shown.lower()

    def test_a_single_word_is_marked_wherever_it_stands(self, seeds):
        shown = highlight("Hướng dẫn nhân dân.", "dan")
        assert MARK.findall(shown) == ["dẫn", "dân"]  # accents aside, both are "dan"

    def test_a_quoted_phrase_marks_only_where_it_stands_whole(self):
        shown = highlight(
            "Cải cách hành chính; hành chính công, cải cách thể chế.", '"cai cach hanh chinh"'
        )
        assert MARK.findall(shown) == ["Cải", "cách", "hành", "chính"]

    def test_text_is_escaped_around_the_marks(self):
        shown = highlight("<b>Thủ Thiêm</b> & quận 2", "thu thiem")
        assert shown == "&lt;b&gt;<mark>Thủ</mark> <mark>Thiêm</mark>&lt;/b&gt; &amp; quận 2"


class TestTheSearchPage:
    def test_rows_found_through_their_heading_say_so(self, seeds, clerk_client):
        found = rows(clerk_client.get(URL, {"q": "van dong nhan dan"}))
        # Section 4 is "Công tác xây dựng Đảng và vận động nhân dân".
        through_heading = {place for place, cell in found.items() if "khớp tên mục" in cell}
        assert through_heading == {(4, 1), (4, 2), (4, 3), (4, 4), (4, 6), (4, 7)}
        # 4.5 says it in its own words: marked, unlabelled, first.
        assert (
            "<mark>vận</mark> <mark>động</mark> <mark>nhân</mark> <mark>dân</mark>" in found[4, 5]
        )
        # Their own stray words are not why they were found: nothing marked in them but the
        # words that stand together ("cuộc vận động").
        assert "<mark>dẫn</mark>" not in "".join(found.values())
        page = clerk_client.get(URL, {"q": "van dong nhan dan"}).content.decode()
        assert "và <mark>vận</mark> <mark>động</mark> <mark>nhân</mark> <mark>dân</mark>" in page

    def test_a_row_found_by_its_own_words_is_not_labelled(self, seeds, clerk_client):
        found = rows(clerk_client.get(URL, {"q": "Thu Thiem"}))
        assert list(found) == [(1, 1)]
        assert "khớp" not in found[1, 1]

    def test_a_corrected_word_is_said_and_marked(self, seeds, clerk_client):
        response = clerk_client.get(URL, {"q": "giai phong mat bangg"})
        said = [str(m) for m in response.context["messages"]]
        found = rows(response)
        if connection.vendor == "postgresql":
            (notice,) = [m for m in said if m.startswith("Đã tìm")]
            assert notice.startswith("Đã tìm “bang”")
            assert notice.endswith(" thay cho “bangg”.")
            assert list(found) == [(1, 1)]
            assert "<mark>mặt</mark> <mark>bằng</mark>" in found[1, 1]
        else:  # SQLite matches whole folded words only (README "Searching")
            assert found == {}
            assert not [m for m in said if m.startswith("Đã tìm")]

    def test_the_page_costs_the_same_few_queries_with_a_correction(self, seeds, clerk_client):
        with CaptureQueriesContext(connection) as plain:
            clerk_client.get(URL, {"q": "giai phong mat bang"})
        with CaptureQueriesContext(connection) as corrected:
            clerk_client.get(URL, {"q": "giai phong mat bangg"})
        # 13: the two topic filters read the small topics table a query each.
        assert len(plain) <= 13
        assert len(corrected) <= 13


class TestTheCommand:
    def test_an_empty_query_lists_the_topics_directives(self, seeds):
        out = StringIO()
        call_command("search_directives", "", "--topic", "dan-van", "--json", stdout=out)
        found = [(row["section_order"], row["position"]) for row in json.loads(out.getvalue())]
        # Tagged Dân vận, or a finer topic of it (4.6: Hội Nông dân, Liên đoàn Lao động).
        assert found == [(4, 3), (4, 5), (4, 6)]

    def test_an_empty_query_lists_a_sections_topic_in_order(self, seeds):
        out = StringIO()
        call_command("search_directives", "", "--topic", "quoc-phong-an-ninh", stdout=out)
        lines = out.getvalue().splitlines()
        assert [line.split(" — ")[1].split(":")[0] for line in lines] == [
            f"mục 3, nhiệm vụ {n}" for n in (1, 2, 3, 4)
        ]

    def test_it_says_which_rows_matched_through_their_heading(self, seeds):
        out = StringIO()
        call_command("search_directives", "van dong nhan dan", "--limit", "3", stdout=out)
        first, second, _ = out.getvalue().splitlines()
        assert "mục 4, nhiệm vụ 5:" in first
        assert "(khớp tên mục)" in second
