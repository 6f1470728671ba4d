"""Fixtures of the hazard tests: enterprises in own/other units, photos, a hazard factory."""

import pytest

from yixian_safety.celery import app as celery_app

from .factories import make_enterprise


@pytest.fixture(scope="package", autouse=True)
def _plan_once(django_db_setup, django_db_blocker):
    """Load the plan once for this package (each test's transaction rolls back to it) instead
    of once per test; flush afterwards so later packages find the database as they expect."""
    from django.core.management import call_command

    from campaigns.models import Campaign
    from campaigns.org.services import roles_sync
    from campaigns.plan.services import plan_load

    with django_db_blocker.unblock():
        if not Campaign.objects.exists():
            plan_load()
            roles_sync()
    yield
    from django.db import connection

    with django_db_blocker.unblock():
        # Never the developer's database: seen when only database-free tests of the package
        # ran (pytest-django had already switched the connection back).
        if connection.settings_dict["NAME"].startswith("test_"):
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


@pytest.fixture
def world(users):
    """biyang gas enterprise (own for township + housing dept) and hongcun fire enterprise."""
    office = users["office"]
    return {
        "own": make_enterprise(office, township="biyang", sectors=("gas",)),
        "other": make_enterprise(office, township="hongcun", sectors=("fire",)),
    }
