"""The dashboard's figures against a hand-built ledger; drill-down links; history; scope; cache."""

import datetime
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from campaigns.dashboard.selectors import build_dashboard, dashboard_for
from hazards.dashboard import SHANGHAI
from hazards.models import Hazard, Level, Rectification, Status
from tests.hazards.factories import FIVE, make_enterprise, make_hazard

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 29)


def at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(10), tzinfo=SHANGHAI)


def set_state(hazard, *, status, closed_on=None, deadline=None):
    """Put a hazard straight into a state (the lifecycle itself is tested in tests/hazards)."""
    Hazard.objects.filter(pk=hazard.pk).update(
        status=status, closed_at=at(closed_on) if closed_on else None
    )
    if deadline:
        Rectification.objects.update_or_create(
            hazard=hazard, defaults={**FIVE, "deadline": deadline}
        )


@pytest.fixture
def ledger(users):
    """biyang: 2 stock major (one closed 2024-06-30, one open), 2024: 3 major (one overdue),
    2025: 1 major, a general hazard; hongcun: 1 stock major open. A merged report is ignored."""
    office = users["office"]
    own = make_enterprise(office, township="biyang", sectors=("gas",))
    other = make_enterprise(office, township="hongcun", sectors=("fire",))
    h = {}
    h["stock_closed"] = make_hazard(office, own, found_on=datetime.date(2023, 5, 1))
    set_state(h["stock_closed"], status=Status.CLOSED, closed_on=datetime.date(2024, 6, 30))
    h["stock_open"] = make_hazard(office, own, found_on=datetime.date(2023, 9, 1))
    set_state(h["stock_open"], status=Status.RECTIFYING, deadline=datetime.date(2027, 1, 31))
    for n, day in enumerate(
        [datetime.date(2024, 2, 1), datetime.date(2024, 7, 1), datetime.date(2024, 12, 1)]
    ):
        h[f"y2024_{n}"] = make_hazard(office, own, found_on=day)
    set_state(h["y2024_0"], status=Status.RECTIFYING, deadline=datetime.date(2026, 1, 31))
    set_state(h["y2024_1"], status=Status.CLOSED, closed_on=datetime.date(2025, 3, 3))
    h["y2025"] = make_hazard(office, own, found_on=datetime.date(2025, 8, 1))
    make_hazard(office, own, found_on=datetime.date(2025, 8, 2), level=Level.GENERAL)
    merged = make_hazard(office, own, found_on=datetime.date(2025, 8, 3))
    Hazard.objects.filter(pk=merged.pk).update(status=Status.MERGED, merged_into=h["y2025"])
    h["other_stock"] = make_hazard(office, other, found_on=datetime.date(2023, 1, 1))
    return h


def figures(data):
    return {t.code: [f.value for f in t.figures] for t in data.targets.targets}


def test_targets_for_the_safety_office(users, ledger):
    data = build_dashboard(users["office"], as_of=TODAY, today=TODAY)
    assert figures(data) == {
        "target-stock-2024": [3, 2, 1],  # stock total, still open, closed by 2024-12-31
        "target-increment-2025": [3, 1, 0],  # found 2024, 2025, 2026
        "target-zeroing-2026": [1, 5],  # overdue and open, open
    }
    states = {t.code: t.state for t in data.targets.targets}
    assert states == {
        "target-stock-2024": "missed",
        "target-increment-2025": "met",
        "target-zeroing-2026": "pending",
    }
    assert data.targets.chart["found"] == [3, 3, 1, 0]
    assert data.targets.chart["closed"] == [0, 1, 1, 0]


def test_township_official_sees_own_township_figures(users, ledger):
    data = build_dashboard(users["township"], as_of=TODAY, today=TODAY)
    assert figures(data)["target-stock-2024"] == [2, 1, 1]
    data = build_dashboard(users["other_township"], as_of=TODAY, today=TODAY)
    assert figures(data)["target-stock-2024"] == [1, 1, 0]
    assert figures(data)["target-increment-2025"] == [0, 0, 0]


