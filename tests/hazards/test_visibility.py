"""Who sees and does what: the matrix role × action × own/other unit.

Own hazard: 碧阳镇, 燃气安全 (led by 县住建局). Other: 宏村镇, 消防安全 (县消防救援大队).
Outside scope → 404 in pages, API, export, search and photo download; visible but not
allowed → 403.
"""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from hazards import services
from hazards.models import Attachment, Enterprise, Hazard

from .factories import FIVE, make_hazard, photo

pytestmark = pytest.mark.django_db

# who → (sees own, sees other)
MATRIX = {
    "township": (True, False),
    "other_township": (False, True),
    "department": (True, False),
    "other_department": (False, True),
    "office": (True, True),
    "admin": (True, True),
}


@pytest.fixture
def hazards(users, world):
    own = make_hazard(
        users["department"],
        world["own"],
        before_photos=[photo((9, 9, 9))],
        description="own-hazard 燃气",
    )
    other = make_hazard(
        users["office"],
        world["other"],
        before_photos=[photo((8, 8, 8))],
        description="other-hazard 消防",
    )
    return {"own": own, "other": other}


def _client(client, user):
    client.force_login(user)
    return client


def _expected(role):
    return dict(zip(("own", "other"), MATRIX[role], strict=True))


@pytest.mark.parametrize("role", MATRIX)
def test_ledger_list_shows_only_visible(client, users, hazards, role):
    html = _client(client, users[role]).get(reverse("hazards:list")).content.decode()
    for which, visible in _expected(role).items():
        assert (hazards[which].ledger_number in html) is visible


@pytest.mark.parametrize("role", MATRIX)
@pytest.mark.parametrize("which", ["own", "other"])
def test_detail_page(client, users, hazards, role, which):
    r = _client(client, users[role]).get(hazards[which].get_absolute_url())
    assert r.status_code == (200 if _expected(role)[which] else 404)


@pytest.mark.parametrize("role", MATRIX)
@pytest.mark.parametrize("which", ["own", "other"])
def test_api_detail(client, users, hazards, role, which):
    r = _client(client, users[role]).get(f"/api/v1/hazards/{hazards[which].pk}/")
    assert r.status_code == (200 if _expected(role)[which] else 404)


@pytest.mark.parametrize("role", MATRIX)
def test_api_list(client, users, hazards, role):
    data = _client(client, users[role]).get("/api/v1/hazards/").json()
    numbers = {h["ledger_number"] for h in data["results"]}
    for which, visible in _expected(role).items():
        assert (hazards[which].ledger_number in numbers) is visible


@pytest.mark.parametrize("role", MATRIX)
def test_export_contains_only_visible(client, users, hazards, role):
    r = _client(client, users[role]).get(reverse("hazards:export"))
    assert r.status_code == 200
    ws = load_workbook(io.BytesIO(r.getvalue())).active
    numbers = {row[0] for row in ws.iter_rows(min_row=2, values_only=True)}
    for which, visible in _expected(role).items():
        assert (hazards[which].ledger_number in numbers) is visible


@pytest.mark.parametrize("role", MATRIX)
@pytest.mark.parametrize("which", ["own", "other"])
def test_search_by_ledger_number(client, users, hazards, role, which):
    number = hazards[which].ledger_number
    html = _client(client, users[role]).get(reverse("hazards:list"), {"q": number}).content
    assert (f">{number}</a>" in html.decode()) is _expected(role)[which]  # the query is echoed
    api = client.get("/api/v1/hazards/", {"q": number}).json()
    assert (api["count"] == 1) is _expected(role)[which]


@pytest.mark.parametrize("role", MATRIX)
@pytest.mark.parametrize("which", ["own", "other"])
def test_photo_download(client, users, hazards, role, which):
    att = Attachment.objects.get(hazard=hazards[which])
    r = _client(client, users[role]).get(att.get_absolute_url())
    assert r.status_code == (200 if _expected(role)[which] else 404)
    if r.status_code == 200:
        assert r["Content-Type"] == "image/jpeg"
        assert b"".join(r.streaming_content)[:2] == b"\xff\xd8"


