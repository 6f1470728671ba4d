"""The channels every notification goes out through — reminder digests and the hazard
ledger's notices (task 16) alike — behind one small interface.

- ``in_app``: the :class:`~campaigns.models.Digest` row itself (notifications page, unread badge);
  nothing to send.
- ``email``: one e-mail per digest to ``user.email`` unless the user switched e-mail off.
- ``webhook``: a WeCom (企业微信) or DingTalk (钉钉) group robot; the digest is posted as a text
  message mentioning the recipient's mobile number.
- ``sms``: an SMS gateway taking JSON ``{"phone", "text"}`` — a short notice pointing to the site.

Which channels carry digests is ``settings.NOTIFY_CHANNELS`` (default ``["email"]``), which carry
hazard notices ``settings.HAZARD_NOTIFICATION_CHANNELS``. A channel's :meth:`Channel.send`
(a digest) and :meth:`Channel.deliver` (one message to one address) raise
:class:`ChannelError` on a failure worth retrying; the caller retries later. Another app adds a
channel with :func:`register_channel`.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Sequence

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaigns.notifications.models import Digest, ReminderItem
from campaigns.org.models import User


class ChannelError(Exception):
    """Sending failed (network, refused, non-OK answer); message says why."""


class Channel:
    """Interface: ``name``, ``label``; ``wants(user, email_enabled)`` and ``send(digest,
    items)`` for digests; ``address_of_person(email=, phone=)`` and ``deliver(address=,
    subject=, body=)`` for single messages (``address`` may hold several, comma-separated)."""

    name = ""
    label = ""

    def address_of_person(self, *, email: str = "", phone: str = "") -> str:
        """This channel's address of a person with these contact details ("" if none)."""
        return ""

    def address_of_user(self, user) -> str:
        return self.address_of_person(email=user.email or "", phone=user.phone or "")

    def deliver(self, *, address: str, subject: str, body: str) -> None:
        """Send one message; raises :class:`ChannelError` (worth retrying) or another error."""
        raise ChannelError(f"{self.name}: cannot deliver single messages")

    def wants(self, user: User, *, email_enabled: bool = True) -> bool:
        """Whether ``user`` should get digests on this channel (address present, not opted out)."""
        return True

    def send(self, digest: Digest, items: Sequence[ReminderItem]) -> None:
        raise NotImplementedError


def _absolute(url: str) -> str:
    return settings.SITE_URL.rstrip("/") + url if url.startswith("/") else url


def digest_text(digest: Digest, items: Sequence[ReminderItem]) -> str:
    """The digest as plain text (e-mail body, webhook message), in the site language."""
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string(
            "campaigns/notifications/digest.txt",
            {
                "digest": digest,
                "count": len(items),
                "overdue": sum(1 for i in items if i.kind == ReminderItem.Kind.OVERDUE),
                "page_url": _absolute(reverse("campaigns:notifications")),
                "rows": [(i, _absolute(i.url) if i.url else "") for i in items],
            },
        ).strip()


def digest_subject(digest: Digest, items: Sequence[ReminderItem]) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return _("Work-safety reminders for %(day)s: %(count)s items") % {
            "day": f"{digest.day:%Y-%m-%d}",
            "count": len(items),
        }


class InAppChannel(Channel):
    """The digest row is the in-app notification: nothing to send."""

    name = "in_app"
    label = gettext_lazy("in-app")

    def send(self, digest, items):
        return None


class EmailChannel(Channel):
    """One e-mail per digest through Django's e-mail backend (``EMAIL_URL``)."""

    name = "email"
    label = gettext_lazy("e-mail")

    def wants(self, user, *, email_enabled=True):
        return bool(user.email) and email_enabled

    def address_of_person(self, *, email="", phone=""):
        return email

    def deliver(self, *, address, subject, body):
        recipients = [a.strip() for a in address.split(",") if a.strip()]
        try:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
        except (OSError, ConnectionError) as exc:  # SMTP unreachable: worth retrying
            raise ChannelError(f"email: {exc}") from exc

    def send(self, digest, items):
        try:
            send_mail(
                digest_subject(digest, items),
                digest_text(digest, items),
                settings.DEFAULT_FROM_EMAIL,
                [digest.recipient.email],
            )
        except Exception as exc:  # SMTP errors come in many classes
            raise ChannelError(f"email: {exc}") from exc


def post_json(
    url: str, payload: dict, *, headers: dict | None = None, timeout: float | None = None
) -> tuple[int, bytes]:
    """POST ``payload`` as UTF-8 JSON; returns (status, body). Raises :class:`ChannelError`."""
    request = urllib.request.Request(
        url,
        data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
        method="POST",
        headers={"Content-Type": "application/json; charset=utf-8", **(headers or {})},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout or settings.NOTIFY_HTTP_TIMEOUT) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as exc:
        raise ChannelError(f"{url}: HTTP {exc.code}") from exc
    except (urllib.error.URLError, OSError) as exc:
        raise ChannelError(f"{url}: {exc}") from exc


