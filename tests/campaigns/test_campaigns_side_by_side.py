"""Several campaigns side by side (issue 16): a second plan loaded beside the seed plan runs
its own sub-plans and progress while the ledger is shared; the current campaign; selection by
``?campaign=``; the ended campaign is a read-only archive."""

import datetime
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from freezegun import freeze_time

from campaigns.models import Action, Campaign, Milestone, Obligation, Phase, Task
from campaigns.plan.selectors import campaign_current, campaign_lookup
from campaigns.plan.services import PlanDataError, plan_load, plan_read
from campaigns.progress.models import ProgressReport
from campaigns.progress.services import obligation_record, progress_report_submit
from campaigns.subplans.models import SubPlan
from campaigns.subplans.services import subplan_create, subplan_submit
from yixian_safety.dates import today_local

pytestmark = pytest.mark.django_db

PLAN_2027 = Path(__file__).resolve().parent.parent / "data" / "plan_2027.yaml"
D = datetime.date


@pytest.fixture
def second(plan):
    """The 2027 work points loaded beside the seed plan."""
    plan_load(data=plan_read(PLAN_2027))
    return Campaign.objects.get(slug="2027")


def _subplan(user, pdf, campaign, **kw):
    return subplan_create(
        actor=user,
        title="子方案",
        summary="安排",
        contact_name="联系人",
        contact_phone="0559-5500001",
        document=pdf(),
        campaign=campaign,
        **kw,
    )


# --- loading --------------------------------------------------------------------------------


def test_second_plan_loads_beside_the_seed_plan_with_its_own_numbers(plan):
    out = call_command("load_plan", str(PLAN_2027))
    assert out is None
    second = Campaign.objects.get(slug="2027")
    assert Action.objects.filter(campaign=second).count() == 3
    assert Task.objects.filter(campaign=second).count() == 5
    assert Action.objects.filter(campaign=plan).count() == 8
    assert Task.objects.filter(campaign=plan).count() == 30
    # the same numbers and codes in both campaigns
    assert Task.objects.filter(number=1).count() == 2
    assert Obligation.objects.filter(code="t5-fire-risk-assessment-township").count() == 2
    assert set(Phase.objects.filter(campaign=second).values_list("code", flat=True)) == {
        "deployment",
        "implementation",
    }
    assert Milestone.objects.filter(campaign=second).count() == 2


def test_loading_the_second_plan_twice_changes_nothing(plan):
    call_command("load_plan", str(PLAN_2027))
    before = [m.objects.count() for m in (Campaign, Phase, Action, Task, Milestone, Obligation)]
    call_command("load_plan", str(PLAN_2027))
    call_command("load_plan")
    after = [m.objects.count() for m in (Campaign, Phase, Action, Task, Milestone, Obligation)]
    assert after == before


def test_load_plan_refuses_a_missing_file_and_a_non_plan(tmp_path, plan):
    with pytest.raises(CommandError, match="no such plan file"):
        call_command("load_plan", str(tmp_path / "nope.yaml"))
    bad = tmp_path / "bad.yaml"
    bad.write_text("campaign: {}\n", encoding="utf-8")
    with pytest.raises(CommandError, match="needs the keys"):
        call_command("load_plan", str(bad))


def test_a_task_of_an_unknown_action_is_refused_and_nothing_saved(plan):
    data = plan_read(PLAN_2027)
    data["tasks"][0]["action"] = 9
    with pytest.raises(PlanDataError):
        plan_load(data=data)
    assert not Campaign.objects.filter(slug="2027").exists()


def test_known_phase_codes_keep_their_label_others_show_their_name(second):
    assert Phase.objects.get(campaign__slug="2024-2026", order=1).get_code_display() != (
        "mobilization"
    )
    assert Phase.objects.get(campaign=second, code="deployment").get_code_display() == "部署阶段"


# --- the current campaign -------------------------------------------------------------------


def test_current_campaign_is_the_one_running_else_the_latest_started(second, plan):
    assert campaign_current(D(2026, 12, 1)) == plan
    assert campaign_current(D(2027, 1, 15)) == second
    assert campaign_current(D(2023, 6, 1)) == plan  # before any: the first to come


