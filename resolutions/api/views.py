"""The read API: one read-only view set per kind of record, scoped to what the caller may
read, filtered and searched as the admin does, paged by cursor, and answered 304 when a
polling system already holds the page (ETag and Last-Modified)."""

from __future__ import annotations

from datetime import datetime, time

from django.http import Http404
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.decorators import method_decorator
from django.utils.http import http_date
from django.views.decorators.http import conditional_page
from rest_framework import exceptions, viewsets
from rest_framework.response import Response

from resolutions.db_router import replica_reads
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
from resolutions.series.figures import matches_of, series_figures
from resolutions.series.models import IndicatorSeries

from . import serializers
from .filtering import AdminFilters, CommitteeFilter, RegisterSearch
from .tokens import ApiToken


@method_decorator(conditional_page, name="dispatch")
@method_decorator(replica_reads, name="dispatch")
class ScopedViewSet(viewsets.ReadOnlyModelViewSet):
    """A token reads its committee and those under it; staff read every committee."""

    committee_path: str | None = "meeting__committee"
    filter_backends = [CommitteeFilter, AdminFilters, RegisterSearch]
    # Rows that change with the calendar (a directive's status) are as new as today.
    changes_daily = False

    def get_queryset(self):
        queryset = self.queryset.all()
        token = self.request.auth
        if isinstance(token, ApiToken) and self.committee_path is not None:
            queryset = queryset.filter(**{f"{self.committee_path}__in": token.committee_ids()})
        return queryset

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        response = self.get_paginated_response(self.get_serializer(page, many=True).data)
        return self._stamped(response, [row.updated_at for row in page])

    def retrieve(self, request, *args, **kwargs):
        record = self.get_object()  # read once: the record shown is the one stamped
        response = Response(self.get_serializer(record).data)
        return self._stamped(response, [record.updated_at])

    def get_object(self):
        # The same answer for a record that does not exist and for one outside the caller's
        # committees: an id says nothing about another committee's register.
        try:
            return super().get_object()
        except Http404:
            raise exceptions.NotFound(
                "Không có bản ghi này trong phạm vi khóa truy cập được đọc."
            ) from None

    def _stamped(self, response, changed):
        if self.changes_daily:
            today = datetime.combine(
                timezone.localdate(), time(), tzinfo=timezone.get_current_timezone()
            )
            changed = [*changed, today]
        if changed:
            response["Last-Modified"] = http_date(max(changed).timestamp())
        # Each caller sees its own committees: no shared cache may keep the answer, and a
        # client revalidates (cheaply, by ETag) before reusing its own copy.
        patch_cache_control(response, private=True, no_cache=True)
        patch_vary_headers(response, ["Authorization", "Cookie"])
        return response

    def permission_denied(self, request, message=None, code=None):
        if request.authenticators and not request.successful_authenticator:
            raise exceptions.NotAuthenticated(
                "Cần đăng nhập hoặc gửi khóa truy cập (Authorization: Bearer <khóa>)."
            )
        raise exceptions.PermissionDenied(message or "Không có quyền xem dữ liệu này.")

    def throttled(self, request, wait):
        raise exceptions.Throttled(
            wait,
            detail=f"Quá số yêu cầu cho phép của khóa này; hãy thử lại sau {int(wait or 1)} giây.",
        )


class CommitteeViewSet(ScopedViewSet):
    """Cấp ủy."""

    queryset = Committee.objects.all()
    serializer_class = serializers.CommitteeSerializer
    committee_path = "pk"


class TopicViewSet(ScopedViewSet):
    """Lĩnh vực: danh mục chung của mọi cấp ủy."""

    queryset = Topic.objects.all()
    serializer_class = serializers.TopicSerializer
    committee_path = None


class UnitViewSet(ScopedViewSet):
    """Đơn vị thực hiện nhiệm vụ."""

    queryset = Unit.objects.all()
    serializer_class = serializers.UnitSerializer
    committee_path = "committee"


class MeetingViewSet(ScopedViewSet):
    """Hội nghị và kết luận của hội nghị."""

    queryset = Meeting.objects.all()
    serializer_class = serializers.MeetingSerializer
    committee_path = "committee"


class ReportViewSet(ScopedViewSet):
    """Báo cáo, chương trình được hội nghị thông qua."""

    queryset = Report.objects.all()
    serializer_class = serializers.ReportSerializer


class IndicatorViewSet(ScopedViewSet):
    """Chỉ tiêu, số liệu."""

    queryset = Indicator.objects.all()
    serializer_class = serializers.IndicatorSerializer


class FindingViewSet(ScopedViewSet):
    """Kết quả đạt được và hạn chế."""

    queryset = Finding.objects.all()
    serializer_class = serializers.FindingSerializer


class DirectiveViewSet(ScopedViewSet):
    """Nhiệm vụ, kèm tình trạng thực hiện tính đến hôm nay."""

    queryset = Directive.objects.prefetch_related("tags", "supporting_units")
    serializer_class = serializers.DirectiveSerializer
    changes_daily = True

    def get_queryset(self):
        return super().get_queryset().with_status()  # as of today, not as of start-up


class SeriesViewSet(ScopedViewSet):
    """Chỉ tiêu theo dõi qua các kỳ; trang chi tiết kèm số liệu theo kỳ: giá trị, mục tiêu,
    % kế hoạch, so với cùng kỳ (như trang chỉ tiêu theo dõi trong quản trị)."""

    queryset = IndicatorSeries.objects.all()
    serializer_class = serializers.IndicatorSeriesSerializer
    committee_path = "committee"

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.IndicatorSeriesDetailSerializer
        return self.serializer_class

    def retrieve(self, request, *args, **kwargs):
        series = self.get_object()
        matches = matches_of(series)
        context = {**self.get_serializer_context(), "figures": series_figures(series, matches)}
        response = Response(self.get_serializer_class()(series, context=context).data)
        # The figures change with the series, its indicators and their meetings (a clerk's
        # decision on a match marks the series changed: SeriesMatch.save).
        changed = [series.updated_at]
        for match in matches:
            changed += [match.indicator.updated_at, match.indicator.meeting.updated_at]
        return self._stamped(response, changed)
