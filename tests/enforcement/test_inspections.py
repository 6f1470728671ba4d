"""Inspections, enforcement actions (Decimal bounds, 一案双罚, 行刑衔接), 零处罚, experts,
accidents (grade, 双下降), statistics, plug-ins, pages, exports and API — with outsiders."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from openpyxl import load_workbook

from campaigns.models import Department, Role, Sector, Township
from enforcement.inspections import selectors, services
from enforcement.inspections.models import (
    Accident,
    AccidentGrade,
    ActionKind,
    EnforcementAction,
    Inspection,
    Method,
    accident_grade,
)
from hazards.models import Source
from tests.conftest import make_user
from tests.hazards.factories import criterion_for, make_enterprise

pytestmark = pytest.mark.django_db
D = datetime.date


def client_for(user):
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def housing():
    return Department.objects.get(code="housing")


def _inspect(users, world, housing, **kw):
    params = dict(
        actor=users["department"],
        department=housing,
        enterprise=world["own"],
        inspected_on=D(2026, 5, 12),
        method=Method.UNANNOUNCED,
        inspectors=[users["department"]],
    )
    params.update(kw)
    return services.inspection_record(**params)


def _fine(users, housing, enterprise, **kw):
    params = dict(
        actor=users["department"],
        department=housing,
        enterprise=enterprise,
        kind=ActionKind.FINE,
        fine_amount=Decimal("30000.00"),
        legal_basis="《中华人民共和国安全生产法》第一百零二条",
        decision_number="黟建罚〔2026〕1号",
        decided_on=D(2026, 5, 20),
    )
    params.update(kw)
    return services.action_record(**params)


# --- inspections ------------------------------------------------------------------------------


def test_an_inspection_without_findings_is_still_recorded(users, world, housing):
    insp = _inspect(users, world, housing)
    assert insp.status == Inspection.Status.DONE and not insp.has_findings
    assert Inspection.objects.done().count() == 1


def test_findings_must_be_described(users, world, housing):
    with pytest.raises(ValidationError) as exc:
        _inspect(users, world, housing, has_findings=True, findings=" ")
    assert "findings" in exc.value.message_dict


def test_inspectors_must_be_staff_of_the_department(users, world, housing):
    with pytest.raises(ValidationError) as exc:
        _inspect(users, world, housing, inspectors=[users["other_department"]])
    assert "inspectors" in exc.value.message_dict


def test_a_tied_inspector_cannot_inspect_that_enterprise(users, world, housing):
    services.tie_record(
        actor=users["department"],
        enterprise=world["own"],
        person=users["department"],
        reason="配偶为该企业股东",
    )
    with pytest.raises(ValidationError) as exc:
        _inspect(users, world, housing)
    assert "inspectors" in exc.value.message_dict


def test_another_department_cannot_record_for_housing(users, world, housing):
    with pytest.raises(PermissionDenied):
        _inspect(
            users,
            world,
            housing,
            actor=users["other_department"],
            inspectors=[users["other_department"]],
        )


def test_a_hazard_raised_in_an_inspection_goes_into_the_ledger_linked_back(users, world, housing):
    insp = _inspect(users, world, housing)
    hazard = services.inspection_raise_hazard(
        inspection=insp,
        actor=users["department"],
        location="储瓶间",
        description="未设置可燃气体报警装置",
        criterion=criterion_for(insp.enterprise, found_on=insp.inspected_on),
    )
    insp.refresh_from_db()
    assert hazard.source == Source.INSPECTION and hazard.found_on == insp.inspected_on
    assert list(insp.hazards.all()) == [hazard] and insp.has_findings
    page = client_for(users["township"]).get(hazard.get_absolute_url()).content.decode()
    assert insp.get_absolute_url() in page  # the hazard page links to the inspection


def test_a_planned_inspection_is_completed_or_cancelled_once(users, world, housing):
    insp = Inspection.objects.create(
        department=housing,
        enterprise=world["own"],
        inspected_on=D(2026, 6, 1),
        method=Method.DOUBLE_RANDOM,
        status=Inspection.Status.PLANNED,
        recorded_by=users["department"],
    )
    services.inspection_complete(
        inspection=insp,
        actor=users["department"],
        inspected_on=D(2026, 6, 2),
        has_findings=True,
        findings="消防通道堵塞",
    )
    with pytest.raises(ValidationError):
        services.inspection_cancel(inspection=insp, actor=users["department"], note="重复")


# --- enforcement actions ----------------------------------------------------------------------


@pytest.mark.parametrize("amount", [Decimal("0"), Decimal("-5"), Decimal("100000000.01")])
def test_fines_outside_the_bounds_are_refused(users, world, housing, amount):
    with pytest.raises(ValidationError) as exc:
        _fine(users, housing, world["own"], fine_amount=amount)
    assert "fine_amount" in exc.value.message_dict
    assert not EnforcementAction.objects.exists()


def test_the_database_refuses_an_amount_outside_the_bounds(users, world, housing):
    action = _fine(users, housing, world["own"])
    with pytest.raises(IntegrityError), transaction.atomic():
        EnforcementAction.objects.filter(pk=action.pk).update(fine_amount=Decimal("-1"))


def test_amounts_stay_exact_decimals(users, world, housing):
    action = _fine(users, housing, world["own"], fine_amount=Decimal("12345.67"))
    action.refresh_from_db()
    assert action.fine_amount == Decimal("12345.67")


def test_one_case_two_penalties_needs_the_person_and_their_fine(users, world, housing):
    with pytest.raises(ValidationError) as exc:
        _fine(users, housing, world["own"], kind=ActionKind.DOUBLE_PENALTY)
    assert "person_fine_amount" in exc.value.message_dict
    action = _fine(
        users,
        housing,
        world["own"],
        kind=ActionKind.DOUBLE_PENALTY,
        responsible_person="王某",
        person_fine_amount=Decimal("8000"),
    )
    assert action.total_fines == Decimal("38000.00")


def test_a_fine_needs_an_amount_and_a_warning_does_not(users, world, housing):
    with pytest.raises(ValidationError):
        _fine(users, housing, world["own"], fine_amount=None)
    assert _fine(users, housing, world["own"], kind=ActionKind.WARNING, fine_amount=None)


def test_decision_numbers_are_unique(users, world, housing):
    _fine(users, housing, world["own"])
    with pytest.raises(ValidationError) as exc:
        _fine(users, housing, world["own"])
    assert "decision_number" in exc.value.message_dict


def test_referral_for_prosecution(users, world, housing):
    action = _fine(users, housing, world["own"])
    services.action_refer(
        action=action,
        actor=users["department"],
        referred_on=D(2026, 6, 1),
        referral_note="涉嫌重大责任事故罪，移送县公安局",
    )
    action.refresh_from_db()
    assert action.referred_for_prosecution and action.referred_on == D(2026, 6, 1)
    with pytest.raises(PermissionDenied):
        services.action_refer(
            action=action, actor=users["township"], referred_on=D(2026, 6, 1), referral_note="x"
        )


def test_the_linked_inspection_must_be_of_the_same_enterprise(users, world, housing):
    insp = _inspect(users, world, housing)
    other = make_enterprise(users["office"], township="biyang", sectors=("gas",))
    with pytest.raises(ValidationError) as exc:
        _fine(users, housing, other, inspection=insp)
    assert "inspection" in exc.value.message_dict


# --- 零处罚 and statistics --------------------------------------------------------------------


def test_zero_penalty_inspections_and_the_flagged_department(users, world, housing):
    insp = _inspect(users, world, housing, has_findings=True, findings="报警装置失效")
    _inspect(users, world, housing)  # without findings: not zero-penalty
    assert list(Inspection.objects.zero_penalty()) == [insp]
    stats = selectors.department_statistics(users["office"], year=2026, quarter=2)
    row = stats.rows[0]
    assert (row.inspections, row.with_findings, row.zero_penalty, row.actions) == (2, 1, 1, 0)
    assert row.flagged and stats.flagged == [row]
    _fine(users, housing, world["own"], inspection=insp)
    stats = selectors.department_statistics(users["office"], year=2026, quarter=2)
    assert not stats.rows[0].flagged and stats.rows[0].fines == Decimal("30000.00")
    assert not Inspection.objects.zero_penalty().exists()


def test_statistics_figures_link_to_exactly_their_rows(users, world, housing):
    _inspect(users, world, housing, has_findings=True, findings="报警装置失效")
    _inspect(users, world, housing, inspected_on=D(2026, 9, 1))  # another quarter
    stats = selectors.department_statistics(users["office"], year=2026, quarter=2)
    c = client_for(users["office"])
    for key, figure in (("inspections", 1), ("zero_penalty", 1), ("with_findings", 1)):
        page = c.get(stats.rows[0].urls[key]).content.decode()
        assert f"{figure} 条记录" in page or f"{figure} record" in page, key


def test_zero_penalty_proposes_a_summons_interview_on_the_ladder(users, world, housing):
    _inspect(users, world, housing, has_findings=True, findings="报警装置失效")
    c = client_for(users["office"])
    r = c.post(
        "/enforcement-statistics/propose/?year=2026&quarter=2",
        {"department": "housing", "kind": "summons_interview"},
    )
    assert r.status_code == 302
    from enforcement.models import EscalationStep

    step = EscalationStep.objects.get()
    assert step.department == housing and step.status == "proposed"
    assert (
        client_for(users["department"])
        .post("/enforcement-statistics/propose/?year=2026&quarter=2", {"department": "housing"})
        .status_code
        == 403
    )


# --- experts ----------------------------------------------------------------------------------


def test_experts_tied_to_the_enterprise_are_never_assigned(users, world, housing):
    gas = Sector.objects.get(code="gas")
    employed = services.expert_create(
        actor=users["office"],
        name="甲专家",
        specialities="燃气",
        sectors=[gas],
        employer=world["own"],
    )
    tied = services.expert_create(
        actor=users["office"], name="乙专家", specialities="燃气", sectors=[gas]
    )
    services.tie_record(
        actor=users["office"], enterprise=world["own"], expert=tied, reason="曾为该企业出具评价报告"
    )
    free = services.expert_create(
        actor=users["office"], name="丙专家", specialities="燃气", sectors=[gas]
    )
    insp = _inspect(users, world, housing)
    for seed in range(10):
        chosen = services.inspection_assign_experts(
            inspection=insp, actor=users["department"], count=1, seed=seed
        )
        assert chosen == [free]
    with pytest.raises(ValidationError):
        services.inspection_assign_experts(
            inspection=insp, actor=users["department"], count=2, seed=1
        )
    with pytest.raises(ValidationError):
        services.inspection_assign_experts(
            inspection=insp, actor=users["department"], experts=[employed]
        )


def test_only_the_safety_office_keeps_the_pool(users):
    with pytest.raises(PermissionDenied):
        services.expert_create(
            actor=users["department"],
            name="丁",
            specialities="x",
            sectors=list(Sector.objects.all()[:1]),
        )


def test_task_28_pool_covers_every_high_risk_sector(users):
    met, missing = selectors.expert_pool_coverage()
    assert not met and missing
    services.expert_create(
        actor=users["office"],
        name="全能专家",
        specialities="高危行业",
        sectors=list(Sector.objects.filter(high_risk=True)),
    )
    assert selectors.expert_pool_coverage() == (True, [])


# --- accidents --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "deaths, injuries, loss, grade",
    [
        (0, 2, Decimal("50000"), AccidentGrade.ORDINARY),
        (3, 0, Decimal("0"), AccidentGrade.RELATIVELY_LARGE),
        (0, 10, Decimal("0"), AccidentGrade.RELATIVELY_LARGE),
        (0, 0, Decimal("10000000"), AccidentGrade.RELATIVELY_LARGE),
        (10, 0, Decimal("0"), AccidentGrade.MAJOR),
        (29, 99, Decimal("99999999.99"), AccidentGrade.MAJOR),
        (30, 0, Decimal("0"), AccidentGrade.ESPECIALLY_MAJOR),
    ],
)
def test_accident_grade_by_the_regulation_thresholds(deaths, injuries, loss, grade):
    assert accident_grade(deaths, injuries, loss) == grade


def _accident(users, **kw):
    params = dict(
        actor=users["office"],
        occurred_on=D(2026, 4, 2),
        township=Township.objects.get(code="biyang"),
        sector=Sector.objects.get(code="gas"),
        summary="液化气泄漏燃爆",
        deaths=1,
    )
    params.update(kw)
    return services.accident_record(**params)


def test_a_grade_entered_that_contradicts_the_figures_is_refused(users):
    with pytest.raises(ValidationError) as exc:
        _accident(users, deaths=3, grade=AccidentGrade.ORDINARY)
    assert "grade" in exc.value.message_dict and not Accident.objects.exists()
    assert (
        _accident(users, deaths=3, grade=AccidentGrade.RELATIVELY_LARGE).grade
        == AccidentGrade.RELATIVELY_LARGE
    )


def test_double_decline_compares_accidents_and_deaths_year_on_year(users):
    _accident(users, occurred_on=D(2025, 3, 1), deaths=2)
    _accident(users, occurred_on=D(2025, 7, 1), deaths=0)
    _accident(users, occurred_on=D(2026, 2, 1), deaths=1)
    years = selectors.double_decline(users["office"], years=(2025, 2026))
    assert [(y.accidents, y.deaths) for y in years] == [(2, 2), (1, 1)]
    assert years[0].double_decline is None and years[1].double_decline is True
    assert selectors.double_decline(users["other_township"], years=(2025, 2026))[0].accidents == 0


def test_a_township_official_cannot_record_an_accident_elsewhere(users):
    with pytest.raises(PermissionDenied):
        _accident(users, actor=users["other_township"])


# --- scoping, pages, exports, API -------------------------------------------------------------


def test_outsider_township_gets_404_and_own_township_sees_it(users, world, housing):
    insp = _inspect(users, world, housing)
    action = _fine(users, housing, world["own"], inspection=insp)
    accident = _accident(users)
    for url in (insp.get_absolute_url(), action.get_absolute_url(), accident.get_absolute_url()):
        assert client_for(users["township"]).get(url).status_code == 200, url
        assert client_for(users["other_township"]).get(url).status_code == 404, url
    listed = client_for(users["other_township"]).get("/inspections/").content.decode()
    assert world["own"].name not in listed
    api = client_for(users["other_township"])
    assert api.get(f"/api/v1/inspections/{insp.pk}/").status_code == 404
    assert api.get(f"/api/v1/enforcement-actions/{action.pk}/").status_code == 404


def test_a_township_official_may_read_but_not_record(users, world, housing):
    c = client_for(users["township"])
    assert c.get("/inspections/new/").status_code == 403
    assert c.get("/penalties/new/").status_code == 403
    r = c.post("/api/v1/enforcement-actions/", {}, content_type="application/json")
    assert r.status_code == 403


@pytest.mark.parametrize(
    "path",
    [
        "/inspections/",
        "/draws/",
        "/penalties/",
        "/experts/",
        "/conflict-ties/",
        "/accidents/",
        "/enforcement-statistics/",
    ],
)
def test_every_list_renders_and_exports(users, world, housing, path):
    _inspect(users, world, housing, has_findings=True, findings="问题")
    _fine(users, housing, world["own"])
    _accident(users)
    c = client_for(users["department"])
    assert c.get(path).status_code == 200
    export = c.get(path + "export.xlsx")
    assert export.status_code == 200
    rows = load_workbook(io.BytesIO(export.content)).active.max_row
    assert rows >= (
        2
        if path in ("/inspections/", "/penalties/", "/accidents/", "/enforcement-statistics/")
        else 1
    )


def test_penalty_export_keeps_amounts_as_numbers(users, world, housing):
    _fine(users, housing, world["own"], fine_amount=Decimal("30000.50"))
    sheet = load_workbook(
        io.BytesIO(client_for(users["office"]).get("/penalties/export.xlsx").content)
    ).active
    values = [c.value for c in sheet[2]]
    assert 30000.5 in values


def test_unknown_list_parameter_is_400_in_the_api(users):
    r = client_for(users["office"]).get("/api/v1/inspections/?departmnt=housing")
    assert r.status_code == 400 and "departmnt" in r.json()


def test_api_records_an_action_with_decimal_bounds(users, world, housing):
    c = client_for(users["department"])
    body = {
        "department": "housing",
        "enterprise": world["own"].pk,
        "kind": "fine",
        "fine_amount": "100000000.01",
        "legal_basis": "安全生产法",
        "decision_number": "黟建罚〔2026〕9号",
        "decided_on": "2026-05-01",
    }
    assert (
        c.post("/api/v1/enforcement-actions/", body, content_type="application/json").status_code
        == 400
    )
    body["fine_amount"] = "5000.00"
    r = c.post("/api/v1/enforcement-actions/", body, content_type="application/json")
    assert r.status_code == 201 and r.json()["fine_amount"] == "5000.00"


def test_api_actions_on_an_inspection(users, world, housing):
    insp = _inspect(users, world, housing)
    c = client_for(users["department"])
    clause = criterion_for(insp.enterprise, found_on=insp.inspected_on)
    r = c.post(
        f"/api/v1/inspections/{insp.pk}/raise_hazard/",
        {"location": "储瓶间", "description": "报警装置失效", "criterion": clause.pk},
        content_type="application/json",
    )
    assert r.status_code == 200 and len(r.json()["hazards"]) == 1
    assert client_for(users["other_department"]).post(
        f"/api/v1/inspections/{insp.pk}/cancel/", {"note": "x"}, content_type="application/json"
    ).status_code in (403, 404)


def test_schema_documents_the_enforcement_endpoints(users):
    schema = client_for(users["office"]).get("/api/schema/").content.decode()
    for path in (
        "/api/v1/inspections/",
        "/api/v1/draws/{id}/replay/",
        "/api/v1/enforcement-actions/",
        "/api/v1/accidents/",
        "/api/v1/experts/",
    ):
        assert path in schema


# --- plug-ins ---------------------------------------------------------------------------------


def test_dashboard_panel_figures(users, world, housing):
    from enforcement.inspections.dashboard import enforcement_figures

    _inspect(users, world, housing, inspected_on=D(2026, 3, 1), has_findings=True, findings="问题")
    value = enforcement_figures(users["office"], today=D(2026, 12, 1))
    figures = {f.label: f.value for f in value["figures"]}
    assert list(figures.values())[:3] == [1, 1, 1]
    page = client_for(users["office"]).get("/dashboard/").content.decode()
    assert 'data-testid="enforcement-panel"' in page


def test_league_metric_counts_findings_followed_up(users, world, housing):
    from campaigns.models import Department as Dept
    from enforcement.league import findings_followed_up

    insp = _inspect(
        users, world, housing, has_findings=True, findings="问题", inspected_on=D(2026, 3, 1)
    )
    _inspect(users, world, housing, has_findings=True, findings="问题2", inspected_on=D(2026, 3, 2))
    _fine(users, housing, world["own"], inspection=insp)
    row = findings_followed_up(
        Dept.objects.filter(pk=housing.pk), "departments", D(2026, 12, 1)
    ).get()
    assert (row.findings_followed_up_num, row.findings_followed_up_den) == (1, 2)


def test_report_section(users, world, housing):
    from campaigns.reports.registry import SECTIONS
    from yixian_safety.periods import Period

    period = Period(start=D(2026, 4, 1), end=D(2026, 6, 30), key="2026Q2", frequency="quarterly")
    assert SECTIONS["enforcement"].build(period, users["office"]).empty
    _inspect(users, world, housing, has_findings=True, findings="问题")
    data = SECTIONS["enforcement"].build(period, users["office"])
    assert data.figures[1][1] == 1 and data.tables[0][2][0][1:4] == [1, 1, 1]


def test_overdue_planned_inspections_are_reminded(users, world, housing):
    from enforcement.reminders import planned_inspections_overdue

    insp = Inspection.objects.create(
        department=housing,
        enterprise=world["own"],
        inspected_on=D(2026, 6, 1),
        method=Method.DOUBLE_RANDOM,
        status=Inspection.Status.PLANNED,
        recorded_by=users["department"],
    )
    insp.inspectors.set([users["department"]])
    items = list(planned_inspections_overdue(D(2026, 6, 10)))
    assert [i.item_key for i in items] == [f"inspection:{insp.pk}"]
    assert items[0].recipient_ids == (users["department"].pk,) and items[0].days_overdue == 9
    assert list(planned_inspections_overdue(D(2026, 6, 1))) == []


def test_department_staff_form_offers_only_their_department(users):
    staff = make_user(
        "housing2", Role.DEPARTMENT_STAFF, department=Department.objects.get(code="housing")
    )
    page = client_for(staff).get("/inspections/new/").content.decode()
    assert "县住建局" in page or "住房" in page
    assert "县消防救援大队" not in page.split('id="id_department"')[1].split("</select>")[0]


@pytest.mark.parametrize(
    "path",
    ["/inspections/", "/penalties/", "/accidents/", "/draws/", "/experts/", "/conflict-ties/"],
)
def test_list_pages_do_not_query_per_row(users, world, housing, path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    gas = Sector.objects.get(code="gas")

    def add(i):
        insp = _inspect(users, world, housing, has_findings=True, findings=f"问题{i}")
        _fine(users, housing, world["own"], inspection=insp, decision_number=f"黟建罚〔2026〕{i}号")
        _accident(users, summary=f"事故{i}")
        expert = services.expert_create(
            actor=users["office"], name=f"专家{i}", specialities="燃气", sectors=[gas]
        )
        services.tie_record(
            actor=users["office"], enterprise=world["own"], expert=expert, reason="回避"
        )

    c = client_for(users["department"])
    add(0)
    c.get(path)  # warm the session and the menu
    with CaptureQueriesContext(connection) as one:
        assert c.get(path).status_code == 200
    for i in range(1, 6):
        add(i)
    with CaptureQueriesContext(connection) as six:
        assert c.get(path).status_code == 200
    assert len(six) == len(one) <= 16
