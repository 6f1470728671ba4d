"""Demo data: tip-offs in several steps, one verified into the ledger and rewarded; idempotent."""

import random

from campaigns.org import demo as org_demo
from hazards import demo as hazards_demo
from tipoffs import demo
from tipoffs.models import Reward, Status, TipOff
from tipoffs.permissions import can_view_identity


def test_demo_builds_once():
    org_demo.build(rng=random.Random(1))
    hazards_demo.build(rng=random.Random(1))
    assert "3 demo tip-offs" in demo.build(rng=random.Random(1))
    assert demo.build(rng=random.Random(1)) == "tip-off demo already present"
    assert TipOff.objects.count() == 3
    assert TipOff.objects.filter(status=Status.CLOSED, hazard__isnull=False).count() == 1
    assert Reward.objects.get().is_paid
    from campaigns.models import User

    assert can_view_identity(User.objects.get(username="office"))
