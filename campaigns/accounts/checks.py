"""Deployment check (``manage.py check --deploy``): production without the second factor."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def second_factor_enforced(app_configs, **kwargs):
    """W001 when ``HTTPS`` is on (production) but ``TWO_FACTOR_REQUIRED`` was turned off."""
    if getattr(settings, "HTTPS", False) and not settings.TWO_FACTOR_REQUIRED:
        return [
            Warning(
                "TWO_FACTOR_REQUIRED is off in production: the safety office and admins log in "
                "with a password alone.",
                hint="Unset TWO_FACTOR_REQUIRED (it follows HTTPS) or set it to on. SECURITY.md.",
                id="campaigns.accounts.W001",
            )
        ]
    return []
