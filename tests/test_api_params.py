"""Every API endpoint refuses what it does not understand, in Chinese (found by the probe of
2026-12-01): an unknown query parameter on the figures endpoints (plain viewsets, which no
filter backend guards) returned the unfiltered figures with 200; several 400s and the CSRF
refusal spoke English."""

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db
CJK = re.compile(r"[\u4e00-\u9fff]")

FIGURES = [
    "/api/v1/hazard-statistics/",
    "/api/v1/training-coverage/",
    "/api/v1/training-duties/",
    "/api/v1/slow-progress/",
    "/api/v1/enforcement-statistics/",
    "/api/v1/tipoff-statistics/",
    "/api/v1/league/",
    "/api/v1/hazards/",
]


@pytest.mark.parametrize("path", FIGURES)
def test_a_typo_in_a_parameter_is_a_400_naming_it(client, users, path):
    client.force_login(users["office"])
    assert client.get(path).status_code == 200
    r = client.get(path + "?townshp=biyang")
    assert r.status_code == 400, r.content[:200]
    message = r.json()["townshp"][0]
    assert message.startswith("未知的查询参数") and "format" in message


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/hazard-statistics/?level=x",
        "/api/v1/training-coverage/?year=3000",
        "/api/v1/training-duties/?duty=x",
        "/api/v1/enforcement-statistics/?year=1999",
        "/api/v1/enforcement-statistics/?year=2026&quarter=5",
        "/api/v1/enforcement-statistics/?year=abc",
        "/api/v1/league/?kind=x",
    ],
)
def test_a_bad_value_is_a_400_in_chinese(client, users, path):
    client.force_login(users["office"])
    r = client.get(path)
    assert r.status_code == 400
    (messages,) = r.json().values()
    assert CJK.search(messages[0]), messages


def test_the_known_parameters_still_work(client, users):
    client.force_login(users["office"])
    for path in (
        "/api/v1/hazard-statistics/?level=major",
        "/api/v1/training-duties/?duty=inspection&year=2026",
        "/api/v1/enforcement-statistics/?year=2026&quarter=4",
        "/api/v1/league/?kind=townships&format=json",
    ):
        assert client.get(path).status_code == 200, path


def test_a_session_post_without_the_csrf_token_is_refused_in_chinese(users):
    c = Client(enforce_csrf_checks=True)
    c.force_login(users["department"])
    r = c.post("/api/v1/hazards/", {}, content_type="application/json")
    assert r.status_code == 403
    assert "CSRF" in r.json()["detail"] and CJK.search(r.json()["detail"])
