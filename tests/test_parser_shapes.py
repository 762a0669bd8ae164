"""The document shapes of issue 11, item 4, each read as a clerk would record it.

Each text is a short one in the shape seen in real documents (written for the test); the
assertions are what the preview would propose for it.
"""

from datetime import date
from decimal import Decimal

from resolutions.models import Meeting
from resolutions.parsing import parse_conclusion
from resolutions.services.records import conclusion_records

NEWS_REPORT = "\n".join(
    (
        "Chính trị",
        "Long Điền: thu ngân sách nửa năm vượt dự toán",
        "Cập nhật: 12/07/2023 15:20",
        "Lượt xem: 1.254",
        "Ngày 11/7, Huyện ủy Long Điền tổ chức hội nghị Ban Chấp hành Đảng bộ huyện (Mở "
        "rộng) lần thứ 14 – Khóa VI nhằm đánh giá nhiệm vụ 6 tháng đầu năm và bàn nhiệm "
        "vụ 6 tháng cuối năm 2023.",
        "Quang cảnh hội nghị. Ảnh: THANH HÀ",
        "Giá trị sản xuất nông nghiệp ước đạt hơn 1.560 tỷ đồng, tăng gần 4% so với cùng "
        "kỳ; thu ngân sách trên 334 tỷ đồng, đạt hơn 57% dự toán; toàn huyện đã kết nạp "
        "113 đảng viên mới.",
        "Tuy vậy, giải ngân vốn đầu tư công còn chậm.",
        "Kết luận hội nghị, đồng chí Bí thư Huyện ủy yêu cầu các cấp, các ngành: giữ "
        "vững an ninh trật tự; dồn sức cho phong trào “100% tuyến đường có đèn chiếu "
        "sáng”; hoàn thành các chỉ tiêu năm 2023.",
        "THANH HÀ",
        "",
        "",
    )
)


def _by_name(parsed, name):
    return next(i for i in parsed.results if i.name == name)


class TestANewsReport:
    def test_the_meeting_is_read_from_the_lead_after_the_page_furniture(self):
        meeting = parse_conclusion(NEWS_REPORT).meeting
        assert meeting.committee == "Ban Chấp hành Đảng bộ huyện Long Điền"
        assert meeting.short_name_in_text == "Huyện ủy Long Điền"
        assert (meeting.number, meeting.term, meeting.extended_session) == (14, 6, True)
        assert (meeting.review_period, meeting.plan_period) == (
            "6 tháng đầu năm 2023",
            "6 tháng cuối năm 2023",
        )

    def test_a_date_without_its_year_takes_the_periods_year_and_says_so(self):
        parsed = parse_conclusion(NEWS_REPORT)
        assert parsed.meeting.started_on == date(2023, 7, 11)
        assert parsed.published_on == date(2023, 7, 12)
        inferred = [w for w in parsed.warnings if w.code == "inferred_year"]
        assert [w.line for w in inferred] == [5]
        assert "2023" in inferred[0].message

    def test_the_closing_paragraph_is_body_and_its_tasks_are_split(self):
        parsed = parse_conclusion(NEWS_REPORT)
        assert parsed.title == ""
        assert parsed.general_instruction == (
            "Kết luận hội nghị, đồng chí Bí thư Huyện ủy yêu cầu các cấp, các ngành:"
        )
        assert [d.text for _, _, d in parsed.directives] == [
            "giữ vững an ninh trật tự",
            "dồn sức cho phong trào “100% tuyến đường có đèn chiếu sáng”",
            "hoàn thành các chỉ tiêu năm 2023.",
        ]

    def test_a_caption_and_a_byline_are_not_findings_and_a_slogan_is_no_target(self):
        parsed = parse_conclusion(NEWS_REPORT)
        assert [f.kind for f in parsed.findings] == ["achievement", "shortcoming"]
        assert parsed.targets == []

    def test_hedged_figures_keep_their_value_and_a_clean_name(self):
        parsed = parse_conclusion(NEWS_REPORT)
        farm = _by_name(parsed, "Giá trị sản xuất nông nghiệp")
        assert (farm.value, farm.unit, farm.change_pct, farm.is_estimate) == (
            Decimal("1560"),
            "tỷ đồng",
            Decimal("4"),
            True,
        )
        budget = _by_name(parsed, "thu ngân sách")
        assert (budget.value, budget.plan_pct) == (Decimal("334"), Decimal("57"))
        members = _by_name(parsed, "kết nạp đảng viên mới")
        assert (members.value, members.unit) == (Decimal("113"), "đảng viên")


