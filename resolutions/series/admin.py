"""The series in the admin: each series' page with its chart and table, the matches a clerk
confirms, changes or splits off, and the report of tasks that come back."""

from __future__ import annotations

import reversion
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from reversion.admin import VersionAdmin

from .. import vietnamese
from ..models import Committee, Meeting
from . import charts, repeats
from .figures import series_figures
from .models import DirectiveTarget, IndicatorSeries, SeriesMatch, name_key, unit_key


@admin.register(IndicatorSeries)
class IndicatorSeriesAdmin(VersionAdmin):
    list_display = ("name", "unit", "committee", "point_count")
    list_filter = (("committee", admin.RelatedOnlyFieldListFilter),)
    list_select_related = ("committee",)
    search_fields = ("name", "synonyms")
    autocomplete_fields = ("committee",)
    fields = ("committee", "name", "unit", "synonyms")
    change_form_template = "admin/resolutions/indicatorseries/change_form.html"

    def get_queryset(self, request):
        # On a series' own page the count is of that series' matches alone (filtered by its key).
        return super().get_queryset(request).annotate(matched=Count("matches"))

    @admin.display(description="số kỳ đã ghép", ordering="matched")
    def point_count(self, series):
        return series.matched

    def get_urls(self):
        return [
            path(
                "<int:object_id>/xlsx/",
                self.admin_site.admin_view(self.workbook_view),
                name="resolutions_indicatorseries_xlsx",
            ),
            path(
                "link-carried/<int:meeting_id>/",
                self.admin_site.admin_view(self.link_carried_view),
                name="resolutions_meeting_link_carried",
            ),
            path(
                "repeated-tasks/",
                self.admin_site.admin_view(self.repeated_tasks_view),
                name="resolutions_directive_repeated",
            ),
            *super().get_urls(),
        ]

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if object_id is not None:
            series = self.get_object(request, object_id)
            if series is not None:
                figures = series_figures(series)
                extra_context = {
                    **(extra_context or {}),
                    "figures": figures,
                    "table_rows": charts.table_rows(figures.points),
                    "charts": [
                        (span, charts.svg_chart(span, points, series.unit))
                        for span, points in figures.spans().items()
                    ],
                }
        return super().changeform_view(request, object_id, form_url, extra_context)

    def workbook_view(self, request, object_id):
        series = get_object_or_404(IndicatorSeries, pk=object_id)
        if not self.has_view_permission(request, series):
            raise PermissionDenied
        name = f"chi-tieu-{series.pk}-{series.name_key.replace(' ', '-')[:60]}.xlsx"
        return FileResponse(
            charts.series_workbook(series_figures(series)), as_attachment=True, filename=name
        )

    def link_carried_view(self, request, meeting_id):
        """Link a new directive to the open one of the previous meeting it repeats."""
        meeting = get_object_or_404(Meeting, pk=meeting_id)
        if request.method != "POST" or not request.user.has_perm("resolutions.change_directive"):
            raise PermissionDenied
        chosen = vietnamese.whole_number(request.POST.get("directive"))
        offered = {new.pk: (new, old) for new, old, _ in repeats.carried_candidates(meeting)}
        if chosen not in offered:
            self.message_user(
                request,
                "Không liên kết được: nhiệm vụ này không còn trong danh sách gợi ý "
                "(đã được liên kết, hoặc nhiệm vụ trước đã hoàn thành).",
                messages.ERROR,
            )
        else:
            new, old = offered[chosen]
            with reversion.create_revision():
                reversion.set_user(request.user)
                reversion.set_comment("Liên kết nhiệm vụ là tiếp nối nhiệm vụ của hội nghị trước")
                new.carried_from = old
                new.save()
            self.message_user(request, f"Đã liên kết: “{new}” tiếp nối “{old}”.", messages.SUCCESS)
        return redirect(reverse("admin:resolutions_meeting_change", args=[meeting.pk]))

    def repeated_tasks_view(self, request):
        if not request.user.has_perm("resolutions.view_directive"):
            raise PermissionDenied
        form = RepeatedTasksForm(request.GET or None)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Nhiệm vụ được giao lại nhiều lần",
            "form": form,
        }
        if form.is_bound and form.is_valid():
            context["tasks"] = repeats.repeated_tasks(
                form.cleaned_data["committee"], at_least=form.cleaned_data["at_least"]
            )
        return TemplateResponse(request, "admin/resolutions/directive/repeated.html", context)