def test_the_current_campaign_subquery_agrees_with_the_selector(second, plan):
    from campaigns.plan.selectors import campaign_current_id

    for day in (D(2023, 6, 1), D(2024, 5, 1), D(2026, 12, 31), D(2027, 1, 15), D(2028, 3, 1)):
        assert Campaign.objects.get(pk=campaign_current_id(day)) == campaign_current(day), day


def test_after_the_end_with_no_newer_campaign_the_ended_one_is_current(plan):
    current = campaign_current(D(2027, 1, 15))
    assert current == plan and current.ended_on(D(2027, 1, 15))
    assert not plan.ended_on(D(2026, 12, 31))  # the last day still counts


def test_campaign_lookup_by_slug_or_id(second):
    assert campaign_lookup("2027") == second
    assert campaign_lookup(str(second.pk)) == second
    assert campaign_lookup("x" * 41) is None
    assert campaign_lookup("nope") is None


# --- sub-plans and progress in the second campaign, the ledger shared ----------------------


@freeze_time("2027-01-15 10:00:00+08:00")
def test_subplans_and_progress_run_in_the_second_campaign(second, users, pdf):
    tw = users["township"]
    sp = _subplan(tw, pdf, second, tasks=list(Task.objects.filter(campaign=second)[:2]))
    assert sp.campaign == second and sp.due_on == D(2027, 2, 15)
    subplan_submit(sub_plan=sp, actor=tw)
    task = Task.objects.get(campaign=second, number=3)
    report = progress_report_submit(
        actor=tw, task=task, period="2027-Q1", status="on_track", text="清零台账"
    )
    assert report.task.campaign == second
    obligation = Obligation.objects.get(campaign=second, code="t5-fire-risk-assessment-township")
    obligation_record(
        actor=tw, obligation=obligation, period="2027-Q1", done_on=D(2027, 1, 10), count=1
    )


@freeze_time("2027-01-15 10:00:00+08:00")
def test_a_subplan_cannot_cover_another_campaigns_tasks(second, users, pdf):
    with pytest.raises(ValidationError, match="本行动|campaign|本次"):
        _subplan(
            users["township"],
            pdf,
            second,
            tasks=[Task.objects.get(campaign__slug="2024-2026", number=1)],
        )


def test_the_hazard_ledger_is_shared_by_every_campaign(second, users, client):
    from hazards.models import Level
    from tests.hazards.factories import make_enterprise, make_hazard

    office = users["office"]
    hazard = make_hazard(office, make_enterprise(office), level=Level.GENERAL)
    client.force_login(office)
    for slug in ("2024-2026", "2027"):
        html = client.get(reverse("hazards:list") + f"?campaign={slug}").content.decode()
        assert hazard.ledger_number in html


# --- the archive is read-only -----------------------------------------------------------------


@freeze_time("2027-01-15 10:00:00+08:00")
def test_the_ended_campaign_refuses_progress_and_subplans(plan, users, pdf):
    tw = users["township"]
    task = Task.objects.get(campaign=plan, number=3)
    with pytest.raises(ValidationError, match="2026-12-31"):
        progress_report_submit(actor=tw, task=task, period="2026-Q4", status="done", text="完成")
    with pytest.raises(ValidationError, match="2026-12-31"):
        _subplan(tw, pdf, plan)
    assert not ProgressReport.objects.exists() and not SubPlan.objects.exists()


@freeze_time("2026-12-31 20:00:00+08:00")
def test_the_last_day_still_takes_the_evaluation_reports(plan, users):
    task = Task.objects.get(campaign=plan, number=3)
    report = progress_report_submit(
        actor=users["township"], task=task, period="2026-Q4", status="done", text="总结评估"
    )
    assert report.submitted_on == D(2026, 12, 31)


@freeze_time("2027-01-15 10:00:00+08:00")
def test_archived_subplan_cannot_be_submitted(plan, users, pdf):
    with freeze_time("2026-06-01 10:00:00+08:00"):
        sp = _subplan(users["township"], pdf, plan)
    with pytest.raises(ValidationError, match="只读|read-only"):
        subplan_submit(sub_plan=sp, actor=users["township"])


