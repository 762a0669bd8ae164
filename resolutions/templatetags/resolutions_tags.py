from django import template

register = template.Library()


@register.filter
def lookup(mapping, key):
    """mapping[key] in a template, or None when it has no such key."""
    return mapping.get(key) if mapping else None
