"""Two gates every signed-in browser request passes (issue 15), after django-otp's middleware.

1. :class:`SecondFactorMiddleware` — a safety-office or admin session (``OTP_REQUIRED_ROLES``,
   when ``TWO_FACTOR_REQUIRED`` is on) that has not verified a TOTP code goes to the verification
   page (or to enrolment when it has no authenticator yet).
2. :class:`PasswordChangeRequiredMiddleware` — an account an administrator created (or whose
   password an administrator set) goes to the password change until the person chose their own.

Both only look at the *session* user: an API call with ``Authorization: Token …`` is
authenticated later by DRF and is not affected (see SECURITY.md). A session call to ``/api/``
from a gated user answers 403 JSON instead of a redirect. The pages needed to get through (log
in/out, the gate's own pages, static files, the language switch) stay open.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from campaigns.accounts.services import second_factor_required

API_PREFIX = "/api/v1/"


def _open_paths() -> tuple[str, ...]:
    from django.conf import settings

    return (
        reverse("login"),
        reverse("logout"),
        reverse("campaigns:otp_verify"),
        reverse("campaigns:otp_setup"),
        reverse("set_language"),
        reverse("pwa_sw"),
        reverse("pwa_manifest"),
        reverse("pwa_offline"),
        "/" + settings.STATIC_URL.lstrip("/"),
    )


class _Gate:
    def __init__(self, get_response):
        self.get_response = get_response

    def applies(self, user) -> bool:
        raise NotImplementedError

    def target(self, user) -> str:
        raise NotImplementedError

    def api_message(self) -> str:
        raise NotImplementedError

    def extra_open_paths(self) -> tuple[str, ...]:
        return ()

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and self.applies(user):
            path = request.path_info
            if not path.startswith(_open_paths() + self.extra_open_paths()):
                if path.startswith(API_PREFIX):
                    return JsonResponse({"detail": self.api_message()}, status=403)
                target = self.target(user)
                if request.method == "GET":
                    target += "?" + urlencode({"next": request.get_full_path()})
                return HttpResponseRedirect(target)
        return self.get_response(request)


class SecondFactorMiddleware(_Gate):
    """Unverified safety-office/admin sessions → the TOTP verification (or enrolment) page."""

    def applies(self, user) -> bool:
        return second_factor_required(user) and not user.is_verified()

    def target(self, user) -> str:
        return reverse("campaigns:otp_verify")

    def api_message(self) -> str:
        return _("Verify the one-time code of your authenticator app on the web page first.")


class PasswordChangeRequiredMiddleware(_Gate):
    """Accounts flagged ``must_change_password`` → the password change page."""

    def applies(self, user) -> bool:
        return getattr(user, "must_change_password", False)

    def target(self, user) -> str:
        return reverse("password_change")

    def extra_open_paths(self) -> tuple[str, ...]:
        return (reverse("password_change"), reverse("password_change_done"))

    def api_message(self) -> str:
        return _("Choose a new password on the web page first (your account is new or was reset).")
