"""The figures summary (hazards.models.HazardFigure, issue 19): every figure it gives equals the
live computation — statistics (page, API, dashboard panel), the plan's targets, the routine
view, the league's hazard metrics — for every role and level, on varied data; it is rebuilt on
demand without beat, stamped "截至 hh:mm", and read with a constant number of queries."""

from __future__ import annotations

import datetime
import random
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from campaigns.league.selectors import DEPARTMENTS, TOWNSHIPS, league_table
from hazards import services
from hazards.dashboard import hazard_targets, routine_figures
from hazards.models import (
    Hazard,
    HazardFigure,
    HazardFigureStamp,
    Level,
    Rectification,
    Source,
    Status,
)
from hazards.selectors import figures_stamp, hazard_statistics, hazard_statistics_for
from hazards.tasks import figures_refresh
from yixian_safety.dates import today_local

from .factories import make_enterprise, make_hazard

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
ROLES = ("office", "township", "other_township", "department", "other_department")


def _at(day: datetime.date, hour: int = 12) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=SHANGHAI)


@pytest.fixture
def varied(users, world):
    """60 hazards of three enterprises (two townships, two sectors) in every status, level and
    source, found 2022 … today, closed before/after their deadlines (some on a day boundary in
    Asia/Shanghai), open past / within / without a deadline, merged reports of other sources,
    majors without a clause. Statuses set directly (no history: the test rebuilds with force)."""
    office = users["office"]
    today = today_local()
    ents = [
        world["own"],
        world["other"],
        make_enterprise(office, township="biyang", sectors=("fire",)),
    ]
    rng = random.Random(19)
    statuses = [s for s in Status if s != Status.MERGED]
    hazards = []
    for i in range(60):
        found = min(datetime.date(2022, 6, 1) + datetime.timedelta(days=37 * i), today)
        h = make_hazard(
            office,
            ents[i % 3],
            level=Level.MAJOR if i % 5 < 3 else Level.GENERAL,
            source=list(Source)[i % 3],
            found_on=found,
        )
        hazards.append(h)
    for i, h in enumerate(hazards):
        status = statuses[rng.randrange(len(statuses))]
        fields: dict = {"status": status}
        if status == Status.CLOSED:
            closed = min(h.found_on + datetime.timedelta(days=rng.randrange(0, 400)), today)
            # 23:30 Shanghai = 15:30 UTC: the local date, not the UTC one, counts
            fields["closed_at"] = _at(closed, 23 if i % 4 == 0 else 10)
        if i % 7 == 0 and h.level == Level.MAJOR:
            fields["criterion"] = None
        Hazard.objects.filter(pk=h.pk).update(**fields)
        if i % 6 != 5:  # some without a rectification
            deadline = (
                None if i % 11 == 0 else h.found_on + datetime.timedelta(rng.randrange(-5, 900))
            )
            Rectification.objects.update_or_create(hazard=h, defaults={"deadline": deadline})
    # merged reports: their own source counts for the hazard they were merged into
    for i in range(6):
        report = make_hazard(
            office, ents[i % 3], level=Level.GENERAL, source=list(Source)[(i + 1) % 3]
        )
        Hazard.objects.filter(pk=report.pk).update(status=Status.MERGED, merged_into=hazards[i * 7])
    return hazards


def _league(today):
    return {
        kind: [
            (r.unit.pk, r.rank, r.score, [(m.num, m.den, m.value) for m in r.metrics])
            for r in league_table(kind, today=today)
        ]
        for kind in (TOWNSHIPS, DEPARTMENTS)
    }


def _everything(users, today):
    out = {}
    for role in ROLES:
        user = users[role]
        for level in ("", Level.MAJOR, Level.GENERAL):
            stats = hazard_statistics_for(user, level=level, today=today)
            stats.figures_at = None
            out[role, level] = stats
        targets = hazard_targets(user, as_of=today, today=today)
        targets.figures_at = None
        routine = routine_figures(user, as_of=today, today=today)
        routine.figures_at = None
        out[role, "targets"] = targets
        out[role, "routine"] = routine
    out["league"] = _league(today)
    return out


@override_settings(HAZARD_FIGURES_ON_DEMAND=False)
def test_summary_figures_equal_the_live_computation(users, varied):
    today = today_local()
    assert figures_stamp(today) is None  # no summary yet: everything below is live
    live = _everything(users, today)
    # the live statistics of the readers are those of the original function
    office_live = hazard_statistics(Hazard.objects.visible_to(users["office"]).ledger())
    assert live["office", ""] == office_live
    assert live["office", ""].total.total.value == 60

    stamp = services.hazard_figures_refresh(force=True)
    assert HazardFigure.objects.exists() and stamp.day == today
    assert figures_stamp(today) == stamp
    summary = _everything(users, today)
    for key, value in live.items():
        assert summary[key] == value, key
    # the fixture really is varied: every status, overdue and on-time hazards, merged sources
    figures = live["office", ""]
    assert all(c.value for c in figures.total.statuses)
    assert figures.total.overdue.value and figures.total.closed_on_time.value
    assert [r.total.value for r in figures.by_source] != [20, 20, 20]


@override_settings(HAZARD_FIGURES_ON_DEMAND=False)
def test_statistics_from_the_summary_are_stamped(users, varied):
    stamp = services.hazard_figures_refresh(force=True)
    stats = hazard_statistics_for(users["office"])
    assert stats.figures_at == stamp.refreshed_at
    # another day than the summary's: live, no stamp
    other = hazard_statistics_for(users["office"], today=datetime.date(2025, 10, 1))
    assert other.figures_at is None


