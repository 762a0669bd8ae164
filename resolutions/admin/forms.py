"""Form pieces shared by the admin pages."""

from decimal import Decimal

from django import forms
from django.contrib.admin.widgets import AdminDateWidget
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import F
from django.forms.models import BaseInlineFormSet
from django.forms.utils import ErrorList
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from import_export.forms import SelectableFieldsExportForm

from .. import upload_safety, vietnamese
from ..parsing import DocumentError, read_text
from ..parsing.intake import read_text_file, read_upload
from ..parsing.reading import clean_text
from .widgets import FilePickerInput


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


class NormalizedTextField(forms.CharField):
    """Text read as it will be stored (vietnamese.nfc: NFC, LF line ends), and compared with
    what the page showed in that form: a page saved as a browser sends it (CR LF in every
    textarea, the field's surrounding spaces trimmed) counts no change where none was made."""

    def to_python(self, value):
        value = super().to_python(value)
        return vietnamese.nfc(value) if isinstance(value, str) else value

    def has_changed(self, initial, data):
        if isinstance(initial, str):
            initial = self.to_python(initial)
        return super().has_changed(initial, data)


class QuietErrorList(ErrorList):
    """A field's errors, rendered only when there are some. Django renders the error list's
    template for every field, empty or not: on a meeting's page (some 500 fields) that was a
    third of the time the page took."""

    def render(self, *args, **kwargs):
        return super().render(*args, **kwargs) if self.data else mark_safe("")


class RegisterForm(forms.ModelForm):
    """The admin's forms for the register's records: a text the person left alone is saved
    exactly as it was (not trimmed again), so that an edit elsewhere on the page does not
    rewrite it, nor list it in the history as changed."""

    error_class = QuietErrorList

    def _post_clean(self):
        for name, field in self.fields.items():
            unchanged = name in self.cleaned_data and name not in self.changed_data
            initial = self.initial.get(name)
            if isinstance(field, NormalizedTextField) and unchanged and isinstance(initial, str):
                self.cleaned_data[name] = initial
        super()._post_clean()


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


class PastedTextField(forms.CharField):
    """Text pasted from anywhere, cleaned as a document's text is before it is validated: a
    NUL character is dropped rather than refused (Django refuses it, and in English)."""

    def to_python(self, value):
        return clean_text(super().to_python(value))


