"""Importing conclusions: one transaction per document, idempotent, corrections in place."""

import json
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from resolutions.models import Committee, Directive, Finding, Indicator, Meeting, Report, Topic
from resolutions.services.conclusions import (
    ImportRefused,
    import_conclusion,
    import_document,
    import_path,
    parse_text,
)
from resolutions.services.fixtures import SEED_FIXTURE, import_seeds, serialize_meetings

from .helpers import DOCUMENTS, SEED, WRITTEN, differences, seed_gold

pytestmark = pytest.mark.django_db


def row_counts():
    return {m.__name__: m.objects.count() for m in (Meeting, Report, Indicator, Directive, Finding)}


class TestTheSeed:
    def test_it_becomes_one_meeting_with_all_its_rows(self, reference_data):
        outcome = import_path(SEED)
        meeting = outcome.meeting
        assert outcome.status == "created"
        assert str(meeting) == "Hội nghị lần thứ 9 BCH Đảng bộ Quận 2 khóa III (16–17/10/2007)"
        assert meeting.committee.short_name == "Quận ủy Quận 2"  # the known committee
        assert meeting.kind == Meeting.Kind.EXTENDED
        assert (meeting.plan_year, meeting.plan_quarter) == (2007, 4)
        assert row_counts() == {
            "Meeting": 1,
            "Report": 5,
            "Indicator": 6,
            "Directive": 24,
            "Finding": 3,
        }
        assert meeting.source_name == SEED.name
        assert len(meeting.source_checksum) == 64

    def test_directives_keep_sections_topics_units_and_citations(self, reference_data):
        meeting = import_path(SEED).meeting
        directives = meeting.directives.all()
        assert [d.section_number for d in directives if d.position == 1] == ["1", "2", "3", "2"]
        security = Topic.objects.get(slug="quoc-phong-an-ninh")
        assert directives.filter(topic=security).count() == 4
        unit = directives.get(section_order=1, position=7)
        assert unit.responsible_unit == "Ủy ban nhân dân quận"
        cited = directives.get(section_order=1, position=4)
        assert cited.cited_documents == "Nghị quyết số 41-NQ/TW"
        assert all(d.due_period == "quý IV/2007" for d in directives)

    def test_indicators_keep_exact_values_and_their_parts(self, reference_data):
        meeting = import_path(SEED).meeting
        invest = meeting.indicators.get(name="Tổng vốn đầu tư xây dựng cơ bản thực hiện")
        assert (invest.value, invest.unit, invest.plan_pct) == (
            Decimal("55.699"),
            "tỷ đồng",
            Decimal("50.14"),
        )
        part = meeting.indicators.get(value=Decimal("881"))
        assert part.parent.name == "Chi trả bồi thường các dự án"
        target = meeting.indicators.get(is_target=True)
        assert (target.value, target.unit, target.topic.slug) == (
            Decimal("800"),
            "hộ",
            "van-hoa-xa-hoi",
        )

    def test_findings_are_achievements_then_shortcomings(self, reference_data):
        meeting = import_path(SEED).meeting
        kinds = list(meeting.findings.values_list("kind", flat=True))
        assert kinds == ["achievement", "achievement", "shortcoming"]


class TestIdempotence:
    def test_importing_the_same_document_twice_changes_nothing(self, reference_data):
        first = import_path(SEED)
        stamps = sorted(Directive.objects.values_list("pk", "updated_at"))
        again = import_path(SEED)
        assert again.status == "unchanged"
        assert again.meeting.pk == first.meeting.pk
        assert all(
            not (c["created"] or c["updated"] or c["deleted"]) for c in again.counts.values()
        )
        assert sorted(Directive.objects.values_list("pk", "updated_at")) == stamps
        assert row_counts()["Directive"] == 24

    def test_a_corrected_version_updates_the_meeting_in_place(self, reference_data):
        original = SEED.read_text(encoding="utf-8")
        first = import_path(SEED)
        clerk_work = first.meeting.directives.get(section_order=3, position=1)
        clerk_work.completed_on = date(2007, 12, 20)
        clerk_work.save()
        kept_ids = set(first.meeting.directives.values_list("pk", flat=True))

        corrected = original.replace("canh gác và chốt chặn", "canh gác, chốt chặn").replace(
            "\n- Tập trung cho công tác lãnh đạo chuẩn bị tổ chức Đại hội Hội Nông dân "
            "và Liên đoàn Lao động quận.\n",
            "\n",
        )
        assert corrected != original
        outcome = import_document(SEED.name, corrected.encode())

        assert outcome.status == "updated"
        assert outcome.meeting.pk == first.meeting.pk
        assert outcome.counts["directive"]["updated"] >= 1
        assert outcome.counts["directive"]["deleted"] == 1
        assert Meeting.objects.count() == 1
        assert Directive.objects.count() == 23
        assert set(Directive.objects.values_list("pk", flat=True)) < kept_ids
        patrol = Directive.objects.get(section_order=3, position=3)
        assert "canh gác, chốt chặn" in patrol.text
        clerk_work.refresh_from_db()
        assert clerk_work.completed_on == date(2007, 12, 20)
        assert clerk_work.status == Directive.Status.DONE_ON_TIME

    def test_a_dry_run_reports_and_writes_nothing(self, reference_data):
        outcome = import_path(SEED, dry_run=True)
        assert outcome.status == "created"
        assert outcome.counts["directive"]["created"] == 24
        assert row_counts() == dict.fromkeys(row_counts(), 0)


