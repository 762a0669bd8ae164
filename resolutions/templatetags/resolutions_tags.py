from django import template

from .. import vietnamese

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
