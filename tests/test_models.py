"""The domain model: what a clerk reads, what the database refuses, how records are named."""

import unicodedata
from datetime import date
from decimal import Decimal

import pytest
from django.core import serializers
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from resolutions.models import Committee, Directive, Finding, Indicator, Meeting, Report, Topic

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


def error_messages(excinfo) -> list[str]:
    return [message for messages in excinfo.value.message_dict.values() for message in messages]


class TestReadableNames:
    def test_a_meeting_reads_as_its_heading(self, meeting9):
        assert str(meeting9) == "Hội nghị lần thứ 9 BCH Đảng bộ Quận 2 khóa III (16–17/10/2007)"

    def test_a_one_day_meeting_shows_one_date(self, district2):
        meeting = MeetingFactory(committee=district2, term=4, number=1, started_on=date(2010, 9, 5))
        assert str(meeting) == "Hội nghị lần thứ 1 BCH Đảng bộ Quận 2 khóa IV (05/09/2010)"

    def test_an_indicator_reads_with_its_figures(self, meeting9):
        invest = IndicatorFactory(
            meeting=meeting9,
            name="Tổng vốn đầu tư xây dựng cơ bản thực hiện",
            value=Decimal("55.699"),
            unit="tỷ đồng",
            plan_pct=Decimal("50.14"),
        )
        growth = IndicatorFactory(
            meeting=meeting9,
            name="doanh thu thương mại – dịch vụ",
            value=None,
            unit="",
            change_pct=Decimal("44.75"),
            compared_with="cùng kỳ",
        )
        assert str(invest) == (
            "Tổng vốn đầu tư xây dựng cơ bản thực hiện: 55,699 tỷ đồng, đạt 50,14% kế hoạch"
        )
        assert str(growth) == "doanh thu thương mại – dịch vụ: tăng 44,75% so với cùng kỳ"

    def test_a_finding_names_its_kind(self, meeting9):
        finding = FindingFactory(
            meeting=meeting9, kind=Finding.Kind.SHORTCOMING, text="Tai nạn giao thông tăng."
        )
        assert str(finding) == "Hạn chế, tồn tại: Tai nạn giao thông tăng."

    def test_term_is_shown_in_roman(self, meeting9):
        assert meeting9.term_roman == "III"


class TestNormalization:
    def test_text_is_stored_in_nfc(self, meeting9):
        nfd = unicodedata.normalize("NFD", "Tăng cường công tác tiếp công dân")
        directive = DirectiveFactory(meeting=meeting9, text=nfd, section_heading=nfd[:10])
        directive.refresh_from_db()
        assert directive.text == unicodedata.normalize("NFC", nfd)
        assert unicodedata.is_normalized("NFC", directive.section_heading)

    def test_an_nfd_name_collides_with_the_same_nfc_name(self, district2):
        twin = Committee(
            name=unicodedata.normalize("NFD", district2.name), level=Committee.Level.DISTRICT
        )
        with pytest.raises(ValidationError) as excinfo:
            twin.full_clean()
        assert "name" in excinfo.value.message_dict

    def test_the_source_checksum_follows_the_text(self, meeting9):
        meeting9.source_text = unicodedata.normalize("NFD", "Kết luận Hội nghị")
        meeting9.save()
        first = meeting9.source_checksum
        meeting9.source_text = "Kết luận Hội nghị"
        meeting9.save()
        assert len(first) == 64
        assert meeting9.source_checksum == first

    def test_the_plan_period_gives_its_year_and_quarter(self, meeting9):
        meeting9.refresh_from_db()
        assert (meeting9.plan_year, meeting9.plan_quarter) == (2007, 4)


