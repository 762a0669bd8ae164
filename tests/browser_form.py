"""A page's form as a browser submits it, for tests that post with Django's test client.

A browser sends every field of the form, inline formsets' empty templates included, with its
textareas' line ends made CR LF and the newline that opens a textarea dropped (HTML's rule);
unchecked boxes are left out, and of the submit buttons only the one pressed is sent.
"""

from __future__ import annotations

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self.select: tuple | None = None  # name, selected values, all values, multiple
        self.option: dict | None = None
        self.textarea: tuple[str, list[str]] | None = None

    def _ours(self, attrs: dict) -> bool:
        if "disabled" in attrs:
            return False
        return attrs.get("form", self.form_id if self.inside else None) == self.form_id

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == self.form_id:
            self.inside = True
        elif tag == "input" and self._ours(attrs) and attrs.get("name"):
            kind = attrs.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            default = "on" if kind in ("checkbox", "radio") else ""
            self.fields.append((attrs["name"], attrs.get("value", default)))
        elif tag == "select" and self._ours(attrs) and attrs.get("name"):
            self.select = (attrs["name"], [], [], "multiple" in attrs)
        elif tag == "option" and self.select is not None:
            self.option = {"value": attrs.get("value"), "selected": "selected" in attrs, "text": ""}
        elif tag == "textarea" and self._ours(attrs) and attrs.get("name"):
            self.textarea = (attrs["name"], [])

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1].append(data)
        elif self.option is not None:
            self.option["text"] += data

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "option" and self.option is not None:
            value = self.option["value"]
            value = self.option["text"] if value is None else value
            _, selected, values, _ = self.select
            values.append(value)
            if self.option["selected"]:
                selected.append(value)
            self.option = None
        elif tag == "select" and self.select is not None:
            name, selected, values, multiple = self.select
            if not selected and values and not multiple:
                selected = values[:1]
            self.fields.extend((name, value) for value in selected)
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            name, parts = self.textarea
            text = "".join(parts)
            if text.startswith("\n"):
                text = text[1:]
            self.fields.append((name, text.replace("\r\n", "\n").replace("\n", "\r\n")))
            self.textarea = None


def form_data(page: str, form_id: str, changes: dict | None = None, *, press="_save") -> dict:
    """The fields of the form *form_id* on *page* as a browser posts them when the button
    named *press* is pressed, with *changes* typed in (a list for a multiple choice)."""
    reader = _FormReader(form_id)
    reader.feed(page)
    data: dict[str, list[str]] = {}
    for name, value in reader.fields:
        data.setdefault(name, []).append(value)
    for name, value in (changes or {}).items():
        assert name in data, f"the form has no field {name}"
        data[name] = value if isinstance(value, list) else [value]
    data[press] = ["Lưu"]
    return data
