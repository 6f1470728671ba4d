"""League table (“赛马”): measurable metrics, weights, breakdown, export, hazard metrics."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from campaigns.league.selectors import DEPARTMENTS, METRICS, TOWNSHIPS, league_table
from campaigns.models import LeagueWeight, Milestone, Task
from campaigns.progress.services import milestone_mark_met, progress_report_submit
from campaigns.subplans.services import subplan_create, subplan_submit
from hazards.models import Hazard, Rectification, Status
from tests.hazards.factories import FIVE, make_enterprise, make_hazard

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2025, 1, 20)


def row_of(kind, unit, today=TODAY):
    return next(r for r in league_table(kind, today=today) if r.unit == unit)


def metric(row, code):
    return next(m for m in row.metrics if m.metric.code == code)


def submit_subplan(user, pdf, on):
    sp = subplan_create(
        actor=user, title="方案", summary="s", contact_name="c", contact_phone="1", document=pdf()
    )
    return subplan_submit(sub_plan=sp, actor=user, today=on)


def test_registry_has_the_seven_measurable_metrics():
    assert [m.code for m in METRICS] == [
        "subplan_on_time",
        "reports_on_time",
        "milestones_met",
        "hazards_closed_on_time",
        "overdue_hazards",
        "drills_on_schedule",
        "findings_followed_up",
    ]


def test_closing_an_overdue_hazard_raises_the_township_and_department_scores(users):
    """A 碧阳镇 gas hazard (supervised by 县住建局) past its 2025-01-10 deadline, then closed."""
    office, tw, dept = users["office"], users["township"], users["department"]
    hazard = make_hazard(office, make_enterprise(office, township="biyang", sectors=("gas",)))
    Rectification.objects.create(hazard=hazard, **{**FIVE, "deadline": datetime.date(2025, 1, 10)})
    Hazard.objects.filter(pk=hazard.pk).update(status=Status.RECTIFYING)
    before = row_of(TOWNSHIPS, tw.township)
    assert metric(before, "overdue_hazards").value == 0.0  # 0 of 1 open hazard in time
    assert metric(before, "hazards_closed_on_time").value == 0.0  # 0 of 1 due
    assert metric(row_of(DEPARTMENTS, dept.department), "overdue_hazards").value == 0.0
    closed_at = datetime.datetime(
        2025, 1, 9, 16, tzinfo=datetime.timezone(datetime.timedelta(hours=8))
    )
    Hazard.objects.filter(pk=hazard.pk).update(status=Status.CLOSED, closed_at=closed_at)
    after = row_of(TOWNSHIPS, tw.township)
    assert metric(after, "overdue_hazards").value == 1.0
    assert metric(after, "hazards_closed_on_time").value == 1.0
    assert after.score > before.score
    assert metric(row_of(DEPARTMENTS, dept.department), "hazards_closed_on_time").value == 1.0
    other = row_of(TOWNSHIPS, users["other_township"].township)
    assert metric(other, "overdue_hazards").value == 1.0  # nothing open there


def test_submitting_the_sub_plan_on_time_raises_the_score(users, pdf):
    tw = users["township"]
    before = row_of(TOWNSHIPS, tw.township)
    submit_subplan(tw, pdf, datetime.date(2024, 3, 10))
    after = row_of(TOWNSHIPS, tw.township)
    assert metric(after, "subplan_on_time").value == 1.0
    assert after.score > before.score
    assert after.rank == 1


def test_late_sub_plan_scores_half(users, pdf):
    tw = users["township"]
    submit_subplan(tw, pdf, datetime.date(2024, 4, 10))
    assert metric(row_of(TOWNSHIPS, tw.township), "subplan_on_time").value == 0.5


def test_meeting_an_overdue_milestone_raises_the_score(users):
    tw = users["township"]
    m = Milestone.objects.get(code="t16-database-mechanism")  # due 2024-12-31
    before = row_of(TOWNSHIPS, tw.township)
    assert metric(before, "milestones_met").num == 0
    milestone_mark_met(actor=tw, milestone=m, met_on=TODAY, note="已完成", today=TODAY)
    after = row_of(TOWNSHIPS, tw.township)
    assert metric(after, "milestones_met").num == 1
    assert after.score > before.score
    other = row_of(TOWNSHIPS, users["other_township"].township)
    assert other.score < after.score


def test_on_time_progress_reports_count_late_ones_do_not(users):
    tw = users["township"]
    task = Task.objects.get(number=1)
    progress_report_submit(
        actor=tw,
        task=task,
        period="2024-Q1",
        status="on_track",
        text="x",
        today=datetime.date(2024, 4, 5),
    )
    progress_report_submit(
        actor=tw,
        task=task,
        period="2024-Q2",
        status="on_track",
        text="x",
        today=datetime.date(2024, 9, 1),
    )
    m = metric(row_of(TOWNSHIPS, tw.township), "reports_on_time")
    assert m.num == 1
    assert m.den == Task.objects.count() * 4  # 2024-Q1…Q4 are due by 2025-01-20


def test_department_metrics_count_only_their_tasks(users):
    dept = users["department"]
    row = row_of(DEPARTMENTS, dept.department)
    own = Task.objects.filter(lead_departments=dept.department).count()
    assert 0 < metric(row, "reports_on_time").den <= (Task.objects.count()) * 4
    assert metric(row, "reports_on_time").den >= own * 4


def test_weights_edited_by_admins_change_the_score(users, pdf):
    tw = users["township"]
    submit_subplan(tw, pdf, datetime.date(2024, 3, 10))
    before = row_of(TOWNSHIPS, tw.township).score
    LeagueWeight.objects.create(metric="subplan_on_time", weight=90)
    after = row_of(TOWNSHIPS, tw.township)
    assert after.score > before
    assert metric(after, "subplan_on_time").weight == 90


def test_admin_can_edit_weights_in_the_django_admin(client, users):
    client.force_login(users["admin"])
    response = client.post(
        reverse("admin:campaigns_leagueweight_add"), {"metric": "milestones_met", "weight": "55"}
    )
    assert response.status_code == 302
    assert LeagueWeight.objects.get(metric="milestones_met").weight == 55
    client.force_login(users["office"])
    assert client.get(reverse("admin:campaigns_leagueweight_changelist")).status_code == 302


def test_league_page_shows_weights_and_links_to_breakdowns(client, users):
    client.force_login(users["township"])
    response = client.get(reverse("campaigns:league"))
    html = response.content.decode()
    assert 'data-testid="weights"' in html and "碧阳镇" in html and "县住建局" in html
    url = reverse("campaigns:league_breakdown", args=[TOWNSHIPS, users["township"].township_id])
    assert url in html
    breakdown = client.get(url)
    assert breakdown.status_code == 200
    assert 'data-testid="breakdown"' in breakdown.content.decode()


def test_breakdown_of_unknown_unit_or_kind_is_404(client, users):
    client.force_login(users["township"])
    assert (
        client.get(reverse("campaigns:league_breakdown", args=["villages", 1])).status_code == 404
    )
    assert (
        client.get(reverse("campaigns:league_breakdown", args=[TOWNSHIPS, 99999])).status_code
        == 404
    )


def test_league_export_has_both_rankings(client, users):
    client.force_login(users["office"])
    response = client.get(reverse("campaigns:league_export"))
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    assert len(wb.sheetnames) == 2
    values = [c.value for ws in wb for row in ws.iter_rows() for c in row]
    assert "碧阳镇" in values and "县住建局" in values


def test_league_table_is_one_query_per_kind(users, django_assert_max_num_queries):
    league_table(TOWNSHIPS, today=TODAY)  # warm caches (content types …)
    # 6 + 2: the drills metric is grouped in queries of its own (enterprises per unit and
    # high-risk flag, the enterprises with a drill) instead of a correlated sum per unit
    with django_assert_max_num_queries(8):
        league_table(DEPARTMENTS, today=TODAY)


def test_each_metric_is_counted_once_in_the_league_query(users):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        league_table(TOWNSHIPS, today=datetime.date(2026, 11, 30))
    biggest = max((q["sql"] for q in ctx.captured_queries), key=len).upper()
    assert biggest.count("COUNT(") <= 2 * len(METRICS)  # num and den, not repeated per use
