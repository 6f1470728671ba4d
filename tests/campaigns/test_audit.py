"""The audit trail (issue 15): each hook writes a row with the right fields; the database refuses
UPDATE and DELETE; verify_audit finds an edited or deleted row; admin and API for admins only."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from campaigns.audit.models import AuditEvent
from campaigns.audit.services import audit_record, audit_verify
from campaigns.constants import DEMO_PASSWORD
from campaigns.org.models import Role
from campaigns.org.services import user_assign_role
from campaigns.subplans.services import subplan_create

pytestmark = pytest.mark.django_db
A = AuditEvent.Action
LOGIN = "/accounts/login/"


def last(action):
    return AuditEvent.objects.filter(action=action).order_by("-seq").first()


def make_subplan(user, pdf):
    return subplan_create(
        actor=user,
        title="碧阳镇子实施方案",
        summary="目标任务和分工",
        contact_name="联系人",
        contact_phone="0559-5500001",
        document=pdf(),
    )


# --- hooks ------------------------------------------------------------------------------------


def test_login_is_recorded_with_user_and_ip(client, users):
    r = client.post(
        LOGIN, {"username": "office", "password": DEMO_PASSWORD}, REMOTE_ADDR="10.3.3.3"
    )
    assert r.status_code == 302
    e = last(A.LOGIN)
    assert (e.user, e.username, e.ip, e.path) == (users["office"], "office", "10.3.3.3", LOGIN)
    assert e.occurred_at.tzinfo is not None


def test_failed_login_records_the_name_tried_never_the_password(client, users):
    client.post(LOGIN, {"username": "office", "password": "Wrong-pass-99"}, REMOTE_ADDR="10.3.3.4")
    e = last(A.LOGIN_FAILED)
    assert (e.user, e.username, e.ip) == (None, "office", "10.3.3.4")
    assert "Wrong-pass-99" not in str(e.extra) + e.path


def test_lockout_is_recorded(client, users):
    for _i in range(5):
        client.post(LOGIN, {"username": "office", "password": "wrong"}, REMOTE_ADDR="10.3.3.5")
    e = last(A.LOCKOUT)
    assert e is not None and (e.username, e.ip) == ("office", "10.3.3.5")


def test_behind_proxy_the_proxy_appended_address_is_recorded(client, users, settings):
    settings.BEHIND_PROXY = True
    client.post(
        LOGIN,
        {"username": "office", "password": "wrong"},
        REMOTE_ADDR="10.9.9.9",
        HTTP_X_FORWARDED_FOR="192.0.2.1, 203.0.113.5",
    )
    assert last(A.LOGIN_FAILED).ip == "203.0.113.5"


def test_logout_is_recorded(client, users):
    client.force_login(users["township"])
    client.post(reverse("logout"), REMOTE_ADDR="10.3.3.6")
    e = last(A.LOGOUT)
    assert (e.user, e.username, e.ip) == (users["township"], "tw_biyang", "10.3.3.6")


def test_a_403_is_recorded(client, users):
    client.force_login(users["township"])
    r = client.get("/api/v1/audit-events/", REMOTE_ADDR="10.3.3.7")
    assert r.status_code == 403
    e = last(A.PERMISSION_DENIED)
    assert (e.user, e.ip, e.path) == (users["township"], "10.3.3.7", "/api/v1/audit-events/")
    assert e.extra["status"] == 403 and e.extra["method"] == "GET"


def test_out_of_scope_404_on_a_page_is_recorded_with_the_object(client, users, pdf):
    sp = make_subplan(users["township"], pdf)
    client.force_login(users["other_township"])
    assert client.get(reverse("campaigns:subplan", args=[sp.pk])).status_code == 404
    e = last(A.NOT_FOUND_OUT_OF_SCOPE)
    assert (e.user, e.object_pk, e.content_type.model) == (
        users["other_township"],
        str(sp.pk),
        "subplan",
    )


def test_404_of_an_object_that_does_not_exist_is_not_an_out_of_scope_event(client, users):
    client.force_login(users["other_township"])
    assert client.get(reverse("campaigns:subplan", args=[999999])).status_code == 404
    assert last(A.NOT_FOUND_OUT_OF_SCOPE) is None


def test_out_of_scope_404_in_the_api_is_recorded(client, users, pdf):
    sp = make_subplan(users["township"], pdf)
    client.force_login(users["other_township"])
    assert client.get(f"/api/v1/subplans/{sp.pk}/").status_code == 404
    e = last(A.NOT_FOUND_OUT_OF_SCOPE)
    assert (e.user, e.object_pk) == (users["other_township"], str(sp.pk))
    assert client.get("/api/v1/subplans/999999/").status_code == 404
    assert AuditEvent.objects.filter(action=A.NOT_FOUND_OUT_OF_SCOPE).count() == 1


def test_an_excel_export_is_recorded(client, users):
    client.force_login(users["office"])
    r = client.get(reverse("campaigns:subplans_export"), REMOTE_ADDR="10.3.3.8")
    assert r.status_code == 200
    e = last(A.EXPORT)
    assert (e.user, e.ip, e.extra["view"]) == (
        users["office"],
        "10.3.3.8",
        "campaigns:subplans_export",
    )
    assert "spreadsheetml" in e.extra["content_type"]


def test_a_file_download_is_recorded_with_its_object(client, users, pdf):
    sp = make_subplan(users["township"], pdf)
    client.force_login(users["township"])
    r = client.get(reverse("campaigns:subplan_version_download", args=[sp.pk, 1]))
    assert r.status_code == 200
    b"".join(r.streaming_content)
    e = last(A.DOWNLOAD)
    assert (e.user, e.object_pk, e.content_type.model) == (users["township"], str(sp.pk), "subplan")


def test_a_role_change_is_recorded_with_old_and_new_values(users, plan):
    from campaigns.models import Township

    user = users["township"]
    user_assign_role(
        user=user, role=Role.TOWNSHIP_OFFICIAL, township=Township.objects.get(code="hongcun")
    )
    e = AuditEvent.objects.filter(action=A.ROLE_CHANGE, extra__has_key="changes").first()
    assert e.object_pk == str(user.pk)
    old, new = e.extra["changes"]["township_id"]
    assert new == Township.objects.get(code="hongcun").pk and old != new


def test_group_and_permission_changes_are_recorded(users):
    user = users["department"]
    group = Group.objects.get(name=Role.SAFETY_OFFICE)
    user.groups.add(group)
    e = last(A.ROLE_CHANGE)
    assert (e.object_pk, e.extra["relation"], e.extra["added"]) == (
        str(user.pk),
        "user.groups",
        [group.name],
    )
    perm = Permission.objects.get(codename="view_auditevent")
    user.user_permissions.add(perm)
    e = last(A.PERMISSION_CHANGE)
    assert e.extra["relation"] == "user.user_permissions"
    assert e.extra["added"] == ["campaigns.view_auditevent"]
    user.groups.remove(Group.objects.get(name=Role.ADMIN))  # not a member: nothing happens
    assert last(A.ROLE_CHANGE).extra.get("added") == [group.name]
    user.groups.clear()
    e = last(A.ROLE_CHANGE)
    assert e.extra["removed"] == sorted([group.name, Role.DEPARTMENT_STAFF])
    group.permissions.add(perm)
    e = last(A.PERMISSION_CHANGE)
    assert (e.extra["relation"], e.object_pk) == ("group.permissions", str(group.pk))


def test_a_group_change_made_in_the_admin_names_the_admin(client, users):
    client.force_login(users["admin"])
    target = users["department"]
    office_group = Group.objects.get(name=Role.SAFETY_OFFICE)
    r = client.get(reverse("admin:campaigns_user_change", args=[target.pk]))
    assert r.status_code == 200
    form = r.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "password"}
    data.update(
        {
            "username": target.username,
            "groups": [office_group.pk],
            "user_permissions": [],
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
            "last_login_0": "",
            "last_login_1": "",
            "role": target.role,
            "department": target.department_id,
            "township": "",
        }
    )
    data = {k: v for k, v in data.items() if not isinstance(v, bool) or v}
    r = client.post(reverse("admin:campaigns_user_change", args=[target.pk]), data)
    assert r.status_code == 302, r.context["adminform"].form.errors if r.context else r
    e = last(A.ROLE_CHANGE)
    assert e.user == users["admin"] and e.extra["by"] == "admin"
    assert office_group.name in e.extra["added"]


# --- append-only and the chain ----------------------------------------------------------------


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_the_database_refuses_update_and_delete(users):
    e = audit_record(action=A.EXPORT, username="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditEvent.objects.filter(pk=e.pk).update(username="y")
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditEvent.objects.filter(pk=e.pk).delete()
    with pytest.raises(IntegrityError), transaction.atomic():
        e.username = "z"
        e.save()
    assert AuditEvent.objects.get(pk=e.pk).username == "x"


def test_verify_audit_is_clean_on_an_intact_chain(users):
    for i in range(3):
        audit_record(action=A.EXPORT, username=f"u{i}", extra={"n": i, "名": "值"})
    out = io.StringIO()
    call_command("verify_audit", stdout=out)
    assert "intact" in out.getvalue()
    assert audit_verify().checked == AuditEvent.objects.count() > 3


def _tamper(sql, params):
    """Run ``sql`` with the trigger off (as the database owner could), inside the test's
    transaction: the trigger and the row come back when the test rolls back."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE campaigns_auditevent DISABLE TRIGGER USER")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE campaigns_auditevent ENABLE TRIGGER USER")