class TestConstraints:
    def test_a_meeting_number_is_unique_within_a_term(self, meeting9):
        duplicate = Meeting(
            committee=meeting9.committee,
            term=3,
            number=9,
            started_on=date(2007, 12, 1),
            title="Kết luận",
        )
        with pytest.raises(ValidationError) as excinfo:
            duplicate.full_clean()
        assert "Cấp ủy này đã có hội nghị lần thứ này trong khóa này." in error_messages(excinfo)
        with pytest.raises(IntegrityError), transaction.atomic():
            duplicate.save()

    def test_the_same_number_in_another_term_is_a_different_meeting(self, meeting9):
        other = MeetingFactory(committee=meeting9.committee, term=4, number=9)
        assert other.pk != meeting9.pk

    def test_a_meeting_cannot_end_before_it_starts(self, district2):
        meeting = Meeting(
            committee=district2,
            term=3,
            number=10,
            started_on=date(2007, 10, 17),
            ended_on=date(2007, 10, 16),
            title="Kết luận",
        )
        with pytest.raises(ValidationError) as excinfo:
            meeting.full_clean()
        assert "Ngày kết thúc không được trước ngày bắt đầu." in error_messages(excinfo)
        with pytest.raises(IntegrityError), transaction.atomic():
            meeting.save()
        assert not Meeting.objects.filter(number=10).exists()

    def test_a_document_symbol_is_unique_within_a_term_but_may_be_blank(self, meeting9):
        meeting9.document_symbol = "15-KL/QU"
        meeting9.save()
        MeetingFactory(committee=meeting9.committee, term=3, number=10, document_symbol="")
        MeetingFactory(committee=meeting9.committee, term=3, number=11, document_symbol="")
        again = MeetingFactory.build(
            committee=meeting9.committee, term=3, number=12, document_symbol="15-KL/QU"
        )
        with pytest.raises(ValidationError) as excinfo:
            again.full_clean()
        assert "Số, ký hiệu này đã được dùng trong khóa này." in error_messages(excinfo)
        # Numbering restarts each term, so the next term may reuse it.
        MeetingFactory(committee=meeting9.committee, term=4, number=1, document_symbol="15-KL/QU")

    def test_an_indicator_needs_a_figure(self, meeting9):
        empty = Indicator(meeting=meeting9, name="Chi trả bồi thường", position=1)
        with pytest.raises(ValidationError) as excinfo:
            empty.full_clean()
        assert any("cần ít nhất một số liệu" in m for m in error_messages(excinfo))
        with pytest.raises(IntegrityError), transaction.atomic():
            Indicator.objects.create(meeting=meeting9, name="Chi trả bồi thường")

    def test_values_are_exact_decimals(self, meeting9):
        indicator = IndicatorFactory(meeting=meeting9, value=Decimal("55.699"))
        indicator.refresh_from_db()
        assert indicator.value == Decimal("55.699")
        assert isinstance(indicator.value, Decimal)

    def test_a_successor_only_follows_an_ended_committee(self, district2):
        thu_duc = CommitteeFactory(name="Ban Chấp hành Đảng bộ thành phố Thủ Đức")
        district2.successor = thu_duc
        with pytest.raises(ValidationError) as excinfo:
            district2.full_clean()
        assert any("hãy nhập ngày kết thúc hoạt động" in m for m in error_messages(excinfo))
        district2.active_until = date(2020, 12, 31)
        district2.full_clean()
        district2.save()
        assert list(thu_duc.predecessors.all()) == [district2]

    def test_a_committee_cannot_end_before_it_began(self, district2):
        district2.active_until = date(1990, 1, 1)
        with pytest.raises(ValidationError) as excinfo:
            district2.full_clean()
        assert "Ngày kết thúc hoạt động không được trước ngày bắt đầu." in error_messages(excinfo)

    def test_two_rows_of_a_meeting_cannot_share_a_position(self, meeting9):
        ReportFactory(meeting=meeting9, position=1)
        with pytest.raises(IntegrityError), transaction.atomic():
            ReportFactory(meeting=meeting9, position=1)

    def test_directive_positions_count_within_their_section(self, meeting9):
        first = DirectiveFactory(meeting=meeting9, section_order=1)
        second = DirectiveFactory(meeting=meeting9, section_order=1)
        other_section = DirectiveFactory(meeting=meeting9, section_order=2)
        assert (first.position, second.position, other_section.position) == (1, 2, 1)


