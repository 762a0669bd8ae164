"""A small register with two committees, each with a public and an unpublished conclusion
holding one row of every kind, for the API's and the reading room's access tests."""

from dataclasses import dataclass, field
from datetime import date

from django.core.cache import cache

from resolutions.api.tokens import ApiToken
from resolutions.models import Committee, IndicatorSeries, SeriesMatch, Topic, Unit

from .factories import (
    DirectiveFactory,
    FindingFactory,
    IndicatorFactory,
    MeetingFactory,
    ReportFactory,
)


@dataclass
class Register:
    own: Committee
    ward: Committee  # under `own`: its token reads it too
    other: Committee
    topic: Topic
    public: dict = field(default_factory=dict)  # model name -> record of the public meeting
    hidden: dict = field(default_factory=dict)  # the same in the unpublished meeting
    foreign: dict = field(default_factory=dict)  # the same in the other committee's meeting
    keys: dict = field(default_factory=dict)  # committee name -> a live token's key


def _conclusion(committee, *, number, public, topic, text, started_on):
    meeting = MeetingFactory(
        committee=committee,
        number=number,
        is_public=public,
        started_on=started_on,
        title=f"Kết luận Hội nghị lần thứ {number} của {committee.short_name}",
    )
    unit = Unit.objects.create(committee=committee, name=f"Ủy ban nhân dân ({number})")
    directive = DirectiveFactory(meeting=meeting, text=text, topic=topic, lead_unit=unit)
    indicator = IndicatorFactory(meeting=meeting, topic=topic)
    series = IndicatorSeries.objects.create(
        committee=committee, name=f"Vốn đầu tư theo kết luận {number}", unit="tỷ đồng"
    )
    SeriesMatch.objects.create(indicator=indicator, series=series, state="confirmed")
    return {
        "meeting": meeting,
        "report": ReportFactory(meeting=meeting),
        "indicator": indicator,
        "series": series,
        "directive": directive,
        "finding": FindingFactory(meeting=meeting, text=f"Kết quả của hội nghị {number}."),
        "unit": unit,
    }


def build_register() -> Register:
    cache.clear()  # the API's rate counts and committee trees, kept by id, ids being reused
    topic = Topic.objects.create(name="Bồi thường – tái định cư", slug="boi-thuong-tai-dinh-cu")
    own = Committee.objects.create(
        name="Ban Chấp hành Đảng bộ Quận 2", short_name="Quận ủy Quận 2", level="district"
    )
    ward = Committee.objects.create(
        name="Ban Chấp hành Đảng bộ Phường An Phú",
        short_name="Đảng ủy Phường An Phú",
        level="ward",
        parent=own,
    )
    other = Committee.objects.create(
        name="Ban Chấp hành Đảng bộ Quận 9", short_name="Quận ủy Quận 9", level="district"
    )
    register = Register(own=own, ward=ward, other=other, topic=topic)
    register.public = _conclusion(
        own,
        number=9,
        public=True,
        topic=topic,
        text="Đẩy nhanh giải phóng mặt bằng dự án khu đô thị mới Thủ Thiêm.",
        started_on=date(2007, 10, 16),
    )
    register.hidden = _conclusion(
        own,
        number=10,
        public=False,
        topic=topic,
        text="Rà soát bí mật hồ sơ tái định cư chưa công bố.",
        started_on=date(2008, 1, 10),
    )
    register.foreign = _conclusion(
        other,
        number=4,
        public=False,
        topic=topic,
        text="Kiểm tra tiến độ nạo vét kênh rạch trên địa bàn.",
        started_on=date(2008, 3, 5),
    )
    for committee in (own, other):
        token = ApiToken(name=f"Cổng theo dõi {committee.short_name}", committee=committee)
        register.keys[committee.name] = token.issue_key()
        token.save()
    return register
