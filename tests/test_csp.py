"""Content-Security-Policy (django-csp, issue 15): the header, and no inline script or handler in
any template (the policy would block them)."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.django_db


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = (d.strip().split() for d in header.split(";") if d.strip())
    return {d[0]: d[1:] for d in directives}


def test_pages_carry_a_csp_without_inline_scripts(client, users):
    client.force_login(users["office"])
    for url in ("/dashboard/", reverse("hazards:list"), reverse("login")):
        policy = _policy(client.get(url))
        assert policy["script-src"] == ["'self'"], url
        assert "'unsafe-inline'" not in policy["script-src"]
        assert "'unsafe-eval'" not in policy["script-src"]
        assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]


def test_anonymous_login_page_and_api_carry_it_too(client):
    assert "script-src 'self'" in client.get(reverse("login"))["Content-Security-Policy"]
    assert "Content-Security-Policy" in client.get("/api/v1/")


def _templates():
    dirs = [ROOT / "templates", *ROOT.glob("*/templates")]
    return sorted(p for d in dirs for p in d.rglob("*.html"))


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
JS_URL = re.compile(r"""(href|src|action)\s*=\s*["']\s*javascript:""", re.I)


def test_the_scan_finds_what_it_looks_for():
    bad = '<script>alert(1)</script><a onclick="x()">x</a><a href="javascript:x()">'
    assert INLINE_SCRIPT.search(bad) and HANDLER.search(bad) and JS_URL.search(bad)
    assert not INLINE_SCRIPT.search('<script src="/static/js/app.js"></script>')


def test_no_template_has_inline_scripts_or_handlers():
    templates = _templates()
    assert len(templates) > 50  # the glob found the apps' templates
    found = []
    for path in templates:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for pattern in (INLINE_SCRIPT, HANDLER, JS_URL):
                if pattern.search(line):
                    found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()[:100]}")
    assert not found, "\n".join(found)


def test_api_docs_load_their_init_script_from_a_url(client, users):
    """drf-spectacular's Swagger UI serves its init script at ``?script`` (CSP-friendly)."""
    client.force_login(users["office"])
    r = client.get(reverse("swagger-ui"))
    html = r.content.decode()
    assert r.status_code == 200 and not INLINE_SCRIPT.search(html), html
    assert "script-src 'self'" in r["Content-Security-Policy"]
    script = client.get(reverse("swagger-ui") + "?script=")
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()


def test_https_on_requires_the_second_factor_by_default():
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', "
            "'yixian_safety.settings'); django.setup(); from django.conf import settings as s; "
            "print(s.TWO_FACTOR_REQUIRED, ','.join(s.OTP_REQUIRED_ROLES))",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "HTTPS": "on", "FIELD_ENCRYPTION_KEY": "deploy-check-field-key"},
        cwd=ROOT,
    )
    assert out.stdout.split() == ["True", "safety_office,admin"], out.stderr


def test_the_tests_run_without_the_second_factor():
    assert settings.TWO_FACTOR_REQUIRED is False
