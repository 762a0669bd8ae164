"""“Điền từ văn bản”: the add page of a meeting, filled from a pasted conclusion.

The button posts the text. The text is kept in the session under a new key and the browser is
sent to the add page with that key (``?tu_van_ban=<key>``): an ordinary GET whose forms are
unbound and whose initial values are the text's, so nothing is saved until the clerk presses
Lưu, and reloading the page shows the same. The hooks that fill the page (the meeting's initial
values, each inline's rows and their number) all read the one reading of that fill.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from functools import lru_cache

from ..parsing import ParsedConclusion
from ..services.conclusions import parse_text
from ..services.meeting_form import FormInitial, form_initial

SESSION_KEY = "resolutions_fill_from_text"
PARAM = "tu_van_ban"


@dataclass(frozen=True)
class Filled:
    parsed: ParsedConclusion
    initial: FormInitial


def store(request, text: str, name: str) -> tuple[str, Filled]:
    """Keep the pasted text for the add page, and read it; returns the key in the URL too."""
    key = secrets.token_urlsafe(12)
    request.session[SESSION_KEY] = {"key": key, "text": text, "name": name}
    return key, _read(key, text, name)


def filled(request) -> Filled | None:
    """The reading the add page shows, when it is asked for with the key of a fill. Only a
    GET is filled: the page saved from it posts its own rows, which must not be compared with
    the text's (an extra row equal to its initial values counts as unchanged and is skipped)."""
    if request.method != "GET":
        return None
    key = request.GET.get(PARAM)
    stored = request.session.get(SESSION_KEY) if key else None
    if not stored or stored.get("key") != key:
        return None
    return _read(key, stored["text"], stored["name"])


# One reading per fill (its key is new each time), shared by the page's hooks and reloads.
@lru_cache(maxsize=8)
def _read(key: str, text: str, name: str) -> Filled:
    parsed = parse_text(text, name)
    return Filled(parsed, form_initial(parsed, name))
