"""API: scoped lists (outsider → 404), filters (unknown → 400), writes through the services,
computed coverage and duty figures, OpenAPI schema."""

import datetime

import pytest
from rest_framework.test import APIClient

from training import services
from training.constants import Audience

from .factories import make_certificate, make_session

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def api():
    def _api(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return _api


def test_certificates_are_scoped(api, users, world):
    own = make_certificate(users["office"], world["own"], valid_until=D(2027, 1, 1))
    other = make_certificate(users["office"], world["other"], valid_until=D(2027, 1, 1))
    client = api(users["township"])
    ids = [r["id"] for r in client.get("/api/v1/certificates/").json()["results"]]
    assert ids == [own.pk]
    assert client.get(f"/api/v1/certificates/{other.pk}/").status_code == 404


def test_unknown_filter_is_400(api, users):
    assert api(users["office"]).get("/api/v1/drills/?townshp=biyang").status_code == 400


def test_certificate_window_filter(api, users, world, monkeypatch):
    monkeypatch.setattr("training.filters.today_local", lambda: D(2026, 1, 1))
    make_certificate(users["office"], world["own"], valid_until=D(2025, 12, 31), number="OLD")
    make_certificate(users["office"], world["own"], valid_until=D(2026, 1, 1), number="LAST")
    numbers = [
        r["number"]
        for r in api(users["office"]).get("/api/v1/certificates/?window=expired").json()["results"]
    ]
    assert numbers == ["OLD"]


def test_create_certificate_outside_scope_is_400(api, users, world):
    response = api(users["township"]).post(
        "/api/v1/certificates/",
        {
            "worker_name": "甲",
            "enterprise": world["other"].pk,
            "type": "welding",
            "number": "Z",
            "issued_on": "2024-01-01",
            "valid_until": "2030-01-01",
        },
        format="json",
    )
    assert response.status_code == 400 and "enterprise" in response.json()


def test_create_certificate_validation_message(api, users, world):
    response = api(users["township"]).post(
        "/api/v1/certificates/",
        {
            "worker_name": "甲",
            "enterprise": world["own"].pk,
            "type": "welding",
            "number": "Z",
            "issued_on": "2024-01-01",
            "valid_until": "2023-01-01",
        },
        format="json",
    )
    assert response.status_code == 400 and "valid_until" in response.json()


def test_update_certificate(api, users, world):
    cert = make_certificate(users["office"], world["own"], valid_until=D(2026, 1, 1))
    response = api(users["township"]).put(
        f"/api/v1/certificates/{cert.pk}/",
        {
            "worker_name": cert.worker_name,
            "enterprise": world["own"].pk,
            "type": cert.type,
            "number": cert.number,
            "issued_on": "2020-01-01",
            "valid_until": "2032-01-01",
        },
        format="json",
    )
    assert response.status_code == 200 and response.json()["valid_until"] == "2032-01-01"


def test_record_drill_and_list_it(api, users, world):
    client = api(users["township"])
    response = client.post(
        "/api/v1/drills/",
        {
            "enterprise": world["own"].pk,
            "held_on": "2025-03-01",
            "scenario": "火灾疏散",
            "participants": 9,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert client.get("/api/v1/drills/?year=2025").json()["count"] == 1
    assert (
        api(users["other_township"]).get(f"/api/v1/drills/{response.json()['id']}/").status_code
        == 404
    )


def test_session_and_attendance_result(api, users, world):
    client = api(users["office"])
    response = client.post(
        "/api/v1/training-sessions/",
        {"title": "培训", "audience": Audience.METAL_SMELTING, "held_on": "2025-05-01"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    session_id = response.json()["id"]
    response = client.post(
        "/api/v1/training-attendances/",
        {"session": session_id, "person_name": "张某", "enterprise": world["high"].pk},
        format="json",
    )
    assert response.status_code == 201, response.json()
    att = response.json()["id"]
    response = client.post(
        f"/api/v1/training-attendances/{att}/result/", {"result": "passed"}, format="json"
    )
    assert response.json()["result"] == "passed"
    coverage = client.get("/api/v1/training-coverage/?year=2025").json()
    metal = next(c for c in coverage if c["audience"] == "metal_smelting")
    assert (metal["total"], metal["trained"], metal["met"]) == (1, 1, True)


def test_attendance_for_session_out_of_scope_is_404(api, users, world):
    session = make_session(users["other_township"])
    response = api(users["township"]).post(
        "/api/v1/training-attendances/",
        {"session": session.pk, "person_name": "甲", "enterprise": world["own"].pk},
        format="json",
    )
    assert response.status_code == 404


def test_duty_figures(api, users, world, monkeypatch):
    services.drill_record(
        actor=users["office"],
        enterprise=world["own"],
        held_on=D(2025, 3, 1),
        scenario="火灾",
        participants=5,
    )
    monkeypatch.setattr("training.api.today_local", lambda: D(2026, 1, 5))
    data = api(users["township"]).get("/api/v1/training-duties/?duty=drill&year=2025").json()
    assert data["total"]["met"] == 1 and data["total"]["missed"] == 2
    assert [t["key"] for t in data["townships"]] == ["biyang"]


def test_duty_bad_parameters_are_400(api, users):
    client = api(users["office"])
    assert client.get("/api/v1/training-duties/?duty=nap").status_code == 400
    assert client.get("/api/v1/training-duties/?year=twenty").status_code == 400


def test_inspection_with_hazard(api, users, world):
    from tests.hazards.factories import make_hazard

    hazard = make_hazard(users["office"], world["own"])
    response = api(users["township"]).post(
        "/api/v1/principal-inspections/",
        {
            "enterprise": world["own"].pk,
            "inspected_on": "2025-03-01",
            "leader_name": "王某",
            "hazards": [hazard.pk],
        },
        format="json",
    )
    assert response.status_code == 201 and response.json()["hazards"] == [hazard.ledger_number]


def test_user_without_role_is_403(api, django_user_model, users):
    nobody = django_user_model.objects.create_user(username="nobody", password="x")
    assert api(nobody).get("/api/v1/certificates/").status_code == 403


def test_schema_lists_training_endpoints(api, users):
    response = api(users["office"]).get("/api/schema/?format=json")
    paths = response.json()["paths"]
    for p in (
        "/api/v1/certificates/",
        "/api/v1/drills/",
        "/api/v1/training-sessions/",
        "/api/v1/training-coverage/",
        "/api/v1/training-duties/",
        "/api/v1/principal-inspections/",
        "/api/v1/rescue-teams/",
    ):
        assert p in paths


def test_enterprise_categories(api, users, world):
    client = api(users["department"])
    response = client.post(
        "/api/v1/enterprise-categories/",
        {"enterprise": world["own"].pk, "flag": "commercial_complex"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    flag_id = response.json()["id"]
    assert (
        api(users["township"])
        .post(
            "/api/v1/enterprise-categories/",
            {"enterprise": world["own"].pk, "flag": "key_heritage"},
            format="json",
        )
        .status_code
        == 403
    )
    assert (
        api(users["other_township"]).get(f"/api/v1/enterprise-categories/{flag_id}/").status_code
        == 404
    )
    assert client.delete(f"/api/v1/enterprise-categories/{flag_id}/").status_code == 204
