"""Small template helpers of the campaigns pages."""

from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """``{{ counts|get_item:code }}`` — a dict lookup with a variable key."""
    return (mapping or {}).get(key)
