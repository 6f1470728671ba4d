"""Writes on a person's own account (issue 15): sessions, the forced password change, TOTP."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from campaigns.org.models import User


def second_factor_required(user) -> bool:
    """Whether ``user`` must verify a TOTP code after the password: ``TWO_FACTOR_REQUIRED`` is on
    and the user's role is one of ``OTP_REQUIRED_ROLES`` (safety office, admin)."""
    return bool(
        settings.TWO_FACTOR_REQUIRED
        and user.is_authenticated
        and getattr(user, "role", "") in settings.OTP_REQUIRED_ROLES
    )


@transaction.atomic
def user_sessions_end(*, user: User, revoke_tokens: bool = False) -> int:
    """End every session of ``user`` on every device (退出所有设备), this one included.

    A new random :attr:`User.session_salt` changes the session auth hash, so Django refuses
    every existing session of the user at its next request — whatever the session engine.
    ``revoke_tokens``: also delete the user's API token(s). Returns the number of tokens
    deleted (0 or 1).
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    user.session_salt = secrets.token_hex(16)
    user.save(update_fields=["session_salt"])
    deleted = 0
    if revoke_tokens:
        deleted, _ = Token.objects.filter(user=user).delete()
    return deleted


def user_password_set_by_admin(*, user: User) -> None:
    """Flag ``user`` to choose a new password at the next login (an administrator created the
    account or set its password). Saves only the flag."""
    user.must_change_password = True
    User.objects.filter(pk=user.pk).update(must_change_password=True)


def user_password_changed(*, user: User) -> None:
    """Clear the forced-change flag after ``user`` chose a new password themselves."""
    if user.must_change_password:
        user.must_change_password = False
        User.objects.filter(pk=user.pk).update(must_change_password=False)


def totp_device_for_setup(*, user: User) -> TOTPDevice:
    """The unconfirmed TOTP device being enrolled for ``user`` (created with a fresh random
    key on the first call; the same one until it is confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


@transaction.atomic
def totp_device_confirm(*, user: User, device: TOTPDevice, token: str) -> bool:
    """Confirm enrolment of ``device`` with a code from the authenticator app.

    A valid ``token`` (6 digits) makes ``device`` the user's one confirmed device (any earlier
    device is deleted) and returns True; a wrong one returns False (django-otp counts it
    against the device's throttle).
    """
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user)
    if not device.verify_token(token):
        return False
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return True
