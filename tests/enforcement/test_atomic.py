"""Multi-step changes are atomic: when a later step fails, nothing of the earlier ones stays."""

import datetime

import pytest

from campaigns.models import DocumentCounter
from enforcement import services
from enforcement.models import ExtensionRequest
from hazards import services as hz
from hazards.models import Hazard, HazardEvent
from tests.hazards.factories import make_hazard, rectifying_hazard

D = datetime.date


class Boom(Exception):
    pass


def _fail(*args, **kwargs):
    raise Boom


def test_hazard_report_failing_at_its_timeline_event_saves_no_hazard_and_no_number(
    users, world, monkeypatch
):
    counters = list(DocumentCounter.objects.values_list("kind", "year", "last"))
    monkeypatch.setattr(hz, "_event", _fail)
    with pytest.raises(Boom):
        make_hazard(users["township"], world["own"])
    assert not Hazard.objects.exists()
    assert list(DocumentCounter.objects.values_list("kind", "year", "last")) == counters


def test_extension_approval_failing_at_the_deadline_event_leaves_request_and_deadline(
    users, world, monkeypatch
):
    """extension_approve decides the request, then moves the hazard's deadline (a hazards
    service writing the rectification and a timeline event): the event fails → the request is
    still pending and the deadline unmoved."""
    tw, dept = users["township"], users["department"]
    h = rectifying_hazard(tw, world["own"], D(2026, 6, 30))
    ext = services.extension_request(
        hazard=h, actor=tw, requested_deadline=D(2026, 8, 31), reason="资金未到位", on=D(2026, 5, 6)
    )
    events = HazardEvent.objects.filter(hazard=h).count()
    monkeypatch.setattr(hz, "_event", _fail)
    with pytest.raises(Boom):
        services.extension_approve(extension=ext, actor=dept, note="同意")
    ext = ExtensionRequest.objects.get(pk=ext.pk)
    assert ext.status == ExtensionRequest.Status.REQUESTED and ext.decided_at is None
    assert Hazard.objects.get(pk=h.pk).rectification.deadline == D(2026, 6, 30)
    assert HazardEvent.objects.filter(hazard=h).count() == events
