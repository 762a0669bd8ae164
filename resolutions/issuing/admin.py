"""Admin pages of the issuing data: each committee's issuing defaults, a meeting's signer and
recipients, and the number register. Registered from ResolutionsConfig.ready()."""

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from .models import Issuance, IssuingProfile, RegisteredNumber
from .register import holder_message, next_number


@admin.register(IssuingProfile)
class IssuingProfileAdmin(admin.ModelAdmin):
    list_display = ("committee", "issuing_body", "on_behalf_of", "signer_name", "signer_title")
    list_select_related = ("committee",)
    autocomplete_fields = ("committee",)
    search_fields = ("committee__name", "issuing_body", "signer_name")


@admin.register(Issuance)
class IssuanceAdmin(admin.ModelAdmin):
    list_display = ("meeting", "signer_name", "signer_title")
    list_select_related = ("meeting__committee",)
    autocomplete_fields = ("meeting",)


class RegisteredNumberForm(forms.ModelForm):
    class Meta:
        model = RegisteredNumber
        fields = (
            "committee",
            "document_kind",
            "term",
            "number",
            "meeting",
            "description",
            "issued_on",
        )

    def clean(self):
        data = super().clean()
        keys = [data.get(k) for k in ("committee", "document_kind", "term", "number")]
        if all(k is not None for k in keys):
            taken = RegisteredNumber.objects.filter(
                committee=keys[0], document_kind=keys[1], term=keys[2], number=keys[3]
            ).exclude(pk=self.instance.pk)
            holder = taken.select_related("meeting").first()
            if holder:
                raise forms.ValidationError(holder_message(holder))
        return data


@admin.register(RegisteredNumber)
class RegisteredNumberAdmin(admin.ModelAdmin):
    form = RegisteredNumberForm
    list_display = ("number", "document_kind", "term", "committee", "meeting", "issued_on")
    list_filter = ("document_kind", "term", "committee")
    list_select_related = ("committee", "meeting")
    autocomplete_fields = ("committee", "meeting")
    search_fields = ("description", "meeting__title")

    def get_changeform_initial_data(self, request):
        """The next number suggested when the committee, type and term are given
        (?committee=1&document_kind=conclusion&term=3)."""
        initial = super().get_changeform_initial_data(request)
        try:
            from ..models import Committee

            committee = Committee.objects.get(pk=initial["committee"])
            initial["number"] = next_number(
                committee, initial["document_kind"], int(initial["term"])
            )
        except (KeyError, ValueError, Committee.DoesNotExist):
            pass
        return initial


@admin.display(description="Văn bản")
def document_link(obj):
    """A search result's (or a meeting's) way to its conclusion as a document."""
    meeting_id = obj.meeting_id if hasattr(obj, "meeting_id") else obj.pk
    url = reverse("admin:resolutions_meeting_document", args=[meeting_id])
    return format_html('<a href="{}">Xem văn bản</a>', url)
