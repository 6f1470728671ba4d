"""Pluggable notification channels (task 16: notify principal and actual controller).

A channel has a ``name``, a ``label``, ``address_of(enterprise, recipient)``,
``address_of_user(user)`` and ``send(address, subject, body)`` (``address`` may hold several,
comma-separated; raises on failure). E-mail exists now; SMS or government IM register later with
:func:`register`. ``HAZARD_NOTIFICATION_CHANNELS`` (setting, default ``["email"]``) picks them.
"""

from __future__ import annotations

from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.utils.translation import gettext_lazy as _


class Channel(Protocol):
    name: str
    label: str

    def address_of(self, enterprise, recipient: str) -> str: ...

    def address_of_user(self, user) -> str: ...

    def send(self, *, address: str, subject: str, body: str) -> None: ...


class EmailChannel:
    name = "email"
    label = _("e-mail")

    def address_of(self, enterprise, recipient: str) -> str:
        return (enterprise.principal_email if recipient == "principal"
                else enterprise.controller_email)

    def address_of_user(self, user) -> str:
        return user.email

    def send(self, *, address: str, subject: str, body: str) -> None:
        recipients = [a.strip() for a in address.split(",") if a.strip()]
        send_mail(subject, body, None, recipients, fail_silently=False)


_REGISTRY: dict[str, Channel] = {}


def register(channel: Channel) -> Channel:
    _REGISTRY[channel.name] = channel
    return channel


register(EmailChannel())


def channel(name: str) -> Channel:
    return _REGISTRY[name]


def active_channels() -> list[Channel]:
    names = getattr(settings, "HAZARD_NOTIFICATION_CHANNELS", ["email"])
    return [_REGISTRY[n] for n in names if n in _REGISTRY]
