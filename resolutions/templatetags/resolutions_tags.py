from django import template

from .. import vietnamese
from ..admin import tabular
from ..admin.evidence import shown

register = template.Library()


@register.filter
def lookup(mapping, key):
    """mapping[key] in a template, or None when it has no such key."""
    return mapping.get(key) if mapping else None


@register.filter
def figure(value):
    """A number as people write it: "79,5", "1.234,5"; nothing for no number."""
    if value is None or value == "":
        return ""
    return vietnamese.format_decimal(value, grouping=True)


@register.filter
def source(evidence, label=""):
    """Where a value was read, as the import previews show it (admin/evidence.py)."""
    return shown(evidence, label)


@register.filter
def roman(number):
    """A term as printed: 3 -> "III"."""
    return vietnamese.to_roman(number) if number else ""


@register.simple_tag(takes_context=True)
def tabular_rows(context, inline_admin_formset):
    """The rows of a tabular inline, as Django's template draws them (admin/tabular.py)."""
    return tabular.tabular_rows(context, inline_admin_formset)
