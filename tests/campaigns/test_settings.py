"""Settings: production checks, safe defaults."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args, env_extra):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "HTTPS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(env_extra)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_environment():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_extra={
            "DEBUG": "false",
            "HTTPS": "on",
            "SECRET_KEY": "x7#kQ9!vR2@mZ4$pL8^wN3&bT6*yH1(cF5)gJ0_dS-eA+uI=oP[rE]qW{tY}zX",
            "ALLOWED_HOSTS": "safety.yixian.gov.cn",
            "FIELD_ENCRYPTION_KEY": "q0Yb7mXr1fT9sVh2kLw8ZpNc4eRj6uGa",
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_complains_without_https_settings():
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", env_extra={"DEBUG": "false"}
    )
    assert result.returncode != 0
    assert "SECURE_SSL_REDIRECT" in result.stdout + result.stderr


def test_locale_and_time_zone():
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.USE_TZ is True


def test_sessions_expire_after_thirty_idle_minutes():
    assert settings.SESSION_COOKIE_AGE == 1800
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_api_defaults_are_safe():
    rf = settings.REST_FRAMEWORK
    assert (
        "rest_framework.authentication.BasicAuthentication"
        not in rf["DEFAULT_AUTHENTICATION_CLASSES"]
    )
    assert rf["DEFAULT_PERMISSION_CLASSES"] == ["rest_framework.permissions.IsAuthenticated"]
    assert len(settings.AUTH_PASSWORD_VALIDATORS) >= 4
