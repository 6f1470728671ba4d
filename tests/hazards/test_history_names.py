"""Issue 18: change history names people (张伟), not their user names (office)."""

import datetime

import pytest
from django.urls import reverse

from hazards import services
from hazards.selectors import hazard_history
from tests.hazards.factories import make_enterprise, photo, rectifying_hazard

pytestmark = pytest.mark.django_db


@pytest.fixture
def named(users):
    office = users["office"]
    office.first_name = "王芳"
    office.save(update_fields=["first_name"])
    hazard = rectifying_hazard(office, make_enterprise(office), deadline=datetime.date(2027, 1, 31))
    services.hazard_submit_for_acceptance(
        hazard=hazard, actor=office, after_photos=[photo((20, 160, 40), "after.jpg")]
    )
    return office, hazard


def test_a_person_changed_in_the_hazard_history_is_shown_by_name(named):
    _office, hazard = named
    changes = [c for e in hazard_history(hazard) for c in e.changes]
    submitted_by = [new for label, _old, new in changes if label == "提请验收人"]
    assert submitted_by == ["王芳"], changes


def test_the_admin_history_page_shows_names(client, users, named):
    _office, hazard = named
    client.force_login(users["admin"])
    html = client.get(reverse("admin:hazards_hazard_history", args=[hazard.pk])).content.decode()
    assert "王芳" in html
    assert ">office<" not in html.replace(" ", "").replace("\n", "")
