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
    counts = (
        Listing.objects.count(),
        ExtensionRequest.objects.count(),
        EscalationStep.objects.count(),
    )
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
    assert demo.build(rng=random.Random(3)).startswith("supervision demo already present")
    assert (
        Listing.objects.count(),
        ExtensionRequest.objects.count(),
        EscalationStep.objects.count(),
    ) == counts


def test_enforcement_demo_is_complete_and_idempotent(plan, settings, tmp_path):
    from enforcement.inspections import services as insp_services
    from enforcement.inspections.models import Accident, Draw, EnforcementAction, Inspection
    from enforcement.inspections.selectors import double_decline, expert_pool_coverage

    settings.MEDIA_ROOT = tmp_path / "media"
    campaigns_demo.build(rng=random.Random(1))
    assert demo.build(rng=random.Random(2))
    draw = Draw.objects.get()
    assert draw.published_at and insp_services.draw_replay(draw) == draw.result
    assert Inspection.objects.zero_penalty().count() == 1
    action = EnforcementAction.objects.get()
    assert action.referred_for_prosecution and action.hazards.count() == 1
    assert expert_pool_coverage()[0]
    office = User.objects.get(username="office")
    years = double_decline(office, years=(2024, 2025, 2026))
    assert years[-1].double_decline and years[1].double_decline
    counts = (Inspection.objects.count(), Accident.objects.count())
    demo.build(rng=random.Random(3))
    assert (Inspection.objects.count(), Accident.objects.count()) == counts
    c = Client()
    c.force_login(office)
    assert c.get(draw.public_url()).status_code == 200
    assert c.get("/enforcement-statistics/?year=2026&quarter=4").status_code == 200
