"""Computed task progress (issue 17): the hub's registry (campaigns.progress.registry) filled
by hazards/progress.py, training/progress.py and enforcement/progress.py; figures beside the
reported text on the task page, the progress form and the API, scoped to the viewer, each
linking to exactly the rows it counts."""

import datetime
from urllib.parse import urlsplit

import pytest
from django.test import Client
from rest_framework.test import APIClient

from campaigns.models import Department, Milestone, Township
from campaigns.progress import registry
from campaigns.progress.registry import (
    TaskFigure,
    milestone_computed_state,
    register_milestone_state,
    register_task_figures,
    task_figures,
)
from enforcement import services as enforcement_services_supervision
from enforcement.inspections import services as enforcement_services
from enforcement.inspections.models import Method
from hazards.models import Source
from tests.hazards.factories import make_hazard, rectifying_hazard
from yixian_safety.periods import period_from_key

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2026, 6, 1)


@pytest.fixture
def ledger(users, world):
    """碧阳镇: a self-reported and an inspection-found major hazard; 宏村镇: a tip-off."""
    office = users["office"]
    return [
        make_hazard(office, world["own"], source=Source.SELF_REPORT, found_on=D(2025, 3, 1)),
        make_hazard(office, world["own"], source=Source.INSPECTION, found_on=D(2026, 2, 1)),
        make_hazard(office, world["other"], source=Source.TIP_OFF, found_on=D(2026, 2, 3)),
    ]


def values(groups, key):
    group = next(g for g in groups if g.key == key)
    return {f.label: f for f in group.figures}


def api_count(user, url, endpoint):
    """The number of rows the API lists for the query string of a figure's link."""
    client = APIClient()
    client.force_authenticate(user)
    response = client.get(f"/api/v1/{endpoint}/?{urlsplit(url).query}")
    assert response.status_code == 200, (url, response.content)
    return response.json()["count"]


def test_registry_contract(monkeypatch):
    monkeypatch.setattr(registry, "_SOURCES", {})
    monkeypatch.setattr(registry, "_MILESTONES", {})
    with pytest.raises(ValueError):
        register_task_figures(31, lambda scope: [], key="x", source="y")
    register_task_figures(7, lambda scope: [("a", 1, "/a/")], key="t.one", source="S1", order=2)
    register_task_figures(7, lambda scope: [], key="t.empty", source="S2", order=1)
    groups = task_figures(7, viewer=None, today=TODAY)
    assert [(g.key, g.source, g.figures) for g in groups] == [
        ("t.one", "S1", [TaskFigure("a", 1, "/a/")])
    ]  # a source with nothing to say is left out
    m = Milestone(code="t28-expert-pool", kind="deliverable", due_on=D(2024, 12, 31))
    assert milestone_computed_state(m, TODAY) is None
    register_milestone_state(lambda m, today: False, kind="deliverable", source="K")
    register_milestone_state(lambda m, today: True, code="t28-expert-pool", source="C")
    state = milestone_computed_state(m, TODAY)
    assert (state.met, state.source) == (True, "C")  # the code wins over the kind
    register_milestone_state(lambda m, today: None, code="t28-expert-pool", source="C")
    assert milestone_computed_state(m, TODAY) is None  # not known → nothing shown
    with pytest.raises(ValueError):
        register_milestone_state(lambda m, today: True, source="none")


def test_ledger_figures_by_channel_scoped_and_linked_to_their_rows(users, ledger):
    office, township = users["office"], users["township"]
    county = values(task_figures(14, viewer=office, today=TODAY), "hazards.channels")
    labels = list(county)
    assert [county[k].value for k in labels] == [3, 1, 1, 1, 0]  # found, 3 channels, closed
    for f in county.values():
        assert api_count(office, f.url, "hazards") == f.value, f
    own = values(task_figures(14, viewer=township, today=TODAY), "hazards.channels")
    assert [f.value for f in own.values()] == [2, 1, 1, 0, 0]
    # a reporting period counts what was found in it
    q1 = period_from_key("2026-Q1")
    in_q1 = values(task_figures(16, viewer=office, today=TODAY, period=q1), "hazards.database")
    found = next(iter(in_q1.values()))
    assert found.value == 2 and "found_after=2026-01-01" in found.url
    assert api_count(office, found.url, "hazards") == 2
    # the progress form's unit narrows the office's view to that unit
    hongcun = Township.objects.get(code="hongcun")
    theirs = values(task_figures(14, viewer=office, today=TODAY, unit=hongcun), "hazards.channels")
    assert next(iter(theirs.values())).value == 1
    # task 15: open, overdue, statistics in use
    supervision = values(task_figures(15, viewer=office, today=TODAY), "hazards.supervision")
    assert [f.value for f in supervision.values()] == [0, 3, 0, 3]


