"""Progress reports not submitted (issue 17): one selector behind the task page's and the
sub-plan board's lists, their Excel exports, the API — and the progress reminders. The lists
must name exactly the units the reminders are sent to for the same period."""

import datetime
import io
import re

import pytest
from freezegun import freeze_time
from openpyxl import load_workbook
from rest_framework.test import APIClient

from campaigns.models import Department, ReportingCadence, Task, Township
from campaigns.notifications.sources import reminders_collect, resolve_recipients
from campaigns.org.models import User
from campaigns.progress.selectors import (
    not_submitted_by_unit,
    not_submitted_visible,
    progress_not_submitted,
)
from campaigns.progress.services import progress_report_submit
from yixian_safety.periods import period_from_key

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _progress_reminders(settings):
    settings.REMINDER_SOURCES = ["progress"]


D = datetime.date
# 2026-Q3 reports are due 2026-10-10 (quarter end + 10 grace days); 2026-10-07 is 3 days before
TODAY = D(2026, 10, 7)


def report(user, number, period="2026-Q3", today=TODAY):
    return progress_report_submit(
        actor=user,
        task=Task.objects.get(number=number),
        period=period,
        status="on_track",
        text="按计划推进",
        today=today,
    )


@pytest.fixture
def reported(users):
    """碧阳镇 reported tasks 14 and 16 for 2026-Q3, 县住建局 task 14; task 15 is monthly."""
    report(users["township"], 14)
    report(users["township"], 16)
    report(users["department"], 14)
    ReportingCadence.objects.create(task=Task.objects.get(number=15), frequency="monthly")
    report(users["township"], 15, period="2026-09")
    return users


def unit_key(unit):
    return ("t" if isinstance(unit, Township) else "d", unit.pk)


def test_the_list_names_who_owes_a_report_and_has_not_sent_it(reported):
    users = reported
    q3 = period_from_key("2026-Q3")
    biyang = users["township"].township
    housing = users["department"].department
    task14 = Task.objects.get(number=14)
    rows = progress_not_submitted(q3, task14)
    units = [r.unit for r in rows]
    assert biyang not in units and housing not in units
    assert set(Township.objects.exclude(pk=biyang.pk)) <= set(units)
    # the task's other lead/participating departments owe it; departments outside it do not
    owing = {*task14.lead_departments.all(), *task14.participating_departments.all()} - {housing}
    assert {u for u in units if isinstance(u, Department)} == owing
    assert all(r.due_on == D(2026, 10, 10) for r in rows)
    # a monthly task owes nothing for a quarter, and a quarterly one nothing for a month
    assert progress_not_submitted(q3, Task.objects.get(number=15)) == []
    september = progress_not_submitted(period_from_key("2026-09"))
    assert {r.task.number for r in september} == {15}
    assert biyang not in [r.unit for r in september]


def test_the_list_equals_the_reminder_recipients_for_the_same_period(reported):
    """Issue 17's acceptance: the not-submitted list matches the reminders sent."""
    reminders = reminders_collect(TODAY, only=["progress"])
    assert reminders, "Q3 reports are due in 3 days: reminders expected"
    periods = {r.item_key.rsplit(":", 1)[1] for r in reminders}
    # Q3 due in 3 days; the monthly task's September due too, its August missed 27 days ago
    assert periods == {"2026-Q3", "2026-09", "2026-08"}
    for key in periods:
        period = period_from_key(key)
        listed = {
            unit_key(g["unit"]): len(g["tasks"])
            for g in not_submitted_by_unit(progress_not_submitted(period))
        }
        sent = {}
        for r in reminders:
            if r.item_key.endswith(f":{key}"):
                kind, pk = ("t", r.townships[0]) if r.townships else ("d", r.departments[0])
                # "%(period)s 有 %(n)s 项任务进展尚未报送（截止 %(due)s）"
                sent[(kind, pk)] = int(re.search(r" (\d+) ", r.text).group(1))
        assert listed == sent, key
        # and the people reminded are exactly the staff of the units listed
        reminded = {
            x.user_id for x in resolve_recipients(r for r in reminders if key in r.item_key)
        }
        staff = set(
            User.objects.filter(is_active=True)
            .exclude(role="")
            .filter(
                township_id__in=[pk for kind, pk in listed if kind == "t"],
            )
            .values_list("pk", flat=True)
        ) | set(
            User.objects.filter(
                is_active=True, department_id__in=[pk for k, pk in listed if k == "d"]
            )
            .exclude(role="")
            .values_list("pk", flat=True)
        )
        assert reminded == staff, key
    # the unit that reported everything for September gets no September reminder
    biyang = reported["township"].township_id
    assert not any(r.item_key == f"progress:t{biyang}:2026-09" for r in reminders)


