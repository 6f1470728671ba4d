"""Accounts (issue 15): password policy, forced change on first login, the TOTP second factor,
"log out everywhere"."""

import re

import pytest
from django.contrib.auth.password_validation import (
    password_validators_help_texts,
    validate_password,
)
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from campaigns.audit.models import AuditEvent
from campaigns.constants import DEMO_PASSWORD
from campaigns.models import Role, User
from campaigns.org.services import user_create

pytestmark = pytest.mark.django_db
CJK = re.compile(r"[\u4e00-\u9fff]")
NEW_PASSWORD = "Huangshan-2026!"


def _errors(password, user=None):
    with translation.override("zh-hans"):
        try:
            validate_password(password, user)
        except ValidationError as e:
            return e.messages
    return []


# --- password policy -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "password",
    ["Ab1-xyz", "alllowercaseletters", "ALLUPPER2024", "lowerandsymbols!!", "1234567890"],
)
def test_weak_passwords_are_refused(password):
    assert _errors(password)


@pytest.mark.parametrize(
    "password", ["Yixian-demo-2024", "huangshan-2026", "HUANGSHAN2026x", "黄山Yixian2026"]
)
def test_long_passwords_of_three_classes_pass(password):
    assert _errors(password) == []


def test_short_password_message_is_chinese():
    messages = _errors("Ab1-x")
    assert messages and all(CJK.search(m) for m in messages), messages
    assert any("10" in m for m in messages)


def test_two_classes_message_names_the_classes():
    (message,) = _errors("onlylowercase-words")
    assert "大写字母" in message and "3" in message, message


def test_password_like_the_user_name_is_refused(users):
    user = users["township"]  # username tw_biyang
    messages = _errors("Tw_biyang1", user)
    assert messages and CJK.search(messages[0]), messages


def test_common_password_is_refused_in_chinese():
    messages = _errors("Password123")
    assert any("常用" in m or "常见" in m for m in messages), messages


def test_every_help_text_is_chinese():
    with translation.override("zh-hans"):
        texts = password_validators_help_texts()
    assert len(texts) == 4 and all(CJK.search(t) for t in texts), texts


def test_demo_password_satisfies_the_policy(users):
    for user in users.values():
        assert _errors(DEMO_PASSWORD, user) == []


def test_admin_add_user_form_shows_the_length_message_in_chinese(client, users):
    client.force_login(users["admin"])
    r = client.post(
        "/admin/campaigns/user/add/",
        {
            "username": "newbie",
            "password1": "Ab1-x",
            "password2": "Ab1-x",
            "usable_password": "true",
        },
    )
    assert r.status_code == 200
    html = r.content.decode()
    assert "密码太短" in html and "too short" not in html


# --- forced password change --------------------------------------------------------------------


