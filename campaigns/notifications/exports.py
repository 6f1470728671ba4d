"""Excel export of a user's reminders (pure renderer)."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from campaigns.notifications.models import ReminderItem
from yixian_safety.xlsx import xlsx_bytes


def notifications_xlsx(items: Iterable[ReminderItem]) -> bytes:
    """One row per reminder item: day, kind, level, text, due date, link, read at."""
    headers = [
        _("day"),
        _("kind"),
        pgettext("reminder", "level"),
        _("reminder text"),
        _("due on"),
        _("link"),
        _("read at"),
    ]
    rows = (
        [
            i.day,
            i.get_kind_display(),
            i.get_level_display(),
            i.text,
            i.due_on,
            i.url,
            i.digest.read_at,
        ]
        for i in items
    )
    return xlsx_bytes([(_("my reminders"), headers, rows)])