def test_enforcement_figures_for_task_26_and_the_expert_pool(users, world):
    housing = Department.objects.get(code="housing")
    enforcement_services.inspection_record(
        actor=users["department"],
        department=housing,
        enterprise=world["own"],
        inspected_on=D(2026, 5, 12),
        method=Method.UNANNOUNCED,
        inspectors=[users["department"]],
        has_findings=True,
        findings="气瓶间无报警装置",
    )
    office = users["office"]
    task26 = values(task_figures(26, viewer=office, today=TODAY), "enforcement.task26")
    assert [f.value for f in task26.values()] == [1, 1, 1, 0, 0]
    for f in list(task26.values())[:3]:
        assert api_count(office, f.url, "inspections") == f.value, f
    assert [f.value for f in values(task_figures(26, viewer=users["other_township"], today=TODAY), "enforcement.task26").values()] == [0, 0, 0, 0, 0]  # fmt: skip
    pool = values(task_figures(28, viewer=office, today=TODAY), "enforcement.experts")
    first = next(iter(pool.values()))
    assert first.value == 0 and "available=true" in first.url
    m = Milestone.objects.get(code="t28-expert-pool")
    assert milestone_computed_state(m, TODAY).met is False  # no expert for any high-risk sector


def test_task_page_shows_the_figures_beside_the_reports_and_milestones_met(
    users, ledger, monkeypatch
):
    monkeypatch.setattr("training.selectors.focus_year_met", lambda year, today: year == 2024)
    client = Client()
    client.force_login(users["office"])
    html = client.get("/tasks/14/").content.decode()
    assert 'data-testid="computed-hazards.channels"' in html
    assert "根据隐患台账计算" in html
    assert "/hazards/?level=major" in html
    page = client.get("/tasks/3/").content.decode()
    computed = page.split('data-testid="milestone-computed"')
    assert len(computed) == 4  # the three yearly training-focus milestones
    assert "已实现" in computed[1] and "根据培训记录计算" in computed[1]
    assert "已实现" not in computed[2].split("</div>")[0]
    # a township official sees its own figures
    client.force_login(users["other_township"])
    page = client.get("/tasks/14/")
    own = values(page.context["figure_groups"], "hazards.channels")
    assert next(iter(own.values())).value == 1
    # its progress form shows them for its unit and the period due
    form = client.get("/tasks/14/progress/new/")
    assert form.status_code == 200
    assert 'data-testid="computed-progress"' in form.content.decode()


def test_computed_progress_api(users, ledger):
    client = APIClient()
    client.force_authenticate(users["office"])
    body = client.get("/api/v1/tasks/14/computed-progress/").json()
    assert body["task"] == 14 and body["period"] is None
    group = next(g for g in body["groups"] if g["key"] == "hazards.channels")
    assert group["figures"][0]["value"] == 3 and group["figures"][0]["url"].startswith("/hazards/")
    q = client.get("/api/v1/tasks/16/computed-progress/", {"period": "2026-Q1"}).json()
    assert q["period"] == "2026-Q1"
    assert (
        client.get("/api/v1/tasks/16/computed-progress/", {"period": "2026-Q9"}).status_code == 400
    )
    tm = client.get("/api/v1/tasks/28/computed-progress/").json()
    assert tm["milestones"] == [
        {
            "code": "t28-expert-pool",
            "met": False,
            "source": "执法记录",
            "url": tm["milestones"][0]["url"],
        }
    ]
    client.force_authenticate(users["township"])
    own = client.get("/api/v1/tasks/14/computed-progress/").json()
    assert (
        next(g for g in own["groups"] if g["key"] == "hazards.channels")["figures"][0]["value"] == 2
    )


# --- one unit's figures, one period's (issue 17: per-unit rows) ------------------------------


