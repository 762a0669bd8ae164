"""The rows edited on a page of their parent: a meeting's reports, figures, tasks and findings,
and a task's progress notes."""

from typing import Any

from django import forms
from django.contrib.admin.widgets import AdminTextInputWidget, RelatedFieldWidgetWrapper
from django.db import models

from ..models import Directive, Finding, Indicator, ProgressNote, Report
from . import filling
from .figures import FiguresAsWritten
from .forms import (
    NormalizedTextField,
    PositionedInlineFormSet,
    RegisterForm,
    VietnameseDecimalField,
)
from .tabular import TabularInline
from .widgets import (
    KnownAutocompleteSelect,
    KnownAutocompleteSelectMultiple,
    KnownChoices,
    KnownChoicesMixin,
)

FORM_FIELD_OVERRIDES: dict[type, dict[str, Any]] = {
    models.DecimalField: {"form_class": VietnameseDecimalField},
    models.CharField: {"form_class": NormalizedTextField},
    models.TextField: {"form_class": NormalizedTextField},
    # A slug keeps its own form field (the CharField entry above would replace it).
    models.SlugField: {"form_class": forms.SlugField, "widget": AdminTextInputWidget},
}


class MeetingPartInline(TabularInline):
    """A meeting's rows, in document order; the position column is the handle to reorder them."""

    form = RegisterForm
    formset = PositionedInlineFormSet
    formfield_overrides = {
        **FORM_FIELD_OVERRIDES,
        models.TextField: {
            **FORM_FIELD_OVERRIDES[models.TextField],
            "widget": forms.Textarea(attrs={"rows": 2, "cols": 60}),
        },
    }
    extra = 0
    show_change_link = True

    class Media:
        js = ["resolutions/inline_order.js", "resolutions/inline_cards.js"]

    def get_extra(self, request, obj=None, **kwargs):
        # "Điền từ văn bản" shows one form per row the text gave.
        filled = filling.filled(request)
        return len(filled.initial.rows.get(self.model, [])) if filled else self.extra

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs.setdefault("widget", KnownAutocompleteSelect(db_field, self.admin_site))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs.setdefault("widget", KnownAutocompleteSelectMultiple(db_field, self.admin_site))
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if obj is not None and obj.pk is not None:
            # One query per column for the labels of every row's choice, not one per row.
            rows = self.model._default_manager.filter(**{formset.fk.name: obj})
            for name, field in formset.form.base_fields.items():
                widget = getattr(field.widget, "widget", field.widget)  # inside its wrapper
                if isinstance(widget, KnownChoicesMixin):
                    widget.known = KnownChoices(field.queryset, rows, name)
        return formset

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        # The many-to-many values (a task's tags) of every row in one query.
        many = [f.name for f in self.model._meta.many_to_many if f.name in (self.fields or ())]
        return queryset.prefetch_related(*many)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        # A meeting's rows pick topics; editing the taxonomy from a row only clutters the page,
        # so the widget goes without the wrapper that draws the add, change and delete links
        # (and costs a template of its own in every row).
        if field is not None and isinstance(field.widget, RelatedFieldWidgetWrapper):
            field.widget = field.widget.widget
        return field


class ReportInline(MeetingPartInline):
    model = Report
    fields = ("position", "kind", "title")


class IndicatorInline(FiguresAsWritten, MeetingPartInline):
    model = Indicator
    fields = (
        "position",
        "name",
        "value",
        "unit",
        "change_pct",
        "compared_with",
        "plan_pct",
        "period",
        "topic",
        "is_target",
        "is_estimate",
    )
    autocomplete_fields = ("topic",)


class DirectiveInline(MeetingPartInline):
    model = Directive
    fields = (
        "position",
        "section_order",
        "section_number",
        "section_heading",
        "text",
        "topic",
        "tags",
        "responsible_unit",
        "lead_unit",
        "due_period",
        "due_on",
    )
    autocomplete_fields = ("topic", "tags", "lead_unit")


class FindingInline(MeetingPartInline):
    model = Finding
    fields = ("position", "kind", "text", "topic")
    autocomplete_fields = ("topic",)


class ProgressNoteInline(TabularInline):
    model = ProgressNote
    fields = ("noted_on", "text", "author")
    readonly_fields = ("author",)
    extra = 1
    form = RegisterForm
    formfield_overrides = {
        **FORM_FIELD_OVERRIDES,
        models.TextField: {
            **FORM_FIELD_OVERRIDES[models.TextField],
            "widget": forms.Textarea(attrs={"rows": 2}),
        },
    }
