"""Fixtures of the training tests: the plan once per package, enterprises in own/other units."""

import pytest

from tests.hazards.factories import make_enterprise


@pytest.fixture(scope="package", autouse=True)
def _plan_once(django_db_setup, django_db_blocker):
    """Load the plan once for this package; flush afterwards (as tests/hazards does)."""
    from django.core.management import call_command

    from campaigns.models import Campaign
    from campaigns.org.services import roles_sync
    from campaigns.plan.services import plan_load

    with django_db_blocker.unblock():
        if not Campaign.objects.exists():
            plan_load()
            roles_sync()
    yield
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world(users):
    """``own``: 碧阳镇 gas enterprise (township biyang + 县住建局 see it); ``other``: 宏村镇 fire
    enterprise (neither sees it); ``high``: 碧阳镇 metal smelting (high-risk)."""
    office = users["office"]
    return {
        "own": make_enterprise(office, township="biyang", sectors=("gas",)),
        "other": make_enterprise(office, township="hongcun", sectors=("fire",)),
        "high": make_enterprise(office, township="biyang", sectors=("metal_smelting",)),
    }
