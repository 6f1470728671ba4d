"""Login lockout, API throttling and security headers (issue 15, 等保 2.0 practices).

- :func:`client_ip` — the address django-axes locks and the API throttles count: ``REMOTE_ADDR``,
  or, only with ``BEHIND_PROXY=on``, the address our trusted reverse proxy appended to
  ``X-Forwarded-For`` (its right-most entry: entries to the left come from the client and can be
  forged). Never a client-chosen header by default.
- :class:`UserThrottle`, :class:`AnonThrottle` — DRF throttles whose rates are read from
  ``settings.API_THROTTLE_RATES`` at request time; they let requests through when the cache
  (Redis) is down, the cache being an optimisation.
- :class:`TokenAuthentication` — DRF token auth whose failures are counted per client IP
  (``token_failure`` rate): a guessing client gets 429 before its next guess is checked.
- :func:`lockout_response` — what a locked-out login gets: the Chinese lockout page (429), or
  JSON ``{"detail": …}`` for the API and scripts.
- :class:`PermissionsPolicyMiddleware` — the ``Permissions-Policy`` header.
"""

from __future__ import annotations

import ipaddress
import logging

import drf_spectacular.authentication
from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions, throttling

log = logging.getLogger(__name__)


def _valid_ip(value: str | None) -> str | None:
    try:
        return str(ipaddress.ip_address((value or "").strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The client's IP address as our own infrastructure saw it (see the module docstring)."""
    meta = getattr(request, "META", {})
    remote = _valid_ip(meta.get("REMOTE_ADDR"))
    if not getattr(settings, "BEHIND_PROXY", False):
        return remote
    forwarded = [part for part in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    hops = max(1, getattr(settings, "PROXY_COUNT", 1))
    if len(forwarded) >= hops:
        return _valid_ip(forwarded[-hops]) or remote
    return remote


def lockout_response(request, original_response=None, credentials=None):
    """django-axes' response to a locked-out user+IP (``AXES_LOCKOUT_CALLABLE``): 429."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    if (
        request.path.startswith("/api/")
        or request.headers.get("x-requested-with") == "XMLHttpRequest"
    ):
        return JsonResponse({"detail": str(settings.AXES_COOLOFF_MESSAGE)}, status=429)
    return render(
        request,
        "registration/lockout.html",
        {"failure_limit": settings.AXES_FAILURE_LIMIT, "minutes": minutes},
        status=429,
    )


class _RuntimeRateMixin:
    """Rates from ``settings.API_THROTTLE_RATES`` (read per request, so tests and operators can
    change them); a cache error lets the request through instead of failing it."""

    def get_rate(self):
        return settings.API_THROTTLE_RATES.get(self.scope)

    def get_ident(self, request):
        return client_ip(request) or "unknown"

    def allow_request(self, request, view):
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        try:
            return super().allow_request(request, view)
        except Exception:  # noqa: BLE001 - Redis down: throttling is skipped, the API works
            log.warning("API throttle skipped: cache unavailable", exc_info=True)
            return True


class UserThrottle(_RuntimeRateMixin, throttling.UserRateThrottle):
    """Authenticated API requests (token or session), per user: ``API_THROTTLE_RATES["user"]``."""

    def __init__(self):  # the rate is read per request, not at start-up
        pass


class AnonThrottle(_RuntimeRateMixin, throttling.AnonRateThrottle):
    """Anonymous API requests, per client IP: ``API_THROTTLE_RATES["anon"]``."""

    def __init__(self):
        pass


class TokenFailureThrottle(_RuntimeRateMixin, throttling.SimpleRateThrottle):
    """Wrong API tokens, per client IP: ``API_THROTTLE_RATES["token_failure"]``."""

    scope = "token_failure"

    def __init__(self):
        pass

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

    def blocked(self, request) -> float | None:
        """Seconds to wait if this client has used up its failures, else None."""
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        if self.rate is None:
            return None
        try:
            self.key = self.get_cache_key(request, None)
            self.history = self.cache.get(self.key, [])
        except Exception:  # noqa: BLE001 - Redis down: no counting
            return None
        self.now = self.timer()
        self.history = [t for t in self.history if t > self.now - self.duration]
        return self.wait() if len(self.history) >= self.num_requests else None

    def record_failure(self, request) -> None:
        if self.blocked(request) is None and self.rate is not None:
            try:
                self.history.insert(0, self.now)
                self.cache.set(self.key, self.history, self.duration)
            except Exception:  # noqa: BLE001
                log.warning("token failure not counted: cache unavailable", exc_info=True)


class TokenAuthentication(authentication.TokenAuthentication):
    """``Authorization: Token <key>``; after too many wrong keys from one client IP the API
    answers 429 (with Retry-After) until the window has passed."""

    def authenticate(self, request):
        auth = authentication.get_authorization_header(request).split()
        if not auth or auth[0].lower() != self.keyword.lower().encode():
            return None
        throttle = TokenFailureThrottle()
        wait = throttle.blocked(request)
        if wait is not None:
            raise exceptions.Throttled(wait=wait)
        try:
            return super().authenticate(request)
        except exceptions.AuthenticationFailed:
            throttle.record_failure(request)
            raise


class SessionAuthentication(authentication.SessionAuthentication):
    """DRF's session authentication with the CSRF refusal in the user's language: a browser
    session's unsafe API call without a valid CSRF token answers 403 with a message that says
    what to do (DRF's own text is the English "CSRF Failed: …")."""

    def enforce_csrf(self, request):
        try:
            super().enforce_csrf(request)
        except exceptions.PermissionDenied:
            raise exceptions.PermissionDenied(
                _(
                    "The security check (CSRF token) of this request failed: reload the page "
                    "and try again; programs use an API token instead of a session."
                )
            ) from None


class SessionScheme(drf_spectacular.authentication.SessionScheme):
    """The OpenAPI description of :class:`SessionAuthentication` (drf-spectacular matches the
    session scheme by exact class): the same ``cookieAuth`` as DRF's."""

    target_class = "yixian_safety.security.SessionAuthentication"


class PermissionsPolicyMiddleware:
    """Sets ``Permissions-Policy`` from ``settings.PERMISSIONS_POLICY`` (feature → allow-list):
    the camera for the photo fields and geolocation for our own pages only, everything else
    off."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.value = ", ".join(
            f"{feature}=({' '.join(allow)})"
            for feature, allow in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        if self.value:
            response.headers.setdefault("Permissions-Policy", self.value)
        return response
