"""Idempotency keys (幂等键): a UUID a client makes for one submission and sends again when it
retries it, so that a retried create answers the row the first attempt made instead of making a
second one. The browser's offline queue (static/js/offline.js) sends it as the hidden form field
``idempotency_key`` and as the ``Idempotency-Key`` header; API clients send the header."""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

HEADER = "Idempotency-Key"
FIELD = "idempotency_key"
# A UUID is 36 characters (32 without hyphens, 38 with braces); longer input is refused before
# parsing and never echoed back.
MAX_LENGTH = 40


def parse_key(value: str | None) -> uuid.UUID | None:
    """``value`` (a UUID string, any of the usual spellings) → a UUID; empty/absent → None.

    Raises ValidationError (``{"idempotency_key": [message]}``) for anything longer than
    MAX_LENGTH characters or not a UUID; the message names the length, not the value."""
    value = (value or "").strip()
    if not value:
        return None
    if len(value) > MAX_LENGTH:
        raise ValidationError(
            {
                FIELD: _(
                    "The idempotency key is %(length)s characters long: it must be a UUID "
                    "(36 characters) made by the client."
                )
                % {"length": len(value)}
            },
            code="too_long",
        )
    try:
        return uuid.UUID(value)
    except ValueError:
        raise ValidationError(
            {FIELD: _("The idempotency key is not a UUID (e.g. 3f2b6c1e-…, 36 characters).")},
            code="invalid",
        ) from None


def key_from_request(request) -> uuid.UUID | None:
    """The key of a request: the ``Idempotency-Key`` header, else the ``idempotency_key`` field
    of the POST body. Both given and different → ValidationError (which one counts is unclear)."""
    header = parse_key(request.headers.get(HEADER))
    field = parse_key(request.POST.get(FIELD)) if request.method == "POST" else None
    if header and field and header != field:
        raise ValidationError(
            {FIELD: _("The Idempotency-Key header and the idempotency_key field differ.")},
            code="mismatch",
        )
    return header or field