def test_training_figures_for_a_unit_are_what_that_unit_sees(users, world):
    """The office looking at 宏村镇's progress (its row, its form) gets 宏村镇's training figures,
    the same as 宏村镇's own official sees — not the county's (two enterprises: 碧阳镇's gas
    station, 宏村镇's hotel); a department's are those of the sectors it leads (住建局: gas).
    The links carry the unit and list exactly the enterprises counted."""
    office, hongcun_official = users["office"], users["other_township"]
    hongcun = Township.objects.get(code="hongcun")

    def shown(groups, key):
        return [f.value for f in values(groups, key).values()]

    for task, key, county, unit in (
        (3, "training.task3", ["0 / 4（0.0%）", 2], ["0 / 2（0.0%）", 1]),
        (22, "training.task22", ["0 / 2（0.0%）", 0], ["0 / 1（0.0%）", 0]),
    ):
        assert shown(task_figures(task, viewer=office, today=TODAY), key) == county
        theirs = task_figures(task, viewer=office, today=TODAY, unit=hongcun)
        assert shown(theirs, key) == unit
        assert shown(task_figures(task, viewer=hongcun_official, today=TODAY), key) == unit
        for f in values(theirs, key).values():
            assert "township=hongcun" in f.url, f
    housing = Department.objects.get(code="housing")
    drills = values(task_figures(22, viewer=office, today=TODAY, unit=housing), "training.task22")
    met = next(iter(drills.values()))
    assert met.value == "0 / 1（0.0%）" and "department=housing" in met.url
    client = Client()
    client.force_login(office)
    rows = client.get(met.url.replace("status=met", "status=pending"))
    assert rows.status_code == 200
    assert "示例燃气站" in rows.content.decode() and "示例宾馆" not in rows.content.decode()


def rectifying_hazard_for(users, world):
    return rectifying_hazard(users["township"], world["own"], D(2026, 6, 30))


def test_supervision_figures_are_limited_to_the_reporting_period(users, world):
    """A hazard listed (挂牌督办) in 2026-Q1 counts in Q1's figures and not in Q2's; the link
    lists exactly the rows counted."""
    h = rectifying_hazard_for(users, world)
    enforcement_services_supervision.listing_create(
        hazard=h,
        actor=users["office"],
        listing_body="county_government",
        listed_on=D(2026, 2, 1),
        required_completion=D(2026, 6, 30),
        responsible_unit="碧阳镇人民政府",
    )
    office = users["office"]
    q1 = values(
        task_figures(15, viewer=office, today=TODAY, period=period_from_key("2026-Q1")),
        "enforcement.listings",
    )
    listed = next(iter(q1.values()))
    assert listed.value == 1 and "listed_from=2026-01-01" in listed.url
    assert api_count(office, listed.url, "listings") == 1
    q2 = task_figures(15, viewer=office, today=TODAY, period=period_from_key("2026-Q2"))
    assert not any(g.key == "enforcement.listings" for g in q2)
    so_far = values(task_figures(15, viewer=office, today=TODAY), "enforcement.listings")
    assert [f.value for f in so_far.values()] == [1, 1]


def test_task_page_shows_each_units_computed_figures_in_its_row(users, ledger):
    """Task 14: 宏村镇 reported for 2026-Q1; in its row the office sees 宏村镇's figures for
    that quarter (one tip-off found), linked to the ledger rows of 宏村镇 and the quarter; the
    API gives the same figures for ``?township=hongcun&period=2026-Q1``."""
    from campaigns.plan.models import Task
    from campaigns.progress.services import progress_report_submit

    progress_report_submit(
        actor=users["other_township"],
        task=Task.objects.get(number=14, campaign__slug="2024-2026"),
        period="2026-Q1",
        status="on_track",
        text="开展排查",
        today=D(2026, 4, 2),
    )
    client = Client()
    client.force_login(users["office"])
    page = client.get("/tasks/14/")
    html = page.content.decode()
    row = html.split('data-unit="hongcun"')[1].split("</tr>")[0]
    assert 'data-testid="unit-computed-hazards.channels"' in row
    (report, groups) = page.context["reports"][0]
    found = next(iter(values(groups, "hazards.channels").values()))
    assert found.value == 1
    assert "township=hongcun" in found.url and "found_after=2026-01-01" in found.url
    assert f'href="{found.url}"'.replace("&", "&amp;") in row
    assert api_count(users["office"], found.url, "hazards") == 1
    api = APIClient()
    api.force_authenticate(users["office"])
    body = api.get(
        "/api/v1/tasks/14/computed-progress/", {"township": "hongcun", "period": "2026-Q1"}
    ).json()
    group = next(g for g in body["groups"] if g["key"] == "hazards.channels")
    assert group["figures"][0]["value"] == 1
    bad = api.get("/api/v1/tasks/14/computed-progress/", {"township": "nowhere"})
    assert bad.status_code == 400