def _figures(sentence: str):
    text = (
        "KẾT LUẬN HỘI NGHỊ LẦN THỨ 5 BAN CHẤP HÀNH ĐẢNG BỘ HUYỆN (KHÓA X)\n"
        "Ngày 05/7/2021, Hội nghị lần thứ 5 Ban Chấp hành Đảng bộ huyện họp.\n"
        f"Trong 6 tháng đầu năm 2021, {sentence}\n"
        "II. Nhiệm vụ:\n1. Về kinh tế\n- Tăng thu ngân sách.\n"
    )
    return parse_conclusion(text).results


class TestFigures:
    def test_share_of_the_same_period_last_year_is_a_change(self):
        (figure,) = _figures(
            "giá trị sản xuất công nghiệp đạt 5.870 tỷ đồng, bằng 134,5% so với cùng kỳ."
        )
        assert (figure.value, figure.change_pct, figure.compared_with) == (
            Decimal("5870"),
            Decimal("34.5"),
            "cùng kỳ",
        )

    def test_share_of_plan_and_thousands_of_billions(self):
        (figure,) = _figures("thu ngân sách đạt 31,2 nghìn tỷ đồng, bằng 61,2% kế hoạch.")
        assert (figure.value, figure.unit, figure.plan_pct) == (
            Decimal("31200"),
            "tỷ đồng",
            Decimal("61.2"),
        )

    def test_achieved_against_target_and_a_fraction(self):
        money, count = _figures(
            "thu ngân sách đạt 12.450/10.000 tỷ đồng; có 19/21 chỉ tiêu đạt và vượt."
        )
        assert (money.value, money.target_value, money.unit) == (
            Decimal("12450"),
            Decimal("10000"),
            "tỷ đồng",
        )
        assert (count.name, count.value, count.target_value, count.unit) == (
            "chỉ tiêu đạt và vượt",
            Decimal("19"),
            Decimal("21"),
            "chỉ tiêu",
        )

    def test_higher_by_and_exceeding_plan(self):
        export, budget = _figures(
            "kim ngạch xuất khẩu đạt 62,4 triệu USD, cao hơn 2,4% so với cùng kỳ; "
            "thu ngân sách 186,4 tỷ đồng, vượt 12,6% dự toán."
        )
        assert export.change_pct == Decimal("2.4")
        assert budget.plan_pct == Decimal("112.6")

    def test_count_units_and_decimals_in_hectares(self):
        wards, area = _figures("có 8 phường đạt chuẩn văn minh đô thị; diện tích lúa 12.345,6 ha.")
        assert (wards.name, wards.value, wards.unit) == (
            "phường đạt chuẩn văn minh đô thị",
            Decimal("8"),
            "phường",
        )
        assert (area.value, area.unit) == (Decimal("12345.6"), "ha")