class RepeatedTasksForm(forms.Form):
    committee = forms.ModelChoiceField(Committee.objects.all(), label="Cấp ủy")
    at_least = forms.IntegerField(
        label="Số kết luận đã giao, từ",
        min_value=2,
        max_value=50,
        initial=repeats.REPORTED_FROM,
    )


class DecidedByClerk:
    """For the links a clerk decides (SeriesMatch, DirectiveTarget): saving one, or the
    confirm action, confirms it in that clerk's name; its history keeps who and when."""

    actions: tuple[str, ...] = ("confirm",)
    readonly_fields: tuple[str, ...] = ("reason", "confirmed_by")

    def has_add_permission(self, request):
        return False  # suggested on import and entry, never added by hand

    def save_model(self, request, obj, form, change):
        if obj.series_id is not None:
            obj.confirm(request.user)
            if "series" in form.changed_data:
                obj.reason = "người dùng chọn"
        super().save_model(request, obj, form, change)

    @admin.action(description="Xác nhận các dòng đã chọn", permissions=["change"])
    def confirm(self, request, queryset):
        done = 0
        for link in queryset.filter(series__isnull=False).exclude(
            state=SeriesMatch.State.CONFIRMED
        ):
            link.confirm(request.user)
            link.save()
            done += 1
        left = queryset.filter(series__isnull=True).count()
        self.message_user(request, f"Đã xác nhận {done} dòng.", messages.SUCCESS)
        if left:
            self.message_user(
                request,
                f"{left} dòng chưa có chỉ tiêu theo dõi (nhiều chỉ tiêu cùng khớp): "
                "hãy mở từng dòng và chọn.",
                messages.WARNING,
            )


@admin.register(SeriesMatch)
class SeriesMatchAdmin(DecidedByClerk, VersionAdmin):
    list_display = ("indicator", "meeting", "series", "state", "reason")
    list_filter = ("state", ("series__committee", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("indicator__meeting__committee", "series")
    search_fields = ("indicator__name", "series__name")
    autocomplete_fields = ("series",)
    fields = ("indicator", "series", "state", "reason", "confirmed_by")
    readonly_fields = ("indicator", *DecidedByClerk.readonly_fields)
    actions = (*DecidedByClerk.actions, "split")

    @admin.display(description="hội nghị")
    def meeting(self, match):
        return match.indicator.meeting

    @admin.action(description="Tách thành chỉ tiêu theo dõi riêng", permissions=["change"])
    def split(self, request, queryset):
        made = same = 0
        with transaction.atomic():
            for match in queryset.select_related("indicator__meeting"):
                indicator = match.indicator
                series, _ = IndicatorSeries.objects.get_or_create(
                    committee_id=indicator.meeting.committee_id,
                    name_key=name_key(indicator.name),
                    unit_key=unit_key(indicator.unit),
                    defaults={"name": indicator.name[:500], "unit": indicator.unit},
                )
                if series.pk == match.series_id:
                    same += 1  # it bears the series' own name: rename the series first
                    continue
                match.series = series
                match.confirm(request.user)
                match.reason = "người dùng tách riêng"
                match.save()
                made += 1
        self.message_user(
            request, f"Đã tách {made} chỉ tiêu thành chỉ tiêu theo dõi riêng.", messages.SUCCESS
        )
        if same:
            self.message_user(
                request,
                f"{same} chỉ tiêu mang đúng tên của chỉ tiêu theo dõi đang ghép nên không tách "
                "được: hãy đổi tên chỉ tiêu theo dõi đó trước.",
                messages.WARNING,
            )


@admin.register(DirectiveTarget)
class DirectiveTargetAdmin(DecidedByClerk, VersionAdmin):
    list_display = ("directive", "series", "measure", "value", "state", "reason")
    list_filter = ("state", ("series__committee", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("directive", "series")
    search_fields = ("directive__text", "series__name")
    autocomplete_fields = ("series",)
    fields = ("directive", "series", "measure", "value", "state", "reason", "confirmed_by")
    readonly_fields = ("directive", *DecidedByClerk.readonly_fields)
