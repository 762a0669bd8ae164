"""Issue 11 item 3: each value the parser proposes says where it was read and how sure it is."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from resolutions.parsing import parse_conclusion

from .test_parser_shapes import NEWS_REPORT

LEAD = NEWS_REPORT.split("\n")[4]


def _read(evidence):
    return (evidence.line, evidence.source, evidence.certainty)


class TestEvidence:
    def test_meeting_values_name_their_line_characters_and_certainty(self):
        found = parse_conclusion(NEWS_REPORT).evidence
        assert _read(found["meeting.number"]) == (5, "lần thứ 14", "exact")
        assert _read(found["meeting.term"]) == (5, "Khóa VI", "exact")
        assert _read(found["meeting.extended_session"]) == (5, "Mở rộng", "exact")
        assert _read(found["meeting.plan_period"]) == (5, "6 tháng cuối năm 2023", "exact")
        number = found["meeting.number"]
        assert LEAD[number.start : number.end] == "lần thứ 14"

    def test_values_completed_from_elsewhere_are_inferred(self):
        found = parse_conclusion(NEWS_REPORT).evidence
        # "Ngày 11/7": the year comes from the periods.
        assert _read(found["meeting.started_on"]) == (5, "11/7", "inferred")
        # "6 tháng đầu năm" is completed with the plan's year.
        assert _read(found["meeting.review_period"]) == (5, "6 tháng đầu năm", "inferred")
        # The committee is named by its place ("Huyện ủy Long Điền").
        assert found["meeting.committee"].certainty == "inferred"

    def test_a_value_the_text_does_not_state_is_empty_and_has_no_evidence(self):
        parsed = parse_conclusion(NEWS_REPORT)
        assert parsed.meeting.ended_on is None
        assert "meeting.ended_on" not in parsed.evidence
        assert "document.symbol" not in parsed.evidence

    def test_figures_and_tasks_point_at_their_words(self):
        parsed = parse_conclusion(NEWS_REPORT)
        farm = next(i for i in parsed.results if i.name == "Giá trị sản xuất nông nghiệp")
        assert _read(farm.evidence) == (
            7,
            "Giá trị sản xuất nông nghiệp ước đạt hơn 1.560",
            "exact",
        )
        (_, _, first), *_ = parsed.directives
        assert _read(first.evidence) == (9, "giữ vững an ninh trật tự", "exact")
        line = NEWS_REPORT.split("\n")[8]
        assert line[first.evidence.start : first.evidence.end] == "giữ vững an ninh trật tự"


@pytest.mark.django_db
def test_parse_conclusion_json_carries_the_evidence(tmp_path):
    path = tmp_path / "bao_cao.txt"
    path.write_text(NEWS_REPORT, encoding="utf-8")
    out = StringIO()
    call_command("parse_conclusion", str(path), "--format", "json", stdout=out)
    evidence = json.loads(out.getvalue())["evidence"]
    assert evidence["fields"]["meeting.number"] == {
        "line": 5,
        "start": LEAD.index("lần thứ 14"),
        "end": LEAD.index("lần thứ 14") + len("lần thứ 14"),
        "source": "lần thứ 14",
        "certainty": "exact",
    }
    assert evidence["fields"]["meeting.started_on"]["certainty"] == "inferred"
    assert [d["line"] for d in evidence["directives"]] == [9, 9, 9]
    assert len(evidence["indicators"]) == 3