def test_account_created_in_the_admin_must_change_its_password(client, users):
    client.force_login(users["admin"])
    r = client.post(
        "/admin/campaigns/user/add/",
        {
            "username": "newbie",
            "password1": "Temp-Pass-2026",
            "password2": "Temp-Pass-2026",
            "usable_password": "true",
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    assert User.objects.get(username="newbie").must_change_password


def test_admin_setting_a_password_flags_the_account(client, users):
    client.force_login(users["admin"])
    target = users["township"]
    r = client.post(
        f"/admin/campaigns/user/{target.pk}/password/",
        {"password1": "Reset-Pass-2026", "password2": "Reset-Pass-2026", "usable_password": "true"},
    )
    assert r.status_code == 302
    target.refresh_from_db()
    assert target.must_change_password


def test_account_service_flags_by_default(plan):
    user = user_create(username="svc_made", password="Temp-Pass-2026", role=Role.SAFETY_OFFICE)
    assert user.must_change_password


def test_demo_accounts_and_test_users_are_not_flagged(users):
    assert not any(u.must_change_password for u in users.values())


@pytest.fixture
def flagged(users):
    user = users["township"]
    User.objects.filter(pk=user.pk).update(must_change_password=True)
    user.refresh_from_db()
    return user


def test_flagged_user_is_sent_to_the_password_change(client, flagged):
    client.force_login(flagged)
    r = client.get("/dashboard/")
    assert r.status_code == 302
    assert r["Location"].startswith(reverse("password_change") + "?next=")
    r = client.get(reverse("password_change"))
    assert r.status_code == 200 and 'data-testid="must-change-password"' in r.content.decode()


def test_flagged_session_api_call_is_refused_but_token_use_is_not(client, flagged):
    client.force_login(flagged)
    r = client.get("/api/v1/townships/")
    assert r.status_code == 403 and CJK.search(r.json()["detail"])
    token = Token.objects.create(user=flagged)
    r = Client().get("/api/v1/townships/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert r.status_code == 200


def test_changing_the_password_clears_the_flag(client, flagged):
    client.force_login(flagged)
    r = client.post(
        reverse("password_change"),
        {
            "old_password": DEMO_PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert r.status_code == 302
    flagged.refresh_from_db()
    assert not flagged.must_change_password
    assert client.get("/dashboard/").status_code == 200


def test_password_change_applies_the_policy(client, flagged):
    client.force_login(flagged)
    r = client.post(
        reverse("password_change"),
        {"old_password": DEMO_PASSWORD, "new_password1": "short1A", "new_password2": "short1A"},
    )
    assert r.status_code == 200 and "密码太短" in r.content.decode()
    flagged.refresh_from_db()
    assert flagged.must_change_password


# --- TOTP second factor ----------------------------------------------------------------------


@pytest.fixture
def otp_on(settings):
    settings.TWO_FACTOR_REQUIRED = True
    return settings


def _device(user):
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def _code(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _wrong(device):
    return f"{(int(_code(device)) + 1) % 1_000_000:06d}"


def _unthrottle(device):
    """Forget earlier wrong codes (each one makes django-otp wait before the next try)."""
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=0, throttling_failure_timestamp=None
    )


@pytest.mark.parametrize("role", ["office", "admin"])
def test_office_and_admin_without_device_are_sent_to_enrolment(client, users, otp_on, role):
    client.force_login(users[role])
    r = client.get("/dashboard/")
    assert r.status_code == 302 and r["Location"].startswith(reverse("campaigns:otp_verify"))
    r = client.get(r["Location"])
    assert r.status_code == 302 and r["Location"].startswith(reverse("campaigns:otp_setup"))


@pytest.mark.parametrize("role", ["township", "department"])
def test_other_roles_need_no_second_factor(client, users, otp_on, role):
    client.force_login(users[role])
    assert client.get("/dashboard/").status_code == 200


def test_second_factor_is_off_when_not_required(client, users):
    client.force_login(users["office"])
    assert client.get("/dashboard/").status_code == 200


def test_unverified_office_cannot_use_the_admin_or_the_session_api(client, users, otp_on):
    client.force_login(users["admin"])
    assert client.get("/admin/").status_code == 302
    r = client.get("/api/v1/townships/")
    assert r.status_code == 403 and CJK.search(r.json()["detail"])


def test_token_api_is_outside_the_second_factor(users, otp_on):
    token = Token.objects.create(user=users["office"])
    r = Client().get("/api/v1/townships/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert r.status_code == 200


def test_enrolment_shows_qr_and_secret_then_a_code_confirms(client, users, otp_on):
    office = users["office"]
    client.force_login(office)
    r = client.get(reverse("campaigns:otp_setup") + "?next=/hazards/")
    html = r.content.decode()
    assert r.status_code == 200
    assert "<svg" in html and 'data-testid="otp-secret"' in html and "otpauth://totp/" in html
    device = TOTPDevice.objects.get(user=office, confirmed=False)
    r = client.post(reverse("campaigns:otp_setup"), {"token": _wrong(device), "next": "/hazards/"})
    assert r.status_code == 200 and "验证码" in r.content.decode()
    assert not TOTPDevice.objects.get(pk=device.pk).confirmed
    _unthrottle(device)
    r = client.post(reverse("campaigns:otp_setup"), {"token": _code(device), "next": "/hazards/"})
    assert r.status_code == 302 and r["Location"] == "/hazards/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/dashboard/").status_code == 200


def test_verification_after_login_with_a_valid_code(client, users, otp_on):
    office = users["office"]
    device = _device(office)
    client.force_login(office)
    r = client.get("/dashboard/")
    assert r["Location"].startswith(reverse("campaigns:otp_verify"))
    r = client.post(
        reverse("campaigns:otp_verify"), {"token": _wrong(device), "next": "/dashboard/"}
    )
    assert r.status_code == 200  # wrong code: the form again
    assert client.get("/dashboard/").status_code == 302
    _unthrottle(device)
    r = client.post(
        reverse("campaigns:otp_verify"), {"token": _code(device), "next": "/dashboard/"}
    )
    assert r.status_code == 302 and r["Location"] == "/dashboard/"
    assert client.get("/dashboard/").status_code == 200


def test_wrong_codes_are_throttled(client, users, otp_on):
    office = users["office"]
    device = _device(office)
    client.force_login(office)
    client.post(reverse("campaigns:otp_verify"), {"token": _wrong(device)})
    r = client.post(reverse("campaigns:otp_verify"), {"token": _code(device)})
    assert r.status_code == 200  # the right code right after a wrong one waits out the throttle
    assert "稍等" in r.content.decode() or "等待" in r.content.decode()


def test_enrolled_user_cannot_enrol_a_new_device_without_verifying(client, users, otp_on):
    office = users["office"]
    _device(office)
    client.force_login(office)
    r = client.get(reverse("campaigns:otp_setup"))
    assert r.status_code == 302 and r["Location"].startswith(reverse("campaigns:otp_verify"))
    assert TOTPDevice.objects.filter(user=office).count() == 1


def test_real_login_then_code(client, users, otp_on):
    office = users["office"]
    device = _device(office)
    r = client.post(reverse("login"), {"username": "office", "password": DEMO_PASSWORD})
    assert r.status_code == 302
    assert client.get("/dashboard/")["Location"].startswith(reverse("campaigns:otp_verify"))
    client.post(reverse("campaigns:otp_verify"), {"token": _code(device)})
    assert client.get("/dashboard/").status_code == 200


# --- recovery codes and the audit trail of the second factor ---------------------------------

A = AuditEvent.Action


def _actions(user):
    return list(
        AuditEvent.objects.filter(user=user).order_by("seq").values_list("action", flat=True)
    )


def _verified_client(user, device):
    c = Client()
    c.force_login(user)
    assert c.post(reverse("campaigns:otp_verify"), {"token": _code(device)}).status_code == 302
    _unthrottle(device)
    return c


def _issue(c) -> list[str]:
    r = c.post(reverse("campaigns:recovery_codes"))
    assert r.status_code == 200
    html = r.content.decode()
    block = html.split('data-testid="recovery-codes"')[1].split("</ol>")[0]
    return [code.replace(" ", "") for code in re.findall(r"<li>([a-z2-7 ]{9})</li>", block)]


def test_recovery_codes_are_shown_once_and_each_signs_in_once(users, otp_on):
    office = users["office"]
    device = _device(office)
    codes = _issue(_verified_client(office, device))
    assert len(codes) == 10 and len(set(codes)) == 10
    assert StaticToken.objects.filter(device__user=office).count() == 10
    # a new login, phone not at hand: a recovery code (typed with a space and in capitals)
    c = Client()
    c.force_login(office)
    code = codes[3]
    r = c.post(reverse("campaigns:otp_verify"), {"token": f"{code[:4].upper()} {code[4:]}"})
    assert r.status_code == 302
    assert c.get("/dashboard/").status_code == 200
    assert StaticToken.objects.filter(device__user=office).count() == 9
    # the same code does not work twice
    c2 = Client()
    c2.force_login(office)
    r = c2.post(reverse("campaigns:otp_verify"), {"token": code})
    assert r.status_code == 200 and "验证码" in r.content.decode()
    assert c2.get("/dashboard/").status_code == 302
    assert A.RECOVERY_CODE_USED in _actions(office) and A.OTP_FAILED in _actions(office)
    e = AuditEvent.objects.filter(user=office, action=A.RECOVERY_CODE_USED).get()
    assert e.extra == {"left": 9}


def test_issuing_again_voids_the_earlier_codes(users, otp_on):
    office = users["office"]
    device = _device(office)
    c = _verified_client(office, device)
    first = _issue(c)
    second = _issue(c)
    assert not set(first) & set(second)
    fresh = Client()
    fresh.force_login(office)
    assert fresh.post(reverse("campaigns:otp_verify"), {"token": first[0]}).status_code == 200
    assert AuditEvent.objects.filter(user=office, action=A.RECOVERY_CODES_ISSUED).count() == 2


def test_recovery_codes_need_a_verified_session_and_an_authenticator(client, users, otp_on):
    office = users["office"]
    client.force_login(office)
    r = client.post(reverse("campaigns:recovery_codes"))  # no authenticator yet
    assert r.status_code == 302
    assert not StaticToken.objects.filter(device__user=office).exists()
    _device(office)
    other = Client()
    other.force_login(office)  # password only, not verified
    assert other.post(reverse("campaigns:recovery_codes")).status_code == 403
    assert not StaticToken.objects.filter(device__user=office).exists()


def test_a_malformed_code_says_what_is_expected(client, users, otp_on):
    office = users["office"]
    _device(office)
    client.force_login(office)
    r = client.post(reverse("campaigns:otp_verify"), {"token": "12ab"})
    assert r.status_code == 200 and "8 位恢复码" in r.content.decode()


def test_second_factor_outcomes_and_logout_everywhere_are_audited(users, otp_on):
    office = users["office"]
    device = _device(office)
    c = Client()
    c.force_login(office)
    c.post(reverse("campaigns:otp_verify"), {"token": _wrong(device)})
    _unthrottle(device)
    c.post(reverse("campaigns:otp_verify"), {"token": _code(device)})
    c.post(reverse("campaigns:sessions_end"), {"revoke_tokens": "on"})
    actions = _actions(office)
    assert actions.index(A.OTP_FAILED) < actions.index(A.OTP_VERIFIED)
    assert actions.index(A.OTP_VERIFIED) < actions.index(A.SESSIONS_ENDED)
    ended = AuditEvent.objects.get(user=office, action=A.SESSIONS_ENDED)
    assert ended.extra == {"tokens_revoked": 0} and ended.ip


def test_enrolment_is_audited(client, users, otp_on):
    office = users["office"]
    client.force_login(office)
    client.get(reverse("campaigns:otp_setup"))
    device = TOTPDevice.objects.get(user=office, confirmed=False)
    client.post(reverse("campaigns:otp_setup"), {"token": _code(device)})
    assert A.OTP_ENROLLED in _actions(office)


def test_account_page_counts_the_recovery_codes_left(users, otp_on):
    office = users["office"]
    device = _device(office)
    c = _verified_client(office, device)
    _issue(c)
    html = c.get(reverse("campaigns:account")).content.decode()
    assert "尚有 10 个未使用的恢复码" in html


# --- log out everywhere --------------------------------------------------------------------


def test_log_out_everywhere_ends_the_other_sessions(users):
    user = users["department"]
    laptop, phone = Client(), Client()
    for c in (laptop, phone):
        assert c.post(reverse("login"), {"username": user.username, "password": DEMO_PASSWORD})
        assert c.get("/dashboard/").status_code == 200
    r = laptop.post(reverse("campaigns:sessions_end"))
    assert r.status_code == 302 and r["Location"] == reverse("login")
    assert phone.get("/dashboard/").status_code == 302  # back to the login page
    assert laptop.get("/dashboard/").status_code == 302
    # and logging in again works
    assert phone.post(reverse("login"), {"username": user.username, "password": DEMO_PASSWORD})
    assert phone.get("/dashboard/").status_code == 200


def test_log_out_everywhere_keeps_the_token_unless_asked(client, users):
    user = users["department"]
    token = Token.objects.create(user=user)
    client.force_login(user)
    client.post(reverse("campaigns:sessions_end"))
    assert Token.objects.filter(pk=token.pk).exists()
    user.refresh_from_db()  # a new session salt: the old object would log in with a stale hash
    client.force_login(user)
    client.post(reverse("campaigns:sessions_end"), {"revoke_tokens": "on"})
    assert not Token.objects.filter(user=user).exists()
    r = Client().get("/api/v1/townships/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert r.status_code == 401


def test_log_out_everywhere_needs_post(client, users):
    client.force_login(users["department"])
    assert client.get(reverse("campaigns:sessions_end")).status_code == 405


def test_account_page_offers_it(client, users):
    client.force_login(users["office"])
    r = client.get(reverse("campaigns:account"))
    html = r.content.decode()
    assert r.status_code == 200
    assert 'data-testid="sessions-end"' in html and "退出所有设备" in html
    assert 'data-testid="two-factor-off"' in html  # the tests' settings: not enforced


def test_account_page_needs_login(client):
    r = client.get(reverse("campaigns:account"))
    assert r.status_code == 302 and r["Location"].startswith(reverse("login"))
