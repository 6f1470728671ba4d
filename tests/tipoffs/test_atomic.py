"""A tip-off submission is atomic: when its last step (the timeline event) fails, no tip-off,
no photo row and no photo file stays (the whistleblower's evidence must not linger on disk)."""

import pytest
from django.conf import settings

from tipoffs import services
from tipoffs.models import TipOff, TipOffPhoto

from .conftest import IDENTITY, gps_photo, submit


class Boom(Exception):
    pass


def test_submission_failing_at_its_event_saves_nothing(plan, monkeypatch):
    def fail(*args, **kwargs):
        raise Boom

    monkeypatch.setattr(services, "_event", fail)
    with pytest.raises(Boom):
        submit(anonymous=False, photos=[gps_photo(), gps_photo("b.jpg", (10, 200, 10))], **IDENTITY)
    assert not TipOff.objects.exists()
    assert not TipOffPhoto.objects.exists()
    stored = [p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()]
    assert stored == [], stored
