"""The training app's plug-ins: dashboard panel, league metric, report section, the box on
the enterprise page and the menu entry — each figure agrees with the records behind it."""

import datetime

import pytest
from django.urls import reverse

from campaigns.dashboard.registry import PANELS
from campaigns.league.registry import METRICS
from campaigns.models import Department, Township
from campaigns.reports.registry import SECTIONS
from campaigns.slots import SLOTS, nav_items
from training import services
from yixian_safety.periods import period_from_key

from .factories import make_certificate

pytestmark = pytest.mark.django_db
D = datetime.date


def test_registered_everywhere():
    assert "training" in PANELS and "training" in SECTIONS
    assert "training" in SLOTS["enterprise_detail"]
    assert "drills_on_schedule" in [m.code for m in METRICS]
    assert "training:overview" in [i.url_name for i in nav_items()]


def test_league_metric_counts_met_over_met_or_missed(users, world):
    services.drill_record(
        actor=users["office"],
        enterprise=world["own"],
        held_on=D(2025, 3, 1),
        scenario="火灾",
        participants=5,
    )
    metric = next(m for m in METRICS if m.code == "drills_on_schedule")
    today = D(2025, 9, 1)
    towns = {t.code: t for t in metric.annotate(Township.objects.all(), "townships", today)}
    # biyang: own (yearly) met; high (half-yearly) H1 missed, H2 pending
    assert (towns["biyang"].drills_on_schedule_num, towns["biyang"].drills_on_schedule_den) == (
        1,
        2,
    )
    # hongcun: other (yearly, no drill yet) pending only
    assert (towns["hongcun"].drills_on_schedule_num, towns["hongcun"].drills_on_schedule_den) == (
        0,
        0,
    )
    depts = {
        d.code: d
        for d in metric.annotate(Department.objects.filter(is_lead=True), "departments", today)
    }
    assert (depts["housing"].drills_on_schedule_num, depts["housing"].drills_on_schedule_den) == (
        1,
        1,
    )
    assert (
        depts["emergency"].drills_on_schedule_num,
        depts["emergency"].drills_on_schedule_den,
    ) == (0, 1)


def test_grouped_league_metric_equals_the_correlated_definition(users, world):
    """Issue 19: the grouped drills metric gives the num/den of the correlated one for every
    unit, on enterprises of several sectors (one led by two departments), high-risk or not,
    with drills in different periods, on several days of the year."""
    from tests.hazards.factories import make_enterprise
    from training.league import drills_on_schedule, drills_on_schedule_correlated

    office = users["office"]
    ents = [
        *world.values(),
        make_enterprise(office, township="hongcun", sectors=("gas", "fire")),
        make_enterprise(office, township="biyang", sectors=("metal_smelting", "gas")),
        make_enterprise(office, township="hongcun", sectors=("metal_smelting",)),
    ]
    for i, (ent, day) in enumerate(
        [
            (0, D(2025, 2, 1)),
            (1, D(2025, 8, 1)),
            (2, D(2025, 3, 1)),
            (2, D(2025, 4, 1)),
            (4, D(2025, 9, 20)),
            (4, D(2025, 1, 5)),
            (3, D(2024, 6, 1)),
            (5, D(2025, 12, 1)),
        ]
    ):
        services.drill_record(
            actor=office, enterprise=ents[ent], held_on=day, scenario=f"演练{i}", participants=3
        )
    for today in (D(2025, 1, 10), D(2025, 7, 1), D(2025, 9, 1), D(2025, 12, 31)):
        for kind, units in (
            ("townships", Township.objects.all()),
            ("departments", Department.objects.filter(is_lead=True)),
        ):
            grouped = {
                u.pk: (u.drills_on_schedule_num, u.drills_on_schedule_den)
                for u in drills_on_schedule(units, kind, today)
            }
            reference = {
                u.pk: (u.drills_on_schedule_num, u.drills_on_schedule_den)
                for u in drills_on_schedule_correlated(units, kind, today)
            }
            assert grouped == reference, (kind, today)
            assert any(den for _num, den in grouped.values())
        # the dashboard panel's totals: equal to summing the per-enterprise annotation
        from django.db.models import Sum

        from hazards.models import Enterprise
        from training.selectors import DRILL_DUTY, INSPECTION_DUTY, duty_annotate, duty_totals

        for role in ("office", "township", "department"):
            ents = Enterprise.objects.visible_to(users[role])
            for duty in (DRILL_DUTY, INSPECTION_DUTY):
                for year in (2025, 2024):
                    ref = (
                        duty_annotate(ents, duty, year=year, today=today)
                        .order_by()
                        .aggregate(
                            s=Sum("duty_started"),
                            m=Sum("duty_met"),
                            p=Sum("duty_pending"),
                            x=Sum("duty_missed"),
                        )
                    )
                    got = duty_totals(ents, duty, year=year, today=today)
                    assert (got.started, got.met, got.pending, got.missed) == tuple(
                        ref[k] or 0 for k in "smpx"
                    ), (role, duty.code, year, today)


def test_dashboard_panel_figures(users, world):
    make_certificate(
        users["office"], world["own"], valid_until=D(2020, 6, 1), issued_on=D(2019, 1, 1)
    )
    value = PANELS["training"].build(users["township"], as_of=D(2025, 9, 1), today=D(2025, 9, 1))
    assert value.certificates["expired"] == 1
    assert (value.drills.started, value.drills.missed) == (3, 1)
    assert value.year == 2025


def test_dashboard_page_shows_the_panel(client, users, world):
    client.force_login(users["office"])
    page = client.get(reverse("campaigns:dashboard")).content.decode()
    assert 'data-testid="panel-training"' in page


def test_report_section_for_a_township_and_for_a_user(users, world, monkeypatch):
    monkeypatch.setattr("training.services.today_local", lambda: D(2025, 12, 1))
    services.drill_record(
        actor=users["office"],
        enterprise=world["own"],
        held_on=D(2025, 8, 1),
        scenario="火灾",
        participants=5,
    )
    services.drill_record(
        actor=users["office"],
        enterprise=world["other"],
        held_on=D(2025, 8, 2),
        scenario="火灾",
        participants=5,
    )
    build = SECTIONS["training"].build
    q3 = period_from_key("2025-Q3")
    data = build(q3, Township.objects.get(code="biyang"))
    assert dict(data.figures)["疏散逃生演练"] == 1
    assert dict(build(q3, users["office"]).figures)["疏散逃生演练"] == 2
    assert build(period_from_key("2024-Q1"), users["office"]).empty
    # as the report builder calls it: with a ReportScope (campaigns.reports.registry)
    from campaigns.reports.services import scope_parse

    assert dict(build(q3, scope_parse("county")).figures)["疏散逃生演练"] == 2
    assert dict(build(q3, scope_parse("township:biyang")).figures)["疏散逃生演练"] == 1


def test_enterprise_page_shows_expired_certificate(client, users, world):
    make_certificate(
        users["office"],
        world["own"],
        valid_until=D(2020, 6, 1),
        issued_on=D(2019, 1, 1),
        number="EXP-1",
    )
    client.force_login(users["township"])
    page = client.get(world["own"].get_absolute_url()).content.decode()
    assert 'data-testid="training-slot"' in page and "EXP-1" in page
    page = client.get(world["high"].get_absolute_url()).content.decode()
    assert (
        'data-testid="training-slot"' in page and 'data-testid="expired-certificates"' not in page
    )
