"""The field-encryption key of the reporter identities comes from the environment; production
(HTTPS=on) refuses to start without it."""

from django.conf import settings

from tests.campaigns.test_settings import run_manage

PRODUCTION = {
    "DEBUG": "false",
    "HTTPS": "on",
    "ALLOWED_HOSTS": "safety.yixian.gov.cn",
    "SECRET_KEY": "x7#kQ9!vR2@mZ4$pL8^wN3&bT6*yH1(cF5)gJ0_dS-eA+uI=oP[rE]qW{tY}zX",
}


def test_production_without_a_field_key_refuses_to_start():
    result = run_manage("check", env_extra={**PRODUCTION, "FIELD_ENCRYPTION_KEY": ""})
    assert result.returncode != 0 and "FIELD_ENCRYPTION_KEY" in result.stderr


def test_keys_from_the_environment_newest_first():
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.SALT_KEY)",
        env_extra={**PRODUCTION, "FIELD_ENCRYPTION_KEY": "new-key,old-key"},
    )
    assert result.returncode == 0, result.stderr
    assert "['new-key', 'old-key']" in result.stdout


def test_the_library_reads_the_field_key():
    assert settings.SALT_KEY == settings.FIELD_ENCRYPTION_KEY
