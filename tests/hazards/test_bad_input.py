"""Bad input on the ledger is a 400 or a form error, never a 500 (issue 15)."""

import pytest
from django.db import IntegrityError
from django.urls import reverse

from hazards import services
from hazards.models import Enterprise

from .factories import make_credit_code

pytestmark = pytest.mark.django_db

BAD_YEARS = ["0", "10000", "-1", "1e-05", "1999", "2101", "abc"]


@pytest.mark.parametrize("year", BAD_YEARS)
def test_bad_found_year_on_the_ledger_page_is_a_form_error(client, users, year):
    client.force_login(users["office"])
    r = client.get(reverse("hazards:list"), {"found_year": year})
    assert r.status_code == 200
    assert 'data-testid="filter-errors"' in r.content.decode()


@pytest.mark.parametrize("year", BAD_YEARS)
def test_bad_found_year_on_the_export_is_400(client, users, year):
    client.force_login(users["office"])
    r = client.get(reverse("hazards:export"), {"found_year": year})
    assert r.status_code == 400
    assert "筛选条件有误" in r.content.decode()


@pytest.mark.parametrize("year", BAD_YEARS)
def test_bad_found_year_on_the_api_is_400(client, users, year):
    client.force_login(users["office"])
    r = client.get("/api/v1/hazards/", {"found_year": year})
    assert r.status_code == 400
    assert "found_year" in r.json()


def test_good_found_year_filters(client, users):
    client.force_login(users["office"])
    assert client.get("/api/v1/hazards/", {"found_year": "2025"}).status_code == 200
    assert client.get(reverse("hazards:export"), {"found_year": "2025"}).status_code == 200


@pytest.fixture
def lost_race(monkeypatch):
    """The other request inserts the same 统一社会信用代码 after our uniqueness checks passed and
    before our INSERT (what two simultaneous creates do); the unique index refuses ours."""
    original = Enterprise.full_clean

    def full_clean(self, *args, **kwargs):
        original(self, *args, **kwargs)
        if self.pk is None and kwargs.get("validate_unique", True):  # the service's check
            Enterprise.objects.bulk_create(
                [
                    Enterprise(
                        name="另一家",
                        credit_code=self.credit_code,
                        township=self.township,
                        principal_name="某",
                    )
                ]
            )

    monkeypatch.setattr(Enterprise, "full_clean", full_clean)


def _body(code):
    return {
        "name": "黟县某木业有限公司",
        "credit_code": code,
        "township": "biyang",
        "sectors": ["industry_trade"],
        "principal_name": "王某",
    }


def test_concurrent_create_of_the_same_code_is_a_validation_error(users, lost_race):
    from campaigns.models import Sector, Township

    with pytest.raises(services.ValidationError) as exc:
        services.enterprise_create(
            actor=users["office"],
            name="某",
            credit_code=make_credit_code(),
            township=Township.objects.get(code="biyang"),
            principal_name="王某",
            sectors=[Sector.objects.get(code="gas")],
        )
    assert "credit_code" in exc.value.message_dict
    # (the other request's row rolls back with ours here: in real life it was committed)
    assert not Enterprise.objects.filter(name="某").exists()


def test_concurrent_create_of_the_same_code_is_400_in_the_api(client, users, lost_race):
    client.force_login(users["office"])
    r = client.post(
        "/api/v1/enterprises/", _body(make_credit_code()), content_type="application/json"
    )
    assert r.status_code == 400, r.content
    assert "已" in r.json()["credit_code"][0]


def test_concurrent_create_of_the_same_code_is_a_form_error(client, users, lost_race):
    from campaigns.models import Sector, Township

    client.force_login(users["office"])
    body = {
        **_body(make_credit_code()),
        "township": Township.objects.get(code="biyang").pk,
        "sectors": [Sector.objects.get(code="industry_trade").pk],
    }
    r = client.post(reverse("hazards:enterprise_create"), body)
    assert r.status_code == 200
    assert "已" in r.content.decode()
    assert not Enterprise.objects.filter(name="黟县某木业有限公司").exists()


def test_other_integrity_errors_are_not_hidden(users, monkeypatch):
    """Only the credit-code race becomes a validation error; anything else still raises."""
    from campaigns.models import Sector, Township

    def save(self, *args, **kwargs):
        raise IntegrityError("some other constraint")

    monkeypatch.setattr(Enterprise, "save", save)
    with pytest.raises(IntegrityError):
        services.enterprise_create(
            actor=users["office"],
            name="某",
            credit_code=make_credit_code(),
            township=Township.objects.get(code="biyang"),
            principal_name="王某",
            sectors=[Sector.objects.get(code="gas")],
        )


@pytest.mark.parametrize(
    "query",
    [
        {"enterprise": "1e400"},
        {"enterprise": "99999999999999999999"},
        {"enterprise": "-1"},
        {"enterprise": "NaN"},
        {"found_after": "0000-01-01"},
        {"found_after": "99999-01-01"},
        {"closed_before": "2025-02-30"},
        {"page": "99999999999999999999"},
        {"page_size": "1e9"},
        {"sort": "x" * 5000},
        {"q": "x" * 5000},
    ],
)
def test_odd_ledger_queries_are_never_a_500(client, users, query):
    client.force_login(users["office"])
    for url in (reverse("hazards:list"), reverse("hazards:export"), "/api/v1/hazards/"):
        r = client.get(url, query)
        assert r.status_code in (200, 400, 404), (url, query, r.status_code)


def test_description_longer_than_the_bound_is_refused_with_its_length(users, world):
    """It goes on the supervision notice PDF, whose cost grows steeply with the text."""
    from django.core.exceptions import ValidationError

    from hazards.constants import DESCRIPTION_MAX

    from .factories import make_hazard

    with pytest.raises(ValidationError) as refused:
        make_hazard(users["office"], world["own"], description="隐" * (DESCRIPTION_MAX + 1))
    assert f"{DESCRIPTION_MAX + 1}" in str(refused.value.message_dict["description"])
    assert make_hazard(users["office"], world["own"], description="隐" * DESCRIPTION_MAX).pk


def test_description_longer_than_the_bound_is_400_on_the_api(client, users, world):
    from hazards.constants import DESCRIPTION_MAX

    client.force_login(users["office"])
    r = client.post(
        "/api/v1/hazards/",
        {
            "enterprise": world["own"].pk,
            "source": "inspection",
            "found_on": "2025-03-01",
            "found_by": "检查组",
            "location": "气瓶间",
            "description": "隐" * (DESCRIPTION_MAX + 1),
            "level": "general",
        },
        content_type="application/json",
    )
    assert r.status_code == 400 and "description" in r.json(), r.content
