"""The hub's registries (campaigns/plugins.py): every app plugs in, mistakes fail loudly, and the
cache behind the dashboard is an optimisation only."""

import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils import timezone

from campaigns.checks import CHECKS
from campaigns.dashboard.registry import PANELS, Panel, register_panel
from campaigns.dashboard.selectors import connect_invalidation, dashboard_for
from campaigns.league.registry import METRICS
from campaigns.management.commands.seed_demo import DEMO_MODULES
from campaigns.models import SubPlan
from campaigns.notifications.sources import _SOURCES
from campaigns.slots import SLOTS, nav_items
from campaigns.subplans.services import subplan_create
from hazards.models import Hazard, Status
from tests.hazards.factories import make_enterprise, make_hazard

pytestmark = pytest.mark.django_db


def test_every_app_fills_the_registries():
    assert {
        "targets",
        "statistics",
        "supervision",
        "plan",
        "action_progress",
        "subplan_board",
        "league",
    } <= set(PANELS)
    assert {"hazards_closed_on_time", "overdue_hazards", "subplan_on_time"} <= {
        m.code for m in METRICS
    }
    from enforcement.services import ensure_listing_signoff

    assert ensure_listing_signoff in CHECKS["hazard.close"]
    assert "supervision" in SLOTS["hazard_detail"]
    assert {"hazards:list", "enforcement:listing_list", "campaigns:dashboard"} <= {
        i.url_name for i in nav_items()
    }
    assert {
        "milestone",
        "subplan",
        "progress",
        "obligation",
        "hazard",
        "extension",
        "listing_report",
    } <= set(_SOURCES)


def test_a_watched_name_that_is_not_a_model_fails_at_start_up():
    register_panel(
        Panel(
            key="typo",
            title="typo",
            order=999,
            build=lambda *a, **k: None,
            template="",
            watches=("enforcement.SupervisionListing",),
        )
    )
    try:
        with pytest.raises(ImproperlyConfigured, match="SupervisionListing"):
            connect_invalidation()
    finally:
        PANELS.pop("typo")


def _listed(data) -> int:
    return data.supervision["figures"][0].value


def test_listing_a_hazard_refreshes_the_cached_dashboard(users):
    from enforcement.services import listing_create

    office = users["office"]
    hazard = make_hazard(office, make_enterprise(office))
    Hazard.objects.filter(pk=hazard.pk).update(status=Status.RECTIFYING)
    before = dashboard_for(office)  # cached from here on
    assert _listed(dashboard_for(office)) == _listed(before) == 0
    listing_create(
        hazard=Hazard.objects.get(pk=hazard.pk),
        actor=office,
        listing_body="safety_office",
        listed_on=timezone.localdate(),
        required_completion=datetime.date(2027, 1, 31),
        responsible_unit="碧阳镇人民政府",
    )
    assert _listed(dashboard_for(office)) == 1  # through the cache, not build_dashboard


def test_every_listed_demo_module_exists():
    from importlib.util import find_spec

    missing = [name for name in DEMO_MODULES if find_spec(name) is None]
    assert missing == []


@pytest.fixture
def cache_down(settings, unreachable_redis_url):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": unreachable_redis_url,
        }
    }


def test_with_the_cache_down_the_dashboard_answers(client, users, cache_down):
    client.force_login(users["office"])
    assert client.get(reverse("campaigns:dashboard")).status_code == 200


def test_with_the_cache_down_a_hazard_and_a_sub_plan_are_saved(users, cache_down, pdf):
    office = users["office"]
    hazard = make_hazard(office, make_enterprise(office))
    assert Hazard.objects.filter(pk=hazard.pk).exists()
    subplan_create(
        actor=users["township"],
        title="碧阳镇子实施方案",
        summary="目标任务和分工",
        contact_name="联系人",
        contact_phone="0559-5500001",
        document=pdf(),
    )
    assert SubPlan.objects.filter(township=users["township"].township).exists()