# --- pages and API default to the current campaign and honour the selection ---------------


def test_pages_default_to_the_current_campaign_and_honour_the_choice(second, users, client):
    with freeze_time("2027-01-15 10:00:00+08:00"):
        client.force_login(users["office"])  # signed in "then": sessions expire
        html = client.get(reverse("campaigns:overview")).content.decode()
        assert "黟县 2027 年安全生产工作要点" in html and "责任体系巩固" in html
        assert 'data-testid="campaign-switcher"' in html
        # task 16 exists only in the 2024–2026 plan
        assert client.get(reverse("campaigns:task", args=[16])).status_code == 404
        html = client.get(reverse("campaigns:overview") + "?campaign=2024-2026").content.decode()
        assert "安全生产责任落实行动" in html and 'data-testid="campaign-archive"' in html
        # the choice is kept for the next pages of the session
        assert client.get(reverse("campaigns:task", args=[16])).status_code == 200
        html = client.get(reverse("campaigns:task", args=[1])).content.decode()
        assert "压实地方党委" in html
        client.get(reverse("campaigns:overview") + "?campaign=2027")
        html = client.get(reverse("campaigns:task", args=[1])).content.decode()
        assert "落实年度安全生产责任清单" in html
        assert client.get(reverse("campaigns:overview") + "?campaign=nope").status_code == 404


def test_one_campaign_shows_no_switcher(plan, users, client):
    client.force_login(users["office"])
    html = client.get(reverse("campaigns:overview")).content.decode()
    assert 'data-testid="campaign-switcher"' not in html


def test_api_defaults_to_the_current_campaign_and_honours_the_parameter(second, users, client):
    with freeze_time("2027-01-15 10:00:00+08:00"):
        client.force_login(users["office"])  # signed in "then": sessions expire
        tasks = client.get("/api/v1/tasks/").json()
        assert tasks["count"] == 5
        tasks = client.get("/api/v1/tasks/?campaign=2024-2026").json()
        assert tasks["count"] == 30
        assert client.get("/api/v1/tasks/16/").status_code == 404
        assert client.get("/api/v1/tasks/16/?campaign=2024-2026").status_code == 200
        assert client.get("/api/v1/tasks/?campaign=nope").status_code == 404
        campaigns = client.get("/api/v1/campaigns/").json()["results"]
        by_slug = {c["slug"]: c for c in campaigns}
        assert by_slug["2024-2026"]["ended"] and not by_slug["2024-2026"]["current"]
        assert by_slug["2027"]["current"] and not by_slug["2027"]["ended"]


@freeze_time("2027-01-15 10:00:00+08:00")
def test_api_progress_report_takes_the_task_number_in_the_chosen_campaign(second, users, client):
    client.force_login(users["township"])
    ok = client.post(
        "/api/v1/progress-reports/",
        {"task": 3, "period": "2027-Q1", "status": "on_track", "text": "推进"},
        content_type="application/json",
    )
    assert ok.status_code == 201, ok.content
    assert ProgressReport.objects.get().task.campaign == second
    archived = client.post(
        "/api/v1/progress-reports/?campaign=2024-2026",
        {"task": 3, "period": "2026-Q4", "status": "done", "text": "补报"},
        content_type="application/json",
    )
    assert archived.status_code == 400
    assert "只读" in archived.content.decode()


# --- after the end: the 2024–2026 campaign as the archive ----------------------------------


@freeze_time("2027-01-15 10:00:00+08:00")
def test_after_the_end_the_pages_say_the_campaign_ended(plan, users, client):
    client.force_login(users["office"])
    for name in ("campaigns:overview", "campaigns:dashboard", "campaigns:reports"):
        html = client.get(reverse(name)).content.decode()
        assert 'data-testid="campaign-archive"' in html, name
        assert "2026-12-31" in html, name
    html = client.get(reverse("campaigns:task", args=[3])).content.decode()
    assert 'data-testid="campaign-archive"' in html
    assert reverse("campaigns:progress_new", args=[3]) not in html  # no report form


