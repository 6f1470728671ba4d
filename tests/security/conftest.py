"""The demo data, seeded once for this package (the authorization matrix and the API fuzz).

``seed_demo`` takes a minute or two; seeding it for every test would take the suite's whole
budget. It runs once inside an outer transaction that is rolled back when the package's tests
are done (as ``TestCase.setUpTestData`` does), so each test still runs in its own savepoint and
the tests after this package see an empty database.
"""

import os

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test.utils import override_settings

from tests.conftest import SUITE_TODAY


@pytest.fixture(scope="package")
def demo_data(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            # made at the suite's today, as every test of the package sees it (tests/conftest.py)
            with open(os.devnull, "w") as quiet, override_settings(DEMO_TODAY=SUITE_TODAY):
                call_command("seed_demo", stdout=quiet)
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
