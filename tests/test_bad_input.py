"""Bad input anywhere is a 400 or a form error, never a 500 (issue 15): NUL characters, format
suffixes on every API route, deeply nested JSON."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from yixian_safety.urls import api_router

pytestmark = pytest.mark.django_db


def test_nul_in_a_slug_of_a_json_post_is_400(client, users):
    client.force_login(users["office"])
    for url, body in [
        (
            "/api/v1/enterprises/",
            {
                "name": "某",
                "credit_code": "91341023MA2RDEM000",
                "township": "biyang",
                "sectors": ["campus\u0000"],
                "principal_name": "王某",
            },
        ),
        ("/api/v1/enterprises/", {"name": "某", "township": "biyang\u0000"}),
        ("/api/v1/hazards/", {"enterprise": 1, "sector": "gas\u0000", "source": "self_report"}),
    ]:
        r = client.post(url, body, content_type="application/json")
        assert r.status_code == 400, (url, r.content)
        assert "U+0000" in r.json()["detail"]


def test_nul_as_a_json_key_is_400(client, users):
    client.force_login(users["office"])
    r = client.post("/api/v1/enterprises/", '{"na\\u0000me": "x"}', content_type="application/json")
    assert r.status_code == 400


def test_escaped_backslash_u0000_text_is_not_a_nul(client, users):
    """The six characters \\u0000 typed as text are ordinary text, not refused."""
    client.force_login(users["office"])
    r = client.post(
        "/api/v1/enterprises/", json.dumps({"name": "a\\u0000b"}), content_type="application/json"
    )
    assert r.status_code == 400  # incomplete body: field errors, not the NUL guard
    assert "detail" not in r.json() and "credit_code" in r.json()


def test_nul_in_a_query_parameter_is_400(client, users):
    client.force_login(users["office"])
    for url in [
        "/hazards/?township=biyang%00",
        "/api/v1/hazards/?sector=gas%00",
        "/enterprises/?q=%00",
        "/hazards/?%00=1",
    ]:
        assert client.get(url).status_code == 400, url


def test_nul_in_an_html_form_is_400(client, users):
    client.force_login(users["office"])
    r = client.post(
        reverse("hazards:enterprise_create"),
        {
            "name": "某",
            "credit_code": "91341023MA2RDEM000",
            "township": "1",
            "sectors": ["gas\x00"],
            "principal_name": "王某",
        },
    )
    assert r.status_code == 400
    assert "U+0000" in r.content.decode()


def test_nul_in_a_multipart_api_field_is_400_but_files_may_hold_nul_bytes(client, users):
    client.force_login(users["office"])
    r = client.post(
        "/api/v1/hazards/",
        {"sector": "gas\x00", "before_photos": SimpleUploadedFile("a.bin", b"\x00")},
    )
    assert r.status_code == 400 and "U+0000" in r.json()["detail"]
    r = client.post(
        "/api/v1/hazards/", {"sector": "gas", "before_photos": SimpleUploadedFile("a.bin", b"\x00")}
    )
    assert r.status_code == 400 and "detail" not in r.json()  # ordinary field errors


def test_deeply_nested_json_is_400(client, users):
    client.force_login(users["office"])
    r = client.post(
        "/api/v1/enterprises/", "[" * 100_000 + "]" * 100_000, content_type="application/json"
    )
    assert r.status_code == 400


def _routes():
    return sorted({prefix for prefix, _viewset, _basename in api_router.registry})


@pytest.mark.parametrize("prefix", _routes())
def test_format_suffix_on_every_api_route_is_not_a_500(client, users, prefix):
    """``/api/v1/<route>.json/`` used to reach views that take no ``format`` argument."""
    client.force_login(users["office"])
    for url in [
        f"/api/v1/{prefix}.json",
        f"/api/v1/{prefix}.json/",
        f"/api/v1/{prefix}/1.json",
        f"/api/v1/{prefix}/1.json/",
        f"/api/v1/{prefix}.api",
    ]:
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize("prefix", _routes())
def test_every_api_list_route_answers_with_format_json(client, users, prefix):
    # the audit trail is for admins only (403 to the office by design)
    client.force_login(users["admin" if prefix == "audit-events" else "office"])
    r = client.get(f"/api/v1/{prefix}/", {"format": "json"})
    assert r.status_code in (200, 405), (prefix, r.status_code, r.content[:300])
    if r.status_code == 200:
        assert r["Content-Type"].startswith("application/json")


def test_api_root_and_league_without_suffix_work(client, users):
    client.force_login(users["office"])
    assert client.get("/api/v1/").status_code == 200
    assert client.get("/api/v1/league/").status_code == 200


def test_nul_in_a_multipart_patch_is_400(client, users):
    from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

    from tests.hazards.factories import make_enterprise

    url = f"/api/v1/enterprises/{make_enterprise(users['office']).pk}/"
    client.force_login(users["office"])
    body = encode_multipart(
        BOUNDARY, {"township": "biyang\x00", "f": SimpleUploadedFile("a.bin", b"\x00\x01")}
    )
    r = client.patch(url, body, content_type=MULTIPART_CONTENT)
    assert r.status_code == 400 and "U+0000" in r.json()["detail"]
    body = encode_multipart(
        BOUNDARY, {"township": "biyang", "f": SimpleUploadedFile("a.bin", b"\x00\x01")}
    )
    r = client.patch(url, body, content_type=MULTIPART_CONTENT)
    assert r.status_code == 200, r.content
