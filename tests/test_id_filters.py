"""An id filter (``?enterprise=``, ``?session=``, …) takes whole numbers in the range of an id:
anything else is a 400 naming the parameter, in Chinese — not a 500 on the embedded SQLite
(``OverflowError: Python int too large to convert to SQLite INTEGER``) and not a database-
dependent answer on PostgreSQL.

Found by the probe of 2026-12-01 (``/api/v1/hazards/?enterprise=99999999999999999999`` → 500)."""

import pytest

pytestmark = pytest.mark.django_db

ID_FILTERS = [
    ("/api/v1/hazards/", "enterprise"),
    ("/api/v1/hazards/", "criterion"),
    ("/api/v1/training-attendances/", "enterprise"),
    ("/api/v1/training-attendances/", "session"),
    ("/api/v1/certificates/", "enterprise"),
    ("/api/v1/drills/", "enterprise"),
    ("/api/v1/inspections/", "enterprise"),
    ("/api/v1/inspections/", "draw"),
    ("/api/v1/audit-events/", "user"),
]


@pytest.mark.parametrize("value", ["99999999999999999999", "1.5", "-1"])
@pytest.mark.parametrize("url, name", ID_FILTERS)
def test_an_id_filter_out_of_range_is_a_400_naming_it(client, users, url, name, value):
    client.force_login(users["admin" if "audit" in url else "office"])
    response = client.get(url, {name: value})
    assert response.status_code == 400, (response.status_code, response.content[:300])
    message = " ".join(response.json()[name])
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message), message


@pytest.mark.parametrize("url, name", ID_FILTERS)
def test_an_id_filter_in_range_still_filters(client, users, url, name):
    client.force_login(users["admin" if "audit" in url else "office"])
    response = client.get(url, {name: "2147483647"})
    assert response.status_code == 200, response.content[:300]
    assert response.json()["count"] == 0
