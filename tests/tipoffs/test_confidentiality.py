"""保密制度: the identity is encrypted at rest, readable only by the named role (each reading
audited), and appears nowhere else — pages, exports, API, notifications, e-mails, logs, the
hazard it becomes, the admin."""

import io
import logging
import zipfile
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse

from tests.hazards.factories import criterion_for
from tipoffs import services
from tipoffs.models import IDENTITY_FIELDS, IdentityAccess, TipOff
from tipoffs.reminders import tipoffs_due

from .conftest import IDENTITY, submit

IP = "203.0.113.77"
SECRETS = [*IDENTITY.values(), IP]


@pytest.fixture
def named():
    tipoff, code = submit(anonymous=False, ip=IP, **IDENTITY)
    return tipoff, code


def _raw(tipoff):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT " + ", ".join(IDENTITY_FIELDS) + " FROM tipoffs_tipoff WHERE id = %s",
            [tipoff.pk],
        )
        return cursor.fetchone()


def test_identity_is_encrypted_at_rest(named):
    tipoff, code = named
    raw = _raw(tipoff)
    for value in raw:
        assert value.startswith("gAAAAA")  # a Fernet token
    dump = " ".join(raw)
    for secret in SECRETS:
        assert secret not in dump
    # and the tracking code is not stored either
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM tipoffs_tipoff WHERE id = %s", [tipoff.pk])
        assert code not in " ".join(str(v) for v in cursor.fetchone())
    assert TipOff.objects.get(pk=tipoff.pk).reporter_name == IDENTITY["reporter_name"]


def test_anonymous_tipoff_stores_no_identity_at_all():
    tipoff, _ = submit(ip=IP, **IDENTITY)  # anonymous=True: whatever was typed is dropped
    assert _raw(tipoff) == (None, None, None, None, None)


def _clear_field_keys():
    for name in IDENTITY_FIELDS:
        field = TipOff._meta.get_field(name)
        field.__dict__.pop("keys", None)
        field.__dict__.pop("f", None)


def test_key_rotation_reencrypts_with_the_new_key(named, settings):
    tipoff, _ = named
    old = list(settings.SALT_KEY)
    before = _raw(tipoff)
    try:
        settings.SALT_KEY = ["a-new-field-key", *old]
        _clear_field_keys()
        assert services.tipoffs_reencrypt() == 1
        assert _raw(tipoff) != before
        settings.SALT_KEY = ["a-new-field-key"]  # the old key is gone
        _clear_field_keys()
        assert TipOff.objects.get(pk=tipoff.pk).reporter_phone == IDENTITY["reporter_phone"]
    finally:
        settings.SALT_KEY = old
        _clear_field_keys()


def test_receiver_reads_the_identity_and_the_reading_is_audited(client, receiver, named):
    tipoff, _ = named
    client.force_login(receiver)
    detail = client.get(reverse("tipoffs:detail", args=[tipoff.pk])).content.decode()
    assert 'data-testid="identity-box"' in detail
    for secret in SECRETS:
        assert secret not in detail  # not even on the receiver's case page
    response = client.post(
        reverse("tipoffs:identity", args=[tipoff.pk]),
        {"reason": "联系举报人核实细节"},
        REMOTE_ADDR="192.0.2.44",
    )
    assert response.status_code == 200 and "no-store" in response.headers["Cache-Control"]
    html = response.content.decode()
    for secret in SECRETS:
        assert secret in html
    access = IdentityAccess.objects.get()
    assert (access.who, access.tipoff, access.ip, access.reason) == (
        receiver,
        tipoff,
        "192.0.2.44",
        "联系举报人核实细节",
    )
    # and in the platform's append-only audit trail, naming the tip-off (never the identity)
    from campaigns.audit.models import AuditEvent

    event = AuditEvent.objects.filter(action=AuditEvent.Action.IDENTITY_VIEW).get()
    assert (event.user, event.ip, event.object_pk, event.content_type.model) == (
        receiver,
        "192.0.2.44",
        str(tipoff.pk),
        "tipoff",
    )
    assert event.extra == {"reason": "联系举报人核实细节"}
    for secret in SECRETS:
        assert secret not in event.object_repr + str(event.extra)


def test_reading_needs_a_reason(client, receiver, named):
    tipoff, _ = named
    client.force_login(receiver)
    response = client.post(reverse("tipoffs:identity", args=[tipoff.pk]), {"reason": ""})
    assert response.status_code == 302 and not IdentityAccess.objects.exists()


@pytest.mark.parametrize("who", ["office", "admin"])
def test_office_and_admin_without_the_named_role_get_403(client, users, named, who):
    tipoff, _ = named
    client.force_login(users[who])
    detail = client.get(reverse("tipoffs:detail", args=[tipoff.pk])).content.decode()
    assert 'data-testid="identity-box"' not in detail and "实名（已保护）" in detail
    response = client.post(reverse("tipoffs:identity", args=[tipoff.pk]), {"reason": "想看看"})
    assert response.status_code == 403 and not IdentityAccess.objects.exists()


