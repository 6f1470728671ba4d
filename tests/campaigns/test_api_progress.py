"""API of sub-plans, progress, milestones, obligation periods and the league table."""

import datetime

import pytest
from rest_framework.test import APIClient

from campaigns.models import SubPlan, Task
from campaigns.progress.demo import tiny_pdf
from campaigns.progress.services import progress_report_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    def _api(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return _api


def create(client, name="plan.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        "/api/v1/subplans/",
        {
            "title": "碧阳镇子实施方案",
            "summary": "s",
            "contact_name": "c",
            "contact_phone": "1",
            "tasks": [1, 2],
            "document": SimpleUploadedFile(name, tiny_pdf("v")),
        },
        format="multipart",
    )


def test_subplan_workflow_through_the_api(api, users):
    from django.core.files.uploadedfile import SimpleUploadedFile

    tw, office = api(users["township"]), api(users["office"])
    response = create(tw)
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert response.json()["status"] == "draft" and response.json()["tasks"] == [1, 2]
    assert tw.post(f"/api/v1/subplans/{pk}/submit/", {}, format="multipart").status_code == 200
    assert tw.post(f"/api/v1/subplans/{pk}/approve/", {}).status_code == 403
    assert office.post(f"/api/v1/subplans/{pk}/return/", {}).status_code == 400  # comment
    returned = office.post(f"/api/v1/subplans/{pk}/return/", {"comment": "请修改"})
    assert returned.json()["status"] == "returned"
    again = tw.post(
        f"/api/v1/subplans/{pk}/submit/",
        {"document": SimpleUploadedFile("v2.pdf", tiny_pdf("v2"))},
        format="multipart",
    )
    assert again.json()["status"] == "resubmitted"
    approved = office.post(f"/api/v1/subplans/{pk}/approve/", {})
    assert approved.json()["status"] == "approved"
    assert [v["number"] for v in approved.json()["versions"]] == [1, 2]
    assert office.post(f"/api/v1/subplans/{pk}/approve/", {}).status_code == 400  # illegal


def test_status_is_not_writable(api, users):
    tw = api(users["township"])
    pk = create(tw).json()["id"]
    assert tw.patch(f"/api/v1/subplans/{pk}/", {"status": "approved"}).status_code == 405
    assert SubPlan.objects.get(pk=pk).status == "draft"


def test_subplans_are_scoped_and_filters_are_strict(api, users):
    pk = create(api(users["township"])).json()["id"]
    other = api(users["other_township"])
    assert other.get(f"/api/v1/subplans/{pk}/").status_code == 404
    assert other.get("/api/v1/subplans/").json()["count"] == 0
    assert other.post(f"/api/v1/subplans/{pk}/submit/", {}).status_code == 404
    office = api(users["office"])
    assert office.get("/api/v1/subplans/?township=biyang").json()["count"] == 1
    assert office.get("/api/v1/subplans/?townshp=biyang").status_code == 400
    assert office.get("/api/v1/subplans/?late=true").json()["count"] == 0
    versions = office.get(f"/api/v1/subplan-versions/?sub_plan={pk}").json()
    assert versions["count"] == 1
    assert other.get("/api/v1/subplan-versions/").json()["count"] == 0


def test_bad_document_is_a_400_with_a_message(api, users):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = api(users["township"]).post(
        "/api/v1/subplans/",
        {
            "title": "t",
            "summary": "s",
            "contact_name": "c",
            "contact_phone": "1",
            "document": SimpleUploadedFile("x.pdf", b"MZ not a pdf"),
        },
        format="multipart",
    )
    assert response.status_code == 400
    assert not SubPlan.objects.exists()


def test_progress_reports_api(api, users):
    tw = api(users["township"])
    period = "2025-Q1"
    response = tw.post(
        "/api/v1/progress-reports/",
        {
            "task": 16,
            "period": period,
            "status": "on_track",
            "text": "建立台账",
            "figures": {"台账数": 3},
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["township"] == "biyang"
    assert api(users["other_township"]).get("/api/v1/progress-reports/").json()["count"] == 0
    office = api(users["office"])
    assert office.get("/api/v1/progress-reports/?task=16&period=2025-Q1").json()["count"] == 1
    assert office.get("/api/v1/progress-reports/?status=bogus").status_code == 400
    assert (
        office.post(
            "/api/v1/progress-reports/",
            {"task": 16, "period": period, "status": "on_track", "text": "x"},
            format="json",
        ).status_code
        == 403
    )


def test_milestone_records_api(api, users):
    tw = api(users["township"])
    response = tw.post(
        "/api/v1/milestone-records/",
        {"milestone": "t16-database-mechanism", "met_on": "2024-12-20", "note": "已完善"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["on_time"] is True
    assert api(users["department"]).get("/api/v1/milestone-records/").json()["count"] == 0
    assert (
        api(users["office"])
        .get("/api/v1/milestone-records/?milestone=t16-database-mechanism")
        .json()["count"]
        == 1
    )


def test_obligation_periods_api_scoped_and_filtered(api, users):
    tw = api(users["township"])
    rows = tw.get("/api/v1/obligation-periods/?page_size=200").json()["results"]
    assert rows and {r["unit_code"] for r in rows} == {"biyang"}
    assert tw.get("/api/v1/obligation-periods/?township=hongcun").json()["count"] == 0
    assert tw.get("/api/v1/obligation-periods/?bogus=1").status_code == 400
    office = api(users["office"])
    missed = office.get("/api/v1/obligation-periods/?obligation=t29-warning-film&status=missed")
    assert missed.status_code == 200
    assert all(
        r["status"] == "missed" and r["obligation"] == "t29-warning-film"
        for r in missed.json()["results"]
    )


def test_league_api(api, users):
    progress_report_submit(
        actor=users["township"],
        task=Task.objects.get(number=1),
        period="2024-Q1",
        status="done",
        text="x",
        today=datetime.date(2024, 4, 2),
    )
    client = api(users["township"])
    rows = client.get("/api/v1/league/?kind=townships").json()
    assert len(rows) == 8 and rows[0]["rank"] == 1
    assert {m["code"] for m in rows[0]["metrics"]} >= {"subplan_on_time", "milestones_met"}
    assert client.get("/api/v1/league/?kind=villages").status_code == 400
    assert client.get("/api/v1/league/?sort=x").status_code == 400
    both = client.get("/api/v1/league/").json()
    assert {r["kind"] for r in both} == {"townships", "departments"}


def test_schema_documents_the_new_endpoints(client, users):
    client.force_login(users["office"])
    schema = client.get("/api/schema/").content.decode()
    for path in (
        "/api/v1/subplans/{id}/approve/",
        "/api/v1/obligation-periods/",
        "/api/v1/league/",
    ):
        assert path in schema


def test_subplan_list_query_count_is_pinned(api, users, django_assert_max_num_queries):
    create(api(users["township"]))
    create(api(users["other_township"]))
    office = api(users["office"])
    with django_assert_max_num_queries(12):
        assert office.get("/api/v1/subplans/").json()["count"] == 2