def test_each_figure_links_to_a_ledger_of_that_count(users, ledger, settings):
    """Open every target figure's link through the API (same filters as the ledger page)."""
    data = build_dashboard(users["office"], as_of=timezone.localdate(), today=timezone.localdate())
    api = APIClient()
    api.force_authenticate(users["office"])
    checked = 0
    for target in data.targets.targets:
        for figure in target.figures:
            query = urlsplit(figure.url).query
            assert urlsplit(figure.url).path == reverse("hazards:list")
            count = api.get("/api/v1/hazards/?" + query).json()["count"]
            assert count == figure.value, (target.code, figure.label, query)
            checked += 1
    for row in data.statistics.by_township + data.statistics.by_sector:
        for cell in [row.total, row.open, row.overdue, row.closed_on_time, *row.statuses]:
            count = api.get("/api/v1/hazards/?" + urlsplit(cell.url).query).json()["count"]
            assert count == cell.value, (row.label, cell.url)
            checked += 1
    assert checked > 20


def test_a_past_day_is_rebuilt_from_history(users, ledger):
    """A hazard reported in 2025-01 and closed in 2025-06 was open on 2025-03-01."""
    office = users["office"]
    hazard = ledger["y2024_1"]  # closed today's state (set without history in the fixture)
    history = Hazard.history.model
    created = history.objects.get(id=hazard.pk, history_type="+")
    history.objects.filter(pk=created.pk).update(
        history_date=at(datetime.date(2025, 1, 5)), status=Status.RECTIFYING, closed_at=None
    )
    closing = history.objects.filter(pk=created.pk).values().get()
    del closing["history_id"]
    closing.update(
        history_type="~",
        history_date=at(datetime.date(2025, 6, 1)),
        status=Status.CLOSED,
        closed_at=at(datetime.date(2025, 6, 1)),
    )
    history.objects.create(**closing)
    before = build_dashboard(office, as_of=datetime.date(2025, 3, 1), today=TODAY)
    after = build_dashboard(office, as_of=datetime.date(2025, 7, 1), today=TODAY)
    # only this hazard has history before 2025-07: the others were recorded "today"
    assert figures(before)["target-increment-2025"] == [1, 0, 0]
    assert figures(before)["target-zeroing-2026"][1] == 1  # open on 2025-03-01
    assert figures(after)["target-zeroing-2026"][1] == 0  # closed by 2025-07-01
    assert after.targets.chart["closed"] == [0, 0, 1, 0]
    assert all(f.url == "" for t in before.targets.targets for f in t.figures)


def test_query_count_does_not_grow_with_the_data(users, ledger):
    office = users["office"]
    with CaptureQueriesContext(connection) as small:
        build_dashboard(office, as_of=TODAY, today=TODAY)
    own = ledger["stock_open"].enterprise
    for n in range(15):
        make_hazard(office, own, found_on=datetime.date(2025, 1, 1) + datetime.timedelta(n))
    with CaptureQueriesContext(connection) as large:
        build_dashboard(office, as_of=TODAY, today=TODAY)
    assert len(large) == len(small)


def test_cached_dashboard_is_invalidated_by_a_new_hazard(users, ledger):
    office = users["office"]
    first = dashboard_for(office)
    assert dashboard_for(office) is not None
    with CaptureQueriesContext(connection) as cached:
        dashboard_for(office)
    assert len(cached) <= 2  # scope lookups only
    make_hazard(office, ledger["stock_open"].enterprise, found_on=timezone.localdate())
    again = dashboard_for(office)
    year = timezone.localdate().year
    if year in (2024, 2025, 2026):
        assert (
            sum(f.value for f in again.targets.targets[1].figures)
            == sum(f.value for f in first.targets.targets[1].figures) + 1
        )


def test_dashboard_page_renders_for_every_role(client, users, ledger):
    for user in users.values():
        client.force_login(user)
        response = client.get(reverse("campaigns:dashboard"))
        assert response.status_code == 200
        assert "存量" in response.content.decode() or "重大事故隐患" in response.content.decode()


def test_future_as_of_gives_a_message_not_an_error(client, users):
    client.force_login(users["office"])
    response = client.get(reverse("campaigns:dashboard"), {"as_of": "2999-01-01"})
    assert response.status_code == 200
    assert "日期不能晚于今天" in response.content.decode()
    response = client.get(reverse("campaigns:dashboard"), {"as_of": "not-a-date"})
    assert response.status_code == 200


def test_supervision_figures_link_to_lists_of_that_count(client, users, ledger):
    from enforcement.services import listing_create

    office = users["office"]
    hazard = ledger["y2024_0"]
    Hazard.objects.filter(pk=hazard.pk).update(status=Status.RECTIFYING)
    listing_create(
        hazard=Hazard.objects.get(pk=hazard.pk),
        actor=office,
        listing_body="safety_office",
        listed_on=timezone.localdate(),
        required_completion=datetime.date(2027, 1, 31),
        responsible_unit="碧阳镇人民政府",
    )
    data = build_dashboard(office, as_of=timezone.localdate(), today=timezone.localdate())
    client.force_login(office)
    for figure in data.supervision["figures"]:
        response = client.get(figure.url)
        assert response.status_code == 200
        assert response.context["page"].paginator.count == figure.value, figure.label
    assert data.supervision["figures"][0].value == 1


