"""The supervision demo is complete and idempotent."""

import random

import pytest
from django.test import Client

from campaigns.models import User
from campaigns.org import demo as campaigns_demo
from enforcement import demo
from enforcement.models import EscalationStep, ExtensionRequest, Listing
from enforcement.selectors import missed_quarters

pytestmark = pytest.mark.django_db


def test_demo_is_complete_and_idempotent(plan, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    campaigns_demo.build(rng=random.Random(1))
    assert demo.build(rng=random.Random(2))
    counts = (Listing.objects.count(), ExtensionRequest.objects.count(),
              EscalationStep.objects.count())
    assert counts[0] == 2
    gov = Listing.objects.get(batch=demo.BATCH_GOVERNMENT)
    assert missed_quarters(gov, gov.listed_on.replace(month=11, day=29)) == [(2026, 2)]
    assert ExtensionRequest.objects.filter(status="refused", working_days_before=12).exists()
    assert ExtensionRequest.objects.filter(status="approved").exists()
    assert Listing.objects.filter(status="delisted").exclude(delisting_document_number="")
    assert EscalationStep.objects.filter(status="proposed").exists()
    approved = EscalationStep.objects.filter(status="approved")
    assert approved.exists() and all(s.document_number for s in approved)
    assert approved.filter(kind="public_exposure").exclude(public_slug=None).exists()
    office = Client()
    office.force_login(User.objects.get(username="office"))
    for listing in Listing.objects.select_related("hazard"):
        assert office.get(listing.get_absolute_url()).status_code == 200
        assert office.get(listing.hazard.get_absolute_url()).status_code == 200
    assert demo.build(rng=random.Random(3)) == "supervision demo already present"
    assert (Listing.objects.count(), ExtensionRequest.objects.count(),
            EscalationStep.objects.count()) == counts
