"""Demo rows of the audit trail (invented): a failed login, a login and an export by the safety
office, from documentation addresses (192.0.2.x). The demo's own account and role changes are
already recorded by the hooks. Safe to run again: nothing is duplicated."""

from __future__ import annotations

from campaigns.audit.models import AuditEvent
from campaigns.audit.services import audit_record
from campaigns.org.models import Role, User

A = AuditEvent.Action


def build(*, rng) -> str:
    office = User.objects.filter(role=Role.SAFETY_OFFICE, is_active=True).order_by("pk").first()
    if office is not None and not AuditEvent.objects.filter(extra__demo=True).exists():
        ip = f"192.0.2.{rng.randint(10, 250)}"
        audit_record(
            action=A.LOGIN_FAILED,
            username=office.username,
            ip=ip,
            path="/accounts/login/",
            extra={"demo": True},
        )
        audit_record(
            action=A.LOGIN, user=office, ip=ip, path="/accounts/login/", extra={"demo": True}
        )
        audit_record(
            action=A.EXPORT,
            user=office,
            ip=ip,
            path="/hazards/export.xlsx",
            extra={"demo": True, "view": "hazards:export"},
        )
    return f"audit trail: {AuditEvent.objects.count()} rows (admin → 审计日志)"
