"""Fixtures shared by the browser walk-throughs: the live server's side effects kept in the
test (uploads under a temporary MEDIA_ROOT, e-mail in memory, Celery tasks run at once) and the
gas enterprise of 碧阳镇 the hazard journeys report on."""

import pytest

from campaigns.models import Sector, Township
from hazards import services
from hazards.reference import criteria_load
from yixian_safety.celery import app as celery_app


@pytest.fixture
def live_side_effects(settings, tmp_path):
    """Uploads go to ``tmp_path / "media"``, e-mail to ``django.core.mail.outbox``, Celery tasks
    run eagerly (restored afterwards)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    old = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = old


@pytest.fixture
def gas_enterprise(users, live_side_effects):
    """黟县碧溪燃气有限公司 in 碧阳镇 (sector 城镇燃气), created by the safety office, with the
    judgement-standard clauses loaded (a major hazard must cite one)."""
    criteria_load()
    return services.enterprise_create(
        actor=users["office"],
        name="黟县碧溪燃气有限公司",
        credit_code="91341023MA2RDEM000",
        township=Township.objects.get(code="biyang"),
        sectors=[Sector.objects.get(code="gas")],
        principal_name="汪某",
        principal_email="principal@example.invalid",
        controller_name="程某",
        controller_email="controller@example.invalid",
        address="碧阳镇示例路 8 号",
    )
