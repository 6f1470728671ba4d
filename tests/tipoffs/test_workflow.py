"""The workflow (triage → verification → a hazard of the ledger → closed), scoping (404 outside,
403 visible but not allowed), rewards, reminders, the dashboard panel and the API."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from campaigns.models import Department
from hazards.models import Hazard, Source
from tests.hazards.factories import criterion_for, make_hazard
from tipoffs import services
from tipoffs.dashboard import tipoff_figures
from tipoffs.models import Outcome, Status, TipOff
from tipoffs.reminders import tipoffs_due

from .conftest import gps_photo, submit

TODAY = datetime.date.today()


@pytest.fixture
def assigned(users, housing):
    tipoff, _code = submit(photos=[gps_photo()])
    return services.tipoff_assign(tipoff=tipoff, actor=users["office"], department=housing)


def test_verified_tipoff_becomes_a_hazard_with_source_tip_off(users, assigned, enterprise):
    staff = users["department"]
    services.tipoff_start_verification(tipoff=assigned, actor=staff)
    tipoff = services.tipoff_verify(
        tipoff=assigned,
        actor=staff,
        enterprise=enterprise,
        criterion=criterion_for(enterprise, found_on=TODAY),
        deadline=TODAY + datetime.timedelta(days=30),
    )
    hazard = tipoff.hazard
    assert tipoff.status == Status.VERIFIED and tipoff.outcome == Outcome.VERIFIED
    assert hazard.source == Source.TIP_OFF and hazard.get_source_display() == "群众举报查实"
    assert tipoff.number in hazard.found_by and hazard.description == tipoff.description
    assert hazard.attachments.filter(kind="before_photo").count() == 1
    assert Hazard.objects.with_source(Source.TIP_OFF).filter(pk=hazard.pk).exists()
    closed = services.tipoff_close(
        tipoff=tipoff, actor=users["office"], public_reply="经核查属实，已责令整改。"
    )
    assert closed.status == Status.CLOSED and closed.step_due_on is None


def test_verified_tipoff_merges_into_a_known_hazard(users, assigned, enterprise):
    staff = users["department"]
    known = make_hazard(staff, enterprise)
    services.tipoff_start_verification(tipoff=assigned, actor=staff)
    tipoff = services.tipoff_verify(
        tipoff=assigned,
        actor=staff,
        merge_into=known,
        criterion=criterion_for(enterprise, found_on=TODAY),
    )
    assert tipoff.hazard == known
    report = known.merged_reports.get()
    assert report.source == Source.TIP_OFF
    assert Hazard.objects.with_source(Source.TIP_OFF).filter(pk=known.pk).exists()


def test_not_verified_needs_a_reason_then_closes(users, assigned):
    staff = users["department"]
    services.tipoff_start_verification(tipoff=assigned, actor=staff)
    with pytest.raises(ValidationError):
        services.tipoff_find_unverified(tipoff=assigned, actor=staff, reason=" ")
    tipoff = services.tipoff_find_unverified(tipoff=assigned, actor=staff, reason="现场未发现")
    assert tipoff.status == Status.NOT_VERIFIED and tipoff.hazard is None
    tipoff = services.tipoff_close(
        tipoff=tipoff, actor=users["office"], public_reply="经核查不属实。"
    )
    assert tipoff.public_status == "closed"


def test_duplicate_is_closed_at_triage_with_a_reply(users):
    first, _ = submit()
    second, _ = submit()
    with pytest.raises(ValidationError):
        services.tipoff_dismiss(
            tipoff=second,
            actor=users["office"],
            outcome=Outcome.DUPLICATE,
            public_reply="重复举报。",
        )
    tipoff = services.tipoff_dismiss(
        tipoff=second,
        actor=users["office"],
        outcome=Outcome.DUPLICATE,
        duplicate_of=first,
        public_reply="与此前举报重复，已并案办理。",
    )
    assert tipoff.status == Status.CLOSED and tipoff.duplicate_of == first


def test_step_deadlines_follow_the_workflow(users, housing):
    from tipoffs import constants as c

    tipoff, _ = submit()
    assert tipoff.step_due_on == TODAY + datetime.timedelta(days=c.TRIAGE_DAYS)
    tipoff = services.tipoff_assign(tipoff=tipoff, actor=users["office"], department=housing)
    assert tipoff.step_due_on == TODAY + datetime.timedelta(days=c.START_VERIFY_DAYS)
    tipoff = services.tipoff_start_verification(tipoff=tipoff, actor=users["department"])
    assert tipoff.step_due_on == TODAY + datetime.timedelta(days=c.VERIFY_DAYS)


def test_other_department_cannot_verify(users, assigned):
    with pytest.raises(PermissionDenied):
        services.tipoff_start_verification(tipoff=assigned, actor=users["other_department"])


def test_department_cannot_triage(users, housing):
    tipoff, _ = submit()
    with pytest.raises(PermissionDenied):
        services.tipoff_assign(tipoff=tipoff, actor=users["department"], department=housing)


def test_transition_from_the_wrong_step_is_a_message(users):
    tipoff, _ = submit()
    with pytest.raises(ValidationError, match="不能进行此操作"):
        services.tipoff_close(tipoff=tipoff, actor=users["office"], public_reply="x")


# --- scoping of the pages ---------------------------------------------------------------------


def test_department_sees_only_what_is_assigned_to_it(client, users, assigned):
    other, _ = submit()
    client.force_login(users["department"])
    html = client.get(reverse("tipoffs:list")).content.decode()
    assert assigned.number in html and other.number not in html
    assert client.get(reverse("tipoffs:detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("tipoffs:detail", args=[assigned.pk])).status_code == 200


def test_other_department_gets_404(client, users, assigned):
    client.force_login(users["other_department"])
    assert client.get(reverse("tipoffs:detail", args=[assigned.pk])).status_code == 404
    photo = assigned.photos.get()
    assert client.get(reverse("tipoffs:photo", args=[photo.pk])).status_code == 404


def test_township_official_may_not_open_tipoffs(client, users, assigned):
    client.force_login(users["township"])
    assert client.get(reverse("tipoffs:list")).status_code == 403
    assert client.get(reverse("tipoffs:detail", args=[assigned.pk])).status_code == 403


def test_anonymous_visitor_is_sent_to_login(client, assigned):
    response = client.get(reverse("tipoffs:detail", args=[assigned.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_department_posting_a_triage_step_gets_403(client, users, assigned, housing):
    client.force_login(users["department"])
    response = client.post(
        reverse("tipoffs:action", args=[assigned.pk, "assign"]), {"department": housing.pk}
    )
    assert response.status_code == 403


def test_pages_walk_the_workflow(client, users, housing, enterprise):
    tipoff, _ = submit()
    client.force_login(users["office"])
    url = reverse("tipoffs:action", args=[tipoff.pk, "assign"])
    assert client.post(url, {"department": housing.pk}).status_code == 302
    client.force_login(users["department"])
    detail = client.get(reverse("tipoffs:detail", args=[tipoff.pk])).content.decode()
    assert "开始核查" in detail
    client.post(reverse("tipoffs:action", args=[tipoff.pk, "start"]), {"note": ""})
    response = client.post(
        reverse("tipoffs:action", args=[tipoff.pk, "verify"]),
        {
            "enterprise": enterprise.pk,
            "level": "major",
            "location": "气瓶间",
            "criterion": criterion_for(enterprise, found_on=tipoff.observed_on).pk,
        },
        follow=True,
    )
    assert "已纳入隐患台账" in response.content.decode()
    tipoff.refresh_from_db()
    assert tipoff.hazard is not None and tipoff.hazard.location == "气瓶间"
    hazard_page = client.get(tipoff.hazard.get_absolute_url()).content.decode()
    assert tipoff.number in hazard_page  # the slot on the hazard page


def test_verify_with_an_unknown_hazard_number_is_a_message(client, users, assigned):
    client.force_login(users["department"])
    services.tipoff_start_verification(tipoff=assigned, actor=users["department"])
    response = client.post(
        reverse("tipoffs:action", args=[assigned.pk, "verify"]),
        {"merge_into": "YX-1999-0001", "level": "major"},
        follow=True,
    )
    assert "没有此台账编号" in response.content.decode()
    assigned.refresh_from_db()
    assert assigned.status == Status.VERIFYING


def test_list_filters_and_export(client, users, assigned):
    client.force_login(users["office"])
    response = client.get(reverse("tipoffs:list"), {"status": "assigned"})
    assert assigned.number in response.content.decode()
    response = client.get(reverse("tipoffs:list"), {"status": "bogus"})
    assert 'data-testid="filter-errors"' in response.content.decode()
    export = client.get(reverse("tipoffs:export"))
    assert export.status_code == 200 and export["Content-Type"].startswith(
        "application/vnd.openxmlformats"
    )


def test_list_query_count_does_not_grow(client, users, django_assert_max_num_queries):
    for _ in range(8):
        submit()
    client.force_login(users["office"])
    with django_assert_max_num_queries(14):
        assert client.get(reverse("tipoffs:list")).status_code == 200


# --- rewards --------------------------------------------------------------------------------


def _verified(users, enterprise, housing):
    tipoff, code = submit()
    services.tipoff_assign(tipoff=tipoff, actor=users["office"], department=housing)
    services.tipoff_start_verification(tipoff=tipoff, actor=users["department"])
    return services.tipoff_verify(
        tipoff=tipoff,
        actor=users["department"],
        enterprise=enterprise,
        criterion=criterion_for(enterprise, found_on=tipoff.observed_on),
    ), code


def test_reward_decided_and_paid_is_seen_with_the_code(client, users, enterprise, housing):
    tipoff, code = _verified(users, enterprise, housing)
    with pytest.raises(ValidationError):
        services.reward_pay(
            tipoff=tipoff, actor=users["office"], paid_on=TODAY, method="bank", receipt="R1"
        )
    services.reward_decide(
        tipoff=tipoff,
        actor=users["office"],
        amount=Decimal("800.00"),
        basis="奖励办法第六条",
        decided_on=TODAY,
    )
    reward = services.reward_pay(
        tipoff=tipoff, actor=users["office"], paid_on=TODAY, method="bank", receipt="R1"
    )
    assert reward.is_paid
    html = client.post("/report/status/", {"code": code}).content.decode()
    assert "800.00 元" in html and "已发放" in html
    client.force_login(users["office"])
    page = client.get(reverse("tipoffs:rewards")).content.decode()
    assert "800.00" in page
    assert client.get(reverse("tipoffs:reward_export")).status_code == 200


def test_unverified_tipoff_cannot_be_rewarded(users):
    tipoff, _ = submit()
    with pytest.raises(ValidationError):
        services.reward_decide(
            tipoff=tipoff, actor=users["office"], amount=Decimal("1"), basis="x", decided_on=TODAY
        )


def test_department_cannot_decide_rewards(users, enterprise, housing):
    tipoff, _ = _verified(users, enterprise, housing)
    with pytest.raises(PermissionDenied):
        services.reward_decide(
            tipoff=tipoff,
            actor=users["department"],
            amount=Decimal("1"),
            basis="x",
            decided_on=TODAY,
        )


def test_reward_amount_is_bounded(users, enterprise, housing):
    tipoff, _ = _verified(users, enterprise, housing)
    for amount in (Decimal("0"), Decimal("-5"), Decimal("1.001"), Decimal("99999999")):
        with pytest.raises(ValidationError):
            services.reward_decide(
                tipoff=tipoff, actor=users["office"], amount=amount, basis="x", decided_on=TODAY
            )


# --- reminders and dashboard -----------------------------------------------------------------


def test_reminders_for_overdue_steps(users, assigned, housing):
    TipOff.objects.filter(pk=assigned.pk).update(step_due_on=TODAY - datetime.timedelta(days=2))
    fresh, _ = submit()
    reminders = list(tipoffs_due(TODAY))
    keys = {r.item_key: r for r in reminders}
    late = keys[f"tipoff:{assigned.pk}:assigned"]
    assert late.days_overdue == 2 and late.departments == (housing.pk,)
    assert f"tipoff:{fresh.pk}:received" not in keys  # due in 3 days: not yet
    TipOff.objects.filter(pk=fresh.pk).update(step_due_on=TODAY)
    office = Department.objects.get(code=Department.SAFETY_OFFICE_CODE)
    due = {r.item_key: r for r in tipoffs_due(TODAY)}[f"tipoff:{fresh.pk}:received"]
    assert due.departments == (office.pk,) and "分办" in due.text


def test_dashboard_figures_scoped(users, assigned):
    submit()
    office = {f.label: f.value for f in tipoff_figures(users["office"], today=TODAY)["figures"]}
    dept = {f.label: f.value for f in tipoff_figures(users["department"], today=TODAY)["figures"]}
    assert office["待分办的举报"] == 1 and office["办理中的举报"] == 2
    assert dept["办理中的举报"] == 1
    assert tipoff_figures(users["township"], today=TODAY) == {}


def test_dashboard_page_shows_the_panel(client, users, assigned):
    client.force_login(users["office"])
    html = client.get(reverse("campaigns:dashboard")).content.decode()
    assert 'data-testid="tipoffs-panel"' in html


def test_statistics_page(client, users, enterprise, housing):
    _verified(users, enterprise, housing)
    client.force_login(users["office"])
    html = client.get(reverse("tipoffs:statistics")).content.decode()
    assert "查实率" in html and "网上举报" in html


# --- the API --------------------------------------------------------------------------------


def test_api_lists_only_the_scope_and_walks_the_workflow(client, users, housing, enterprise):
    tipoff, _ = submit()
    client.force_login(users["department"])
    assert client.get("/api/v1/tipoffs/").json()["count"] == 0
    assert client.get(f"/api/v1/tipoffs/{tipoff.pk}/").status_code == 404
    client.force_login(users["office"])
    r = client.post(
        f"/api/v1/tipoffs/{tipoff.pk}/assign/",
        {"department": "housing"},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["status"] == "assigned"
    client.force_login(users["department"])
    assert (
        client.post(
            f"/api/v1/tipoffs/{tipoff.pk}/assign/",
            {"department": "housing"},
            content_type="application/json",
        ).status_code
        == 403
    )
    r = client.post(
        f"/api/v1/tipoffs/{tipoff.pk}/start_verification/", {}, content_type="application/json"
    )
    assert r.status_code == 200
    clause = criterion_for(enterprise, found_on=tipoff.observed_on)
    r = client.post(
        f"/api/v1/tipoffs/{tipoff.pk}/verify/",
        {"enterprise": enterprise.pk, "criterion": clause.pk},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["hazard"].startswith("YX-")
    assert client.get("/api/v1/tipoffs/?status=verified").json()["count"] == 1
    assert client.get("/api/v1/tipoffs/?bogus=1").status_code == 400


def test_api_unknown_step_input_is_400(client, users):
    tipoff, _ = submit()
    client.force_login(users["office"])
    r = client.post(
        f"/api/v1/tipoffs/{tipoff.pk}/dismiss/",
        {"outcome": "duplicate", "public_reply": "x", "duplicate_of": "JB-1-1"},
        content_type="application/json",
    )
    assert r.status_code == 400


def test_api_statistics(client, users, enterprise, housing):
    _verified(users, enterprise, housing)
    client.force_login(users["office"])
    data = client.get("/api/v1/tipoff-statistics/").json()
    assert data["total"] == 1 and data["verified"] == 1


def test_report_section_counts_the_period(users, enterprise, housing):
    from tipoffs.report import tipoff_section
    from yixian_safety.periods import Period

    _verified(users, enterprise, housing)
    period = Period(start=TODAY.replace(day=1), end=TODAY, key="now", frequency="quarterly")
    data = tipoff_section(period, users["office"])
    figures = dict(data.figures)
    assert figures["举报"] == 1 and figures["查实"] == 1 and figures["查实率"] == "100.0%"
    assert tipoff_section(period, users["township"]).empty


def test_a_huge_decided_year_on_the_reward_api_is_400_not_500(client, users):
    """Found by the API fuzz: ?decided_year=10**20 overflowed the database integer (500)."""
    client.force_login(users["office"])
    r = client.get("/api/v1/tipoff-rewards/", {"decided_year": str(10**20)})
    assert r.status_code == 400, r.status_code
