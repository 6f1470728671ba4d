"""A form posted without a valid CSRF token (an expired page, a cross-site form) answers 403 with
a Chinese page that says what happened and what to do — not Django's English "Forbidden (403)
CSRF verification failed" page. Found by the probe of 2026-12-01."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_a_post_without_csrf_token_gets_the_chinese_page(users):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["township"])
    response = client.post("/hazards/new/", {"description": "x"})
    assert response.status_code == 403
    text = response.content.decode()
    assert "CSRF verification failed" not in text and "Forbidden" not in text
    assert "页面已过期" in text and "刷新" in text
    assert '<html lang="zh-hans">' in text
