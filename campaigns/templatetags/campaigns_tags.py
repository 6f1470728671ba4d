"""Small template helpers of the campaigns pages."""

from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """``{{ counts|get_item:code }}`` — a dict lookup with a variable key."""
    return (mapping or {}).get(key)


@register.simple_tag(takes_context=True)
def slot(context, name, obj):
    """``{% slot "hazard_detail" hazard %}`` — the boxes other apps registered for this page
    (:mod:`campaigns.slots`)."""
    from campaigns.slots import render_slot

    return render_slot(name, context["request"], obj)
