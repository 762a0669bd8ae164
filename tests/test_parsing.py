"""The parser on real and written conclusions, each against its hand-checked structure."""

import io
import json
import unicodedata
import zipfile
from decimal import Decimal

import pytest

from resolutions.parsing import (
    DocumentError,
    TopicEntry,
    TopicMatcher,
    as_gold_dict,
    citations,
    parse_conclusion,
    read_document,
    read_path,
)

from .helpers import DOCUMENTS, SEED, WRITTEN, differences, docx_of, seed_gold


@pytest.fixture(scope="module")
def seed():
    return parse_conclusion(read_path(SEED))


class TestTheSeed:
    def test_it_agrees_with_the_gold_on_every_field(self, seed):
        assert differences(seed_gold(), as_gold_dict(seed, SEED.name)) == []

    def test_the_meeting(self, seed):
        meeting = seed.meeting
        assert meeting.committee == "Ban Chấp hành Đảng bộ Quận 2"
        assert (meeting.number, meeting.term, meeting.extended_session) == (9, 3, True)
        assert (str(meeting.started_on), str(meeting.ended_on)) == ("2007-10-16", "2007-10-17")
        assert (meeting.review_period, meeting.plan_period) == ("9 tháng năm 2007", "quý IV/2007")
        assert str(seed.published_on) == "2020-07-05"

    def test_five_reports_each_with_its_kind(self, seed):
        assert [r.kind for r in seed.reports] == [
            "report",
            "report",
            "action_programme",
            "action_programme",
            "work_programme",
        ]

    def test_indicators_keep_exact_decimals(self, seed):
        values = [(i.name, i.value, i.unit, i.change_pct, i.plan_pct) for i in seed.results]
        assert values[2] == (
            "Tổng vốn đầu tư xây dựng cơ bản thực hiện",
            Decimal("55.699"),
            "tỷ đồng",
            None,
            Decimal("50.14"),
        )
        assert [v[3] for v in values[:2]] == [Decimal("79.5"), Decimal("44.75")]
        assert seed.results[4].part_of == "Chi trả bồi thường các dự án"

    def test_sections_keep_their_printed_numbers_in_real_order(self, seed):
        assert [(s.order, s.printed_number) for s in seed.sections] == [
            (1, "1"),
            (2, "2"),
            (3, "3"),
            (4, "2"),
        ]
        assert [len(s.directives) for s in seed.sections] == [7, 6, 4, 7]
        assert [s.topic_slug for s in seed.sections] == [
            "kinh-te",
            "van-hoa-xa-hoi",
            "quoc-phong-an-ninh",
            "xay-dung-dang",
        ]

    def test_directives_lose_their_bullet_but_nothing_else(self, seed):
        first = seed.sections[0].directives[0].text
        assert first.startswith("Tập trung đẩy nhanh công tác bồi thường")
        assert all(not d.text.startswith(("-", "–")) for _, _, d in seed.directives)

    def test_the_numbering_slip_and_the_repeated_sentence_are_warned(self, seed):
        by_code = {}
        for warning in seed.warnings:
            by_code.setdefault(warning.code, []).append(warning)
        assert [w.line for w in by_code["numbering_slip"]] == [55]
        assert "được in số “2” (đáng lẽ là “4”)" in by_code["numbering_slip"][0].message
        assert [w.line for w in by_code["repeated_text"]] == [43]
        assert "dòng 27" in by_code["repeated_text"][0].message

    def test_the_web_page_around_the_document_is_left_out_with_warnings(self, seed):
        codes = {w.code: w.line for w in seed.warnings}
        assert codes["site_date"] == 1
        assert codes["site_label"] == 71
        assert seed.sections[-1].directives[-1].text.endswith("tổ chức cơ sở Đảng.")


@pytest.mark.parametrize("name", WRITTEN)
def test_written_documents_match_their_expected_structure(name):
    """Three layouts the seed does not have: capitals, ordinals, letters, other bullets."""
    expected = json.loads((DOCUMENTS / f"{name}.json").read_text(encoding="utf-8"))
    parsed = parse_conclusion(read_path(DOCUMENTS / f"{name}.txt"))
    actual = as_gold_dict(parsed, f"{name}.txt")
    actual["warnings"] = [{"line": w.line, "code": w.code} for w in parsed.warnings]
    assert differences(expected, actual) == []


