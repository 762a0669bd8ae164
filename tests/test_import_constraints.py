"""An import leaves the constraints to the database (Django would ask it once per constraint
per document): a breach is refused in the register's own words on SQLite and PostgreSQL alike,
and nothing of the document is written."""

from datetime import date

import pytest

from resolutions.models import Meeting
from resolutions.services.conclusions import ImportRefused, import_conclusion, parse_text

from .test_parsing import SEED

pytestmark = pytest.mark.django_db


def test_a_symbol_used_by_another_meeting_of_the_term_is_refused_in_vietnamese(
    district2, reference_data
):
    parsed = parse_text(SEED.read_text(encoding="utf-8"), SEED.name)
    symbol = parsed.document_symbol = "15-KL/QU"
    Meeting.objects.create(
        committee=district2,
        term=parsed.meeting.term,
        number=parsed.meeting.number + 1,
        started_on=date(2007, 1, 1),
        document_symbol=symbol,
    )
    with pytest.raises(ImportRefused) as refused:
        import_conclusion(parsed, source_name=SEED.name)
    assert "Số, ký hiệu này đã được dùng trong khóa này." in str(refused.value)
    assert "UNIQUE" not in str(refused.value) and "constraint" not in str(refused.value)
    assert Meeting.objects.count() == 1


def test_a_meeting_ending_before_it_starts_is_refused_in_vietnamese(reference_data):
    parsed = parse_text(SEED.read_text(encoding="utf-8"), SEED.name)
    parsed.meeting.ended_on = date(2000, 1, 1)
    with pytest.raises(ImportRefused) as refused:
        import_conclusion(parsed, source_name=SEED.name)
    assert "Ngày kết thúc không được trước ngày bắt đầu." in str(refused.value)
    assert not Meeting.objects.exists()
