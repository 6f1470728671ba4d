"""Reminders and their delivery: daily digests, one row per reminded item, channel sends, outbox.

Exactly-once rests on database uniqueness, not on Celery:

- :class:`Digest` — one per (recipient, local day): the in-app message and the unit every channel
  sends (one e-mail per person per day, not one per item).
- :class:`ReminderItem` — one per (item_key, recipient, kind, local day), inserted with
  ``INSERT … ON CONFLICT DO NOTHING`` *before* anything is sent.
- :class:`DigestSend` — one per (digest, channel): ``pending`` rows are claimed with
  ``SELECT … FOR UPDATE SKIP LOCKED``, sent, and marked ``sent`` in the same transaction, so a
  second worker skips them and a killed worker's row stays ``pending`` for the next pass.
- :class:`OutboxMessage` — Celery work a request asked for, written in the request's transaction
  and dispatched after commit (or by the periodic flush when Redis was down).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class NotificationPreference(models.Model):
    """Per-user reminder settings. No row = defaults (e-mail on, not a unit head).

    ``is_unit_head``: the head (负责人) of the user's township or department; heads get a
    unit's reminders once an item is 7 days overdue (:data:`campaigns.constants.ESCALATE_HEAD_DAYS`).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preference",
        verbose_name=_("user"),
    )
    email_enabled = models.BooleanField(_("send reminders by e-mail"), default=True)
    is_unit_head = models.BooleanField(_("head of the unit"), default=False)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return str(self.user)


