"""The plan's REST API: shape, filters, auth, strict parameters, pagination cap."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(users):
    client = APIClient()
    client.force_authenticate(users["township"])
    return client


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/tasks/",
        "/api/v1/actions/",
        "/api/v1/phases/",
        "/api/v1/departments/",
        "/api/v1/townships/",
        "/api/v1/sectors/",
        "/api/schema/",
    ],
)
def test_anonymous_requests_are_refused(plan, path):
    response = APIClient().get(path)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Token"


def test_task_shape(api):
    response = api.get("/api/v1/tasks/16/")
    assert response.status_code == 200
    body = response.json()
    assert {"number", "action", "title", "text", "lead_departments", "milestones"} <= set(body)
    assert body["number"] == 16 and body["action"] == 3
    assert body["text"].startswith("健全重大事故隐患数据库")
    assert any(m["due_on"] == "2024-12-31" for m in body["milestones"])


def test_tasks_filter_by_action(api):
    body = api.get("/api/v1/tasks/", {"action": 2, "page_size": 200}).json()
    assert [t["number"] for t in body["results"]] == list(range(4, 13))


def test_tasks_filter_by_lead_department(api):
    body = api.get("/api/v1/tasks/", {"lead_department": "fire_rescue"}).json()
    numbers = [t["number"] for t in body["results"]]
    assert 5 in numbers and 11 in numbers
    assert all("fire_rescue" in t["lead_departments"] for t in body["results"])


def test_unknown_filter_parameter_is_400(api):
    response = api.get("/api/v1/tasks/", {"actoin": 2})
    assert response.status_code == 400
    assert "actoin" in response.json()


def test_malformed_filter_value_is_400(api):
    assert api.get("/api/v1/tasks/", {"action": "two"}).status_code == 400


def test_page_size_is_capped_at_200(api):
    body = api.get("/api/v1/tasks/", {"page_size": 5000}).json()
    assert body["count"] == 30 and len(body["results"]) == 30
    assert api.get("/api/v1/tasks/", {"page_size": 2}).json()["next"]


def test_token_authentication(users):
    token = Token.objects.create(user=users["office"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.get("/api/v1/townships/").json()["count"] == 8


def test_basic_authentication_is_not_accepted(users):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Basic b2ZmaWNlOllpeGlhbi1kZW1vLTIwMjQ=")
    assert client.get("/api/v1/townships/").status_code in (401, 403)


def test_api_is_read_only_for_the_plan(api):
    assert api.post("/api/v1/tasks/", {"number": 31}).status_code == 405


def test_schema_is_served_to_signed_in_users(api):
    response = api.get("/api/schema/")
    assert response.status_code == 200
    assert b"/api/v1/tasks/" in response.content
