"""`make run`'s demo data: complete and idempotent."""

import pytest
from django.apps import apps
from django.core.management import call_command

from campaigns.models import Role, User

pytestmark = pytest.mark.django_db


def row_counts():
    return {
        m._meta.label: m.objects.count()
        for m in apps.get_models()
        if m._meta.app_label in {"campaigns", "hazards", "training", "enforcement"}
    }


def test_seed_demo_creates_one_account_per_unit_and_role():
    call_command("seed_demo")
    assert User.objects.filter(role=Role.TOWNSHIP_OFFICIAL).count() == 8
    assert User.objects.filter(role=Role.DEPARTMENT_STAFF).count() == 16
    assert User.objects.filter(role=Role.SAFETY_OFFICE).count() == 1
    assert User.objects.get(username="admin").is_staff


def test_seed_demo_twice_duplicates_nothing():
    call_command("seed_demo")
    first = row_counts()
    call_command("seed_demo")
    assert row_counts() == first
