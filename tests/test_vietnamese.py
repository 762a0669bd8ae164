"""The Vietnamese text rules, with phrases taken from the seed conclusion."""

import unicodedata
from datetime import date
from decimal import Decimal

import pytest

from resolutions import vietnamese


class TestNfc:
    def test_it_composes_decomposed_text(self):
        nfd = unicodedata.normalize("NFD", "vận động nhân dân")
        assert nfd != "vận động nhân dân"
        assert vietnamese.nfc(nfd) == "vận động nhân dân"

    def test_it_leaves_composed_text_alone(self):
        assert vietnamese.nfc("Quốc phòng – an ninh") == "Quốc phòng – an ninh"


class TestFold:
    @pytest.mark.parametrize(
        ("phrase", "folded"),
        [
            ("giải phóng mặt bằng", "giai phong mat bang"),
            ("Vận động nhân dân", "van dong nhan dan"),
            ("Ban Chấp hành Đảng bộ Quận 2", "ban chap hanh dang bo quan 2"),
            ("khu đô thị mới Thủ Thiêm", "khu do thi moi thu thiem"),
            ("ĐẨY MẠNH", "day manh"),
            ("Quốc phòng – an ninh", "quoc phong – an ninh"),
        ],
    )
    def test_it_strips_accents_and_case(self, phrase, folded):
        assert vietnamese.fold(phrase) == folded

    def test_it_folds_d_with_stroke(self):
        assert vietnamese.fold("đ Đ") == "d d"

    def test_both_tone_placements_fold_alike(self):
        # The seed writes "Quận ủy" while other documents write "Quận uỷ"; "hòa"/"hoà" likewise.
        assert vietnamese.fold("Quận ủy") == vietnamese.fold("Quận uỷ") == "quan uy"
        assert vietnamese.fold("văn hóa") == vietnamese.fold("văn hoá") == "van hoa"

    def test_nfd_input_folds_like_nfc(self):
        phrase = "Thủ Thiêm đã được bồi thường"
        assert vietnamese.fold(unicodedata.normalize("NFD", phrase)) == vietnamese.fold(phrase)


class TestParseDecimal:
    @pytest.mark.parametrize(
        ("written", "value"),
        [
            ("55,699", Decimal("55.699")),  # "55,699 tỷ đồng": a decimal comma, not thousands
            ("79,5", Decimal("79.5")),
            ("44,75", Decimal("44.75")),
            ("50,14", Decimal("50.14")),
            ("1.234,5", Decimal("1234.5")),
            ("41.818,8", Decimal("41818.8")),
            ("1.234.567", Decimal("1234567")),
            ("1.234", Decimal("1234")),
            ("970", Decimal("970")),
            ("50.14", Decimal("50.14")),  # as a spreadsheet writes it
            ("0.125", Decimal("0.125")),
            ("1,234.5", Decimal("1234.5")),
            ("1 234,5", Decimal("1234.5")),
            ("1\u00a0234,5", Decimal("1234.5")),
            ("-5,2", Decimal("-5.2")),
            ("\u22125,2", Decimal("-5.2")),
            ("+3", Decimal("3")),
        ],
    )
    def test_it_reads_numbers_as_clerks_write_them(self, written, value):
        assert vietnamese.parse_decimal(written) == value

    def test_it_keeps_exact_decimals(self):
        assert isinstance(vietnamese.parse_decimal("55,699"), Decimal)
        assert str(vietnamese.parse_decimal("55,699")) == "55.699"

    @pytest.mark.parametrize(
        "bad", ["", "abc", "55,6x", "1,2,3", "1.2.3", "12,", ",5", "5%", "--5"]
    )
    def test_it_refuses_what_is_not_a_number_and_names_it(self, bad):
        with pytest.raises(ValueError, match="không phải là một số hợp lệ") as error:
            vietnamese.parse_decimal(bad)
        assert f"“{bad}”" in str(error.value)


class TestFormatDecimal:
    def test_it_writes_a_decimal_comma_without_trailing_zeros(self):
        assert vietnamese.format_decimal(Decimal("55.6990")) == "55,699"
        assert vietnamese.format_decimal(Decimal("970.0000")) == "970"

    def test_it_groups_thousands_with_dots_on_request(self):
        assert vietnamese.format_decimal(Decimal("41818.8"), grouping=True) == "41.818,8"
        assert vietnamese.format_decimal(Decimal("-1234567"), grouping=True) == "-1.234.567"

    @pytest.mark.parametrize("value", ["55.699", "1234.5", "0.125", "970", "-5.2"])
    def test_written_numbers_read_back_equal(self, value):
        number = Decimal(value)
        assert vietnamese.parse_decimal(vietnamese.format_decimal(number)) == number
        assert vietnamese.parse_decimal(vietnamese.format_decimal(number, grouping=True)) == number