class TestRefusals:
    def test_a_document_without_directives_is_refused_and_writes_nothing(self, reference_data):
        committees = Committee.objects.count()
        text = (
            "Kết luận Hội nghị lần thứ 2 Ban Chấp hành Đảng bộ huyện Nhà Bè khóa IX\n\n"
            "Hội nghị lần thứ 2 họp ngày 10/01/2006 đã thông qua báo cáo năm 2005.\n\n"
            "Tình hình kinh tế ổn định."
        )
        with pytest.raises(ImportRefused) as error:
            import_document("nha_be.txt", text.encode())
        assert str(error.value).startswith("nha_be.txt: không nhập được")
        assert "nhiệm vụ nào" in str(error.value)
        assert row_counts() == dict.fromkeys(row_counts(), 0)
        assert Committee.objects.count() == committees

    def test_a_row_the_database_refuses_rolls_the_whole_document_back(self, reference_data):
        parsed = parse_text(SEED.read_text(encoding="utf-8"), SEED.name)
        parsed.indicators[0].change_pct = None  # an indicator left with no figure at all
        with pytest.raises(ImportRefused) as error:
            import_conclusion(parsed, source_name=SEED.name)
        assert "Chỉ tiêu cần ít nhất một số liệu" in str(error.value)
        assert "Không có gì được ghi" in str(error.value)
        assert row_counts() == dict.fromkeys(row_counts(), 0)

    def test_an_unknown_committee_is_created_with_a_warning(self, reference_data):
        outcome = import_path(DOCUMENTS / "huyen_cu_chi_2016.txt")
        committee = outcome.meeting.committee
        assert committee.name == "Ban Chấp hành Đảng bộ huyện Củ Chi"
        assert committee.level == Committee.Level.DISTRICT
        assert "new_committee" in {w.code for w in outcome.warnings}


class TestCommands:
    def test_parse_conclusion_prints_the_gold_structure(self, reference_data):
        out = StringIO()
        call_command("parse_conclusion", str(SEED), "--format", "json", stdout=out)
        assert differences(seed_gold(), json.loads(out.getvalue())) == []
        assert Meeting.objects.count() == 0

    def test_import_conclusions_reports_each_document_and_fails_on_a_bad_one(
        self, reference_data, tmp_path
    ):
        empty = tmp_path / "rong.txt"
        empty.write_bytes(b"")
        out, err = StringIO(), StringIO()
        with pytest.raises(CommandError, match="1/2 văn bản không nhập được"):
            call_command("import_conclusions", str(SEED), str(empty), stdout=out, stderr=err)
        assert "000_105c69dbb7379ef3.txt: tạo mới Hội nghị lần thứ 9" in out.getvalue()
        assert "nhiệm vụ: 24 mới" in out.getvalue()
        assert "cảnh báo dòng 55" in out.getvalue()
        assert "rong.txt: tệp rỗng" in err.getvalue()
        assert Meeting.objects.count() == 1  # the good document is in, the bad one wrote nothing

    def test_import_conclusions_dry_run(self, reference_data):
        out = StringIO()
        call_command("import_conclusions", str(SEED), "--dry-run", stdout=out)
        assert out.getvalue().startswith("[chạy thử] 000_105c69dbb7379ef3.txt: tạo mới")
        assert Meeting.objects.count() == 0


def test_the_seed_fixture_matches_a_fresh_import(reference_data):
    """fixtures/seed_meetings.json is what importing seeds/ gives (build_seed_fixture)."""
    outcomes = import_seeds()
    fresh = serialize_meetings(o.meeting for o in outcomes) + "\n"
    assert fresh == SEED_FIXTURE.read_text(encoding="utf-8")


def test_the_seed_fixture_loads_into_an_empty_register(reference_data):
    call_command("loaddata", "seed_meetings", verbosity=0)
    meeting = Meeting.objects.get()
    assert meeting.directives.count() == 24
    assert meeting.indicators.filter(parent__isnull=False).count() == 1


def test_every_written_document_imports(reference_data):
    for name in WRITTEN:
        assert import_path(DOCUMENTS / f"{name}.txt").status == "created"
    assert Meeting.objects.count() == 3
