"""API of the audit trail: ``/api/v1/audit-events/`` (list, retrieve; read-only) for holders of
``campaigns.view_auditevent`` (the admin role); anyone else signed in gets 403. Filters: see
:class:`~campaigns.audit.filters.AuditEventFilter`.

Also :func:`exception_handler`, DRF's handler plus the audit of out-of-scope 404s: a detail
lookup that finds nothing in the caller's ``get_queryset()`` but an object outside it writes a
``not_found_out_of_scope_404`` row (``REST_FRAMEWORK["EXCEPTION_HANDLER"]``)."""

from __future__ import annotations

from django.http import Http404
from rest_framework import permissions, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.views import exception_handler as drf_exception_handler

from campaigns.audit.filters import AuditEventFilter
from campaigns.audit.selectors import audit_events_for, record_out_of_scope
from campaigns.audit.serializers import AuditEventSerializer


class CanReadAudit(permissions.BasePermission):
    """Holders of ``campaigns.view_auditevent`` only."""

    def has_permission(self, request, view):
        return bool(request.user and request.user.has_perm("campaigns.view_auditevent"))


class AuditEventViewSet(viewsets.ReadOnlyModelViewSet):
    """The audit trail, newest first (admins only; 403 for other roles)."""

    serializer_class = AuditEventSerializer
    filterset_class = AuditEventFilter
    permission_classes = [permissions.IsAuthenticated, CanReadAudit]
    ordering_fields = ["seq", "occurred_at"]

    def get_queryset(self):
        return audit_events_for(self.request.user)


def exception_handler(exc, context):
    """DRF's handler; first records a detail 404 whose object exists out of scope."""
    if isinstance(exc, Http404 | NotFound):
        view = context.get("view")
        request = context.get("request")
        try:
            lookup_url_kwarg = view.lookup_url_kwarg or view.lookup_field
            value = view.kwargs.get(lookup_url_kwarg)
            if value is not None and request is not None and request.user.is_authenticated:
                model = view.get_queryset().model
                record_out_of_scope(model, {view.lookup_field: value}, request=request)
        except (AttributeError, Http404, NotFound):  # not a generic view, or no queryset
            pass
    return drf_exception_handler(exc, context)
