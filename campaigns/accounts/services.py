"""Writes on a person's own account (issue 15): sessions, the forced password change, TOTP."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from campaigns.audit.models import AuditEvent
from campaigns.audit.services import audit_record
from campaigns.org.models import User

#: How many recovery codes one issue gives; each works once, instead of the authenticator.
RECOVERY_CODE_COUNT = 10


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
    audit_record(
        action=AuditEvent.Action.SESSIONS_ENDED,
        user=user,
        obj=user,
        extra={"tokens_revoked": deleted},
    )
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
    audit_record(action=AuditEvent.Action.OTP_ENROLLED, user=user, obj=user)
    return True


@transaction.atomic
def recovery_codes_issue(*, user: User) -> list[str]:
    """Issue ``RECOVERY_CODE_COUNT`` new one-time recovery codes (恢复码) for ``user`` and return
    them (lower-case letters and digits, 8 characters; shown once, stored by django-otp's
    static-token device). Earlier codes stop working. Raises ``ValueError`` when the user has
    no confirmed authenticator: codes stand in for it, they are not a second factor alone."""
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise ValueError("set up an authenticator first")
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="recovery", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    audit_record(
        action=AuditEvent.Action.RECOVERY_CODES_ISSUED,
        user=user,
        obj=user,
        extra={"count": len(codes)},
    )
    return codes


def recovery_codes_left(*, user: User) -> int:
    """How many unused recovery codes ``user`` has (0 when none were issued)."""
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def second_factor_verify(*, user: User, code: str):
    """Check a second-factor ``code`` of ``user``: the authenticator's 6 digits, or one of the
    8-character recovery codes (used up by this call).

    Returns ``(device, reason)``: the device that accepted it and ``""``, or ``None`` and
    ``"throttled"`` (too many wrong codes: django-otp makes the user wait, doubling each time)
    or ``"wrong"``. Every outcome is written to the audit trail (verified, recovery code used,
    wrong code)."""
    code = code.replace(" ", "").lower()
    totp = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if totp is not None:
        allowed, _info = totp.verify_is_allowed()
        if not allowed:
            audit_record(
                action=AuditEvent.Action.OTP_FAILED, user=user, extra={"reason": "throttled"}
            )
            return None, "throttled"
    if code.isdigit() and totp is not None:
        if totp.verify_token(code):
            audit_record(action=AuditEvent.Action.OTP_VERIFIED, user=user)
            return totp, ""
    elif not code.isdigit():
        for device in StaticDevice.objects.filter(user=user, confirmed=True):
            if device.verify_token(code):
                audit_record(
                    action=AuditEvent.Action.RECOVERY_CODE_USED,
                    user=user,
                    extra={"left": recovery_codes_left(user=user)},
                )
                return device, ""
        if totp is not None:
            totp.throttle_increment()  # a wrong recovery code counts like a wrong 6-digit code
    audit_record(action=AuditEvent.Action.OTP_FAILED, user=user, extra={"reason": "wrong"})
    return None, "wrong"