class TestPieces:
    @pytest.mark.parametrize(
        ("text", "cited"),
        [
            ("theo tinh thần Nghị quyết số 41 –NQ/TW của Bộ chính trị", ["Nghị quyết số 41-NQ/TW"]),
            (
                "Nghị quyết 08–NQ/TW ngày 05/02/2007 của Bộ Chính trị",
                ["Nghị quyết 08-NQ/TW ngày 05/02/2007"],
            ),
            ("Nghị quyết Trung ương 4, 5 (khóa X) nhằm", ["Nghị quyết Trung ương 4, 5 (khóa X)"]),
            (
                "Quyết định số 2309/QĐ-UBND ngày 12/10/2015",
                ["Quyết định số 2309/QĐ-UBND ngày 12/10/2015"],
            ),
            ("Nghị quyết của Quận ủy về Chương trình “3 giảm”", []),
        ],
    )
    def test_cited_documents_are_normalized(self, text, cited):
        assert citations(text) == cited

    def test_headings_map_to_topics_given_by_the_database(self):
        matcher = TopicMatcher(
            [
                TopicEntry("kinh-te", "Kinh tế"),
                TopicEntry("noi-chinh", "Nội chính", ("phòng, chống tham nhũng",), "xay-dung-dang"),
            ]
        )
        assert matcher.match_heading("Về công tác nội chính và phòng, chống tham nhũng") == (
            "noi-chinh"
        )
        assert matcher.match_heading("1- KINH TẾ") == "kinh-te"
        assert matcher.match_heading("Đối ngoại") == ""

    def test_nfd_text_parses_like_nfc(self, seed):
        nfd = unicodedata.normalize("NFD", SEED.read_text(encoding="utf-8"))
        parsed = parse_conclusion(nfd)
        assert as_gold_dict(parsed) == as_gold_dict(seed)


class TestReading:
    @pytest.mark.parametrize(
        "encode",
        [
            lambda t: t.encode("utf-8"),
            lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"),
            lambda t: t.encode("utf-16"),  # with a byte-order mark
            lambda t: t.encode("utf-16-le"),
            lambda t: t.encode("utf-16-be"),
            lambda t: t.replace("\n", "\r\n").encode("utf-8"),
        ],
        ids=["utf8", "utf8-bom", "utf16-bom", "utf16le", "utf16be", "crlf"],
    )
    def test_every_accepted_encoding_reads_the_same_text(self, encode):
        text = SEED.read_text(encoding="utf-8")
        assert read_document("kl.txt", encode(text)) == text

    def test_a_word_document_parses_like_its_text(self, seed):
        paragraphs = [p for p in SEED.read_text(encoding="utf-8").split("\n") if p.strip()]
        text = read_document("kl.docx", docx_of(paragraphs))
        parsed = as_gold_dict(parse_conclusion(text))
        assert differences(seed_gold(), parsed) == []

    def test_an_empty_file_is_refused(self):
        with pytest.raises(DocumentError, match=r"kl\.txt: tệp rỗng"):
            read_document("kl.txt", b"  \n\n ")

    def test_a_binary_file_is_refused(self):
        with pytest.raises(DocumentError, match=r"chương trình\.exe: đây là tệp nhị phân"):
            read_document("chương trình.exe", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff")

    def test_a_legacy_encoding_is_converted_to_unicode(self):
        # "Kết luận Hội nghị" typed with a TCVN3 (ABC) font, as older offices did.
        legacy = b"K\xd5t lu\xcbn H\xe9i ngh\xde\nBan Ch\xcap h\xb5nh"
        assert read_document("cu.txt", legacy) == "Kết luận Hội nghị\nBan Chấp hành"

    def test_a_text_in_no_encoding_is_refused_with_the_line(self):
        undecidable = b"K\xd5t lu\xcbn\n\xfa\xfb\xfc\xfd \xf0\xf0\xf0\xf0"
        with pytest.raises(DocumentError) as error:
            read_document("cu.txt", undecidable)
        message = str(error.value)
        assert message.startswith("cu.txt: dòng 2 không đọc được bằng Unicode (UTF-8) hay bảng mã")
        assert "không xác định được bảng mã" in message

    def test_a_file_over_the_size_limit_is_refused_before_it_is_read(self, tmp_path):
        big = tmp_path / "lon.txt"
        with big.open("wb") as handle:
            handle.truncate(50 * 1024 * 1024)  # sparse: 50 MB without writing them
        with pytest.raises(DocumentError, match=r"lon.txt: tệp quá lớn \(50.0 MB\)"):
            read_path(big)

    def test_a_docx_that_expands_too_far_is_refused(self):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("word/document.xml", b"<a>" + b" " * (60 * 1024 * 1024) + b"</a>")
        assert len(buffer.getvalue()) < 1024 * 1024  # a small file...
        with pytest.raises(DocumentError, match=r"giải nén ra quá lớn"):
            read_document("bom.docx", buffer.getvalue())  # ...that would fill memory

    def test_a_damaged_docx_is_refused(self):
        with pytest.raises(DocumentError, match=r"hỏng"):
            read_document("hong.docx", b"PK\x03\x04 not really a zip")

    def test_a_document_without_tasks_says_so(self):
        parsed = parse_conclusion(
            "Kết luận Hội nghị lần thứ 2 Ban Chấp hành Đảng bộ Quận 2 khóa III\n"
            "Hội nghị lần thứ 2 họp ngày 10/01/2006 đã thông qua báo cáo năm 2005.\n"
            "Tình hình kinh tế ổn định."
        )
        assert parsed.directives == []
        assert "no_directives" in {w.code for w in parsed.warnings}
