"""Reads of the audit trail, and the scoped lookup that records an out-of-scope 404.

:func:`get_visible_or_404` is ``get_object_or_404`` for a scoped queryset
(``Model.objects.visible_to(user)``): when nothing in scope matches but the object exists
outside the scope, it writes a ``not_found_out_of_scope_404`` row before raising Http404 (the
user still learns nothing). The object it finds is noted as the request's object for the
export/download row of :class:`~campaigns.audit.middleware.AuditMiddleware`.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404

from campaigns.audit.models import AuditEvent
from campaigns.audit.services import audit_record, current_request


def record_out_of_scope(model, lookup: dict, *, request=None) -> bool:
    """If an object of ``model`` matching ``lookup`` exists (unscoped), record the refused
    lookup and return True. Bad lookup values (``pk="abc"``) are not an object: False."""
    try:
        found = model._base_manager.filter(**lookup).first()
    except (ValueError, TypeError, ValidationError):
        return False
    if found is None:
        return False
    audit_record(
        action=AuditEvent.Action.NOT_FOUND_OUT_OF_SCOPE,
        request=request,
        obj=found,
        extra={"lookup": {k: str(v) for k, v in lookup.items()}},
    )
    return True


def get_visible_or_404(queryset, **lookup):
    """``queryset.get(**lookup)`` or Http404; an existing object out of scope is recorded."""
    request = current_request()
    try:
        obj = get_object_or_404(queryset, **lookup)
    except Http404:
        model = getattr(queryset, "model", None) or queryset.__class__
        record_out_of_scope(model, lookup, request=request)
        raise
    if request is not None:
        request._audit_object = obj
    return obj


def audit_events_for(user):
    """The audit rows ``user`` may read (all for the admin role, none otherwise), newest first,
    with their user and object type."""
    return AuditEvent.objects.visible_to(user).select_related("user", "content_type")