class TestCommitteeHistory:
    def test_a_dissolved_committee_keeps_its_meetings_and_is_found_by_date(self, meeting9):
        district2 = meeting9.committee
        district2.active_until = date(2020, 12, 31)
        district2.save()
        assert district2.is_active_on(date(2007, 10, 16))
        assert not district2.is_active_on(date(2025, 1, 1))
        assert district2 in Committee.objects.active(on=date(2007, 10, 16))
        assert district2 not in Committee.objects.active(on=date(2025, 1, 1))
        assert district2 in Committee.objects.dissolved(on=date(2025, 1, 1))
        assert list(district2.meetings.all()) == [meeting9]


class TestTopics:
    def test_a_broad_topic_finds_directives_of_its_finer_topics(self, meeting9):
        economy = TopicFactory(slug="kinh-te", name="Kinh tế")
        land = TopicFactory(slug="boi-thuong-tai-dinh-cu", name="Bồi thường", parent=economy)
        security = TopicFactory(slug="quoc-phong-an-ninh", name="Quốc phòng – an ninh")
        by_section = DirectiveFactory(meeting=meeting9, topic=economy)
        by_tag = DirectiveFactory(meeting=meeting9, topic=security)
        by_tag.tags.add(land)
        elsewhere = DirectiveFactory(meeting=meeting9, topic=security)
        found = set(Directive.objects.on_topic(economy))
        assert found == {by_section, by_tag}
        assert elsewhere not in found


class TestNaturalKeys:
    def test_every_record_round_trips_by_natural_key_into_an_empty_database(self, meeting9):
        topic = TopicFactory(slug="kinh-te", name="Kinh tế")
        report = ReportFactory(meeting=meeting9)
        total = IndicatorFactory(meeting=meeting9, name="Chi trả bồi thường các dự án")
        part = IndicatorFactory(meeting=meeting9, name="Thủ Thiêm", parent=total, topic=topic)
        old = DirectiveFactory(meeting=meeting9, section_order=2, topic=topic)
        old.tags.add(topic)
        later = MeetingFactory(committee=meeting9.committee, term=3, number=10)
        new = DirectiveFactory(meeting=later, carried_from=old)
        FindingFactory(meeting=meeting9)
        models = [Topic, Committee, Meeting, Report, Indicator, Directive, Finding]
        objects = [obj for model in models for obj in model.objects.all()]
        dumped = serializers.serialize(
            "json", objects, use_natural_foreign_keys=True, use_natural_primary_keys=True
        )
        assert '"pk"' not in dumped  # no database ids in the file

        snapshot = {m: sorted(str(o.natural_key()) for o in m.objects.all()) for m in models}
        for model in reversed(models):
            model.objects.all().delete()
        for record in serializers.deserialize("json", dumped, handle_forward_references=True):
            record.save()

        assert {m: sorted(str(o.natural_key()) for o in m.objects.all()) for m in models} == (
            snapshot
        )
        restored = Directive.objects.get_by_natural_key(*new.natural_key())
        assert restored.carried_from.natural_key() == old.natural_key()
        restored_old = Directive.objects.get_by_natural_key(*old.natural_key())
        assert list(restored_old.tags.all()) == [Topic.objects.get_by_natural_key("kinh-te")]
        restored_part = Indicator.objects.get_by_natural_key(*part.natural_key())
        assert restored_part.parent.name == "Chi trả bồi thường các dự án"
        assert Report.objects.get_by_natural_key(*report.natural_key()).title == report.title

    def test_natural_keys_name_records_as_people_do(self, meeting9):
        directive = DirectiveFactory(meeting=meeting9, section_order=4)
        assert meeting9.natural_key() == ("Ban Chấp hành Đảng bộ Quận 2", 3, 9)
        assert directive.natural_key() == ("Ban Chấp hành Đảng bộ Quận 2", 3, 9, 4, 1)
        assert Meeting.objects.get_by_natural_key("Ban Chấp hành Đảng bộ Quận 2", 3, 9) == meeting9


def test_a_committee_is_found_by_its_name_however_accents_and_case_were_typed(district2):
    assert Committee.objects.named("ban chap hanh dang bo quan 2") == district2
    assert Committee.objects.named("BAN CHẤP HÀNH ĐẢNG BỘ QUẬN 2") == district2
    assert Committee.objects.named("Ban Chấp hành Đảng bộ Quận 3") is None
    assert Committee.objects.named("") is None
