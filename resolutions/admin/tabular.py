"""A tabular inline's rows written in Python, character for character as Django's template.

A meeting's page is four tabular inlines whose rows hold some 550 form fields. Django's
``admin/edit_inline/tabular.html`` walks each row's fieldsets, lines and fields through the
template engine — three nested loops, and a dozen lookups per cell — which made most of the
page's time once the widgets themselves were drawn in Python (``resolutions.form_rendering``).
``TabularInline`` here uses a copy of that template whose row loop is the ``tabular_rows`` tag,
written below from the same objects (``InlineAdminForm``, its fieldsets, lines and fields) in
the same order. tests/test_tabular_rows.py compares whole pages drawn by both templates, so a
Django upgrade that changes its template fails there rather than drifting.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.templatetags.admin_modify import cell_count
from django.contrib.admin.utils import quote
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from ..form_rendering import escaped


class TabularInline(admin.TabularInline):
    """Django's tabular inline, its rows drawn by ``tabular_rows``."""

    template = "admin/resolutions/edit_inline/tabular.html"


def _original(inline_admin_formset, inline_admin_form, current_app) -> str:
    original = inline_admin_form.original
    show_url = inline_admin_form.show_url
    if not (original or show_url):
        return ""
    out = ["<p>\n          "]
    if original:
        out.append(f"\n          {escaped(original)}\n          ")
        model_admin = inline_admin_form.model_admin
        if model_admin.show_change_link and model_admin.has_registered_model:
            opts = model_admin.opts
            url = reverse(
                f"admin:{opts.app_label}_{opts.model_name}_change",
                args=[quote(original.pk)],
                current_app=current_app,
            )
            if inline_admin_formset.has_change_permission:
                css, label = "inlinechangelink", gettext("Change")
            else:
                css, label = "inlineviewlink", gettext("View")
            out.append(f'<a href="{escaped(url)}" class="{css}">{label}</a>')
        out.append("\n          ")
    out.append("\n          ")
    if show_url:
        url = escaped(inline_admin_form.absolute_url)
        out.append(f'<a href="{url}">{gettext("View on site")}</a>')
    out.append("\n            </p>")
    return "".join(out)


def _cells(inline_admin_form) -> str:
    out = []
    for fieldset in inline_admin_form:
        out.append("\n          ")
        for line in fieldset:
            out.append("\n            ")
            for field in line:
                if field.is_readonly:
                    name, hidden = field.field["name"], field.field["is_hidden"]
                    body = f"\n                  <p>{escaped(field.contents())}</p>"
                else:
                    bound = field.field
                    name, hidden = bound.name, bound.is_hidden
                    body = (
                        f"\n                  {escaped(bound.errors.as_ul())}"
                        f"\n                  {escaped(bound)}"
                    )
                css = (f"field-{escaped(name)}" if name else "") + (" hidden" if hidden else "")
                out.append(
                    f'\n              <td class="{css}">\n              {body}\n'
                    "              \n              </td>\n            "
                )
            out.append("\n          ")
        out.append("\n        ")
    return "".join(out)


def tabular_rows(context, inline_admin_formset) -> SafeString:
    """The body of tabular.html's ``{% for inline_admin_form in inline_admin_formset %}``."""
    request = context.get("request")
    current_app = getattr(request, "current_app", None)
    formset = inline_admin_formset.formset
    prefix = escaped(formset.prefix)
    adds = inline_admin_formset.has_add_permission
    deletes = formset.can_delete and inline_admin_formset.has_delete_permission
    forms = list(inline_admin_formset)
    out = []
    for counter, inline_admin_form in enumerate(forms):
        last = counter == len(forms) - 1
        out.append("\n        ")
        errors = inline_admin_form.form.non_field_errors()
        if errors:
            out.append(
                f'\n        <tr class="row-form-errors"><td colspan="'
                f'{cell_count(inline_admin_form)}">{escaped(errors)}</td></tr>\n        '
            )
        has_original = inline_admin_form.original or inline_admin_form.show_url
        out.append(
            '\n        <tr class="form-row '
            + ("has_original" if has_original else "")
            + (" empty-form" if last and adds else "")
            + f'"\n             id="{prefix}-'
            + ("empty" if last and adds else str(counter))
            + '">\n        <td class="original">\n          '
            + _original(inline_admin_formset, inline_admin_form, current_app)
            + "\n          "
        )
        if inline_admin_form.needs_explicit_pk_field():
            out.append(escaped(inline_admin_form.pk_field().field))
        out.append("\n          ")
        if inline_admin_form.fk_field():
            out.append(escaped(inline_admin_form.fk_field().field))
        out.append("\n        </td>\n        ")
        out.append(_cells(inline_admin_form))
        out.append('\n        <td class="delete">')
        if deletes and inline_admin_form.original:
            out.append(escaped(inline_admin_form.deletion_field().field))
        out.append("</td>\n        </tr>\n     ")
    return mark_safe("".join(out))