class WebhookChannel(Channel):
    """A WeCom / DingTalk group robot. Both answer ``{"errcode": 0, "errmsg": "ok"}``."""

    name = "webhook"
    label = gettext_lazy("group robot")

    def __init__(self, url: str | None = None, flavor: str | None = None):
        self.url = url if url is not None else settings.NOTIFY_WEBHOOK_URL
        self.flavor = flavor or settings.NOTIFY_WEBHOOK_FLAVOR
        if self.flavor not in ("wecom", "dingtalk"):
            raise ValueError(f"NOTIFY_WEBHOOK_FLAVOR must be wecom or dingtalk, not {self.flavor}")

    def wants(self, user, *, email_enabled=True):
        return bool(self.url)

    def payload(self, digest, items) -> dict:
        text = digest_text(digest, items)
        mobiles = [digest.recipient.phone] if digest.recipient.phone else []
        if self.flavor == "dingtalk":
            return {
                "msgtype": "text",
                "text": {"content": text},
                "at": {"atMobiles": mobiles, "isAtAll": False},
            }
        return {"msgtype": "text", "text": {"content": text, "mentioned_mobile_list": mobiles}}

    def deliver(self, *, address, subject, body):
        self._post({"msgtype": "text", "text": {"content": f"{subject}\n{body}"}})

    def send(self, digest, items):
        self._post(self.payload(digest, items))

    def _post(self, payload):
        status, body = post_json(self.url, payload)
        try:
            answer = json.loads(body or b"{}")
        except ValueError as exc:
            raise ChannelError(f"webhook: not JSON: {body[:100]!r}") from exc
        if status != 200 or answer.get("errcode", 0) != 0:
            raise ChannelError(f"webhook: {status} {answer}")


class SmsChannel(Channel):
    """An SMS gateway: POST ``{"phone", "text"}`` with ``Authorization: Bearer <token>``; 2xx = ok."""

    name = "sms"
    label = gettext_lazy("SMS")

    def address_of_person(self, *, email="", phone=""):
        return phone

    def deliver(self, *, address, subject, body):
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        for phone in [a.strip() for a in address.split(",") if a.strip()]:
            status, _body = post_json(self.url, {"phone": phone, "text": subject}, headers=headers)
            if not 200 <= status < 300:
                raise ChannelError(f"sms: HTTP {status}")

    def __init__(self, url: str | None = None, token: str | None = None):
        self.url = url if url is not None else settings.NOTIFY_SMS_URL
        self.token = token if token is not None else settings.NOTIFY_SMS_TOKEN

    def wants(self, user, *, email_enabled=True):
        return bool(self.url) and bool(user.phone)

    def send(self, digest, items):
        with translation.override(settings.LANGUAGE_CODE):
            text = _(
                "[Yi County Safety Office] You have %(count)s work-safety reminders "
                "(%(overdue)s overdue). Please sign in to the platform."
            ) % {
                "count": len(items),
                "overdue": sum(1 for i in items if i.kind == ReminderItem.Kind.OVERDUE),
            }
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        status, _body = post_json(
            self.url, {"phone": digest.recipient.phone, "text": text}, headers=headers
        )
        if not 200 <= status < 300:
            raise ChannelError(f"sms: HTTP {status}")


CHANNEL_CLASSES: dict[str, type[Channel]] = {
    c.name: c for c in (InAppChannel, EmailChannel, WebhookChannel, SmsChannel)
}


def register_channel(cls: type[Channel]) -> type[Channel]:
    """Add a channel class (by its ``name``); usable as a class decorator."""
    CHANNEL_CLASSES[cls.name] = cls
    return cls


def channel_label(name: str) -> str:
    cls = CHANNEL_CLASSES.get(name)
    return str(cls.label or cls.name) if cls else name


def hazard_channels() -> list[Channel]:
    """The channels of hazard notices: ``settings.HAZARD_NOTIFICATION_CHANNELS`` (default
    ``["email"]``), unknown names skipped."""
    names = getattr(settings, "HAZARD_NOTIFICATION_CHANNELS", ["email"])
    return [CHANNEL_CLASSES[n]() for n in names if n in CHANNEL_CLASSES]


def channel_get(name: str) -> Channel | None:
    """The channel called ``name`` built from settings, or ``None`` if unknown."""
    cls = CHANNEL_CLASSES.get(name)
    return cls() if cls else None


def send_channels() -> list[Channel]:
    """Configured channels that actually send (``settings.NOTIFY_CHANNELS`` minus in-app).

    Raises ``ValueError`` naming an unknown channel (a configuration error)."""
    out = []
    for name in settings.NOTIFY_CHANNELS:
        if name == InAppChannel.name:
            continue
        if name not in CHANNEL_CLASSES:
            raise ValueError(
                f"NOTIFY_CHANNELS: unknown channel {name!r} (known: {', '.join(CHANNEL_CLASSES)})"
            )
        out.append(CHANNEL_CLASSES[name]())
    return out
