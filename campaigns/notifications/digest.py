"""Services of the daily reminder run: build one digest per recipient per day, then send it.

Exactly once, by construction:

1. :func:`digests_build` inserts ``Digest`` (recipient, day), ``ReminderItem`` (item, recipient,
   kind, day) and ``DigestSend`` (digest, channel) rows with ``INSERT … ON CONFLICT DO NOTHING``
   in one transaction. Running it twice, or in two workers at once, inserts each row once.
2. :func:`digests_dispatch` claims ``pending`` sends one at a time with
   ``SELECT … FOR UPDATE SKIP LOCKED``, sends, and marks them ``sent`` in the same transaction:
   a concurrent dispatcher skips the locked row, a finished one sees ``sent``; if the worker is
   killed mid-send the transaction rolls back and the row is ``pending`` again for the next pass
   (redelivery, the periodic sweep or tomorrow's run). The only duplicate left possible is a
   crash between the remote server accepting a message and our COMMIT.

Items a later run finds the same day join that day's in-app digest; channels that already sent
it do not send again (one message per person per day). "Today" is always the Asia/Shanghai date
of ``now``.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from campaigns.notifications.channels import ChannelError, channel_get, send_channels
from campaigns.notifications.models import Digest, DigestSend, NotificationPreference, ReminderItem
from campaigns.notifications.sources import reminders_collect, resolve_recipients
from campaigns.org.models import User

logger = logging.getLogger(__name__)


def local_day(now: datetime.datetime | None = None) -> datetime.date:
    """The Asia/Shanghai date of ``now`` (aware; default: the current time).

    16:30 UTC on 1 March is 00:30 on 2 March in Beijing → 2 March."""
    return timezone.localdate(now or timezone.now(), timezone=timezone.get_default_timezone())


@dataclass
class BuildResult:
    day: datetime.date
    reminders: int = 0
    digests_created: int = 0
    items_created: int = 0
    sends_created: int = 0


def digests_build(
    *,
    now: datetime.datetime | None = None,
    sources: list[str] | None = None,
    channels: list | None = None,
) -> BuildResult:
    """Collect today's reminders from every source and record them, once per day.

    ``now``: aware datetime (tests pass a fixed clock); ``sources``: restrict to these source
    names; ``channels``: sending channels (default: ``settings.NOTIFY_CHANNELS``; ``[]`` for
    in-app only). Returns counts of rows *newly* created (0 on a second run the same day).
    Atomic: either every row of the run is recorded or none.
    """
    day = local_day(now)
    with translation.override(settings.LANGUAGE_CODE):
        reminders = reminders_collect(day, only=sources)
    triples = resolve_recipients(reminders)
    result = BuildResult(day=day, reminders=len(reminders))
    if not triples:
        return result
    recipient_ids = sorted({t.user_id for t in triples})
    channels = send_channels() if channels is None else channels
    with transaction.atomic():
        # Same insertion order in every worker: concurrent runs wait on each other, no deadlock.
        before = Digest.objects.filter(day=day, recipient_id__in=recipient_ids).count()
        Digest.objects.bulk_create(
            [Digest(recipient_id=uid, day=day) for uid in recipient_ids], ignore_conflicts=True
        )
        digests = dict(
            Digest.objects.filter(day=day, recipient_id__in=recipient_ids).values_list(
                "recipient_id", "pk"
            )
        )
        result.digests_created = len(digests) - before

        items = sorted(
            (
                ReminderItem(
                    digest_id=digests[t.user_id],
                    recipient_id=t.user_id,
                    day=day,
                    item_key=t.reminder.item_key,
                    kind=t.reminder.kind,
                    level=t.level,
                    text=t.reminder.text[:500],
                    url=t.reminder.url[:300],
                    due_on=t.reminder.due_on,
                )
                for t in triples
            ),
            key=lambda i: (i.recipient_id, i.item_key, i.kind),
        )
        before = ReminderItem.objects.filter(day=day, recipient_id__in=recipient_ids).count()
        ReminderItem.objects.bulk_create(items, ignore_conflicts=True)
        result.items_created = (
            ReminderItem.objects.filter(day=day, recipient_id__in=recipient_ids).count() - before
        )

        if channels:
            users = User.objects.in_bulk(recipient_ids)
            email_on = _email_enabled(recipient_ids)
            sends = [
                DigestSend(digest_id=digests[uid], channel=ch.name)
                for uid in recipient_ids
                for ch in channels
                if ch.wants(users[uid], email_enabled=email_on.get(uid, True))
            ]
            before = DigestSend.objects.filter(digest__day=day).count()
            DigestSend.objects.bulk_create(sends, ignore_conflicts=True)
            result.sends_created = DigestSend.objects.filter(digest__day=day).count() - before
    logger.info("reminders %s: %s", day, result)
    return result


def _email_enabled(user_ids) -> dict[int, bool]:
    return dict(
        NotificationPreference.objects.filter(user_id__in=user_ids).values_list(
            "user_id", "email_enabled"
        )
    )


@dataclass
class DispatchResult:
    sent: int = 0
    failed: int = 0
    skipped: int = 0


def digests_dispatch(*, limit: int = 1000) -> DispatchResult:
    """Send pending :class:`DigestSend` rows (any day), each in its own short transaction.

    A failing channel leaves the row ``pending`` with ``attempts`` + 1 and ``last_error`` (tried
    again on the next pass), ``failed`` after :data:`DigestSend.MAX_ATTEMPTS`. A user who
    switched e-mail off since the row was made is ``skipped``.
    """
    result = DispatchResult()
    tried: list[int] = []
    for _ in range(limit):
        with transaction.atomic():
            send = (
                DigestSend.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(status=DigestSend.Status.PENDING)
                .exclude(pk__in=tried)
                .select_related("digest__recipient")
                .order_by("pk")
                .first()
            )
            if send is None:
                break
            tried.append(send.pk)
            _send_one(send, result)
    return result


def _send_one(send: DigestSend, result: DispatchResult) -> None:
    digest, user = send.digest, send.digest.recipient
    items = list(digest.items.order_by("-kind", "due_on", "pk"))
    channel = channel_get(send.channel)
    email_on = _email_enabled([user.pk]).get(user.pk, True)
    send.attempts += 1
    if channel is None or not user.is_active or not channel.wants(user, email_enabled=email_on):
        send.status = DigestSend.Status.SKIPPED
        result.skipped += 1
    else:
        try:
            channel.send(digest, items)
        except ChannelError as exc:
            logger.warning("digest %s via %s failed: %s", digest.pk, send.channel, exc)
            send.last_error = str(exc)[:500]
            if send.attempts >= DigestSend.MAX_ATTEMPTS:
                send.status = DigestSend.Status.FAILED
            result.failed += 1
        else:
            send.status = DigestSend.Status.SENT
            send.sent_at = timezone.now()
            send.last_error = ""
            result.sent += 1
    send.save(update_fields=["status", "attempts", "sent_at", "last_error"])


@transaction.atomic
def digest_mark_read(*, digest: Digest, user) -> Digest:
    """Mark ``digest`` read by its recipient (idempotent: the first read time is kept).

    Raises ``Digest.DoesNotExist`` if it is not ``user``'s (callers answer 404)."""
    digest = Digest.objects.visible_to(user).select_for_update().get(pk=digest.pk)
    if digest.read_at is None:
        digest.read_at = timezone.now()
        digest.save(update_fields=["read_at"])
    return digest


