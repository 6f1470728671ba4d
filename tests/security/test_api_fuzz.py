"""API fuzzing: schemathesis over our OpenAPI schema (drf-spectacular), in-process.

Every operation of ``/api/schema/`` is called with generated parameters and bodies against the
WSGI application (no server, no port), on the demo data, as two roles with their API tokens — a
township official (one township) and the safety office (everything). Each answer must not be a
5xx and must match the response schema the OpenAPI document declares for its status. Bounded:
``FUZZ_EXAMPLES`` examples per operation and role (default 3); Hypothesis keeps no example
database (nothing is written into the repository).

The failures are collected into one report: operation, role, the failing check and a curl-like
reproduction.
"""

from __future__ import annotations

import os
from contextlib import contextmanager

import hypothesis
import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from rest_framework.authtoken.models import Token
from schemathesis import checks

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "2"))
ONLY = os.environ.get("FUZZ_ONLY", "")  # run the operations whose label contains this
ROLES = {"township": "tw_biyang", "office": "office"}
CHECKS = [checks.not_a_server_error, checks.response_schema_conformance]
# Operations whose responses do not yet match their documented schema (e.g. an empty string
# where the schema says "uri", null in a non-nullable read-only field, an enum missing a value).
# They are still fuzzed for 5xx; add one here only with an issue, remove it once fixed. Empty:
# every operation's answers are checked against its schema.
SCHEMA_GAPS: set[str] = set()


@contextmanager
def keep_test_connection():
    """The WSGI handler closes "old" connections around each request; in a test that is the
    test's transaction. Django's test client unhooks the same signal handler."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _fuzz(operation, auth: dict):
    """Run ``operation`` with generated cases under ``auth``; raises on the first failure."""

    @hypothesis.settings(
        max_examples=EXAMPLES,
        database=None,
        deadline=None,
        derandomize=True,
        suppress_health_check=list(hypothesis.HealthCheck),
        phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
    )
    @hypothesis.given(case=operation.as_strategy())
    def call(case):
        response = case.call(headers=auth)
        if operation.label in SCHEMA_GAPS:
            case.validate_response(response, checks=[checks.not_a_server_error])
        else:
            case.validate_response(response, checks=CHECKS)

    call()


def fuzz_api(headers: dict[str, dict]) -> list[str]:
    """Fuzz every operation as every role of ``headers`` (role → auth headers); the failures."""
    app = get_wsgi_application()
    failures: list[str] = []
    with keep_test_connection():
        schema = schemathesis.openapi.from_wsgi(
            "/api/schema/", app, headers=next(iter(headers.values()))
        )
        for result in schema.get_all_operations():
            operation = result.ok()
            if ONLY and ONLY not in operation.label:
                continue
            for role, auth in headers.items():
                try:
                    _fuzz(operation, auth)
                except KeyboardInterrupt:
                    raise
                except BaseException as error:  # noqa: BLE001 - schemathesis raises groups
                    found = getattr(error, "exceptions", None) or [error]
                    details = "\n".join(str(e) for e in found)
                    failures.append(f"{operation.label} as {role}: {details}")
    return failures


def token_headers(user_model) -> dict[str, dict]:
    return {
        role: {
            "Authorization": "Token "
            + Token.objects.get_or_create(user=user_model.objects.get(username=name))[0].key
        }
        for role, name in ROLES.items()
    }


@pytest.mark.django_db
def test_api_answers_no_5xx_and_conforms_to_its_schema(demo_data, django_user_model, settings):
    settings.ALLOWED_HOSTS = ["*"]
    failures = fuzz_api(token_headers(django_user_model))
    assert not failures, f"{len(failures)} API failures:\n\n" + "\n\n".join(failures)