def test_before_the_end_no_archive_banner(plan, users, client):
    client.force_login(users["office"])
    with freeze_time("2026-12-01 10:00:00+08:00"):
        html = client.get(reverse("campaigns:overview")).content.decode()
    assert 'data-testid="campaign-archive"' not in html


# --- the demo's date override -----------------------------------------------------------------


def test_demo_today_overrides_today_outside_production(settings):
    settings.DEMO_TODAY = D(2027, 1, 15)
    settings.HTTPS = False
    assert today_local() == D(2027, 1, 15)
    settings.HTTPS = True
    settings.DEBUG = False
    assert today_local() != D(2027, 1, 15)


def test_demo_today_is_refused_in_production(settings):
    from yixian_safety.checks import demo_today_not_in_production

    settings.DEMO_TODAY = D(2027, 1, 15)
    settings.HTTPS = True
    settings.DEBUG = False
    assert [e.id for e in demo_today_not_in_production()] == ["yixian.E001"]
    settings.HTTPS = False
    assert demo_today_not_in_production() == []


# --- drafting a plan file from a document ---------------------------------------------------


def test_draft_plan_drafts_the_seed_plan_from_its_document(tmp_path, settings, capsys):
    from campaigns.plan.services import PLAN_FILE

    out = tmp_path / "draft.yaml"
    source = Path(settings.BASE_DIR) / "docs" / "plan" / "source.txt"
    call_command("draft_plan", str(source), str(out))
    drafted, seed = plan_read(out), plan_read(PLAN_FILE)
    assert drafted["actions"] == seed["actions"]
    assert [t["text"] for t in drafted["tasks"]] == [t["text"] for t in seed["tasks"]]
    assert [(p["code"], p["starts_on"], p["ends_on"]) for p in drafted["phases"]] == [
        (p["code"], p["starts_on"], p["ends_on"]) for p in seed["phases"]
    ]
    assert drafted["campaign"]["document_number"] == "黟安〔2024〕3 号"
    printed = capsys.readouterr().out
    assert "section 总体要求" in printed and "section 保障措施" in printed
    assert "通过三年治本攻坚" in printed  # the preamble of 主要任务 is reported, not lost


def test_draft_plan_reports_what_it_cannot_place(tmp_path, capsys):
    doc = tmp_path / "doc.txt"
    doc.write_text(
        "关于印发《某县安全生产工作要点（2027 年）》的通知\n\n一、总体要求\n\n坚持安全第一。\n\n"
        "二、主要任务\n\n（一）责任落实行动\n\n1.压实责任。逐级签订。\n\n（二）隐患清零行动\n\n"
        "2.排查隐患，建立台账。\n\n三、进度安排\n\n（一）部署阶段（2027 年 3 月前）。制定方案。\n\n"
        "（二）随时推进。\n\n",
        encoding="utf-8",
    )
    out = tmp_path / "draft.yaml"
    call_command("draft_plan", str(doc), str(out))
    drafted = plan_read(out)
    assert [a["title"] for a in drafted["actions"]] == ["责任落实行动", "隐患清零行动"]
    assert [t["action"] for t in drafted["tasks"]] == [1, 2]
    assert drafted["tasks"][1]["title"] == "排查隐患"
    assert drafted["phases"][0]["code"] == "phase-1"
    assert drafted["phases"][0]["ends_on"] == D(2027, 3, 31)
    assert drafted["campaign"]["starts_on"] == D(2027, 1, 1)
    printed = capsys.readouterr().out
    assert "随时推进" in printed and "section 总体要求" in printed
    with pytest.raises(CommandError, match="exists"):
        call_command("draft_plan", str(doc), str(out))


def test_dashboard_of_the_new_campaign_shows_the_routine_view_and_links_the_archive(
    second, users, client
):
    with freeze_time("2027-01-15 10:00:00+08:00"):
        client.force_login(users["office"])
        html = client.get(reverse("campaigns:dashboard")).content.decode()
    assert 'data-testid="routine"' in html
    assert 'data-testid="archived-campaign"' in html and "?campaign=2024-2026" in html
    assert "部署阶段" in html  # the 2027 phase
    assert 'data-testid="campaign-archive"' not in html
