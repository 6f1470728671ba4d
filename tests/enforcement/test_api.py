"""API of supervision: scoped lists, POST actions calling the services, strict filters."""

import datetime

import pytest
from rest_framework.test import APIClient

from enforcement import services
from enforcement.models import EscalationRule, StepKind, TargetKind, Trigger
from tests.hazards.factories import rectifying_hazard

pytestmark = pytest.mark.django_db
D = datetime.date


def api(user):
    c = APIClient()
    c.force_authenticate(user)
    return c


def test_listing_create_report_and_scope(users, world):
    h = rectifying_hazard(users["township"], world["own"], D(2026, 6, 30))
    body = {
        "hazard": h.ledger_number,
        "listing_body": "county_government",
        "listed_on": "2026-02-01",
        "required_completion": "2026-06-30",
        "responsible_unit": "碧阳镇人民政府",
    }
    assert api(users["township"]).post("/api/v1/listings/", body, format="json").status_code == 403
    resp = api(users["office"]).post("/api/v1/listings/", body, format="json")
    assert resp.status_code == 201, resp.content
    pk = resp.json()["id"]
    assert resp.json()["document_number"] == "黟安督〔2026〕1号"
    assert api(users["other_township"]).get(f"/api/v1/listings/{pk}/").status_code == 404
    listed = api(users["township"]).get("/api/v1/listings/?missed=true").json()
    assert listed["count"] == 1 and listed["results"][0]["missed_reports"] >= 1
    assert api(users["township"]).get("/api/v1/listings/?townshp=x").status_code == 400
    r = api(users["township"]).post(
        f"/api/v1/listings/{pk}/report_progress/", {"progress": ""}, format="json"
    )
    assert r.status_code == 400
    r = api(users["township"]).post(
        f"/api/v1/listings/{pk}/report_progress/", {"progress": "进展顺利"}, format="json"
    )
    assert r.status_code == 200 and len(r.json()["reports"]) == 1
    assert (
        api(users["township"]).post(f"/api/v1/listings/{pk}/delist/", {}, format="json").status_code
        == 403
    )


def test_extension_api_late_request_comes_back_refused(users, world, monkeypatch):
    monkeypatch.setattr("enforcement.services.today_local", lambda: D(2026, 12, 20))
    h = rectifying_hazard(users["township"], world["own"], D(2026, 12, 31))
    resp = api(users["township"]).post(
        "/api/v1/extensions/",
        {"hazard": h.ledger_number, "requested_deadline": "2026-12-31", "reason": "x"},
        format="json",
    )
    assert resp.status_code == 400 and "requested_deadline" in resp.json()
    resp = api(users["township"]).post(
        "/api/v1/extensions/",
        {"hazard": h.ledger_number, "requested_deadline": "2027-02-26", "reason": "设备未到"},
        format="json",
    )
    assert resp.status_code == 201
    assert (resp.json()["status"], resp.json()["working_days_before"]) == ("refused", 8)
    assert "2026-12-10" in resp.json()["decision_note"]  # the last day to file


def test_extension_api_approve(users, world):
    h = rectifying_hazard(users["township"], world["own"], D(2026, 6, 30))
    ext = services.extension_request(
        hazard=h,
        actor=users["township"],
        requested_deadline=D(2026, 8, 31),
        reason="资金",
        on=D(2026, 5, 6),
    )
    url = f"/api/v1/extensions/{ext.pk}/"
    assert api(users["other_department"]).post(url + "approve/").status_code == 404
    assert api(users["township"]).post(url + "approve/").status_code == 403
    resp = api(users["department"]).post(url + "approve/", {"note": "同意"}, format="json")
    assert resp.status_code == 200 and resp.json()["status"] == "approved"
    assert (
        api(users["department"]).post(url + "refuse/", {"note": "x"}, format="json").status_code
        == 400
    )


def test_escalation_api_evaluate_approve_dismiss(users, world):
    EscalationRule.objects.all().delete()
    rectifying_hazard(users["township"], world["own"], D(2025, 6, 30))
    EscalationRule.objects.create(
        name="函告",
        trigger=Trigger.DAYS_OVERDUE,
        threshold=30,
        step=StepKind.FORMAL_LETTER,
        target=TargetKind.TOWNSHIP,
    )
    EscalationRule.objects.create(
        name="通报",
        trigger=Trigger.DAYS_OVERDUE,
        threshold=60,
        step=StepKind.CIRCULATED_NOTICE,
        target=TargetKind.DEPARTMENT,
    )
    assert api(users["township"]).post("/api/v1/escalations/evaluate/").status_code == 403
    made = api(users["office"]).post("/api/v1/escalations/evaluate/").json()
    assert {m["kind"] for m in made} == {"formal_letter", "circulated_notice"}
    assert api(users["office"]).post("/api/v1/escalations/evaluate/").json() == []
    # township sees the step against itself, not the one against the department
    seen = api(users["township"]).get("/api/v1/escalations/").json()["results"]
    assert [s["kind"] for s in seen] == ["formal_letter"]
    letter = next(m for m in made if m["kind"] == "formal_letter")
    notice = next(m for m in made if m["kind"] == "circulated_notice")
    r = api(users["office"]).post(f"/api/v1/escalations/{letter['id']}/approve/", {}, format="json")
    assert r.status_code == 200 and r.json()["document_number"].startswith("黟安函〔")
    assert (
        api(users["office"])
        .post(f"/api/v1/escalations/{notice['id']}/dismiss/", {}, format="json")
        .status_code
        == 400
    )
    r = api(users["office"]).post(
        f"/api/v1/escalations/{notice['id']}/dismiss/", {"note": "部门已整改"}, format="json"
    )
    assert r.json()["status"] == "dismissed"
    slow = api(users["township"]).get("/api/v1/slow-progress/").json()
    assert slow["by_township"][0]["unit"] == "碧阳镇"
