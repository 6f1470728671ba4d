"""The account page, the second-factor pages and the password change (issue 15)."""

from __future__ import annotations

import base64
from urllib.parse import quote

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from campaigns.accounts.forms import SecondFactorForm, SessionsEndForm, TokenForm
from campaigns.accounts.services import (
    recovery_codes_issue,
    recovery_codes_left,
    second_factor_required,
    second_factor_verify,
    totp_device_confirm,
    totp_device_for_setup,
    user_password_changed,
    user_sessions_end,
)


def _next_url(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(settings.LOGIN_REDIRECT_URL)


@login_required
def account(request):
    """账户与安全: who I am, the second factor's state, password change, 退出所有设备."""
    user = request.user
    return render(
        request,
        "accounts/account.html",
        {
            "second_factor_required": second_factor_required(user),
            "two_factor_enforced": settings.TWO_FACTOR_REQUIRED,
            "has_device": user_has_device(user, confirmed=True),
            "verified": user.is_verified(),
            "has_token": Token.objects.filter(user=user).exists(),
            "recovery_codes_left": recovery_codes_left(user=user),
            "sessions_form": SessionsEndForm(),
        },
    )


@login_required
@require_POST
def sessions_end(request):
    """POST: end every session of the signed-in user (this one too); optionally revoke the API
    token. Redirects to the login page."""
    form = SessionsEndForm(request.POST)
    form.is_valid()
    revoked = user_sessions_end(
        user=request.user, revoke_tokens=form.cleaned_data.get("revoke_tokens", False)
    )
    logout(request)
    if revoked:
        messages.success(request, _("Logged out on every device; your API token was revoked."))
    else:
        messages.success(request, _("Logged out on every device."))
    return redirect("login")


@login_required
def otp_verify(request):
    """Second step of the login: the 6-digit code of the user's authenticator app.

    Without a confirmed authenticator the user is sent to enrolment. A wrong code is counted by
    django-otp's throttle (each failure doubles the wait before the next try is accepted).
    """
    user = request.user
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return redirect(reverse("campaigns:otp_setup") + _query_next(request))
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device, reason = second_factor_verify(user=user, code=form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            if device.__class__ is not TOTPDevice:
                messages.warning(
                    request,
                    _(
                        "Signed in with a recovery code; %(n)d left. Issue new ones on your account page."
                    )
                    % {"n": recovery_codes_left(user=user)},
                )
            return redirect(_next_url(request))
        if reason == "throttled":
            form.add_error(None, _("Too many wrong codes: wait a minute and try again."))
        else:
            form.add_error(
                "token",
                _("Wrong or expired code: enter the code your authenticator shows now."),
            )
    return render(request, "accounts/otp_verify.html", {"form": form, "next": _next_url(request)})


@login_required
def otp_setup(request):
    """Enrol (or replace) the TOTP authenticator: QR code, secret and otpauth URI, then a code.

    A user who already has an authenticator must verify with it first (so a stolen password
    alone cannot enrol a new one).
    """
    user = request.user
    if user_has_device(user, confirmed=True) and not user.is_verified():
        return redirect(reverse("campaigns:otp_verify") + _query_next(request))
    device = totp_device_for_setup(user=user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _info = device.verify_is_allowed()
        if not allowed:
            form.add_error(None, _("Too many wrong codes: wait a minute and try again."))
        elif totp_device_confirm(user=user, device=device, token=form.cleaned_data["token"]):
            device.refresh_from_db()
            otp_login(request, device)
            messages.success(request, _("Your authenticator is set up."))
            return redirect(_next_url(request))
        else:
            form.add_error(
                "token", _("Wrong or expired code: enter the code your authenticator shows now.")
            )
    uri = device.config_url
    return render(
        request,
        "accounts/otp_setup.html",
        {
            "form": form,
            "next": _next_url(request),
            "otpauth_uri": uri,
            "secret": _grouped(base64.b32encode(device.bin_key).decode()),
            "qr_svg": _qr_svg(uri),
        },
    )


@login_required
@require_POST
def recovery_codes(request):
    """POST: issue new recovery codes (恢复码) and show them once; earlier ones stop working.
    Only a session verified with the authenticator may issue them (otherwise 403), and only a
    user with an authenticator (otherwise back to the account page with a message)."""
    user = request.user
    if user_has_device(user, confirmed=True) and not user.is_verified():
        raise PermissionDenied
    try:
        codes = recovery_codes_issue(user=user)
    except ValueError:
        messages.error(request, _("Set up an authenticator first: recovery codes stand in for it."))
        return redirect("campaigns:account")
    return render(request, "accounts/recovery_codes.html", {"codes": codes})


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _qr_svg(data: str) -> str:
    """The QR code of ``data`` as inline SVG markup (qrcode's pure-Python SVG path image)."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    return mark_safe(image.to_string(encoding="unicode"))  # our own generated markup


def _query_next(request) -> str:
    nxt = request.GET.get("next")
    return "?next=" + quote(nxt) if nxt else ""


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change, which also clears the forced-change flag; explains why the
    person is here when the flag is set."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["must_change_password"] = self.request.user.must_change_password
        return context

    def form_valid(self, form):
        with transaction.atomic():
            response = super().form_valid(form)
            user_password_changed(user=form.user)
        return response