@pytest.mark.parametrize("role", MATRIX)
@pytest.mark.parametrize("which", ["own", "other"])
def test_enterprise_detail(client, users, world, role, which):
    r = _client(client, users[role]).get(world[which].get_absolute_url())
    assert r.status_code == (200 if _expected(role)[which] else 404)


@pytest.mark.parametrize("role", MATRIX)
@pytest.mark.parametrize("which", ["own", "other"])
def test_confirm_outside_scope_is_404_inside_is_done(client, users, hazards, role, which):
    r = _client(client, users[role]).post(
        reverse("hazards:transition", args=[hazards[which].pk, "confirm"])
    )
    if not _expected(role)[which]:
        assert r.status_code == 404
        assert Hazard.objects.get(pk=hazards[which].pk).status == "reported"
    else:
        assert r.status_code == 302
        assert Hazard.objects.get(pk=hazards[which].pk).status == "confirmed"


@pytest.mark.parametrize("role", MATRIX)
@pytest.mark.parametrize("which", ["own", "other"])
def test_api_confirm_outside_scope_is_404(client, users, hazards, role, which):
    r = _client(client, users[role]).post(
        f"/api/v1/hazards/{hazards[which].pk}/confirm/", {}, content_type="application/json"
    )
    assert r.status_code == (200 if _expected(role)[which] else 404)


def _awaiting(users, hazard):
    services.hazard_confirm(hazard=hazard, actor=users["office"])
    services.rectification_save(hazard=hazard, actor=users["office"], **FIVE)
    services.hazard_start_rectification(hazard=hazard, actor=users["office"])
    services.hazard_submit_for_acceptance(
        hazard=hazard, actor=users["township"], after_photos=[photo((77, 1, 1))]
    )


def test_township_official_sees_but_may_not_accept_403(client, users, hazards):
    _awaiting(users, hazards["own"])
    c = _client(client, users["township"])
    r = c.post(reverse("hazards:transition", args=[hazards["own"].pk, "accept"]))
    assert r.status_code == 403
    r = c.post(f"/api/v1/hazards/{hazards['own'].pk}/accept/", {}, content_type="application/json")
    assert r.status_code == 403
    assert Hazard.objects.get(pk=hazards["own"].pk).status == "awaiting_acceptance"


def test_supervising_department_accepts_via_api(client, users, hazards):
    _awaiting(users, hazards["own"])
    r = _client(client, users["department"]).post(
        f"/api/v1/hazards/{hazards['own'].pk}/accept/",
        {"note": "ok"},
        content_type="application/json",
    )
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "accepted"


def test_api_status_is_not_writable(client, users, hazards):
    c = _client(client, users["office"])
    r = c.patch(
        f"/api/v1/hazards/{hazards['own'].pk}/",
        {"status": "closed"},
        content_type="application/json",
    )
    assert r.status_code == 405
    assert Hazard.objects.get(pk=hazards["own"].pk).status == "reported"


def test_api_illegal_transition_is_400(client, users, hazards):
    r = _client(client, users["office"]).post(
        f"/api/v1/hazards/{hazards['own'].pk}/close/", {}, content_type="application/json"
    )
    assert r.status_code == 400


def test_township_official_cannot_log_hazard_for_other_township(users, world):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        make_hazard(users["township"], world["other"])
    assert not Hazard.objects.exists()


def test_township_cannot_pick_invisible_enterprise_in_form(client, users, world):
    c = _client(client, users["township"])
    r = c.post(
        reverse("hazards:create"),
        {
            "enterprise": world["other"].pk,
            "level": "major",
            "source": "inspection",
            "found_on": "2025-01-02",
            "found_by": "x",
            "location": "y",
            "description": "z",
        },
    )
    assert r.status_code == 200
    assert "enterprise" in r.context["form"].errors
    assert not Hazard.objects.exists()


