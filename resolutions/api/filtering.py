"""The API's filters are the admin's: each list page's SimpleListFilters, applied by their
own code to the same query parameters (``?linh_vuc=kinh-te&tinh_trang=overdue``), and the
admin's search (resolutions.search) behind ``?q=``."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.messages.storage.base import BaseStorage
from django.core.exceptions import FieldDoesNotExist
from rest_framework.exceptions import ValidationError
from rest_framework.filters import BaseFilterBackend

from resolutions import search
from resolutions.models import Searchable


class _Said(BaseStorage):
    """Messages kept for the request at hand only."""

    def _get(self, *args, **kwargs):
        return [], True

    def _store(self, messages, response, *args, **kwargs):
        return []


def _parameter(name: str, description: str, kind: str = "string") -> dict:
    return {
        "name": name,
        "required": False,
        "in": "query",
        "description": description,
        "schema": {"type": kind},
    }


def _admin_filters(model) -> list[type[admin.SimpleListFilter]]:
    if not admin.site.is_registered(model):
        return []
    return [
        spec
        for spec in admin.site.get_model_admin(model).list_filter
        if isinstance(spec, type) and issubclass(spec, admin.SimpleListFilter)
    ]


def _field_filters(model) -> list[str]:
    """The admin's plain field filters ("kind", "is_target"): exact values in the API."""
    if not admin.site.is_registered(model):
        return []
    return [spec for spec in admin.site.get_model_admin(model).list_filter if isinstance(spec, str)]


class AdminFilters(BaseFilterBackend):
    def filter_queryset(self, request, queryset, view):
        model = queryset.model
        model_admin = admin.site.get_model_admin(model) if admin.site.is_registered(model) else None
        plain = request._request  # the admin's filters read the Django request
        # What they say goes to a store of this call's own, not to the person's messages (a
        # clerk's pending "saved" notice is neither shown here nor lost).
        pending = getattr(plain, "_messages", None)
        plain._messages = said = _Said(plain)
        try:
            queryset = self._filtered(request, plain, queryset, model, model_admin)
        finally:
            plain._messages = pending
        # A filter that could not read its value says so to the admin's page; here the
        # request is refused with the same words.
        refused = [str(message) for message in said]
        if refused:
            raise ValidationError({"detail": refused})
        return queryset

    def _filtered(self, request, plain, queryset, model, model_admin):
        for spec in _admin_filters(model):
            name = spec.parameter_name
            if not request.query_params.get(name):
                continue
            chosen = spec(plain, {name: request.query_params.getlist(name)}, model, model_admin)
            queryset = chosen.queryset(plain, queryset)
        for name in _field_filters(model):
            value = request.query_params.get(name)
            if value:
                queryset = queryset.filter(**{name: self._field_value(model, name, value)})
        return queryset

    @staticmethod
    def _field_value(model, name, value):
        field = model._meta.get_field(name)
        if field.get_internal_type() == "BooleanField":
            if value not in ("true", "false", "1", "0"):
                raise ValidationError({name: ["Giá trị phải là true hoặc false."]})
            return value in ("true", "1")
        if field.choices and value not in {str(key) for key, _ in field.flatchoices}:
            raise ValidationError({name: [f"Giá trị “{value}” không có trong danh mục."]})
        return value

    def get_schema_operation_parameters(self, view):
        model = view.queryset.model
        parameters = [
            _parameter(spec.parameter_name, f"Lọc theo {spec.title} (như trang quản trị).")
            for spec in _admin_filters(model)
        ]
        for name in _field_filters(model):
            try:
                label = model._meta.get_field(name).verbose_name
            except FieldDoesNotExist:
                continue
            parameters.append(_parameter(name, f"Lọc theo {label}."))
        return parameters


class CommitteeFilter(BaseFilterBackend):
    """``?committee=<id>``: one of the committees the caller may read."""

    def filter_queryset(self, request, queryset, view):
        value = request.query_params.get("committee")
        if not value or view.committee_path is None:
            return queryset
        if not (value.isascii() and value.isdigit()) or len(value) > 18:  # an id: 18 digits
            raise ValidationError({"committee": ["Mã cấp ủy phải là một số."]})
        return queryset.filter(**{view.committee_path: int(value)})

    def get_schema_operation_parameters(self, view):
        if view.committee_path is None:
            return []
        return [_parameter("committee", "Mã (id) cấp ủy.", "integer")]


class RegisterSearch(BaseFilterBackend):
    """``?q=``: accents or not, "phrases", best matches first (resolutions.search)."""

    def filter_queryset(self, request, queryset, view):
        text = request.query_params.get("q", "").replace("\x00", "")
        if not text.strip() or not issubclass(queryset.model, Searchable):
            return queryset
        query = search.parse_query(text)
        if query.error:
            raise ValidationError({"q": [query.error]})
        return search.search(queryset, query)

    def get_schema_operation_parameters(self, view):
        if not issubclass(view.queryset.model, Searchable):
            return []
        return [
            _parameter(
                "q",
                "Tìm kiếm không cần dấu (“giai phong mat bang”); cụm từ trong ngoặc kép. "
                f"Trong {search.RECENT_WINDOW} kết quả mới nhất, khớp nhất trước.",
            )
        ]
