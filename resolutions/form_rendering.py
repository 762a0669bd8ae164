"""Form widgets drawn without a template for each one (``settings.FORM_RENDERER``).

A meeting's admin page holds some 550 form fields (every report, figure, task and finding is a
row of inputs) and, around them, some 430 error lists that are empty. Django draws each through
the template engine, which made most of the page's time. This renderer writes the simplest
and most frequent of them — an empty error list, the ``<input>`` widgets (the admin's date
input too), ``<textarea>`` and ``<select>`` with plain options — in Python, character for
character as Django's own templates write them (tests/test_form_rendering.py compares both on
the busiest pages); any other template, or one of these overridden by an app, is rendered by
the engine as before. The rows of the tabular inlines around them: admin/tabular.py.
"""

from __future__ import annotations

import html
from pathlib import Path

import django
from django.forms.renderers import DjangoTemplates
from django.utils.functional import cached_property
from django.utils.html import conditional_escape

_DJANGO = Path(django.__file__).parent
_FORMS = "django/forms/"
_INPUTS = {
    f"{_FORMS}widgets/{name}.html"
    for name in (
        "input",
        "text",
        "number",
        "hidden",
        "checkbox",
        "date",
        "email",
        "url",
        "password",
        "datetime",
        "time",
    )
}
# The admin's date input: Django's date input in a paragraph (it includes the two below).
_ADMIN_DATE = "admin/widgets/date.html"
_ADMIN_DATE_PARTS = (f"{_FORMS}widgets/date.html", f"{_FORMS}widgets/input.html")
_TEXTAREA = f"{_FORMS}widgets/textarea.html"
_SELECT = f"{_FORMS}widgets/select.html"
_OPTION = f"{_FORMS}widgets/select_option.html"
_ERRORS = {f"{_FORMS}errors/list/ul.html", f"{_FORMS}errors/list/default.html"}
_SUPPORTED = {*_INPUTS, _ADMIN_DATE, _TEXTAREA, _SELECT, _OPTION, *_ERRORS}


def escaped(value) -> str:
    """``conditional_escape(value)``: the same characters, a plain string taking the short way
    (Django's ``escape`` first looks for lazy arguments, a third of its time on these pages)."""
    if type(value) is str:  # not a SafeString, nor a lazy or other object
        return html.escape(value)
    return conditional_escape(value)


def _text(value) -> str:
    """``{{ value|stringformat:'s' }}`` under autoescape."""
    return escaped(value if isinstance(value, str) else f"{value}")


def _attrs(attrs) -> str:
    """django/forms/widgets/attrs.html."""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        out.append(f" {escaped(name)}")
        if value is not True:
            out.append(f'="{_text(value)}"')
    return "".join(out)


def _input(widget) -> str:
    value = widget["value"]
    shown = f' value="{_text(value)}"' if value is not None else ""
    return (
        f'<input type="{escaped(widget["type"])}" '
        f'name="{escaped(widget["name"])}"{shown}{_attrs(widget["attrs"])}>'
    )


def _textarea(widget) -> str:
    value = widget["value"]
    shown = escaped(value) if value else ""
    return (
        f'<textarea name="{escaped(widget["name"])}"{_attrs(widget["attrs"])}>\n{shown}</textarea>'
    )


def _option(option) -> str:
    return (
        f'<option value="{_text(option["value"])}"{_attrs(option["attrs"])}>'
        f"{escaped(option['label'])}</option>\n"
    )


class FastRenderer(DjangoTemplates):
    """Django's form renderer, with the frequent simple widgets written in Python."""

    @cached_property
    def _own(self) -> frozenset[str]:
        """The supported templates that resolve to Django's own files (none overridden)."""
        own = set()
        for name in _SUPPORTED:
            origin = self.get_template(name).origin.name  # type: ignore[attr-defined]
            if Path(origin).is_relative_to(_DJANGO):
                own.add(name)
        return frozenset(own)

    def render(self, template_name, context, request=None):
        if template_name in _SUPPORTED and template_name in self._own:
            written = self._write(template_name, context)
            if written is not None:
                return written
        return super().render(template_name, context, request)

    def _write(self, template_name, context) -> str | None:
        if template_name in _ERRORS:
            return "" if not context.get("errors") else None
        widget = context.get("widget")
        if widget is None:
            return None
        if template_name in _INPUTS:
            return _input(widget)
        if template_name == _ADMIN_DATE:
            if not all(part in self._own for part in _ADMIN_DATE_PARTS):
                return None
            return f'<p class="date">\n  {_input(widget)}\n\n\n</p>'

        if template_name == _TEXTAREA:
            return _textarea(widget)
        if template_name == _SELECT:
            return self._select(widget)
        return None

    def _select(self, widget) -> str | None:
        out = [f'<select name="{escaped(widget["name"])}"{_attrs(widget["attrs"])}>']
        for group_name, group_choices, _ in widget["optgroups"]:
            if group_name:
                out.append(f'\n  <optgroup label="{escaped(group_name)}">')
            for option in group_choices:
                if option["template_name"] != _OPTION or _OPTION not in self._own:
                    return None  # an option drawn its own way: the whole select by the engine
                out.append("\n  " + _option(option))
            if group_name:
                out.append("\n  </optgroup>")
        out.append("\n</select>")
        return "".join(out)