def test_department_staff_never_see_the_identity(client, users, named, housing):
    tipoff, _ = named
    services.tipoff_assign(tipoff=tipoff, actor=users["office"], department=housing)
    client.force_login(users["department"])
    assert client.get(reverse("tipoffs:detail", args=[tipoff.pk])).status_code == 200
    response = client.post(reverse("tipoffs:identity", args=[tipoff.pk]), {"reason": "x"})
    assert response.status_code == 403
    client.force_login(users["other_department"])
    assert (
        client.post(reverse("tipoffs:identity", args=[tipoff.pk]), {"reason": "x"}).status_code
        == 404
    )


def test_anonymous_tipoff_has_no_identity_to_read(client, receiver):
    tipoff, _ = submit()
    client.force_login(receiver)
    response = client.post(
        reverse("tipoffs:identity", args=[tipoff.pk]), {"reason": "x"}, follow=True
    )
    assert "匿名举报" in response.content.decode() and not IdentityAccess.objects.exists()


def test_identity_access_is_append_only(receiver, named):
    tipoff, _ = named
    services.identity_reveal(tipoff=tipoff, actor=receiver, ip=None, reason="核实")
    access = IdentityAccess.objects.get()
    with pytest.raises(TypeError):
        access.save()
    with pytest.raises(TypeError):
        access.delete()
    with pytest.raises(TypeError):
        IdentityAccess.objects.update(reason="")
    with pytest.raises(TypeError):
        IdentityAccess.objects.all().delete()


def _xlsx_text(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        return " ".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())


def test_the_identity_appears_nowhere_outside_the_permitted_view(
    client, users, receiver, enterprise, housing, caplog, settings
):
    """The leak test: a named tip-off walked to a rewarded hazard; every page, export, API
    response, reminder, e-mail and log line on the way is searched for the identity."""
    settings.ADMINS = [("admin", "admin@example.invalid")]
    caplog.set_level(logging.DEBUG)
    office, staff = users["office"], users["department"]
    response = client.post(
        "/report/",
        {
            "description": "仓库里违规储存大量烟花爆竹，旁边就是民房",
            "township": enterprise.township_id,
            "address": "碧阳镇示例巷 9 号",
            "observed_on": "2026-11-15",
            "anonymous": "",
            **IDENTITY,
        },
        REMOTE_ADDR=IP,
    )
    assert response.status_code == 201
    code = response.context["code"]
    tipoff = TipOff.objects.get()
    services.tipoff_assign(tipoff=tipoff, actor=office, department=housing)
    services.tipoff_start_verification(tipoff=tipoff, actor=staff)
    tipoff = services.tipoff_verify(
        tipoff=tipoff,
        actor=staff,
        enterprise=enterprise,
        criterion=criterion_for(enterprise, found_on=tipoff.observed_on),
    )
    services.tipoff_close(tipoff=tipoff, actor=office, public_reply="属实，已整改。")
    services.reward_decide(
        tipoff=tipoff,
        actor=office,
        amount=Decimal("300"),
        basis="办法",
        decided_on=tipoff.observed_on,
    )
    hazard = tipoff.hazard

    seen = []
    for user in (office, staff, receiver, users["admin"]):
        client.force_login(user)
        for url in [
            reverse("tipoffs:list"),
            reverse("tipoffs:detail", args=[tipoff.pk]),
            reverse("tipoffs:statistics"),
            reverse("tipoffs:rewards"),
            reverse("campaigns:dashboard"),
            hazard.get_absolute_url(),
            reverse("hazards:list"),
            "/api/v1/tipoffs/",
            f"/api/v1/tipoffs/{tipoff.pk}/",
            "/api/v1/tipoff-statistics/",
            "/api/v1/tipoff-rewards/",
            f"/api/v1/hazards/{hazard.pk}/",
            "/api/v1/hazards/",
            reverse("tipoffs:access_log"),
            reverse("admin:tipoffs_tipoff_change", args=[tipoff.pk]),
            reverse("admin:tipoffs_tipoff_changelist"),
            reverse("admin:hazards_hazard_change", args=[hazard.pk]),
        ]:
            r = client.get(url)
            assert r.status_code in (200, 302, 403, 404), url  # 302: admin login (not staff)
            seen.append((url, r.content.decode("utf-8", "replace")))
        for url in [
            reverse("tipoffs:export"),
            reverse("tipoffs:reward_export"),
            reverse("hazards:export"),
        ]:
            r = client.get(url)
            if r.status_code == 200:  # the ledger export is streamed
                body = b"".join(r.streaming_content) if r.streaming else r.content
                seen.append((url, _xlsx_text(body)))
    client.logout()
    seen.append(("track", client.post("/report/status/", {"code": code}).content.decode()))
    seen.append(("reminders", " ".join(r.text for r in tipoffs_due(tipoff.observed_on))))
    seen.append(("hazard", " ".join(str(getattr(hazard, f.name)) for f in hazard._meta.fields)))
    seen.append(("mail", " ".join(m.subject + m.body for m in mail.outbox)))
    seen.append(("logs", caplog.text))
    seen.append(("events", " ".join(e.note for e in tipoff.events.all())))
    # the walk did reach the case (not a row of login pages)
    assert sum(tipoff.number in text for _where, text in seen) >= 12
    for where, text in seen:
        for secret in SECRETS:
            assert secret not in text, f"{secret!r} leaked in {where}"
