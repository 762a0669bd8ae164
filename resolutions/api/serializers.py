"""What the API shows of each record: ids for links between them, codes and Vietnamese
labels for choices, decimals as strings (exact, as the document wrote them)."""

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
