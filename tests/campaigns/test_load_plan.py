"""Loading the plan: counts, idempotence, faithful relations."""

import datetime

import pytest
from django.core.management import call_command

from campaigns.models import (
    Action,
    Department,
    Milestone,
    Obligation,
    Phase,
    Sector,
    Task,
    Township,
)
from campaigns.plan.selectors import campaign_overview
from campaigns.plan.services import PlanDataError, plan_load, plan_read

pytestmark = pytest.mark.django_db


def counts():
    return [
        m.objects.count()
        for m in (Township, Department, Sector, Phase, Action, Task, Milestone, Obligation)
    ]


def test_load_plan_creates_the_whole_plan():
    call_command("load_plan")
    assert Township.objects.count() == 8
    assert Action.objects.count() == 8
    assert Task.objects.count() == 30
    assert Phase.objects.count() == 4
    assert Department.objects.filter(is_lead=True).count() == 16
    assert Department.objects.filter(code="safety_office", name="县安委会办公室").exists()


def test_load_plan_twice_changes_nothing():
    call_command("load_plan")
    first = counts()
    call_command("load_plan")
    assert counts() == first


def test_explosives_sector_is_led_by_two_departments(plan):
    explosives = Sector.objects.get(name="民爆安全")
    assert set(explosives.lead_departments.values_list("name", flat=True)) == {
        "县科技商务经信局",
        "县公安局",
    }
    assert explosives.high_risk


def test_dated_commitments_are_milestones(plan):
    assert Milestone.objects.get(code="t16-database-mechanism").due_on == datetime.date(
        2024, 12, 31
    )
    tractors = Milestone.objects.filter(task__number=18, quote__contains="变型拖拉机").get()
    assert tractors.due_on == datetime.date(2025, 12, 31)
    targets = Milestone.objects.filter(kind=Milestone.Kind.TARGET, task__isnull=True)
    assert sorted(m.due_on.year for m in targets) == [2024, 2025, 2026]
    assert Milestone.objects.filter(task__number=3, kind=Milestone.Kind.TRAINING_FOCUS).count() == 3


def test_recurring_obligations_with_their_frequencies(plan):
    inspection = Obligation.objects.get(task__number=3)
    assert (inspection.frequency, inspection.high_risk_frequency) == ("quarterly", "monthly")
    drill = Obligation.objects.get(task__number=22)
    assert (drill.frequency, drill.high_risk_frequency) == ("yearly", "half_yearly")
    assert Obligation.objects.filter(task__number=29, frequency="quarterly").exists()
    assert Obligation.objects.filter(task__number=5, frequency="yearly").exists()


def test_sub_plan_deadline_is_in_the_mobilization_phase(plan):
    deadline = Milestone.objects.get(kind=Milestone.Kind.PHASE_DEADLINE)
    assert deadline.due_on == datetime.date(2024, 3, 15)
    assert Phase.objects.current(deadline.due_on).code == "mobilization"


def test_phases_cover_the_campaign_without_gaps(plan):
    day = datetime.date(2024, 1, 1)
    while day <= datetime.date(2026, 12, 31):
        assert Phase.objects.current(day) is not None, day
        day += datetime.timedelta(days=15)
    assert Phase.objects.current(datetime.date(2026, 11, 29)).code == "evaluation"


def test_overview_marks_todays_phase(plan):
    overview = campaign_overview(today=datetime.date(2025, 6, 1))
    assert overview.current_phase.code == "special_rectification"
    assert len(overview.actions) == 8


def test_dangling_code_is_refused_and_nothing_saved():
    data = plan_read()
    data["tasks"][0]["lead_departments"] = ["no_such_department"]
    with pytest.raises(PlanDataError, match="no_such_department"):
        plan_load(data=data)
    assert Task.objects.count() == 0