class TestRoman:
    @pytest.mark.parametrize(
        ("number", "roman"), [(1, "I"), (3, "III"), (4, "IV"), (9, "IX"), (10, "X"), (14, "XIV")]
    )
    def test_terms_round_trip(self, number, roman):
        assert vietnamese.to_roman(number) == roman
        assert vietnamese.from_roman(roman) == number

    def test_it_reads_lower_case(self):
        assert vietnamese.from_roman("iii") == 3

    @pytest.mark.parametrize("bad", ["IIII", "IC", "ABC", "", "3"])
    def test_it_refuses_non_canonical_numerals(self, bad):
        with pytest.raises(ValueError, match="La Mã"):
            vietnamese.from_roman(bad)

    def test_it_refuses_zero(self):
        with pytest.raises(ValueError):
            vietnamese.to_roman(0)

    @pytest.mark.parametrize(
        ("printed", "term"),
        [("khóa III", 3), ("khoá III", 3), ("III", 3), ("khóa X", 10), ("khóa 12", 12), ("12", 12)],
    )
    def test_terms_are_read_roman_or_arabic(self, printed, term):
        assert vietnamese.parse_term(printed) == term

    @pytest.mark.parametrize("bad", ["khóa", "khóa 0", "khóa ba", ""])
    def test_a_term_that_is_no_number_is_refused(self, bad):
        with pytest.raises(ValueError, match="nhiệm kỳ"):
            vietnamese.parse_term(bad)


class TestPeriods:
    @pytest.mark.parametrize(
        ("period", "parsed"),
        [
            ("quý IV/2007", (2007, 4)),
            ("quý IV/ 2007", (2007, 4)),
            ("Quý 2/2008", (2008, 2)),
            ("9 tháng năm 2007", (2007, None)),
            ("năm 2008", (2008, None)),
            ("(2007- 2010)", (None, None)),
            ("từ nay đến cuối năm", (None, None)),
        ],
    )
    def test_it_finds_year_and_quarter(self, period, parsed):
        assert vietnamese.parse_period(period) == parsed


class TestDates:
    def test_dates_are_written_day_first(self):
        assert vietnamese.format_date(date(2020, 7, 5)) == "05/07/2020"

    @pytest.mark.parametrize(
        ("start", "end", "written"),
        [
            (date(2007, 10, 16), date(2007, 10, 17), "16–17/10/2007"),
            (date(2007, 10, 16), None, "16/10/2007"),
            (date(2007, 10, 16), date(2007, 10, 16), "16/10/2007"),
            (date(2007, 9, 30), date(2007, 10, 1), "30/09–01/10/2007"),
            (date(2007, 12, 31), date(2008, 1, 2), "31/12/2007–02/01/2008"),
        ],
    )
    def test_meeting_dates_share_their_common_parts(self, start, end, written):
        assert vietnamese.format_date_range(start, end) == written


@pytest.mark.parametrize(
    "text",
    [
        "Giải phóng mặt bằng Thủ Thiêm, Đảng bộ, uỷ ban, hoà",
        unicodedata.normalize("NFD", "Nghị quyết số 41-NQ/TW về Bảo vệ môi trường"),
        "Ελληνικά ά, Привет й, עִבְרִית, मराठी, 𝒜 \U0001d165\U0001d166 x\u20dd",
    ],
)
def test_folding_removes_exactly_the_combining_marks(text):
    slow = "".join(
        ch
        for ch in unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "d"))
        if not unicodedata.combining(ch)
    )
    assert vietnamese.fold(text) == unicodedata.normalize("NFC", slow).casefold()


@pytest.mark.parametrize(
    "text",
    [
        "Tập trung chỉ đạo quyết liệt công tác bồi thường giải phóng mặt bằng và tái định cư "
        "cho dự án khu đô thị mới Thủ Thiêm",
        "Hai  từ",
        "",
        "Mười bốn từ: một hai ba bốn năm sáu bảy tám chín mười mười một",
    ],
)
def test_first_words_writes_what_djangos_truncator_writes(text):
    from django.utils.text import Truncator

    assert vietnamese.first_words(text, 14) == Truncator(text).words(14)