def digests_mark_all_read(*, user) -> int:
    """Mark all of ``user``'s unread digests read; returns how many changed."""
    return Digest.objects.visible_to(user).unread().update(read_at=timezone.now())


@transaction.atomic
def preference_set(*, user, email_enabled: bool) -> NotificationPreference:
    """Switch ``user``'s reminder e-mails on or off (the in-app digest always stays)."""
    pref, _ = NotificationPreference.objects.get_or_create(user=user)
    pref.email_enabled = email_enabled
    pref.save(update_fields=["email_enabled"])
    return pref


def reminder_run_record(
    *,
    day: datetime.date,
    source: str,
    started_at: datetime.datetime,
    result: dict | None = None,
    error: str = "",
) -> None:
    """Record a finished run of the daily reminder job on ``day``'s ``ReminderRun`` (created if
    the day has none; a later run the same day overwrites the row with its own source, times,
    counts ``result`` and ``error``, kept to 500 characters). Called by
    :func:`campaigns.tasks.reminders_daily`, whoever ran it."""
    from campaigns.notifications.models import ReminderRun

    ReminderRun.objects.update_or_create(
        day=day,
        defaults={
            "source": source,
            "started_at": started_at,
            "finished_at": timezone.now(),
            "result": result or {},
            "error": error[:500],
        },
    )


def reminder_run_once(*, day: datetime.date | None = None) -> bool:
    """Run the daily reminder job (:func:`campaigns.tasks.reminders_daily`, in this process)
    once for ``day`` (Asia/Shanghai date, default today): the embedded mode's replacement for
    beat. The guard is the ``ReminderRun`` row of the day (unique ``day``, ``get_or_create``):
    of two requests or processes at once only the one that created it runs the job, and a day
    beat or "run now" already ran is not run again. Returns True when this call ran it
    (successfully or not), False when the day already had its run.

    Never raises: a failing job is logged and its error kept on the row (not retried that day).
    Uses no broker, so Redis down never blocks it.
    """
    from campaigns.notifications.models import ReminderRun
    from campaigns.tasks import reminders_daily

    day = day or local_day()
    with transaction.atomic():
        run, created = ReminderRun.objects.get_or_create(
            day=day, defaults={"source": ReminderRun.Source.FIRST_REQUEST}
        )
    if not created:
        return False
    try:
        # the task's body, here and now (not through a broker); it records its counts on the row
        reminders_daily.run(source=ReminderRun.Source.FIRST_REQUEST)
    except Exception as exc:  # noqa: BLE001 - a failed run must not fail the request
        logger.exception("reminder run on first request of %s failed", day)
        ReminderRun.objects.filter(pk=run.pk).update(
            finished_at=timezone.now(), error=f"{type(exc).__name__}: {exc}"[:500]
        )
    return True


def reminder_status(*, now: datetime.datetime | None = None) -> dict:
    """What the safety office sees of the daily reminder job on the notifications page.

    Returns ``{"last": ReminderRun | None, "stale": bool, "expected_day": date}``: ``last`` is
    the latest run (by day); ``stale`` is True when no run is from today or yesterday
    (Asia/Shanghai, ``now`` default the current time) — the scheduler (beat) is not running and
    the embedded mode's first-request run is off or failing — or when the latest run failed."""
    from campaigns.notifications.models import ReminderRun

    today = local_day(now)
    last = ReminderRun.objects.order_by("-day").first()
    expected = today - datetime.timedelta(days=1)
    stale = last is None or last.day < expected or bool(last.error)
    return {"last": last, "stale": stale, "expected_day": expected}
