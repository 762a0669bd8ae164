"""Where an uploaded spreadsheet waits between the admin's preview and its confirmation.

django-import-export keeps the upload in the server's temporary folder and puts the file's name
in the confirmation form; its confirm step then reads and deletes whatever file that name
points to (``../../tmp/x`` included). Here the name is a random one we made, the file lives in
a folder of its own, and the confirm step accepts only a name issued to the same session.
"""

from __future__ import annotations

import re
import tempfile
import uuid
from pathlib import Path

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from import_export.tmp_storages import BaseStorage

NAME = re.compile(r"[0-9a-f]{32}")
SESSION_KEY = "resolutions_import_files"
# A session keeps the last few previews it was shown, so that two tabs can each be confirmed.
KEPT_PER_SESSION = 5


def folder() -> Path:
    path = Path(tempfile.gettempdir()) / "resolutions-imports"
    path.mkdir(mode=0o700, exist_ok=True)
    return path


class UploadStorage(BaseStorage):
    """An upload under a random name in its own folder; a name of any other shape is never
    opened. Always read as bytes (text mode would turn a carriage return into a line feed)."""

    def save(self, data):
        self.name = uuid.uuid4().hex
        if isinstance(data, str):
            data = data.encode("utf-8")
        self._path().write_bytes(data)

    def read(self):
        return self._path().read_bytes()

    def remove(self):
        self._path().unlink(missing_ok=True)

    def _path(self) -> Path:
        if not isinstance(self.name, str) or not NAME.fullmatch(self.name):
            raise ValueError("Tên tệp tạm không hợp lệ.")
        return folder() / self.name


class SessionBoundImportMixin:
    """For a ModelAdmin with django-import-export's import: the preview records the name of the
    upload it stored in the session, and the confirm step refuses any name it did not issue."""

    tmp_storage_class = UploadStorage

    def import_action(self, request, **kwargs):
        response = super().import_action(request, **kwargs)
        confirm = getattr(response, "context_data", {}).get("confirm_form")
        name = confirm.initial.get("import_file_name") if confirm is not None else None
        if name:
            issued = [n for n in request.session.get(SESSION_KEY, []) if n != name]
            request.session[SESSION_KEY] = [*issued, name][-KEPT_PER_SESSION:]
        return response

    def process_import(self, request, **kwargs):
        name = request.POST.get("import_file_name", "")
        issued = request.session.get(SESSION_KEY, [])
        if request.method == "POST" and name not in issued:
            messages.error(
                request,
                "Tệp cần nhập không còn hoặc không thuộc phiên làm việc này; "
                "hãy tải tệp lên và xem trước lại.",
            )
            opts = self.model._meta
            return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_import"))
        response = super().process_import(request, **kwargs)
        request.session[SESSION_KEY] = [n for n in issued if n != name]
        return response
