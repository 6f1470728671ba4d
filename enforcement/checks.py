"""Checks of supervision on other apps' actions (registered with :mod:`campaigns.checks`)."""

from campaigns.checks import register_check

from .services import ensure_listing_signoff

# 挂牌督办: a listed hazard closes (销号) only with the listing body's sign-off.
register_check("hazard.close", ensure_listing_signoff)
