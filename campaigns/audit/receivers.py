"""The audit hooks that Django and django-axes announce by signal (connected by
:func:`connect`, from ``CampaignsConfig.ready``):

- ``user_logged_in`` / ``user_logged_out`` / ``user_login_failed`` → login, logout, login_failed
  (the user name tried; never the password);
- axes' ``user_locked_out`` → lockout (the user name and the IP axes locked);
- a user's role, unit, staff/superuser/active flags changing (whoever saves the user: the
  ``user_assign_role`` service, the admin, a command) → role_change with old and new values;
- group membership of a user (roles are groups) → role_change; permissions of a user or of a
  group → permission_change (``m2m_changed``, from either side of the relation).

The actor of a change is the signed-in user of the current request (None in commands).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_save, pre_save

from campaigns.audit.models import AuditEvent
from campaigns.audit.services import audit_record, current_request

A = AuditEvent.Action
ROLE_FIELDS = ("role", "township_id", "department_id", "is_staff", "is_superuser", "is_active")


def _on_login(sender, request, user, **kwargs):
    audit_record(action=A.LOGIN, request=request, user=user)


def _on_logout(sender, request, user, **kwargs):
    audit_record(
        action=A.LOGOUT, request=request, user=user, username=user.get_username() if user else ""
    )


def _on_login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))[:150]
    audit_record(action=A.LOGIN_FAILED, request=request, user=None, username=username)


def _on_locked_out(sender, request, username, ip_address, **kwargs):
    audit_record(
        action=A.LOCKOUT,
        request=request,
        user=None,
        username=str(username or "")[:150],
        ip=ip_address,
    )


def _actor():
    request = current_request()
    user = getattr(request, "user", None)
    return user if getattr(user, "is_authenticated", False) else None


def _actor_extra() -> dict:
    actor = _actor()
    return {"by": actor.get_username()} if actor else {"by": ""}


def _hooks_on() -> bool:
    """Off while ``restore`` loads a backup (``AUDIT_CHANGE_HOOKS=False``)."""
    return getattr(settings, "AUDIT_CHANGE_HOOKS", True)


def _user_pre_save(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or instance.pk is None or not _hooks_on():
        return
    if update_fields is not None and not (
        {f.removesuffix("_id") for f in update_fields}
        & {f.removesuffix("_id") for f in ROLE_FIELDS}
    ):
        return  # e.g. the last_login update of every login
    instance._audit_before = (
        sender._base_manager.filter(pk=instance.pk).values(*ROLE_FIELDS).first()
    )


def _user_post_save(sender, instance, created, raw=False, **kwargs):
    if raw or not _hooks_on():
        return
    before = getattr(instance, "_audit_before", None)
    instance._audit_before = None
    if created:
        before = {f: None for f in ROLE_FIELDS}
    elif before is None:
        return
    changes = {
        f: [before[f], getattr(instance, f)]
        for f in ROLE_FIELDS
        if before[f] != getattr(instance, f) and not (created and not getattr(instance, f))
    }
    if not changes:
        return
    audit_record(
        action=A.ROLE_CHANGE,
        user=_actor(),
        obj=instance,
        extra={"changes": changes, "created": created, **_actor_extra()},
    )


def _m2m_changed(action_code, label):
    def receiver(sender, instance, action, reverse, model, pk_set, **kwargs):
        if not _hooks_on():
            return
        if action == "pre_remove":
            # Django announces the ids asked for; keep only the links that really exist
            instance._audit_removing = _linked(sender, instance, pk_set)
            return
        if action not in ("post_add", "post_remove", "pre_clear"):
            return
        if action == "post_remove":
            pk_set, instance._audit_removing = getattr(instance, "_audit_removing", set()), None
        elif action == "pre_clear":
            pk_set = _linked(sender, instance, None)  # gone after the clear: name them now
        if not pk_set:
            return
        names = _names(model, pk_set)
        change = "removed" if action in ("post_remove", "pre_clear") else "added"
        audit_record(
            action=action_code,
            user=_actor(),
            obj=instance,
            extra={"relation": label, change: names, **_actor_extra()},
        )

    return receiver


def _linked(through, instance, pk_set) -> set:
    """The ids on the other side linked to ``instance`` (among ``pk_set`` unless None)."""
    other = _other_side(through, instance)
    qs = through.objects.filter(**{_side(through, instance): instance.pk})
    if pk_set is not None:
        qs = qs.filter(**{f"{other}__in": pk_set})
    return set(qs.values_list(other, flat=True))


def _names(model, pk_set) -> list[str]:
    """What was added or removed, in one query: ``app_label.codename`` of permissions, the
    name of groups, the user name of users."""
    qs = model._base_manager.filter(pk__in=pk_set)
    if model is Permission:
        return sorted(
            f"{app}.{code}" for app, code in qs.values_list("content_type__app_label", "codename")
        )
    if model is Group:
        return sorted(qs.values_list("name", flat=True))
    return sorted(str(o) for o in qs)


def _side(through, instance) -> str:
    """The through table's column that points at ``instance``'s model."""
    for field in through._meta.fields:
        if field.is_relation and isinstance(instance, field.related_model):
            return field.attname
    raise LookupError(through)


def _other_side(through, instance) -> str:
    mine = _side(through, instance)
    for field in through._meta.fields:
        if field.is_relation and field.attname != mine:
            return field.attname
    raise LookupError(through)


_on_groups = _m2m_changed(A.ROLE_CHANGE, "user.groups")
_on_user_permissions = _m2m_changed(A.PERMISSION_CHANGE, "user.user_permissions")
_on_group_permissions = _m2m_changed(A.PERMISSION_CHANGE, "group.permissions")


def connect() -> None:
    """Connect the hooks (idempotent: ``dispatch_uid``)."""
    from axes.signals import user_locked_out

    User = get_user_model()
    user_logged_in.connect(_on_login, dispatch_uid="audit_login")
    user_logged_out.connect(_on_logout, dispatch_uid="audit_logout")
    user_login_failed.connect(_on_login_failed, dispatch_uid="audit_login_failed")
    user_locked_out.connect(_on_locked_out, dispatch_uid="audit_locked_out")
    pre_save.connect(_user_pre_save, sender=User, dispatch_uid="audit_user_pre_save")
    post_save.connect(_user_post_save, sender=User, dispatch_uid="audit_user_post_save")
    m2m_changed.connect(_on_groups, sender=User.groups.through, dispatch_uid="audit_groups")
    m2m_changed.connect(
        _on_user_permissions,
        sender=User.user_permissions.through,
        dispatch_uid="audit_user_permissions",
    )
    m2m_changed.connect(
        _on_group_permissions,
        sender=Group.permissions.through,
        dispatch_uid="audit_group_permissions",
    )
