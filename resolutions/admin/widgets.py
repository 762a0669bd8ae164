"""Form widgets of the register's own."""

from django import forms


class FilePickerInput(forms.FileInput):
    """A file input whose visible control is a Vietnamese "Chọn tệp…" button and the chosen
    file's name: the browser's own control says "Choose File / No file chosen" in the
    browser's language. The input stays focusable for the keyboard (admin.css hides it
    visually; file_picker.js writes the name)."""

    template_name = "resolutions/widgets/file_picker.html"
