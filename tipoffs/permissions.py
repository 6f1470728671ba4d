"""Action rights on tip-offs (visibility itself is ``TipOff.objects.visible_to``).

The safety office triages, closes, answers and rewards; the assigned department verifies.
Reading a reporter's identity needs ``tipoffs.view_reporter_identity`` granted *explicitly* —
to the named role (the auth Group 举报受理人) or to the user — never implied by being a
superuser or by the administrators' all-permissions group (保密制度: the people who run the
system are not thereby the people who may know who reported).
"""

from __future__ import annotations

from django.contrib.auth.models import Permission
from django.db.models import Q

from campaigns.models import Role
from campaigns.org.scoping import scope_for


def _active(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def can_triage(user) -> bool:
    return _active(user) and user.has_perm("tipoffs.triage_tipoff")


def can_verify(user, tipoff) -> bool:
    """The office, or staff of the department the tip-off is assigned to."""
    if not (_active(user) and user.has_perm("tipoffs.verify_tipoff")):
        return False
    scope = scope_for(user)
    return scope.everything or (
        tipoff.department_id is not None and tipoff.department_id in scope.department_ids
    )


def can_export(user) -> bool:
    return _active(user) and user.has_perm("tipoffs.export_tipoff")


def can_decide_reward(user) -> bool:
    return _active(user) and user.has_perm("tipoffs.decide_reward")


def can_view_identity(user) -> bool:
    """Holds ``view_reporter_identity`` directly or through a group other than the admins'
    all-permissions role group (one query, cached on the user for the request)."""
    if not _active(user):
        return False
    cached = getattr(user, "_tipoffs_identity", None)
    if cached is None:
        perm = Permission.objects.filter(
            content_type__app_label="tipoffs", codename="view_reporter_identity"
        )
        cached = perm.filter(
            Q(user=user) | Q(group__in=user.groups.exclude(name=Role.ADMIN))
        ).exists()
        user._tipoffs_identity = cached
    return cached