def test_verify_audit_detects_an_edited_row(users):
    middle = audit_record(action=A.EXPORT, username="honest")
    audit_record(action=A.EXPORT, username="after")
    _tamper("UPDATE campaigns_auditevent SET username = %s WHERE id = %s", ["forged", middle.pk])
    with pytest.raises(CommandError, match=rf"altered.*row id {middle.pk}\b"):
        call_command("verify_audit")


def test_verify_audit_detects_a_deleted_row(users):
    audit_record(action=A.EXPORT, username="one")
    gone = audit_record(action=A.EXPORT, username="two")
    after = audit_record(action=A.EXPORT, username="three")
    _tamper("DELETE FROM campaigns_auditevent WHERE id = %s", [gone.pk])
    result = audit_verify()
    assert not result.ok and result.event_id == after.pk and "missing" in result.problem
    with pytest.raises(CommandError, match="TAMPERED"):
        call_command("verify_audit")


def test_verify_audit_detects_a_rewritten_chain_link(users):
    """Deleting a row and renumbering the next to hide the gap still breaks the hash link."""
    audit_record(action=A.EXPORT, username="one")
    gone = audit_record(action=A.EXPORT, username="two")
    after = audit_record(action=A.EXPORT, username="three")
    _tamper("DELETE FROM campaigns_auditevent WHERE id = %s", [gone.pk])
    _tamper("UPDATE campaigns_auditevent SET seq = %s WHERE id = %s", [gone.seq, after.pk])
    result = audit_verify()
    assert not result.ok and result.event_id == after.pk and "chain broken" in result.problem


