"""Issue 12 "Done when": figures agree with the records figure by figure, periods follow the
plan's frequencies, certificates expire on the right Asia/Shanghai day."""

import datetime
import random

import pytest
from django.urls import reverse

from campaigns.models import Obligation
from tests.hazards.factories import make_enterprise
from training import selectors
from training.models import Certificate, Drill, PrincipalInspection

from .factories import make_certificate

pytestmark = pytest.mark.django_db
D = datetime.date


def test_duty_frequencies_are_the_plans(plan):
    for duty in selectors.DUTIES.values():
        obligation = Obligation.objects.get(code=duty.obligation)
        assert (duty.frequency, duty.high_risk_frequency) == (
            obligation.frequency,
            obligation.high_risk_frequency,
        )
        assert obligation.subject == "enterprise"


@pytest.mark.parametrize("duty", list(selectors.DUTIES.values()), ids=lambda d: d.code)
def test_figures_agree_with_the_rows_behind_them(users, duty):
    office = users["office"]
    rng = random.Random(12)
    ents = [
        make_enterprise(
            office,
            township=rng.choice(["biyang", "hongcun", "xidi"]),
            sectors=(rng.choice(["gas", "fire", "metal_smelting", "fireworks"]),),
        )
        for _ in range(12)
    ]
    records = []
    for e in ents:
        for _ in range(rng.randint(0, 8)):
            day = D(2025, 1, 1) + datetime.timedelta(days=rng.randint(0, 300))
            records.append(
                duty.model(
                    enterprise=e,
                    created_by=office,
                    **{duty.date_field: day},
                    **(
                        {"scenario": "火灾", "participants": 5}
                        if duty.model is Drill
                        else {"leader_name": "王某"}
                    ),
                )
            )
    duty.model.objects.bulk_create(records)
    today = D(2025, 11, 20)
    figs = selectors.duty_compliance(office, duty, year=2025, today=today)
    rows = selectors.duty_enterprises(office, duty, year=2025, today=today)
    periods = selectors.duty_periods(rows, duty, year=2025, today=today)
    for fig in figs["townships"]:
        mine = [periods[e.pk] for e in rows if e.township.code == fig.key]
        statuses = [p.status for ps in mine for p in ps]
        assert (fig.started, fig.met, fig.pending, fig.missed) == (
            len(statuses),
            statuses.count("met"),
            statuses.count("pending"),
            statuses.count("missed"),
        ), fig.key
        missed_rows = selectors.duty_enterprises(
            office,
            duty,
            year=2025,
            today=today,
            status="missed",
            township=rows[0].township.__class__.objects.get(code=fig.key),
        )
        assert {e.pk for e in missed_rows} == {
            e.pk
            for e in rows
            if e.township.code == fig.key and any(p.status == "missed" for p in periods[e.pk])
        }
    total = figs["total"]
    assert total.started == sum(f.started for f in figs["townships"])
    assert total.met == sum(f.met for f in figs["townships"])


@pytest.mark.own_clock  # it sets timezone.now itself
def test_certificate_expiry_uses_the_shanghai_day(users, world, client, monkeypatch):
    """2026-03-31 16:30 UTC is already 1 April in Asia/Shanghai: a certificate valid until
    31 March is then expired."""
    cert = make_certificate(users["office"], world["own"], valid_until=D(2026, 3, 31))
    moment = datetime.datetime(2026, 3, 31, 16, 30, tzinfo=datetime.UTC)
    monkeypatch.setattr("django.utils.timezone.now", lambda: moment)
    client.force_login(users["office"])
    page = client.get(reverse("training:certificate_list"), {"window": "expired"})
    assert cert.number in page.content.decode()
    before = datetime.datetime(2026, 3, 31, 15, 30, tzinfo=datetime.UTC)
    monkeypatch.setattr("django.utils.timezone.now", lambda: before)
    page = client.get(reverse("training:certificate_list"), {"window": "expired"})
    assert cert.number not in page.content.decode()
    assert Certificate.objects.expiring_within(D(2026, 3, 31), 30).get() == cert


def test_models_are_all_scoped():
    for model in (Certificate, Drill, PrincipalInspection):
        assert hasattr(model.objects, "visible_to")