class TestMeetingsOfOtherKinds:
    CONGRESS = (
        "Trang chủ\n"
        "Đại hội đại biểu Đảng bộ huyện Bình Gia lần thứ XXI, nhiệm kỳ 2010 - 2015\n"
        "Trong 2 ngày 9, 10/8/2010, Đảng bộ huyện Bình Gia tiến hành Đại hội đại biểu lần thứ "
        "XXI, nhiệm kỳ 2010 - 2015, với 201 đại biểu.\n"
        "Nhìn lại nhiệm kỳ 2005 - 2010, thu ngân sách đạt 40,5 tỷ đồng.\n"
        "Đại hội đề ra các nhiệm vụ chủ yếu sau:\n"
        "- Phát triển nông, lâm nghiệp theo hướng sản xuất hàng hóa.\n"
        "- Nâng cao chất lượng tổ chức cơ sở đảng.\n"
        "Đại hội đã bầu 37 đồng chí vào Ban Chấp hành Đảng bộ huyện khóa XXI.\n"
    )
    GOVERNMENT = (
        "UBND tỉnh họp phiên thường kỳ tháng 10\n"
        "29/10/2015 - 08:30\n"
        "Ngày 28-10, UBND tỉnh Tuyên Quang họp phiên thường kỳ tháng 10-2015 dưới sự chủ trì "
        "của đồng chí Chủ tịch UBND tỉnh.\n"
        "Phiên họp đánh giá tình hình kinh tế - xã hội 10 tháng năm 2015.\n"
        "Tổng thu ngân sách ước đạt 1.203,6 tỷ đồng, bằng 61,2% kế hoạch.\n"
        "Chủ tịch UBND tỉnh kết luận, yêu cầu các ngành tập trung trong 2 tháng cuối năm:\n"
        "1. Sở Tài chính phối hợp Cục Thuế tỉnh rà soát nguồn thu.\n"
    )

    def test_a_party_congress_is_a_congress_of_the_party_organization(self):
        parsed = parse_conclusion(self.CONGRESS)
        meeting = parsed.meeting
        assert (meeting.kind, meeting.committee, meeting.number, meeting.term) == (
            "congress",
            "Đảng bộ huyện Bình Gia",
            21,
            None,
        )
        assert (meeting.started_on, meeting.ended_on) == (date(2010, 8, 9), date(2010, 8, 10))
        assert (meeting.review_period, meeting.plan_period) == (
            "nhiệm kỳ 2005 - 2010",
            "nhiệm kỳ 2010 - 2015",
        )
        # The headline names the congress, "Đại hội đã bầu …" closes it: neither is a task.
        assert [d.text for _, _, d in parsed.directives] == [
            "Phát triển nông, lâm nghiệp theo hướng sản xuất hàng hóa.",
            "Nâng cao chất lượng tổ chức cơ sở đảng.",
        ]
        records = conclusion_records(parsed, "dai_hoi.txt", {})
        assert records.meeting["kind"] == Meeting.Kind.CONGRESS

    def test_a_peoples_committee_meeting_is_a_government_meeting(self):
        parsed = parse_conclusion(self.GOVERNMENT)
        meeting = parsed.meeting
        assert (meeting.kind, meeting.committee) == (
            "government_meeting",
            "Ủy ban nhân dân tỉnh Tuyên Quang",
        )
        assert meeting.started_on == date(2015, 10, 28)
        assert (meeting.review_period, meeting.plan_period) == (
            "10 tháng năm 2015",
            "2 tháng cuối năm 2015",
        )
        (_, _, directive), *_ = parsed.directives
        assert directive.responsible_unit == "Sở Tài chính"
        records = conclusion_records(parsed, "ubnd.txt", {})
        assert records.meeting["kind"] == Meeting.Kind.GOVERNMENT_MEETING


def test_sub_numbering_is_kept_out_of_the_task_text():
    parsed = parse_conclusion(
        "KẾT LUẬN HỘI NGHỊ LẦN THỨ 26 BAN CHẤP HÀNH ĐẢNG BỘ HUYỆN\n"
        "Ngày 09/7/2020, Hội nghị lần thứ 26 Ban Chấp hành Đảng bộ huyện họp.\n"
        "Hội nghị thống nhất các nhóm nhiệm vụ 6 tháng cuối năm:\n"
        "1. Về kinh tế\n"
        "1.1- Khôi phục sản xuất, hỗ trợ doanh nghiệp.\n"
        "1.2- Tăng cường chống thất thu ngân sách.\n"
        "2. Về xây dựng Đảng\n"
        "2.1. Ban Tổ chức Huyện ủy hướng dẫn quy trình nhân sự.\n"
        "T/M BAN THƯỜNG VỤ\n"
        "PHÓ BÍ THƯ\n"
        "Nơi nhận:\n"
        "- Như trên,\n"
    )
    assert [(s.printed_number, s.heading) for s in parsed.sections] == [
        ("1", "Về kinh tế"),
        ("2", "Về xây dựng Đảng"),
    ]
    assert [[d.text for d in s.directives] for s in parsed.sections] == [
        ["Khôi phục sản xuất, hỗ trợ doanh nghiệp.", "Tăng cường chống thất thu ngân sách."],
        ["Ban Tổ chức Huyện ủy hướng dẫn quy trình nhân sự."],
    ]
    assert parsed.sections[1].directives[0].responsible_unit == "Ban Tổ chức Huyện ủy"
