"""Hazard notices (task 16) go the one notification path: the hub's channels and its outbox."""

import pytest
from django.core import mail

from campaigns.models import OutboxMessage
from campaigns.notifications import outbox_flush
from campaigns.notifications.channels import Channel, ChannelError, register_channel
from hazards import services
from hazards.models import HazardNotification
from tests.campaigns.conftest import celery_conf
from tests.hazards.factories import make_hazard

pytestmark = pytest.mark.django_db


def test_a_notice_queued_while_the_broker_is_down_goes_out_when_it_is_back(
    users, world, unreachable_redis_url, django_capture_on_commit_callbacks
):
    with celery_conf(broker_url=unreachable_redis_url, task_always_eager=False):
        h = make_hazard(users["department"], world["own"])
        with django_capture_on_commit_callbacks(execute=True):
            services.hazard_confirm(hazard=h, actor=users["department"])
    principal = HazardNotification.objects.get(hazard=h, recipient="principal")
    assert principal.state == HazardNotification.State.PENDING
    assert OutboxMessage.objects.filter(
        task_name__endswith="send_hazard_notification",
        args=[principal.pk],
        dispatched_at__isnull=True,
    ).exists()
    with celery_conf(task_always_eager=True, broker_url="memory://"):  # broker back
        outbox_flush()
    principal.refresh_from_db()
    assert principal.state == HazardNotification.State.SENT
    assert any("boss@example.invalid" in m.to for m in mail.outbox)


class Flaky(Channel):
    name = "flaky"
    label = "flaky"

    def address_of_person(self, *, email="", phone=""):
        return "x"

    def deliver(self, *, address, subject, body):
        raise ChannelError("gateway timeout")


def test_a_failure_worth_retrying_keeps_the_notice_pending_until_the_last_attempt(
    users, world, settings
):
    register_channel(Flaky)
    settings.HAZARD_NOTIFICATION_CHANNELS = ["flaky"]
    h = make_hazard(users["department"], world["own"])
    services.hazard_confirm(hazard=h, actor=users["department"])  # on_commit not run: no send
    note = HazardNotification.objects.get(hazard=h, recipient="principal", channel="flaky")
    with pytest.raises(services.NotificationRetry):
        services.notification_send(notification_id=note.pk, final=False)
    note.refresh_from_db()
    assert (note.state, note.error) == (HazardNotification.State.PENDING, "gateway timeout")
    assert services.notification_send(notification_id=note.pk, final=True) == "failed"
