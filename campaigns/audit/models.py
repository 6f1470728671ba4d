"""The audit trail (审计日志, issue 15; 等保 2.0 level 3 "security audit"): one append-only table
of security-relevant events — logins, failed logins, lockouts, refusals (403, and 404s of
objects that exist outside the user's scope), exports, downloads, views of a protected
identity, role and permission changes.

Append-only is enforced by the database: on PostgreSQL a trigger (migration
``campaigns.0009_auditevent``) refuses every UPDATE and DELETE of the table, for every role of
the application. Each row carries ``prev_hash`` (the ``hash`` of the row before it, by ``seq``)
and its own ``hash`` (SHA-256 over :meth:`AuditEvent.canonical` and ``prev_hash``), and ``seq``
counts without gaps: ``manage.py verify_audit`` finds an edited, inserted or deleted row even if
someone with the database owner's rights disabled the trigger.

Rows are written only by :func:`campaigns.audit.services.audit_record`.
"""

from __future__ import annotations

import datetime
import hashlib
import json

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64  # ``prev_hash`` of the first row


class AuditEventQuerySet(models.QuerySet):
    def visible_to(self, user) -> AuditEventQuerySet:
        """Everything for holders of ``campaigns.view_auditevent`` (the admin role, superusers);
        nothing for anyone else."""
        if getattr(user, "is_authenticated", False) and user.is_active:
            if user.has_perm("campaigns.view_auditevent"):
                return self.all()
        return self.none()


class AuditEvent(models.Model):
    """One audited event: who (``user`` and the ``username`` they had, kept when the account is
    renamed or deleted), when (``occurred_at``, aware), from which IP (as
    :func:`yixian_safety.security.client_ip` sees it: ``REMOTE_ADDR``, or the proxy's entry
    with ``BEHIND_PROXY=on``), what (``action``), on which object (content type, pk, its
    text at the time), at which ``path``, and ``extra`` details (JSON object: strings, numbers,
    booleans, lists).

    ``seq`` 1, 2, 3 … without gaps; ``prev_hash``/``hash`` chain the rows (see the module)."""

    class Action(models.TextChoices):
        LOGIN = "login", _("login")
        LOGIN_FAILED = "login_failed", _("failed login")
        LOCKOUT = "lockout", _("login lockout")
        LOGOUT = "logout", _("logout")
        PERMISSION_DENIED = "permission_denied_403", _("permission denied (403)")
        NOT_FOUND_OUT_OF_SCOPE = "not_found_out_of_scope_404", _("out of scope (404)")
        EXPORT = "export", _("export")
        DOWNLOAD = "download", _("download")
        IDENTITY_VIEW = "identity_view", _("protected identity viewed")
        ROLE_CHANGE = "role_change", _("role change")
        PERMISSION_CHANGE = "permission_change", _("permission change")
        SESSIONS_ENDED = "sessions_ended", _("logged out everywhere")
        OTP_ENROLLED = "otp_enrolled", _("authenticator set up")
        OTP_VERIFIED = "otp_verified", _("second factor verified")
        OTP_FAILED = "otp_failed", _("wrong one-time code")
        RECOVERY_CODES_ISSUED = "recovery_codes_issued", _("recovery codes issued")
        RECOVERY_CODE_USED = "recovery_code_used", _("recovery code used")

    seq = models.PositiveBigIntegerField(_("sequence number"), unique=True, editable=False)
    occurred_at = models.DateTimeField(_("time"), db_index=True, editable=False)
    # No database constraint and DO_NOTHING: deleting an account must not touch (update) its
    # audit rows, which the trigger would refuse; ``username`` keeps who it was.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    username = models.CharField(_("user name"), max_length=150, blank=True, db_index=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True, db_index=True)
    action = models.CharField(_("action"), max_length=40, choices=Action.choices, db_index=True)
    content_type = models.ForeignKey(
        ContentType,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("object type"),
    )
    object_pk = models.CharField(_("object id"), max_length=64, blank=True, db_index=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    path = models.CharField(_("path"), max_length=500, blank=True)
    extra = models.JSONField(_("details"), default=dict, blank=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64, editable=False)
    hash = models.CharField(_("hash"), max_length=64, unique=True, editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-seq"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit trail")
        default_permissions = ("view",)  # rows are only ever added, by the code
        indexes = [models.Index(fields=["action", "occurred_at"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.get_action_display()} {self.username}"

    def canonical(self) -> str:
        """The row's content as the hash sees it: sorted-key compact JSON of every field but
        ``id``, ``prev_hash`` and ``hash``. The object type is named (``app_label.model``), not
        by its id, so the chain survives a backup restored into a new database."""
        ct = ""
        if self.content_type_id:
            ct = ContentType.objects.get_for_id(self.content_type_id)
            ct = f"{ct.app_label}.{ct.model}"
        data = {
            "seq": self.seq,
            "occurred_at": self.occurred_at.astimezone(datetime.UTC).isoformat(),
            "user": self.user_id,
            "username": self.username,
            "ip": self.ip or "",
            "action": self.action,
            "object_type": ct,
            "object_pk": self.object_pk,
            "object_repr": self.object_repr,
            "path": self.path,
            "extra": self.extra,
        }
        return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)

    def compute_hash(self) -> str:
        """SHA-256 (hex) of ``prev_hash`` + newline + :meth:`canonical`."""
        payload = f"{self.prev_hash}\n{self.canonical()}".encode()
        return hashlib.sha256(payload).hexdigest()
