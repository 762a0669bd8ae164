"""What the API shows of each record: ids for links between them, codes and Vietnamese
labels for choices, decimals as strings (exact, as the document wrote them)."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from resolutions.models import (
    Committee,
    Directive,
    Finding,
    Indicator,
    Meeting,
    Report,
    Topic,
    Unit,
)
from resolutions.series.figures import Point, SeriesFigures
from resolutions.series.models import IndicatorSeries


class TopicSerializer(serializers.ModelSerializer):
    class Meta:
        model = Topic
        fields = ("id", "name", "slug", "parent", "updated_at")


class CommitteeSerializer(serializers.ModelSerializer):
    level_display = serializers.CharField(source="get_level_display", read_only=True)

    class Meta:
        model = Committee
        fields = (
            "id",
            "name",
            "short_name",
            "symbol",
            "level",
            "level_display",
            "parent",
            "active_from",
            "active_until",
            "successor",
            "updated_at",
        )


class UnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = Unit
        fields = ("id", "committee", "name", "short_name", "kind", "updated_at")


class MeetingSerializer(serializers.ModelSerializer):
    term_roman = serializers.CharField(read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Meeting
        fields = (
            "id",
            "committee",
            "term",
            "term_roman",
            "number",
            "kind",
            "kind_display",
            "document_kind",
            "title",
            "document_symbol",
            "started_on",
            "ended_on",
            "review_period",
            "plan_period",
            "plan_year",
            "plan_quarter",
            "issued_on",
            "published_on",
            "general_instruction",
            "is_public",
            "updated_at",
        )


class ReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = Report
        fields = ("id", "meeting", "position", "kind", "title", "updated_at")


class IndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Indicator
        fields = (
            "id",
            "meeting",
            "position",
            "topic",
            "name",
            "period",
            "value",
            "unit",
            "target_value",
            "change_pct",
            "compared_with",
            "plan_pct",
            "parent",
            "is_target",
            "is_estimate",
            "sentence",
            "updated_at",
        )


class FindingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Finding
        fields = ("id", "meeting", "position", "kind", "text", "topic", "updated_at")


class DirectiveSerializer(serializers.ModelSerializer):
    status = serializers.ChoiceField(
        choices=Directive.Status.choices,
        read_only=True,
        help_text="Tình trạng thực hiện tính đến hôm nay (theo hạn và ngày hoàn thành).",
    )
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    tags = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    supporting_units = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Directive
        fields = (
            "id",
            "meeting",
            "section_order",
            "section_number",
            "section_heading",
            "position",
            "text",
            "topic",
            "tags",
            "responsible_unit",
            "lead_unit",
            "supporting_units",
            "due_period",
            "due_on",
            "completed_on",
            "status",
            "status_display",
            "carried_from",
            "updated_at",
        )


def _figure(help_text: str) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=20, decimal_places=4, read_only=True, allow_null=True, help_text=help_text
    )


class SeriesPointSerializer(serializers.Serializer):
    """One period of a series, as its page in the admin shows it (series/figures.py)."""

    period = serializers.CharField(
        source="period.label", read_only=True, help_text="Kỳ, ví dụ “9 tháng năm 2008”."
    )
    year = serializers.IntegerField(source="period.year", read_only=True, allow_null=True)
    span = serializers.CharField(
        source="period.span",
        read_only=True,
        help_text="Loại kỳ (“9 tháng”, “quý IV”, “cả năm”): chỉ so sánh các kỳ cùng loại.",
    )
    meeting = serializers.IntegerField(source="indicator.meeting_id", read_only=True)
    indicator = serializers.IntegerField(source="indicator.pk", read_only=True)
    value = _figure("Giá trị đạt được trong kỳ.")
    target = _figure("Mục tiêu đề ra cho kỳ.")
    met = serializers.BooleanField(
        read_only=True, allow_null=True, help_text="Đạt mục tiêu (null khi thiếu số liệu)."
    )
    plan_pct = _figure("Đạt bao nhiêu % kế hoạch, như văn bản ghi.")
    change = _figure("Tăng, giảm (%) so với cùng kỳ năm trước, tính từ số liệu của chuỗi.")
    stated_change = _figure("Tăng, giảm (%) so với cùng kỳ, như văn bản ghi.")
    confirmed = serializers.BooleanField(
        read_only=True, help_text="Mọi số liệu của kỳ đã được văn phòng xác nhận ghép."
    )


class IndicatorSeriesSerializer(serializers.ModelSerializer):
    synonyms = serializers.SerializerMethodField(help_text="Các tên gọi khác của chỉ tiêu.")

    class Meta:
        model = IndicatorSeries
        fields: tuple[str, ...] = ("id", "committee", "name", "unit", "synonyms", "updated_at")

    def get_synonyms(self, series) -> list[str]:
        return [line.strip() for line in series.synonyms.splitlines() if line.strip()]


class IndicatorSeriesDetailSerializer(IndicatorSeriesSerializer):
    points = serializers.SerializerMethodField(
        help_text="Số liệu theo kỳ, kỳ sớm trước: giá trị, mục tiêu, % kế hoạch, so cùng kỳ."
    )

    class Meta(IndicatorSeriesSerializer.Meta):
        fields = (*IndicatorSeriesSerializer.Meta.fields, "points")

    @extend_schema_field(SeriesPointSerializer(many=True))
    def get_points(self, series) -> list:
        figures: SeriesFigures = self.context["figures"]
        points: list[Point] = figures.points
        return SeriesPointSerializer(points, many=True).data