class DigestQuerySet(models.QuerySet):
    def visible_to(self, user) -> DigestQuerySet:
        """A user's own digests only — reminders are personal, even for the safety office."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        return self.filter(recipient=user)

    def unread(self) -> DigestQuerySet:
        return self.filter(read_at__isnull=True)

    def recent(self, today) -> DigestQuerySet:
        """Digests of the last ``UNREAD_BADGE_DAYS`` days up to ``today`` (a Beijing date):
        what the navbar badge counts — a digest from January does not stay "new" all year."""
        import datetime

        from campaigns.constants import UNREAD_BADGE_DAYS

        return self.filter(day__gt=today - datetime.timedelta(days=UNREAD_BADGE_DAYS))


class Digest(models.Model):
    """One recipient's reminders of one day (Asia/Shanghai date): the in-app notification.

    ``read_at`` is set when the recipient marks it read (page or API).
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="digests",
        verbose_name=_("recipient"),
    )
    day = models.DateField(_("day"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    objects = DigestQuerySet.as_manager()

    class Meta:
        ordering = ["-day", "-pk"]
        verbose_name = _("reminder digest")
        verbose_name_plural = _("reminder digests")
        constraints = [
            models.UniqueConstraint(fields=["recipient", "day"], name="digest_once_per_day"),
        ]
        permissions = [("run_reminders", _("Can run the daily reminders now"))]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} {self.recipient}"

    def get_absolute_url(self) -> str:
        return reverse("campaigns:notifications") + f"#digest-{self.pk}"


class ReminderItem(models.Model):
    """One thing one person is reminded of on one day, e.g. milestone X is 3 days overdue.

    ``item_key``: the reminded record, ``"<source>:<natural key>"`` (``milestone:t16-database``).
    ``kind``: why (:class:`Kind`). ``level``: who it has reached on the escalation ladder
    (unit staff → unit head at 7 days overdue → safety office at 30 days).
    """

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("due soon")
        DUE_TODAY = "due_today", _("due today")
        OVERDUE = "overdue", _("overdue")
        MISSING = "missing", _("missing")
        AWAITING_DECISION = "awaiting_decision", _("awaiting decision")

    class Level(models.TextChoices):
        STAFF = "staff", _("unit staff")
        HEAD = "head", _("escalated to the unit head")
        OFFICE = "office", _("escalated to the safety office (supervision proposed)")

    digest = models.ForeignKey(
        Digest, on_delete=models.CASCADE, related_name="items", verbose_name=_("digest")
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("recipient"),
    )
    day = models.DateField(_("day"))
    item_key = models.CharField(_("item"), max_length=120)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    level = models.CharField(
        pgettext_lazy("reminder", "level"),
        max_length=10,
        choices=Level.choices,
        default=Level.STAFF,
    )
    text = models.CharField(_("reminder text"), max_length=500)
    url = models.CharField(_("link"), max_length=300, blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-day", "due_on", "pk"]
        verbose_name = _("reminder item")
        verbose_name_plural = _("reminder items")
        constraints = [
            models.UniqueConstraint(
                fields=["item_key", "recipient", "kind", "day"], name="reminder_item_once_per_day"
            ),
        ]

    def __str__(self) -> str:
        return self.text


class DigestSend(models.Model):
    """Sending one digest over one channel (email, webhook, sms). In-app needs no send.

    ``pending`` → ``sent`` (or ``failed`` after :data:`MAX_ATTEMPTS`). ``attempts`` counts tries.
    """

    MAX_ATTEMPTS = 5

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")
        SKIPPED = "skipped", _("skipped")

    digest = models.ForeignKey(
        Digest, on_delete=models.CASCADE, related_name="sends", verbose_name=_("digest")
    )
    channel = models.CharField(_("channel"), max_length=20)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("digest send")
        verbose_name_plural = _("digest sends")
        constraints = [
            models.UniqueConstraint(fields=["digest", "channel"], name="digest_send_once"),
        ]
        indexes = [
            models.Index(
                fields=["status"], name="digest_send_pending", condition=Q(status="pending")
            )
        ]

    def __str__(self) -> str:
        return f"{self.digest} · {self.channel} · {self.status}"


class OutboxMessage(models.Model):
    """A Celery task call a request asked for, kept until the broker has accepted it.

    ``task_name``: registered Celery task name; ``args``: JSON list of positional arguments (ids,
    strings — never model instances). ``dispatched_at`` is empty until the broker took it.
    """

    task_name = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("arguments"), default=list, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        indexes = [
            models.Index(
                fields=["created_at"],
                name="outbox_undispatched",
                condition=Q(dispatched_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.task_name}{tuple(self.args)}"


class ReminderRunQuerySet(models.QuerySet):
    def visible_to(self, user):
        """All runs for those who may run the reminders (safety office, admin); none else."""
        if user.is_authenticated and user.has_perm("campaigns.run_reminders"):
            return self
        return self.none()


class ReminderRun(models.Model):
    """The daily reminder job's run of a day, however it ran: by beat (the Celery schedule), by
    the first request of the day (embedded mode: no Redis, no beat;
    ``settings.REMINDERS_ON_FIRST_REQUEST``) or by the safety office's "run now" button. One row
    per Asia/Shanghai ``day``: the unique day is the guard that two requests (or processes) never
    both run it on first request, and a day beat already ran is not run again by a request.
    A later run the same day updates the row (``source``, times, ``result`` are the latest
    run's). ``result``: the job's counts (see :func:`campaigns.tasks.reminders_daily`);
    ``error``: why it failed (the first-request run is not retried that day; the safety
    office's "run now" button still works). The notifications page shows the latest row to the
    safety office and warns when none is from today or yesterday."""

    class Source(models.TextChoices):
        BEAT = "beat", _("scheduled task (beat)")
        FIRST_REQUEST = "first_request", _("first request of the day")
        MANUAL = "manual", _("run now")

    day = models.DateField(_("day"), unique=True)
    source = models.CharField(
        _("run by"), max_length=16, choices=Source.choices, default=Source.FIRST_REQUEST
    )
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    result = models.JSONField(pgettext_lazy("reminder run", "result"), default=dict, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)

    objects = ReminderRunQuerySet.as_manager()

    class Meta:
        ordering = ["-day"]
        verbose_name = _("reminder run")
        verbose_name_plural = _("reminder runs")

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d}"
