"""Filter of the audit trail (API ``/api/v1/audit-events/``; strict: unknown parameters → 400)."""

import django_filters
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from campaigns.audit.models import AuditEvent
from yixian_safety.api import IdFilter


class AuditEventFilter(django_filters.FilterSet):
    """``?action=login_failed``, ``?username=admin`` (exact), ``?user=<id>``, ``?ip=10.0.0.1``,
    ``?since=2026-06-01&until=2026-06-30`` (dates in Asia/Shanghai, both included),
    ``?object_type=hazards.hazard``, ``?object_pk=42``, ``?path=/hazards/`` (starts with)."""

    action = django_filters.ChoiceFilter(choices=AuditEvent.Action.choices)
    username = django_filters.CharFilter(max_length=150)
    user = IdFilter(field_name="user_id")
    ip = django_filters.CharFilter(max_length=45, method="filter_ip")
    since = django_filters.DateFilter(
        field_name="occurred_at", lookup_expr="date__gte", label=pgettext_lazy("date range", "from")
    )
    until = django_filters.DateFilter(
        field_name="occurred_at", lookup_expr="date__lte", label=pgettext_lazy("date range", "to")
    )
    object_type = django_filters.CharFilter(
        max_length=100, method="filter_object_type", label=_("object type")
    )
    object_pk = django_filters.CharFilter(max_length=64)
    path = django_filters.CharFilter(max_length=500, lookup_expr="startswith")

    class Meta:
        model = AuditEvent
        fields = [
            "action",
            "username",
            "user",
            "ip",
            "since",
            "until",
            "object_type",
            "object_pk",
            "path",
        ]

    def filter_ip(self, queryset, name, value):
        import ipaddress

        try:
            value = str(ipaddress.ip_address(value.strip()))
        except ValueError:
            return queryset.none()
        return queryset.filter(ip=value)

    def filter_object_type(self, queryset, name, value):
        app_label, _dot, model = value.partition(".")
        return queryset.filter(content_type__app_label=app_label, content_type__model=model)
