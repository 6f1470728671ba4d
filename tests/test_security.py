"""Login lockout (django-axes), API throttling, security headers, check --deploy (issue 15)."""

import datetime
import os
import subprocess
import sys

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from campaigns.constants import DEMO_PASSWORD

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"


def _login(client, username, password, ip="10.1.1.1", **extra):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip, **extra)


def _fail(client, username, times, ip="10.1.1.1", **extra):
    for _i in range(times):
        _login(client, username, "wrong-password", ip, **extra)


def test_four_failures_then_the_right_password_works(client, users):
    _fail(client, "office", 4)
    assert _login(client, "office", DEMO_PASSWORD).status_code == 302


def test_five_failures_lock_the_user_on_that_ip(client, users):
    _fail(client, "office", 5)
    r = _login(client, "office", DEMO_PASSWORD)
    assert r.status_code == 429
    html = r.content.decode()
    assert 'data-testid="lockout"' in html and "15 分钟" in html, html
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_user_and_ip(client, users):
    _fail(client, "office", 5)
    assert _login(client, "office", DEMO_PASSWORD, ip="10.2.2.2").status_code == 302
    client.logout()
    assert _login(client, "admin", DEMO_PASSWORD).status_code == 302


def test_lock_ends_after_fifteen_minutes(client, users):
    from axes.models import AccessAttempt

    _fail(client, "office", 5)
    assert _login(client, "office", DEMO_PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=16))
    assert _login(client, "office", DEMO_PASSWORD).status_code == 302


