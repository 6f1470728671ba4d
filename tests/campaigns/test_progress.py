"""Progress reports, milestones met/overdue, obligation periods, reporting cadence."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from campaigns.constants import Frequency
from campaigns.models import Milestone, Obligation, ProgressReport, Task
from campaigns.progress.selectors import (
    obligation_periods,
    obligation_periods_for,
    overdue_milestones,
)
from campaigns.progress.services import (
    cadence_set,
    milestone_mark_met,
    obligation_record,
    progress_report_submit,
)
from yixian_safety.periods import period_containing, period_from_key, periods_between

pytestmark = pytest.mark.django_db
D = datetime.date


# --- periods -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "day,frequency,key,start,end",
    [
        (D(2024, 3, 31), Frequency.QUARTERLY, "2024-Q1", D(2024, 1, 1), D(2024, 3, 31)),
        (D(2024, 4, 1), Frequency.QUARTERLY, "2024-Q2", D(2024, 4, 1), D(2024, 6, 30)),
        (D(2024, 12, 31), Frequency.QUARTERLY, "2024-Q4", D(2024, 10, 1), D(2024, 12, 31)),
        (D(2024, 6, 30), Frequency.HALF_YEARLY, "2024-H1", D(2024, 1, 1), D(2024, 6, 30)),
        (D(2024, 7, 1), Frequency.HALF_YEARLY, "2024-H2", D(2024, 7, 1), D(2024, 12, 31)),
        (D(2024, 2, 29), Frequency.MONTHLY, "2024-02", D(2024, 2, 1), D(2024, 2, 29)),
        (D(2025, 12, 31), Frequency.MONTHLY, "2025-12", D(2025, 12, 1), D(2025, 12, 31)),
        (D(2025, 8, 8), Frequency.YEARLY, "2025", D(2025, 1, 1), D(2025, 12, 31)),
    ],
)
def test_period_boundaries(day, frequency, key, start, end):
    period = period_containing(day, frequency)
    assert (period.key, period.start, period.end) == (key, start, end)
    assert period_from_key(key) == period


def test_periods_between_cover_the_range_without_gaps():
    periods = periods_between(D(2024, 1, 1), D(2026, 11, 29), Frequency.QUARTERLY)
    assert [p.key for p in periods][:2] == ["2024-Q1", "2024-Q2"]
    assert periods[-1].key == "2026-Q4" and len(periods) == 12
    for a, b in zip(periods, periods[1:], strict=False):
        assert b.start == a.end + datetime.timedelta(days=1)


def test_obligation_periods_quarterly_and_high_risk_monthly(plan):
    inspection = Obligation.objects.get(code="t3-principal-inspection")
    quarters = obligation_periods(inspection, D(2024, 1, 1), D(2024, 7, 1))
    assert [p.key for p in quarters] == ["2024-Q1", "2024-Q2", "2024-Q3"]
    months = obligation_periods(inspection, D(2024, 1, 1), D(2024, 3, 31), high_risk=True)
    assert [p.key for p in months] == ["2024-01", "2024-02", "2024-03"]


def test_obligation_periods_half_yearly_drills_in_high_risk_sectors(plan):
    drill = Obligation.objects.get(code="t22-evacuation-drill")
    assert [p.key for p in obligation_periods(drill, D(2024, 1, 1), D(2025, 7, 1))] == [
        "2024",
        "2025",
    ]
    assert [
        p.key for p in obligation_periods(drill, D(2024, 1, 1), D(2025, 7, 1), high_risk=True)
    ] == ["2024-H1", "2024-H2", "2025-H1", "2025-H2"]


def test_obligation_period_status_met_pending_missed(users):
    tw = users["township"]
    assessment = Obligation.objects.get(code="t5-fire-risk-assessment-township")
    obligation_record(
        actor=tw, obligation=assessment, period="2024", done_on=D(2024, 5, 1), today=D(2026, 6, 1)
    )
    rows = obligation_periods_for(
        units=[tw.township], obligations=[assessment], today=D(2026, 6, 1)
    )
    assert {r.period.key: r.status for r in rows} == {
        "2024": "met",
        "2025": "missed",
        "2026": "pending",
    }


def test_obligation_record_refuses_wrong_period_and_other_subjects(users):
    tw = users["township"]
    assessment = Obligation.objects.get(code="t5-fire-risk-assessment-township")
    with pytest.raises(ValidationError):
        obligation_record(
            actor=tw,
            obligation=assessment,
            period="2024-Q1",
            done_on=D(2024, 2, 1),
            today=D(2026, 6, 1),
        )
    film = Obligation.objects.get(code="t29-warning-film")  # the safety office's duty
    with pytest.raises(PermissionDenied):
        obligation_record(actor=tw, obligation=film, period="2024-Q1", done_on=D(2024, 2, 1))


def test_obligations_page_shows_own_unit_only(client, users):
    client.force_login(users["township"])
    html = client.get(reverse("campaigns:obligations")).content.decode()
    assert "碧阳镇" in html and "宏村镇" not in html
    client.force_login(users["office"])
    html = client.get(reverse("campaigns:obligations")).content.decode()
    assert "宏村镇" in html
    assert client.get(reverse("campaigns:obligations_export")).status_code == 200


# --- progress reports ----------------------------------------------------------------------


def test_progress_report_on_time_and_late(users):
    tw = users["township"]
    task = Task.objects.get(number=16)
    on_time = progress_report_submit(
        actor=tw,
        task=task,
        period="2025-Q1",
        status="on_track",
        text="建立台账",
        figures={"台账数": "3"},
        today=D(2025, 4, 5),
    )
    assert on_time.on_time and on_time.figures == {"台账数": 3}
    late = progress_report_submit(
        actor=tw,
        task=task,
        period="2025-Q2",
        status="at_risk",
        text="进度滞后",
        today=D(2025, 8, 1),
    )
    assert not late.on_time
    assert ProgressReport.objects.on_time().count() == 1


def test_progress_report_follows_the_cadence(users):
    tw, office = users["township"], users["office"]
    task = Task.objects.get(number=16)
    with pytest.raises(ValidationError):
        progress_report_submit(
            actor=tw, task=task, period="2025-03", status="on_track", text="x", today=D(2025, 4, 5)
        )
    cadence_set(actor=office, task=task, frequency=Frequency.MONTHLY)
    report = progress_report_submit(
        actor=tw, task=task, period="2025-03", status="on_track", text="x", today=D(2025, 4, 5)
    )
    assert report.due_on == D(2025, 4, 10)


def test_only_the_office_sets_the_cadence(users):
    with pytest.raises(PermissionDenied):
        cadence_set(
            actor=users["township"], task=Task.objects.get(number=1), frequency=Frequency.MONTHLY
        )


def test_progress_report_refuses_future_periods_duplicates_and_bad_figures(users):
    tw = users["township"]
    task = Task.objects.get(number=1)
    with pytest.raises(ValidationError):
        progress_report_submit(
            actor=tw, task=task, period="2027-Q1", status="on_track", text="x", today=D(2026, 1, 1)
        )
    with pytest.raises(ValidationError):
        progress_report_submit(
            actor=tw,
            task=task,
            period="2025-Q1",
            status="on_track",
            text="x",
            figures={"人数": "很多"},
            today=D(2026, 1, 1),
        )
    progress_report_submit(
        actor=tw, task=task, period="2025-Q1", status="on_track", text="x", today=D(2026, 1, 1)
    )
    with pytest.raises(ValidationError):
        progress_report_submit(
            actor=tw, task=task, period="2025-Q1", status="done", text="y", today=D(2026, 1, 1)
        )


def test_department_reports_only_on_its_tasks(users):
    dept = users["other_department"]  # 县消防救援大队
    own = Task.objects.filter(lead_departments=dept.department).first()
    other = (
        Task.objects.exclude(lead_departments=dept.department)
        .exclude(participating_departments=dept.department)
        .first()
    )
    progress_report_submit(
        actor=dept, task=own, period="2025-Q1", status="on_track", text="x", today=D(2025, 4, 1)
    )
    with pytest.raises(PermissionDenied):
        progress_report_submit(
            actor=dept,
            task=other,
            period="2025-Q1",
            status="on_track",
            text="x",
            today=D(2025, 4, 1),
        )


def test_office_cannot_report_progress(users):
    with pytest.raises(PermissionDenied):
        progress_report_submit(
            actor=users["office"],
            task=Task.objects.get(number=1),
            period="2025-Q1",
            status="on_track",
            text="x",
        )


# --- milestones ----------------------------------------------------------------------------


def test_milestone_overdue_until_marked_met(users):
    tw = users["township"]
    m = Milestone.objects.get(code="t16-database-mechanism")  # 2024-12-31
    before = m.due_on - datetime.timedelta(days=1)
    after = m.due_on + datetime.timedelta(days=1)
    assert m not in overdue_milestones(tw.township, before)
    assert m in overdue_milestones(tw.township, after)
    milestone_mark_met(actor=tw, milestone=m, met_on=after, note="已建立", today=after)
    assert m not in overdue_milestones(tw.township, after)
    assert m in overdue_milestones(users["other_township"].township, after)


def test_milestone_met_needs_evidence_and_a_past_date(users):
    tw = users["township"]
    m = Milestone.objects.filter(task__isnull=False).first()
    with pytest.raises(ValidationError):
        milestone_mark_met(
            actor=tw, milestone=m, met_on=D(2030, 1, 1), note="x", today=D(2026, 1, 1)
        )
    with pytest.raises(ValidationError):
        milestone_mark_met(
            actor=tw, milestone=m, met_on=D(2025, 1, 1), note=" ", today=D(2026, 1, 1)
        )


# --- pages ---------------------------------------------------------------------------------


def test_task_page_shows_progress_of_visible_units_only(client, users):
    task = Task.objects.get(number=16)
    progress_report_submit(
        actor=users["township"],
        task=task,
        period="2025-Q1",
        status="at_risk",
        text="碧阳镇的进展说明",
        today=D(2025, 4, 1),
    )
    progress_report_submit(
        actor=users["other_township"],
        task=task,
        period="2025-Q1",
        status="done",
        text="宏村镇的进展说明",
        today=D(2025, 4, 1),
    )
    client.force_login(users["township"])
    html = client.get(reverse("campaigns:task", args=[16])).content.decode()
    assert "碧阳镇的进展说明" in html and "宏村镇的进展说明" not in html
    client.force_login(users["office"])
    html = client.get(reverse("campaigns:task", args=[16])).content.decode()
    assert "碧阳镇的进展说明" in html and "宏村镇的进展说明" in html
    assert 'data-testid="cadence-form"' in html


def test_progress_form_creates_a_report(client, users):
    client.force_login(users["township"])
    url = reverse("campaigns:progress_new", args=[1])
    page = client.get(url)
    period = page.context["form"].fields["period"].choices[0][0]
    response = client.post(
        url,
        {
            "period": period,
            "status": "on_track",
            "text": "开展排查",
            "figures": "排查企业数=35\n整改隐患数=4",
        },
    )
    assert response.status_code == 302
    report = ProgressReport.objects.get()
    assert report.figures == {"排查企业数": 35, "整改隐患数": 4}


def test_progress_form_says_which_line_of_figures_is_wrong(client, users):
    client.force_login(users["township"])
    url = reverse("campaigns:progress_new", args=[1])
    period = client.get(url).context["form"].fields["period"].choices[0][0]
    response = client.post(
        url,
        {
            "period": period,
            "status": "on_track",
            "text": "x",
            "figures": "排查企业数=35\n整改隐患数",
        },
    )
    assert response.status_code == 200
    assert not ProgressReport.objects.exists()


def test_office_cannot_open_progress_form(client, users):
    client.force_login(users["office"])
    assert client.get(reverse("campaigns:progress_new", args=[1])).status_code == 403


def test_action_and_overview_pages_show_progress(client, users):
    task = Task.objects.get(number=1)
    progress_report_submit(
        actor=users["township"],
        task=task,
        period="2025-Q1",
        status="done",
        text="完成",
        today=D(2025, 4, 1),
    )
    client.force_login(users["office"])
    html = client.get(reverse("campaigns:action", args=[task.action.number])).content.decode()
    assert 'data-testid="task-progress-1"' in html
    response = client.get(reverse("campaigns:overview"))
    progress = response.context["progress"][task.action_id]
    assert progress["counts"]["done"] == 1
    assert 'data-testid="current-requirements"' in response.content.decode()


def test_attachments_and_evidence_download_only_in_scope(client, users, pdf):
    tw = users["township"]
    report = progress_report_submit(
        actor=tw,
        task=Task.objects.get(number=1),
        period="2025-Q1",
        status="on_track",
        text="x",
        attachment=pdf("附件.pdf"),
        today=D(2025, 4, 1),
    )
    m = Milestone.objects.get(code="t16-database-mechanism")
    record = milestone_mark_met(
        actor=tw,
        milestone=m,
        met_on=D(2024, 12, 1),
        note="已完成",
        evidence=pdf("佐证.pdf"),
        today=D(2025, 1, 1),
    )
    for who, code in (
        ("township", 200),
        ("office", 200),
        ("other_township", 404),
        ("department", 404),
    ):
        client.force_login(users[who])
        assert client.get(report.attachment_url()).status_code == code
        assert client.get(record.evidence_url()).status_code == code


def test_evidence_file_is_checked_by_content(users):
    from django.core.files.uploadedfile import SimpleUploadedFile

    m = Milestone.objects.get(code="t16-database-mechanism")
    with pytest.raises(ValidationError):
        milestone_mark_met(
            actor=users["township"],
            milestone=m,
            met_on=D(2024, 12, 1),
            note="x",
            evidence=SimpleUploadedFile("a.pdf", b"MZ exe"),
            today=D(2025, 1, 1),
        )
