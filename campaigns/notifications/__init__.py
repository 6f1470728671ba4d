"""Reminders and notifications: sources → daily digests → channels, plus the task outbox.

- :mod:`.sources` — :class:`Reminder`, :func:`register_source`, the responsibility ladder
- :mod:`.digest` — :func:`digests_build`, :func:`digests_dispatch`, mark-read services
- :mod:`.channels` — in-app, e-mail, WeCom/DingTalk webhook, SMS gateway
- :mod:`.outbox` — :func:`enqueue` (use instead of ``.delay``) and :func:`outbox_flush`
- :mod:`.schedules` — the beat schedule (08:30 Asia/Shanghai) written to the database
"""

from campaigns.notifications.outbox import enqueue, outbox_flush
from campaigns.notifications.sources import Reminder, register_source

__all__ = ["Reminder", "enqueue", "outbox_flush", "register_source"]