def test_forged_x_forwarded_for_does_not_escape_the_lock(client, users):
    for i in range(5):
        _login(client, "office", "wrong", HTTP_X_FORWARDED_FOR=f"192.0.2.{i}")
    r = _login(client, "office", DEMO_PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert r.status_code == 429


def test_behind_proxy_the_proxy_appended_address_counts(client, users, settings):
    """BEHIND_PROXY=on: the right-most X-Forwarded-For entry (what our proxy saw) is the client;
    entries the client put to its left are ignored."""
    settings.BEHIND_PROXY = True
    proxy = "10.9.9.9"
    for i in range(5):
        _login(
            client, "office", "wrong", ip=proxy, HTTP_X_FORWARDED_FOR=f"192.0.2.{i}, 203.0.113.5"
        )
    assert (
        _login(
            client, "office", DEMO_PASSWORD, ip=proxy, HTTP_X_FORWARDED_FOR="203.0.113.5"
        ).status_code
        == 429
    )
    assert (
        _login(
            client, "office", DEMO_PASSWORD, ip=proxy, HTTP_X_FORWARDED_FOR="203.0.113.6"
        ).status_code
        == 302
    )


def test_admin_login_is_locked_too(client, users):
    for _i in range(5):
        client.post("/admin/login/", {"username": "admin", "password": "x"}, REMOTE_ADDR="10.1.1.1")
    r = client.post(
        "/admin/login/", {"username": "admin", "password": DEMO_PASSWORD}, REMOTE_ADDR="10.1.1.1"
    )
    assert r.status_code == 429


def test_lockout_works_with_the_cache_down(client, users, monkeypatch):
    """Attempts are kept in the database: a dead Redis neither breaks nor lifts the lockout."""

    def down(*args, **kwargs):
        raise ConnectionError("redis down")

    for name in ("get", "set", "add", "delete", "incr", "get_many", "set_many"):
        monkeypatch.setattr(cache, name, down)
    _fail(client, "office", 5)
    assert _login(client, "office", DEMO_PASSWORD).status_code == 429


# --- API throttling ----------------------------------------------------------------------


@pytest.fixture
def rates(settings):
    cache.clear()
    settings.API_THROTTLE_RATES = {
        "user": "3/minute",
        "anon": "2/minute",
        "token_failure": "2/minute",
    }
    yield settings.API_THROTTLE_RATES
    cache.clear()


def test_token_user_is_throttled(client, users, rates):
    token = Token.objects.create(user=users["office"])
    auth = {"HTTP_AUTHORIZATION": f"Token {token.key}"}
    codes = [client.get("/api/v1/townships/", **auth).status_code for _i in range(4)]
    assert codes == [200, 200, 200, 429]


def test_session_user_is_throttled(client, users, rates):
    client.force_login(users["township"])
    codes = [client.get("/api/v1/hazards/").status_code for _i in range(4)]
    assert codes == [200, 200, 200, 429]


def test_wrong_tokens_are_throttled_per_ip(client, users, rates):
    bad = {"HTTP_AUTHORIZATION": "Token " + "0" * 40, "REMOTE_ADDR": "10.3.3.3"}
    codes = [client.get("/api/v1/townships/", **bad).status_code for _i in range(3)]
    assert codes == [401, 401, 429]
    # even the right token waits from that address; another address is not affected
    token = Token.objects.create(user=users["office"])
    good = {"HTTP_AUTHORIZATION": f"Token {token.key}"}
    assert client.get("/api/v1/townships/", REMOTE_ADDR="10.3.3.3", **good).status_code == 429
    assert client.get("/api/v1/townships/", REMOTE_ADDR="10.4.4.4", **good).status_code == 200


def test_throttle_rates_are_in_settings():
    from django.conf import settings

    assert set(settings.API_THROTTLE_RATES) == {"user", "anon", "token_failure"}
    from rest_framework.settings import api_settings

    assert {c.__name__ for c in api_settings.DEFAULT_THROTTLE_CLASSES} == {
        "UserThrottle",
        "AnonThrottle",
    }


def test_api_works_when_the_throttle_cache_is_down(client, users, rates, monkeypatch):
    from rest_framework.throttling import SimpleRateThrottle

    class Down:
        def get(self, *a, **k):
            raise ConnectionError("redis down")

        set = get

    monkeypatch.setattr(SimpleRateThrottle, "cache", Down())
    client.force_login(users["office"])
    assert [client.get("/api/v1/townships/").status_code for _i in range(5)] == [200] * 5


# --- headers and deployment checks ---------------------------------------------------------


def test_permissions_policy_header(client, users):
    client.force_login(users["office"])
    policy = client.get(reverse("hazards:list"))["Permissions-Policy"]
    parts = dict(p.strip().split("=", 1) for p in policy.split(","))
    assert parts["camera"] == "(self)" and parts["geolocation"] == "(self)"
    assert parts["microphone"] == "()" and parts["payment"] == "()"
    assert client.get(LOGIN)["Permissions-Policy"] == policy


def _deploy_check(**env):
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("HTTPS", "DEBUG", "DJANGO_ALLOW_ASYNC"))
    }
    base.update(
        SECRET_KEY="x" * 60 + "-not-a-real-key-only-for-the-deploy-check",
        ALLOWED_HOSTS="safety.yixian.example",
        FIELD_ENCRYPTION_KEY="deploy-check-field-key",  # production refuses to start without
        **env,
    )
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True,
        text=True,
        env=base,
        cwd=os.path.dirname(os.path.dirname(__file__)),
        timeout=120,
    )


def test_check_deploy_is_clean_with_https_on():
    result = _deploy_check(HTTPS="on")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_warns_when_the_second_factor_is_off_in_production():
    result = _deploy_check(HTTPS="on", TWO_FACTOR_REQUIRED="off")
    assert result.returncode != 0
    assert "campaigns.accounts.W001" in result.stdout + result.stderr


def test_https_on_sets_hsts_and_secure_cookies():
    code = (
        "from django.conf import settings as s; print(s.SECURE_HSTS_SECONDS, "
        "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT)"
    )
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; "
            "os.environ.setdefault('DJANGO_SETTINGS_MODULE', "
            "'yixian_safety.settings'); django.setup(); " + code,
        ],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "HTTPS": "on", "FIELD_ENCRYPTION_KEY": "deploy-check-field-key"},
        cwd=os.path.dirname(os.path.dirname(__file__)),
    )
    assert out.stdout.split() == ["31536000", "True", "True", "True"], out.stderr
