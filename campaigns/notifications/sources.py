"""Reminder sources: what needs someone's attention today, as :class:`Reminder` values.

A source is a function ``(today: datetime.date) -> Iterable[Reminder]`` registered under a short
name with :func:`register_source`. Sources live in ``<app>/reminders.py`` (imported for every
installed app by :func:`discover`), so a new source is one decorated function in its own app:

    @register_source("hazard")  # hazards/reminders.py, abridged
    def hazards_due(today):
        for h in Hazard.objects.ledger().open().filter(rectification__deadline__lt=today):
            deadline = h.rectification.deadline
            yield Reminder(item_key=f"hazard:{h.pk}", kind=Kind.OVERDUE, text=...,
                           url=h.get_absolute_url(), due_on=deadline,
                           days_overdue=(today - deadline).days,
                           townships=(h.township_id,), departments=(h.supervising_department_id,))

Sources only say *what* and *which unit*; :func:`resolve_recipients` applies the responsibility
ladder: the unit's staff first; its heads from 7 days overdue; the safety office from 30 days
(level ``office``: escalation proposed, decided in the supervision issue).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from campaigns.constants import ESCALATE_HEAD_DAYS, ESCALATE_OFFICE_DAYS
from campaigns.notifications.models import ReminderItem
from campaigns.org.models import Role, User

Level = ReminderItem.Level
Kind = ReminderItem.Kind


@dataclass(frozen=True)
class Reminder:
    """One thing to remind a unit (or named people) of today.

    ``item_key``: ``"<source>:<natural key>"``, max 120 chars — with kind, recipient and day it
    is the exactly-once key. ``kind``: a :class:`ReminderItem.Kind` value. ``text``: one line,
    already in the UI language (≤ 500 chars). ``url``: site-relative link. ``due_on``: the
    deadline (Asia/Shanghai date) if any. ``days_overdue`` (≥ 0) drives the escalation level
    unless ``level`` is given. Recipients: staff of ``departments`` / ``townships`` (ids), plus
    ``recipient_ids`` named directly.
    """

    item_key: str
    kind: str
    text: str
    url: str = ""
    due_on: datetime.date | None = None
    days_overdue: int = 0
    departments: tuple[int, ...] = ()
    townships: tuple[int, ...] = ()
    recipient_ids: tuple[int, ...] = ()
    level: str | None = None

    @property
    def escalation(self) -> str:
        """``staff``, ``head`` (≥ 7 days overdue) or ``office`` (≥ 30 days), unless forced."""
        if self.level:
            return self.level
        if self.days_overdue >= ESCALATE_OFFICE_DAYS:
            return Level.OFFICE
        if self.days_overdue >= ESCALATE_HEAD_DAYS:
            return Level.HEAD
        return Level.STAFF


SourceFn = Callable[[datetime.date], Iterable[Reminder]]
_SOURCES: dict[str, SourceFn] = {}


def register_source(name: str) -> Callable[[SourceFn], SourceFn]:
    """Decorator: register ``fn(today) -> Iterable[Reminder]`` as reminder source ``name``.

    Registering the same name again replaces the function (module reloads in tests)."""

    def decorator(fn: SourceFn) -> SourceFn:
        _SOURCES[name] = fn
        return fn

    return decorator


def discover() -> None:
    """Import every app's plug-in modules (once; :func:`campaigns.plugins.discover`), so the
    sources in each ``<app>/reminders.py`` are registered."""
    from campaigns.plugins import discover as discover_plugins

    discover_plugins()


def registered_sources() -> dict[str, SourceFn]:
    """Name → source function, after discovery; only those named in
    ``settings.REMINDER_SOURCES`` when that list is not empty (to switch a source off)."""
    from django.conf import settings

    discover()
    enabled = set(settings.REMINDER_SOURCES)
    return {name: fn for name, fn in _SOURCES.items() if not enabled or name in enabled}


def reminders_collect(today: datetime.date, *, only: Iterable[str] | None = None) -> list[Reminder]:
    """Every registered source's reminders for ``today`` (Asia/Shanghai date), in source order.

    ``only``: restrict to these source names. Raises ``ValueError`` for a malformed reminder
    (empty/oversized item_key, unknown kind) — a bug in that source, not bad user input.
    """
    out: list[Reminder] = []
    wanted = set(only) if only is not None else None
    for name, fn in registered_sources().items():
        if wanted is not None and name not in wanted:
            continue
        for reminder in fn(today):
            if not reminder.item_key or len(reminder.item_key) > 120:
                raise ValueError(f"source {name}: bad item_key {reminder.item_key!r}")
            if reminder.kind not in Kind.values:
                raise ValueError(f"source {name}: unknown kind {reminder.kind!r}")
            out.append(reminder)
    return out


@dataclass(frozen=True)
class Recipient:
    """A resolved (recipient, reminder, level) triple."""

    user_id: int
    reminder: Reminder
    level: str


def resolve_recipients(reminders: Iterable[Reminder]) -> list[Recipient]:
    """Apply the responsibility ladder to ``reminders``; one query for all active people.

    - level ``staff``: active users of the unit who are not marked unit head;
    - level ``head``: plus the unit's heads (``NotificationPreference.is_unit_head``);
    - level ``office``: plus every active safety-office user.
    Each person gets a reminder at most once even if several units name them.
    """
    reminders = list(reminders)
    if not reminders:
        return []
    staff_by_dept: dict[int, list[int]] = defaultdict(list)
    staff_by_township: dict[int, list[int]] = defaultdict(list)
    heads_by_dept: dict[int, list[int]] = defaultdict(list)
    heads_by_township: dict[int, list[int]] = defaultdict(list)
    office: list[int] = []
    people = (
        User.objects.filter(is_active=True)
        .exclude(role="")
        .values_list(
            "pk", "role", "department_id", "township_id", "notification_preference__is_unit_head"
        )
        .order_by("pk")
    )
    for pk, role, dept_id, township_id, is_head in people:
        if role == Role.SAFETY_OFFICE:
            office.append(pk)
        if dept_id:
            (heads_by_dept if is_head else staff_by_dept)[dept_id].append(pk)
        if township_id:
            (heads_by_township if is_head else staff_by_township)[township_id].append(pk)
    out: list[Recipient] = []
    for reminder in reminders:
        level = reminder.escalation
        ids: list[int] = list(reminder.recipient_ids)
        for dept_id in reminder.departments:
            ids += staff_by_dept.get(dept_id, [])
            if level in (Level.HEAD, Level.OFFICE):
                ids += heads_by_dept.get(dept_id, [])
        for township_id in reminder.townships:
            ids += staff_by_township.get(township_id, [])
            if level in (Level.HEAD, Level.OFFICE):
                ids += heads_by_township.get(township_id, [])
        if level == Level.OFFICE:
            ids += office
        for user_id in dict.fromkeys(ids):  # dedupe, keep order
            out.append(Recipient(user_id=user_id, reminder=reminder, level=level))
    return out