class ConclusionImportForm(forms.Form):
    """A conclusion to import: an uploaded file, or its text pasted in."""

    document = forms.FileField(
        label="Tệp văn bản",
        required=False,
        allow_empty_file=True,  # refused in clean() with a message that names the file
        widget=FilePickerInput,
        help_text=(
            "Tệp .txt (Unicode, hoặc bảng mã cũ TCVN3, VNI, VISCII, Windows-1258: được tự chuyển "
            "sang Unicode), Word .docx, .doc, .rtf, PDF, hoặc ảnh quét .png, .jpg, .tif (đọc "
            "bằng nhận dạng chữ)."
        ),
    )
    text = PastedTextField(
        label="Hoặc dán nội dung kết luận",
        required=False,
        widget=forms.Textarea(attrs={"rows": 16, "cols": 100}),
        strip=False,
    )
    source_name = forms.CharField(required=False, widget=forms.HiddenInput)
    # The confirm form's: the token of what the preview read, held in the session (pending.py).
    pending = forms.CharField(required=False, widget=forms.HiddenInput, max_length=64)
    overwrite_edits = forms.BooleanField(
        label="Thay cả các giá trị người dùng đã nhập (liệt kê ở trên) bằng giá trị theo văn bản",
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("document")
        cleaned["data"] = None
        if upload:
            # Before the upload is read into memory.
            upload_safety.check_size(upload.name, upload.size, "document", ValidationError)
            try:
                cleaned["data"] = upload.read()
                cleaned["intake"] = read_upload(upload.name, cleaned["data"])
                cleaned["text"] = cleaned["intake"].text
            except DocumentError as error:
                raise ValidationError(str(error)) from None
            cleaned["source_name"] = upload.name
        elif cleaned.get("pending"):
            pass  # a confirmation: the view takes what the preview read from the session
        elif not (cleaned.get("text") or "").strip():
            raise ValidationError("Hãy chọn một tệp hoặc dán nội dung kết luận vào ô bên dưới.")
        else:
            name = cleaned.get("source_name") or "văn bản dán"
            try:
                cleaned["intake"] = read_text_file(name, read_text(name, cleaned["text"]))
                cleaned["text"] = cleaned["intake"].text
            except DocumentError as error:
                raise ValidationError(str(error)) from None
            cleaned["source_name"] = name
        return cleaned


class ArchiveExportForm(forms.Form):
    committee: forms.ModelChoiceField = forms.ModelChoiceField(
        label="Cấp ủy",
        queryset=None,
        required=False,
        empty_label="Tất cả cấp ủy",
    )
    year = forms.IntegerField(
        label="Năm họp",
        required=False,
        min_value=1930,
        max_value=2100,
        help_text="Để trống: mọi năm.",
    )

    def __init__(self, *args, **kwargs):
        from ..models import Committee

        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = Committee.objects.all()


class ArchiveRestoreForm(forms.Form):
    archive = forms.FileField(label="Tệp lưu trữ (.xlsx)", widget=FilePickerInput)
    dry_run = forms.BooleanField(label="Chỉ chạy thử (không ghi gì)", required=False, initial=True)


class FollowUpReportForm(forms.Form):
    committee: forms.ModelChoiceField = forms.ModelChoiceField(
        label="Cấp ủy", queryset=None, required=False, empty_label="Tất cả cấp ủy"
    )
    # The admin's own calendar and "Hôm nay" beside each date (its media: the page's template).
    start = forms.DateField(
        label="Hội nghị từ ngày",
        required=False,
        widget=AdminDateWidget(format="%d/%m/%Y"),
        help_text="dd/mm/yyyy; để trống: từ đầu.",
    )
    end = forms.DateField(
        label="đến ngày",
        required=False,
        widget=AdminDateWidget(format="%d/%m/%Y"),
        help_text="dd/mm/yyyy; để trống: đến nay.",
    )

    def __init__(self, *args, **kwargs):
        from ..models import Committee

        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = Committee.objects.all()

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", "Ngày cuối kỳ phải sau ngày đầu kỳ.")
        return cleaned


class MeetingForm(RegisterForm):
    """The meeting page's form. It refuses to overwrite changes saved by someone else since
    the page was opened (optimistic locking on Meeting.edit_version)."""

    # Text, not a number: a missing or mangled version is a conflict (clean), not a form
    # error about a hidden field the person cannot see.
    seen_version = forms.CharField(
        label="phiên bản lúc mở trang", widget=forms.HiddenInput, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["seen_version"].initial = str(self.instance.edit_version)

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None:
            return cleaned
        # A page that does not say which version it was opened at cannot show it was not
        # overtaken: refused like a conflict, so a second press saves on purpose.
        seen = vietnamese.whole_number(cleaned.get("seen_version"))
        # The row stays locked until the admin's transaction ends, so no save slips in
        # between this check and ours (PostgreSQL; SQLite writes one at a time anyway).
        current = (
            type(self.instance)
            .objects.select_for_update()
            .filter(pk=self.instance.pk)
            .values_list("edit_version", flat=True)
            .first()
        )
        if current is not None and current != seen:
            if seen is None:
                message = (
                    "Trang này không cho biết bạn đã mở hội nghị ở phiên bản nào, nên không "
                    "thể kiểm tra người khác có vừa lưu hay không. Thay đổi của bạn chưa được "
                    "lưu và vẫn còn nguyên trên trang này; hãy xem lại rồi bấm Lưu lần nữa để "
                    "lưu."
                )
            else:
                message = self.conflict_message()
            # A second press of Save, after reading this, overwrites on purpose.
            self.data = self.data.copy()
            self.data[self.add_prefix("seen_version")] = current
            raise ValidationError(message, code="conflict")
        return cleaned

    def validate_unique(self):
        super().validate_unique()
        # The constraint's own message says only that the meeting exists; a clerk needs to know
        # which one, and to get to it.
        errors = self._errors.get(NON_FIELD_ERRORS) if self._errors else None
        message = next(
            (
                c.violation_error_message
                for c in self._meta.model._meta.constraints
                if c.name == "resolutions_meeting_unique_number_in_term"
            ),
        )
        if not errors or message not in errors:
            return
        existing = (
            type(self.instance)
            .objects.filter(
                committee=self.instance.committee_id,
                term=self.instance.term,
                number=self.instance.number,
            )
            .exclude(pk=self.instance.pk)
            .select_related("committee")
            .first()
        )
        if existing is not None:
            errors.data[list(errors).index(message)] = format_html(
                'Sổ đã có {}: <a href="{}">mở hội nghị này</a> để sửa, thay vì nhập lại.',
                existing,
                reverse("admin:resolutions_meeting_change", args=[existing.pk]),
            )

    def conflict_message(self) -> str:
        from reversion.models import Version

        latest = (
            Version.objects.get_for_object(self.instance)
            .select_related("revision__user")
            .order_by("-pk")
            .first()
        )
        who = "người khác"
        if latest and latest.revision.user:
            user = latest.revision.user
            who = user.get_full_name() or user.get_username()
        when = ""
        if latest:
            stamp = timezone.localtime(latest.revision.date_created)
            when = f" lúc {stamp:%H:%M} ngày {stamp:%d/%m/%Y}"
        return (
            f"Hội nghị này vừa được {who} lưu{when}, sau khi bạn mở trang. Thay đổi của bạn "
            "chưa được lưu và vẫn còn nguyên trên trang này. Hãy mở hội nghị trong một thẻ mới "
            "để xem họ đã sửa gì; nếu vẫn muốn ghi đè bằng nội dung của bạn, bấm Lưu lần nữa."
        )


class ExportForm(SelectableFieldsExportForm):
    """The export page's choice of columns, each named by its Vietnamese header.

    django-import-export 4.4 labels each box with the field's English name, title-cased, and
    the header in brackets ("Meeting Term (Khóa)"); ``_get_field_label`` is its hook for that
    (tests/test_admin_index.py checks the labels, so a library upgrade that drops it shows).
    """

    def _get_field_label(self, resource, field_name):
        field = resource.fields.get(field_name)
        return field.column_name if field else field_name