@override_settings(HAZARD_FIGURES_ON_DEMAND=True)
def test_on_demand_a_write_is_seen_at_once(users, world):
    office = users["office"]
    make_hazard(office, world["own"])
    first = hazard_statistics_for(office)
    assert first.figures_at is not None and first.total.total.value == 1
    with CaptureQueriesContext(connection) as fresh:
        hazard_statistics_for(office)
    # no rebuild while nothing changed: no DELETE/INSERT of the summary
    assert not any("INSERT" in q["sql"] for q in fresh.captured_queries)
    h = make_hazard(office, world["other"])
    services.hazard_confirm(hazard=h, actor=office)
    again = hazard_statistics_for(office)
    assert again.total.total.value == 2
    assert again.total.statuses[1].value == 1  # confirmed
    live = hazard_statistics(Hazard.objects.visible_to(office).ledger())
    again.figures_at = None
    assert again == live


@override_settings(HAZARD_FIGURES_ON_DEMAND=False)
def test_with_beat_the_page_reads_the_last_summary_and_the_task_rebuilds_it(users, world):
    office = users["office"]
    make_hazard(office, world["own"])
    figures_refresh()
    make_hazard(office, world["own"])
    assert hazard_statistics_for(office).total.total.value == 1  # as of the stamp
    result = figures_refresh()
    assert str(today_local()) in result
    assert hazard_statistics_for(office).total.total.value == 2
    before = HazardFigureStamp.objects.get().refreshed_at
    figures_refresh()  # nothing changed: not rebuilt
    assert HazardFigureStamp.objects.get().refreshed_at == before


@override_settings(HAZARD_FIGURES_ON_DEMAND=False)
def test_pages_show_the_stamp(client, users, varied):
    services.hazard_figures_refresh(force=True)
    client.force_login(users["township"])
    for url in (reverse("hazards:statistics"), reverse("campaigns:dashboard")):
        body = client.get(url).content.decode()
        assert 'data-testid="figures-at"' in body and "数据截至" in body, url
    api = client.get("/api/v1/hazard-statistics/").json()
    assert api["figures_at"]


def _grow(office, world, n):
    for i in range(n):
        make_hazard(
            office,
            world["own" if i % 2 else "other"],
            found_on=datetime.date(2025, 1, 1) + datetime.timedelta(i),
            level=Level.GENERAL,
        )


@override_settings(HAZARD_FIGURES_ON_DEMAND=False)
@pytest.mark.parametrize("role", ["office", "township"])
def test_query_count_from_the_summary_is_constant(client, users, world, role):
    """Statistics page and API, dashboard (uncached) from the summary: the same number of
    queries for 2 and for 22 hazards."""
    from django.core.cache import cache

    office = users["office"]
    client.force_login(users[role])
    counts = []
    for n in (2, 20):
        _grow(office, world, n)
        services.hazard_figures_refresh(force=True)
        row = []
        for url in (
            reverse("hazards:statistics"),
            "/api/v1/hazard-statistics/",
            reverse("campaigns:dashboard"),
        ):
            cache.clear()
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            row.append(len(ctx))
        counts.append(row)
    assert counts[0] == counts[1]


@override_settings(HAZARD_FIGURES_ON_DEMAND=False)
@pytest.mark.parametrize("role", ["office", "township", "department"])
def test_unfiltered_lists_count_from_a_current_summary(client, users, varied, role):
    """The ledger page and the hazards API take the number of rows from the summary while it is
    current — no count(*) of the ledger — and count again once a hazard changed."""
    user = users[role]
    client.force_login(user)
    expected = Hazard.objects.visible_to(user).ledger().count()
    services.hazard_figures_refresh(force=True)

    def counts_ledger(url):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        return response, any(
            "COUNT(*)" in q["sql"].upper() and '"hazards_hazard"' in q["sql"]
            for q in ctx.captured_queries
        )

    response, counted = counts_ledger("/api/v1/hazards/?page_size=5")
    assert response.json()["count"] == expected and not counted
    response, counted = counts_ledger(reverse("hazards:list") + "?page=2")
    assert response.context["page"].paginator.count == expected and not counted
    # a filter: counted as before
    response, counted = counts_ledger("/api/v1/hazards/?level=major")
    assert counted
    # a write since the summary: counted as before, and right
    make_hazard(users["office"], varied[0].enterprise)
    response, counted = counts_ledger("/api/v1/hazards/?page_size=5")
    assert counted
    assert response.json()["count"] == Hazard.objects.visible_to(user).ledger().count()


def test_past_day_targets_are_replayed_once_until_a_write(users, world):
    """The dashboard of a past day asks for the targets four times (panel + three target
    milestones); the history is replayed once, and again after any write."""
    office = users["office"]
    today = today_local()
    day = today - datetime.timedelta(days=1)
    h = make_hazard(office, world["own"], found_on=day)
    # recorded "yesterday": move its history row back a day
    Hazard.history.filter(id=h.pk).update(history_date=_at(day))
    first = hazard_targets(office, as_of=day, today=today)
    with CaptureQueriesContext(connection) as again:
        second = hazard_targets(office, as_of=day, today=today)
    assert second == first and len(again) <= 2
    total = next(
        f.value for t in first.targets if t.code == "target-zeroing-2026" for f in t.figures[1:]
    )
    h2 = make_hazard(office, world["own"], found_on=day)
    Hazard.history.filter(id=h2.pk).update(history_date=_at(day))
    third = hazard_targets(office, as_of=day, today=today)
    assert (
        next(
            f.value for t in third.targets if t.code == "target-zeroing-2026" for f in t.figures[1:]
        )
        == total + 1
    )
