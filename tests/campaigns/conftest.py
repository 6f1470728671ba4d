"""Fixtures of the sub-plan/progress tests: uploads go to a temporary MEDIA_ROOT."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from campaigns.demo_progress import tiny_pdf


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """The ``users`` fixture hashes six passwords per test; PBKDF2 made setup take ~2.5 s."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def pdf():
    """``pdf(name="plan.pdf", text=…)`` → a small valid PDF upload."""

    def _pdf(name="子实施方案.pdf", text="sub-plan"):
        return SimpleUploadedFile(name, tiny_pdf(text), content_type="application/pdf")

    return _pdf