def test_a_past_day_hides_todays_lists(users, ledger):
    data = build_dashboard(users["office"], as_of=datetime.date(2025, 6, 1), today=TODAY)
    assert data.statistics is None and data.supervision == {} and data.league == {}


def test_target_states_before_their_deadlines(users, ledger):
    """Mid-2025: the stock deadline has passed (missed), the 2025 increment is not known yet
    (pending, though fewer have been found so far), zeroing is pending."""
    data = build_dashboard(users["office"], as_of=datetime.date(2025, 6, 1), today=TODAY)
    states = {t.code: t.state for t in data.targets.targets}
    assert states["target-increment-2025"] == "pending"
    empty = build_dashboard(users["office"], as_of=datetime.date(2024, 3, 1), today=TODAY)
    assert {t.state for t in empty.targets.targets} == {"pending"}  # no history yet: nothing met


def test_closed_on_time_counts_closures_by_the_deadline(users, ledger):
    """y2024_1 closed 2025-03-03 with a deadline of 2025-06-30 (on time); stock_closed has no
    rectification deadline recorded, so it cannot count as on time."""
    Rectification.objects.update_or_create(
        hazard=ledger["y2024_1"], defaults={**FIVE, "deadline": datetime.date(2025, 6, 30)}
    )
    data = build_dashboard(users["office"], as_of=TODAY, today=TODAY)
    biyang = next(r for r in data.statistics.by_township if r.label == "碧阳镇")
    assert biyang.closed_on_time.value == 1


def test_after_the_campaign_the_dashboard_says_so_and_shows_the_routine_view(users, ledger, client):
    after = datetime.date(2027, 1, 15)
    data = build_dashboard(users["office"], as_of=after, today=after)
    assert data.campaign_ended and data.phase is None
    open_, new, overdue = (f.value for f in data.routine.figures)
    assert (open_, new, overdue) == (5, 0, 1)  # y2024_0 is past its 2026-01-31 deadline
    assert data.routine.days_to_close is None  # nothing closed within the last 365 days
    assert not build_dashboard(users["office"], as_of=TODAY, today=TODAY).campaign_ended
    mid = datetime.date(2025, 6, 1)  # closed since 2024-06-01: 426 and 245 days after found
    assert build_dashboard(users["office"], as_of=mid, today=mid).routine.days_to_close == 335.5
    client.force_login(users["office"])
    page = client.get(reverse("campaigns:dashboard")).content.decode()
    assert 'data-testid="routine"' in page


def test_a_met_computed_target_is_not_listed_as_past_due(client, users, ledger):
    """Issue 18: the dashboard said the 2025 increment target is 已实现 and listed it among the
    milestones past due with no completion record. A met computed target counts as its record;
    a missed one stays listed and says why (computed from the ledger: not met)."""
    today = timezone.localdate()
    office = users["office"]
    data = build_dashboard(office, as_of=today, today=today)
    states = {t.code: t.state for t in data.targets.targets}
    assert states["target-increment-2025"] == "met"  # 3 found in 2024, 1 in 2025
    assert states["target-stock-2024"] == "missed"  # a stock hazard still open
    overdue = {m.code: m for m in data.milestones_overdue}
    assert "target-increment-2025" not in overdue
    assert overdue["target-stock-2024"].computed.met is False
    # a township official sees its own township's targets, and the list agrees with them
    data = build_dashboard(users["other_township"], as_of=today, today=today)
    shown = {t.code: t.state for t in data.targets.targets}
    listed = {m.code for m in data.milestones_overdue}
    assert shown["target-stock-2024"] == "missed" and "target-stock-2024" in listed
    assert shown["target-increment-2025"] != "met" and "target-increment-2025" in listed

    client.force_login(office)
    page = client.get(reverse("campaigns:dashboard")).content.decode()
    overdue_html = page.split('data-testid="milestones-overdue"')[1].split("</ul>")[0]
    assert "有效压减重大事故隐患增量" not in overdue_html
    assert "基本消除 2023 年及以前排查发现的重大事故隐患存量" in overdue_html
    assert "根据隐患台账计算：尚未实现" in overdue_html
