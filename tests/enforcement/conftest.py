"""Fixtures of the supervision tests: rectifying major hazards with a given deadline."""


import pytest

from enforcement.models import EscalationRule
from tests.hazards.factories import make_enterprise
from yixian_safety.celery import app as celery_app


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
        "other": make_enterprise(office, township="hongcun", sectors=("fire",),
                                 name="示例宾馆"),
    }
