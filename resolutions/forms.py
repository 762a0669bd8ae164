"""Form pieces shared by the admin pages."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import F
from django.forms.models import BaseInlineFormSet

from . import vietnamese


class VietnameseDecimalField(forms.DecimalField):
    """A decimal typed as a clerk types it: "55,699", "1.234,5"; and shown back the same way."""

    default_error_messages = {
        "invalid": "“%(value)s” không phải là số. Hãy viết với dấu phẩy thập phân, "
        "ví dụ 55,699 hoặc 1.234,5.",
    }

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "decimal", "class": "vDecimalField"})
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            return value
        try:
            return vietnamese.parse_decimal(str(value))
        except ValueError:
            raise ValidationError(
                self.error_messages["invalid"], code="invalid", params={"value": value}
            ) from None

    def prepare_value(self, value):
        if isinstance(value, Decimal | int) and not isinstance(value, bool):
            return vietnamese.format_decimal(value)
        return value


# Rows whose place changes are first parked this far out, then saved at their new place.
_PARKING_OFFSET = 1_000_000_000


class PositionedInlineFormSet(BaseInlineFormSet):
    """Saves reordered rows of a meeting without tripping the unique-position constraint.

    Rows are saved one at a time, so swapping two rows' positions would make the first save
    collide with the row that still holds its new place. The rows that move (or go) are parked
    out of the way in one UPDATE before the normal save writes their final positions.
    """

    def save_existing_objects(self, commit=True):
        if commit:
            place_fields = set(self.model.natural_key_fields)
            leaving = [
                form.instance.pk
                for form in self.initial_forms
                if form.instance.pk
                and (
                    (self.can_delete and self._should_delete_form(form))
                    or place_fields & set(form.changed_data)
                )
            ]
            if leaving:
                self.model._default_manager.filter(pk__in=leaving).update(
                    position=F("position") + _PARKING_OFFSET
                )
        return super().save_existing_objects(commit)

    def get_unique_error_message(self, unique_check):
        if "position" in unique_check:
            # Django's own message names the columns by their code names ("meeting", "position").
            return (
                "Có hai dòng trùng thứ tự: hãy đánh số lại cột “thứ tự”, "
                "hoặc để trống để xếp dòng xuống cuối."
            )
        return super().get_unique_error_message(unique_check)
