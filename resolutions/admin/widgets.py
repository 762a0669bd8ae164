"""Form widgets of the register's own."""

from typing import Any

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple


class FilePickerInput(forms.FileInput):
    """A file input whose visible control is a Vietnamese "Chọn tệp…" button and the chosen
    file's name: the browser's own control says "Choose File / No file chosen" in the
    browser's language. The input stays focusable for the keyboard (admin.css hides it
    visually; file_picker.js writes the name)."""

    template_name = "resolutions/widgets/file_picker.html"


class KnownChoices:
    """The related rows a page's inline rows point to, read in one query for all the rows.

    Django's autocomplete widget looks up the label of its selected value with a query of its
    own: one per row and per column on a meeting's page (a topic for each task, figure and
    finding, the tags of each task). The inline gives every row's widget of a column the same
    ``KnownChoices``, which reads the labels of all the rows' values at once."""

    def __init__(self, queryset, rows, field_name: str):
        self.queryset, self.rows, self.field_name = queryset, rows, field_name
        self._by_key: dict[str, Any] | None = None
        self.url = None  # the autocomplete view's address, the same for every row

    def get(self, keys: set[str]) -> list | None:
        """The rows of these keys, or None when one is not among the page's rows' values
        (a value typed in a form that was sent back): then the widget asks for itself."""
        if self._by_key is None:
            values = self.rows.values(self.field_name)
            self._by_key = {str(o.pk): o for o in self.queryset.filter(pk__in=values)}
        if not keys <= self._by_key.keys():
            return None
        return [obj for key, obj in self._by_key.items() if key in keys]  # the queryset's order


class KnownChoicesMixin:
    known: KnownChoices | None = None

    def get_url(self):
        if self.known is None:
            return super().get_url()
        if self.known.url is None:
            self.known.url = super().get_url()
        return self.known.url

    def optgroups(self, name, value, attr=None):
        selected = {str(v) for v in value if str(v) not in self.choices.field.empty_values}
        found = self.known.get(selected) if self.known is not None else None
        if found is None:
            return super().optgroups(name, value, attr)
        # Django's own, with the rows already read (django/contrib/admin/widgets.py).
        default = (None, [], 0)
        if not self.is_required and not self.allow_multiple_selected:
            default[1].append(self.create_option(name, "", "", False, 0))
        for obj in found:
            label = self.choices.field.label_from_instance(obj)
            default[1].append(self.create_option(name, obj.pk, label, selected, len(default[1])))
        return [default]


class KnownAutocompleteSelect(KnownChoicesMixin, AutocompleteSelect):
    pass


class KnownAutocompleteSelectMultiple(KnownChoicesMixin, AutocompleteSelectMultiple):
    pass
