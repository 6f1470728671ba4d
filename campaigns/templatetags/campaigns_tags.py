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


@register.filter
def period_label(key):
    """``{{ "2026-Q3"|period_label }}`` → 2026 年第三季度 (yixian_safety.periods.period_label)."""
    from yixian_safety.periods import period_label as label

    return label(str(key))


@register.filter
def quarter_label(year, quarter):
    """``{{ year|quarter_label:q }}`` → 2026 年第二季度."""
    from yixian_safety.periods import quarter_label as label

    return label(int(year), int(quarter))


@register.simple_tag
def photo_input(name, id, label=""):
    """``{% photo_input "after_photos" "id_after_photos" %}`` — a photo field written into a
    page by hand: the same widget and stated limit as :class:`yixian_safety.forms.PhotosField`
    (camera on a phone, images only, 10 MB each, preview and field errors by js/app.js)."""
    from django.utils.html import format_html

    from yixian_safety.forms import MultiplePhotoInput, photo_limit_text

    help_id = f"{id}-help"
    widget = MultiplePhotoInput(
        attrs={"id": id, "class": "form-control mb-1", "aria-describedby": help_id}
    )
    return format_html(
        '{}<div class="form-text mb-2" id="{}">{}</div>',
        widget.render(name, None),
        help_id,
        photo_limit_text(),
    )
