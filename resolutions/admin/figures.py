"""Figures shown as people write them: "79,5", not Django's "79,5000".

Django's admin shows a DecimalField padded to its decimal places wherever it displays rather
than edits it (list columns, and every field of a page the user may only view). Our figures keep
four places for the ones that need them; a clerk reads them as typed. Forms already show them so
(VietnameseDecimalField).
"""

from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets
from django.db import models

from .. import vietnamese


def figure_display(field: models.DecimalField):
    """A display function for one decimal field, labelled and sortable as the field itself."""

    @admin.display(description=field.verbose_name, ordering=field.name)
    def shown(obj):
        value = getattr(obj, field.name)
        if value is None:
            return admin.site.empty_value_display
        return vietnamese.format_decimal(value, grouping=True)

    return shown


class FiguresAsWritten:
    """For a ModelAdmin or an inline: its decimal fields displayed without padding zeros."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.figure_names = {}
        for field in self.model._meta.get_fields():
            if isinstance(field, models.DecimalField):
                name = f"{field.name}_as_written"
                setattr(self, name, figure_display(field))
                self.figure_names[field.name] = name

    def _as_written(self, names):
        return type(names)(
            self._as_written(name)
            if isinstance(name, list | tuple)
            else self.figure_names.get(name, name)
            for name in names
        )

    def get_list_display(self, request):
        return self._as_written(super().get_list_display(request))

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if self.has_change_permission(request, obj):
            return fieldsets  # edited through the form, which writes them as typed
        return [
            (name, {**options, "fields": self._as_written(options["fields"])})
            for name, options in fieldsets
        ]

    # Forms are built from the model's own fields; only what is displayed changes.
    def get_form(self, request, obj=None, **kwargs):
        kwargs["fields"] = flatten_fieldsets(super().get_fieldsets(request, obj))
        return super().get_form(request, obj, **kwargs)

    def get_formset(self, request, obj=None, **kwargs):  # for inlines
        kwargs["fields"] = flatten_fieldsets(super().get_fieldsets(request, obj))
        return super().get_formset(request, obj, **kwargs)