def test_api_unknown_filter_is_400(client, users):
    r = _client(client, users["office"]).get("/api/v1/hazards/", {"townshp": "biyang"})
    assert r.status_code == 400


def test_enterprise_api_lists_only_visible(client, users, world):
    data = _client(client, users["township"]).get("/api/v1/enterprises/").json()
    assert {e["id"] for e in data["results"]} == {world["own"].pk}


def test_department_sees_enterprise_through_a_hazard_it_supervises(users, world):
    from campaigns.models import Department

    fire = Department.objects.get(code="fire_rescue")
    housing = Department.objects.get(code="housing")
    make_hazard(
        users["office"],
        world["other"],
        supervising_department=housing,
        supervision_reason="燃气管道",
    )
    assert Enterprise.objects.visible_to(users["department"]).filter(pk=world["other"].pk).exists()
    assert fire  # other dept still sees it through its sector
    assert (
        Enterprise.objects.visible_to(users["other_department"])
        .filter(pk=world["other"].pk)
        .exists()
    )


def test_anonymous_is_sent_to_login(client, hazards):
    assert client.get(reverse("hazards:list")).status_code == 302
    assert client.get(f"/api/v1/hazards/{hazards['own'].pk}/").status_code in (401, 403)


@pytest.mark.parametrize("role", MATRIX)
def test_enterprise_export_contains_only_visible(client, users, world, role):
    r = _client(client, users[role]).get(reverse("hazards:enterprise_export"))
    ws = load_workbook(io.BytesIO(r.getvalue())).active
    codes = {row[1] for row in ws.iter_rows(min_row=2, values_only=True)}
    for which, visible in _expected(role).items():
        assert (world[which].credit_code in codes) is visible


def test_media_files_are_not_public(client, users, hazards):
    att = Attachment.objects.get(hazard=hazards["own"])
    _client(client, users["office"])
    assert client.get("/media/" + att.file.name).status_code == 404


def test_department_filter_lists_what_the_department_follows(client, users, hazards):
    c = _client(client, users["office"])
    r = c.get(reverse("hazards:list"), {"department": "housing"})
    assert [h.pk for h in r.context["page"]] == [hazards["own"].pk]


def test_reporting_in_a_sector_outside_scope_is_a_form_error(client, users, world):
    from campaigns.models import Sector

    c = _client(client, users["department"])
    r = c.post(
        reverse("hazards:create"),
        {
            "enterprise": world["own"].pk,
            "sector": Sector.objects.get(code="fire").pk,
            "level": "major",
            "source": "inspection",
            "found_on": "2025-01-02",
            "found_by": "x",
            "location": "y",
            "description": "z",
        },
    )
    assert r.status_code == 200 and r.context["form"].non_field_errors()
    assert not Hazard.objects.exists()


def test_department_cannot_register_enterprise_outside_its_sectors(client, users):
    from campaigns.models import Sector, Township

    from .factories import make_credit_code

    c = _client(client, users["department"])
    r = c.post(
        reverse("hazards:enterprise_create"),
        {
            "name": "某消防器材店",
            "credit_code": make_credit_code(),
            "township": Township.objects.get(code="biyang").pk,
            "sectors": [Sector.objects.get(code="fire").pk],
            "principal_name": "王某",
        },
    )
    assert r.status_code == 200 and r.context["form"].non_field_errors()
    assert not Enterprise.objects.exists()


def test_hazard_township_can_be_overridden(users, world):
    from campaigns.models import Township

    xidi = Township.objects.get(code="xidi")
    h = make_hazard(users["office"], world["own"], township=xidi)
    assert h.township == xidi
    assert not Hazard.objects.visible_to(users["township"]).filter(pk=h.pk).exists()