def test_each_user_sees_only_the_rows_of_their_unit(reported):
    users = reported
    rows = progress_not_submitted(period_from_key("2026-Q3"))
    assert not_submitted_visible(rows, users["office"]) == rows
    hongcun = not_submitted_visible(rows, users["other_township"])
    assert hongcun and {r.unit for r in hongcun} == {users["other_township"].township}
    fire = not_submitted_visible(rows, users["other_department"])
    assert {r.unit for r in fire} == {users["other_department"].department}
    # 碧阳镇 reported 14 and 16 but not the other 27 quarterly tasks
    biyang = not_submitted_visible(rows, users["township"])
    assert len(biyang) == 27 and {14, 16, 15}.isdisjoint({r.task.number for r in biyang})


@freeze_time("2026-10-12 04:00")  # 12:00 in Beijing; Q3 due 2026-10-10, so it is the default
def test_task_page_lists_the_units_and_exports_them(reported, client):
    users = reported
    client.force_login(users["office"])
    page = client.get("/tasks/14/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="not-submitted"' in html
    assert "宏村镇" in html.split('data-testid="not-submitted"')[1]
    assert page.context["ns_period"].key == "2026-Q3"
    listed = {r.unit for r in page.context["not_submitted"]}
    assert users["township"].township not in listed
    export = client.get("/tasks/14/not-submitted.xlsx?period=2026-Q3")
    assert export.status_code == 200
    sheet = load_workbook(io.BytesIO(export.content))["未报送"]
    units = [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert len(units) == len(listed) and "宏村镇" in units and "碧阳镇" not in units
    assert client.get("/tasks/14/not-submitted.xlsx?period=2031-Q1").status_code == 404
    # a period not among the task's: a message, the default period, no error
    page = client.get("/tasks/14/?period=2026-13")
    assert page.status_code == 200 and page.context["ns_period"].key == "2026-Q3"
    # a township sees its own row only
    client.force_login(users["other_township"])
    page = client.get("/tasks/14/")
    assert {r.unit for r in page.context["not_submitted"]} == {users["other_township"].township}


@freeze_time("2026-10-12 04:00")
def test_subplan_board_groups_the_list_per_unit(reported, client):
    client.force_login(reported["office"])
    page = client.get("/subplans/?period=2026-Q3")
    assert page.status_code == 200
    groups = {str(g["unit"]): g for g in page.context["not_submitted"]}
    assert len(groups["碧阳镇"]["tasks"]) == 27
    assert len(groups["宏村镇"]["tasks"]) == 29
    export = client.get("/subplans/not-submitted.xlsx?period=2026-Q3")
    book = load_workbook(io.BytesIO(export.content))
    by_unit = {row[0]: row[3] for row in book["按单位"].iter_rows(min_row=2, values_only=True)}
    assert by_unit["碧阳镇"] == 27
    # the reminder links here
    reminder = next(
        r
        for r in reminders_collect(D(2026, 10, 12), only=["progress"])
        if r.townships == (reported["township"].township_id,) and r.item_key.endswith("Q3")
    )
    assert reminder.url == "/subplans/?period=2026-Q3#not-submitted"


@freeze_time("2026-10-12 04:00")
def test_api_lists_the_same_rows_scoped(reported):
    client = APIClient()
    client.force_authenticate(reported["other_township"])
    response = client.get("/api/v1/progress-not-submitted/", {"period": "2026-Q3", "task": 14})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == 1
    row = body["results"][0]
    assert (row["task"], row["unit_code"], row["due_on"], row["overdue"]) == (
        14,
        "hongcun",
        "2026-10-10",
        True,
    )
    client.force_authenticate(reported["office"])
    everything = client.get("/api/v1/progress-not-submitted/", {"period": "2026-Q3"}).json()
    assert everything["count"] == len(progress_not_submitted(period_from_key("2026-Q3")))
    bad = client.get("/api/v1/progress-not-submitted/", {"period": "2026-Q9"})
    assert bad.status_code == 400 and "2026-Q9" in bad.json()["period"][0]
    assert client.get("/api/v1/progress-not-submitted/", {"nope": "1"}).status_code == 400
    assert client.get("/api/v1/progress-not-submitted/", {"task": "x"}).status_code == 400
    assert client.get("/api/v1/progress-not-submitted/", {"task": "99"}).status_code == 404
