"""Faults: PostgreSQL loses the app's connection while serving; a later step of a multi-step
change fails. (Redis stopped during page views and saves: tests/campaigns/test_outbox.py and the
``unreachable_redis_url`` tests.)"""

import io
from wsgiref.util import setup_testing_defaults

import psycopg
import pytest
from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.db import connection
from django.test import Client

from campaigns.constants import DEMO_PASSWORD
from campaigns.models import Role
from campaigns.org.services import user_create


def _get(app, path: str, cookie: str) -> tuple[str, bytes]:
    """One request through the real WSGI handler (with its request signals, which the test
    client unhooks) — what gunicorn does."""
    environ = {"PATH_INFO": path, "HTTP_COOKIE": cookie, "wsgi.input": io.BytesIO()}
    setup_testing_defaults(environ)
    environ["SERVER_NAME"] = environ["HTTP_HOST"] = "localhost"
    status = []
    body = b"".join(app(environ, lambda s, headers, exc_info=None: status.append((s, headers))))
    return f"{status[0][0]} {dict(status[0][1]).get('Location', '')}", body


def test_database_connection_settings_survive_a_restart():
    """Persistent connections are health-checked before a request reuses them."""
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True


@pytest.mark.django_db(transaction=True)
def test_page_answers_after_the_database_killed_our_connection(monkeypatch):
    """As a PostgreSQL restart does: the backend of the app's (persistent) connection is
    terminated between two requests; the next page still answers 200."""
    if connection.vendor != "postgresql":
        pytest.skip("pg_terminate_backend is PostgreSQL's")
    # As deployed with persistent connections (CONN_MAX_AGE > 0): the connection outlives the
    # request, which is what makes a restart visible to the next request.
    connection.close()
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 600)
    user = user_create(
        username="admin_fault",
        password=DEMO_PASSWORD,
        role=Role.ADMIN,
        full_name="x",
        must_change_password=False,
    )
    client = Client()
    client.force_login(user)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    app = get_wsgi_application()

    status, _body = _get(app, "/notifications/", cookie)
    assert status.startswith("200"), status
    assert connection.connection is not None, "the connection should persist between requests"
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]

    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params, autocommit=True) as other:
        assert other.execute("SELECT pg_terminate_backend(%s)", [pid]).fetchone()[0]

    status, body = _get(app, "/notifications/", cookie)
    assert status.startswith("200"), (status, body[:500])
