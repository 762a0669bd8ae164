"""Small factories that build the register's records in code, one per model."""

from datetime import date
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from resolutions.models import Committee, Directive, Finding, Indicator, Meeting, Report, Topic


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"chuyenvien{n}")
    password = factory.django.Password("mat-khau-thu-nghiem")
    is_staff = True


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Lĩnh vực {n}")
    slug = factory.Sequence(lambda n: f"linh-vuc-{n}")


class CommitteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Committee
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Ban Chấp hành Đảng bộ Phường {n}")
    short_name = factory.Sequence(lambda n: f"Đảng ủy Phường {n}")
    symbol = "ĐU"
    level = Committee.Level.WARD


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    committee = factory.SubFactory(CommitteeFactory)
    term = 3
    number = factory.Sequence(lambda n: n + 1)
    started_on = date(2007, 10, 16)
    title = factory.LazyAttribute(
        lambda m: f"Kết luận Hội nghị lần thứ {m.number} Ban Chấp hành khóa III"
    )


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Report

    meeting = factory.SubFactory(MeetingFactory)
    title = "báo cáo tình hình kinh tế – xã hội quận 9 tháng"


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    meeting = factory.SubFactory(MeetingFactory)
    name = "Tổng vốn đầu tư xây dựng cơ bản thực hiện"
    value = Decimal("55.699")
    unit = "tỷ đồng"


class DirectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Directive

    meeting = factory.SubFactory(MeetingFactory)
    section_order = 1
    section_number = "1"
    section_heading = "Kinh tế"
    text = "Tăng cường công tác tiếp công dân và giải quyết khiếu nại tố cáo của công dân."


class FindingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Finding

    meeting = factory.SubFactory(MeetingFactory)
    kind = Finding.Kind.ACHIEVEMENT
    text = "Tình hình an ninh chính trị và trật tự an toàn xã hội được giữ vững."
