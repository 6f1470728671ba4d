"""Fixtures of the supervision tests: rectifying major hazards with a given deadline."""

import pytest

from enforcement.models import EscalationRule
from tests.hazards.factories import make_enterprise
from yixian_safety.celery import app as celery_app


@pytest.fixture(scope="package", autouse=True)
def _plan_once(django_db_setup, django_db_blocker):
    """Load the plan once for this package (each test's transaction rolls back to it); flush
    afterwards so later packages find the database as they expect."""
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
def _media_and_eager(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.EXTENSION_MIN_WORKING_DAYS = 15
    old = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = old


@pytest.fixture
def no_default_rules(db):
    """Tests that define their own ladder start without the default rules."""
    EscalationRule.objects.all().delete()


@pytest.fixture
def world(users):
    """碧阳镇 gas enterprise (township + 住建局 see it) and 宏村镇 fire enterprise."""
    office = users["office"]
    return {
        "own": make_enterprise(office, township="biyang", sectors=("gas",), name="示例燃气站"),
        "other": make_enterprise(office, township="hongcun", sectors=("fire",), name="示例宾馆"),
    }
