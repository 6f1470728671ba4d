"""System checks of the project's own settings (registered from ``campaigns.apps``)."""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security)
def demo_today_not_in_production(app_configs=None, **kwargs):
    """``DEMO_TODAY`` (the demo's date override) is refused in production (``HTTPS=on``
    without ``DEBUG``): a real office must never see a pretend date."""
    if getattr(settings, "DEMO_TODAY", None) and settings.HTTPS and not settings.DEBUG:
        return [
            Error(
                "DEMO_TODAY is set in production (HTTPS=on).",
                hint="Unset DEMO_TODAY: the date override is for the demo (make run) only.",
                id="yixian.E001",
            )
        ]
    return []
