"""Fixtures of the hazard tests: enterprises in own/other units, photos, a hazard factory."""

import datetime
import io
import itertools

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from stdnum.cn import uscc

from campaigns.models import Sector, Township
from hazards import services
from hazards.models import Level, Source
from yixian_safety.celery import app as celery_app

_serial = itertools.count(1)


def make_credit_code(n: int | None = None) -> str:
    n = next(_serial) if n is None else n
    base = f"91341023MA{n:07d}"
    return base + uscc.calc_check_digit(base)


def photo(color=(200, 30, 30), name="photo.jpg", size=(64, 48), fmt="JPEG"):
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, format=fmt)
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/jpeg")


@pytest.fixture(scope="package", autouse=True)
def _plan_once(django_db_setup, django_db_blocker):
    """Load the plan once for this package (each test's transaction rolls back to it) instead
    of once per test; flush afterwards so later packages find the database as they expect."""
    from django.core.management import call_command

    from campaigns.models import Campaign
    from campaigns.services import plan_load, roles_sync

    with django_db_blocker.unblock():
        if not Campaign.objects.exists():
            plan_load()
            roles_sync()
    yield
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture(autouse=True)
def _eager_celery(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # The users fixture hashes six passwords per test: a fast hasher keeps the matrix quick.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    old = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = old


def make_enterprise(actor, *, township="biyang", sectors=("gas",), name=None, **kw):
    return services.enterprise_create(
        actor=actor, name=name or f"测试企业{next(_serial)}", credit_code=make_credit_code(),
        township=Township.objects.get(code=township),
        sectors=list(Sector.objects.filter(code__in=sectors)),
        principal_name="王某", principal_email="boss@example.invalid",
        controller_name="李某", controller_email="owner@example.invalid", **kw)


def make_hazard(actor, enterprise, **kw):
    params = dict(source=Source.INSPECTION, found_on=datetime.date(2025, 3, 1),
                  found_by="检查组", location="气瓶间", description="未设置可燃气体报警装置",
                  level=Level.MAJOR)
    params.update(kw)
    return services.hazard_report(actor=actor, enterprise=enterprise, **params)


FIVE = dict(measures="加装报警装置", responsible_unit="某公司", responsible_person="王某",
            funds=__import__("decimal").Decimal("12000.50"),
            deadline=datetime.date(2099, 6, 30), contingency_plan="停用气瓶间并设警戒")


@pytest.fixture
def world(users):
    """biyang gas enterprise (own for township + housing dept) and hongcun fire enterprise."""
    office = users["office"]
    return {
        "own": make_enterprise(office, township="biyang", sectors=("gas",)),
        "other": make_enterprise(office, township="hongcun", sectors=("fire",)),
    }
