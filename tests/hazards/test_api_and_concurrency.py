"""API writes (enterprises, reports, five implementations) and ledger numbers under
concurrency."""

import datetime
import threading

import pytest
from django.db import connection, connections

from hazards import services
from hazards.models import Enterprise, Hazard

from .factories import criterion_for, make_credit_code


@pytest.mark.django_db
def test_api_creates_enterprise_and_checks_the_credit_code(client, users):
    client.force_login(users["township"])
    body = {
        "name": "黟县某木业有限公司",
        "credit_code": make_credit_code(),
        "township": "biyang",
        "sectors": ["industry_trade"],
        "principal_name": "王某",
    }
    r = client.post("/api/v1/enterprises/", body, content_type="application/json")
    assert r.status_code == 201, r.content
    assert r.json()["high_risk"] is False
    bad = {**body, "credit_code": body["credit_code"][:-1] + "Y"}
    r = client.post("/api/v1/enterprises/", bad, content_type="application/json")
    assert r.status_code == 400
    assert "统一社会信用代码" in r.json()["credit_code"][0]


@pytest.mark.django_db
def test_high_risk_is_derived_from_sectors(client, users):
    client.force_login(users["office"])
    body = {
        "name": "黟县某化工贸易有限公司",
        "credit_code": make_credit_code(),
        "township": "yuting",
        "sectors": ["hazardous_chemicals"],
        "principal_name": "李某",
    }
    assert (
        client.post("/api/v1/enterprises/", body, content_type="application/json").json()[
            "high_risk"
        ]
        is True
    )


@pytest.mark.django_db
def test_api_report_then_five_implementations_then_start(client, users, world):
    client.force_login(users["department"])
    r = client.post(
        "/api/v1/hazards/",
        {
            "enterprise": world["own"].pk,
            "source": "self_report",
            "found_on": "2025-02-03",
            "found_by": "企业",
            "location": "气瓶间",
            "description": "未设报警",
            "criterion": criterion_for(world["own"]).pk,
        },
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    assert r.json()["status"] == "reported"
    assert (
        client.post(
            f"/api/v1/hazards/{pk}/confirm/", {}, content_type="application/json"
        ).status_code
        == 200
    )
    r = client.post(
        f"/api/v1/hazards/{pk}/start_rectification/", {}, content_type="application/json"
    )
    assert r.status_code == 400 and "五落实" in str(r.json())
    r = client.post(
        f"/api/v1/hazards/{pk}/rectification/",
        {
            "measures": "加装报警",
            "responsible_unit": "某公司",
            "responsible_person": "王某",
            "funds": "5000.00",
            "deadline": "2099-01-01",
            "contingency_plan": "停用",
        },
        content_type="application/json",
    )
    assert r.status_code == 200, r.content
    r = client.post(
        f"/api/v1/hazards/{pk}/start_rectification/", {}, content_type="application/json"
    )
    assert r.json()["status"] == "rectifying"


@pytest.mark.django_db
def test_api_report_for_invisible_enterprise_is_400(client, users, world):
    client.force_login(users["township"])
    r = client.post(
        "/api/v1/hazards/",
        {
            "enterprise": world["other"].pk,
            "source": "self_report",
            "found_on": "2025-02-03",
            "found_by": "x",
            "location": "y",
            "description": "z",
        },
        content_type="application/json",
    )
    assert r.status_code == 400
    assert not Hazard.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_reports_get_distinct_ledger_numbers(users, world):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    enterprise = Enterprise.objects.get(pk=world["own"].pk)
    actor = users["department"]
    criterion = criterion_for(enterprise)
    barrier = threading.Barrier(6)
    numbers, errors = [], []

    def report():
        try:
            barrier.wait()
            h = services.hazard_report(
                actor=actor,
                enterprise=enterprise,
                source="inspection",
                found_on=datetime.date(2025, 6, 1),
                found_by="x",
                location="y",
                description="z",
                criterion=criterion,
            )
            numbers.append(h.ledger_number)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=report) for _i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(numbers) == [f"YX-2025-{i:04d}" for i in range(1, 7)]


@pytest.mark.django_db
def test_api_multipart_report_with_photo_and_scoped_attachment_urls(client, users, world):
    from .factories import photo

    client.force_login(users["department"])
    r = client.post(
        "/api/v1/hazards/",
        {
            "enterprise": world["own"].pk,
            "source": "inspection",
            "found_on": "2025-02-03",
            "found_by": "检查组",
            "location": "气瓶间",
            "description": "未设报警",
            "criterion": criterion_for(world["own"]).pk,
            "before_photos": [photo((1, 2, 3), "a.jpg")],
        },
    )
    assert r.status_code == 201, r.content
    detail = client.get(f"/api/v1/hazards/{r.json()['id']}/").json()
    [att] = detail["attachments"]
    assert att["kind"] == "before_photo"
    assert client.get(att["url"]).status_code == 200
    client.force_login(users["other_township"])
    assert client.get(att["url"]).status_code == 404