def test_deleting_a_user_keeps_their_audit_rows(users):
    user = users["other_department"]
    audit_record(action=A.EXPORT, user=user)
    pk = user.pk
    user.delete()
    e = AuditEvent.objects.filter(user_id=pk, action=A.EXPORT).get()
    assert e.username == "dept_fire"
    assert audit_verify().ok


# --- reading: admin and API -------------------------------------------------------------------


def test_admin_lists_searches_and_exports_for_an_admin(client, users):
    audit_record(action=A.LOGIN_FAILED, username="intruder", ip="198.51.100.9")
    client.force_login(users["admin"])
    url = reverse("admin:campaigns_auditevent_changelist")
    r = client.get(url, {"q": "intruder"})
    assert r.status_code == 200 and "intruder" in r.content.decode()
    assert client.get(url, {"q": "198.51.100.9"}).status_code == 200
    year = timezone.localdate().year
    r = client.get(url, {"action": "login_failed", "occurred_at__year": year})
    assert r.status_code == 200 and "intruder" in r.content.decode()
    r = client.get(url, {"action": "login", "occurred_at__year": year})
    assert "intruder" not in r.content.decode()
    pks = list(AuditEvent.objects.values_list("pk", flat=True))
    r = client.post(url, {"action": "export_xlsx", "_selected_action": pks})
    assert r.status_code == 200 and "spreadsheetml" in r.headers["Content-Type"]
    ws = load_workbook(io.BytesIO(r.content)).active
    names = [row[2] for row in ws.iter_rows(min_row=2, values_only=True)]
    assert "intruder" in names
    # the export of the audit trail is itself audited
    assert last(A.EXPORT).user == users["admin"]


def test_admin_offers_no_add_change_or_delete(client, users):
    e = audit_record(action=A.EXPORT, username="x")
    client.force_login(users["admin"])
    assert client.get(reverse("admin:campaigns_auditevent_add")).status_code == 403
    assert client.get(reverse("admin:campaigns_auditevent_delete", args=[e.pk])).status_code == 403
    r = client.post(reverse("admin:campaigns_auditevent_change", args=[e.pk]), {"username": "y"})
    assert r.status_code == 403
    assert AuditEvent.objects.get(pk=e.pk).username == "x"


@pytest.mark.parametrize("role", ["township", "department", "office"])
def test_other_roles_cannot_read_the_trail(client, users, role):
    client.force_login(users[role])
    r = client.get(reverse("admin:campaigns_auditevent_changelist"))
    assert r.status_code == 302  # the admin site sends non-staff to its login
    assert client.get("/api/v1/audit-events/").status_code == 403


def test_api_lists_and_filters_for_an_admin(client, users):
    audit_record(action=A.LOGIN_FAILED, username="intruder", ip="198.51.100.9")
    client.force_login(users["admin"])
    r = client.get("/api/v1/audit-events/", {"action": "login_failed", "ip": "198.51.100.9"})
    assert r.status_code == 200
    rows = r.json()["results"]
    assert [x["username"] for x in rows] == ["intruder"]
    assert rows[0]["action_label"] and len(rows[0]["hash"]) == 64
    assert client.get("/api/v1/audit-events/", {"since": "2024-01-01"}).status_code == 200
    assert client.get("/api/v1/audit-events/", {"bogus": "1"}).status_code == 400
    assert client.post("/api/v1/audit-events/", {}).status_code == 405
    one = rows[0]["id"]
    assert client.delete(f"/api/v1/audit-events/{one}/").status_code == 405
