"""API of a user's own reminders: ``/api/v1/notifications/`` (digests with their items).

Only the signed-in user's digests are reachable; anyone else's id answers 404.
``POST /api/v1/notifications/{id}/read/`` marks one read; ``?unread=true`` filters.

``/api/v1/reminder-runs/``: the daily reminder job's runs (day, by what, times, counts, error),
newest day first, for those who may run the reminders (safety office, admin); others get 403.
"""

from __future__ import annotations

import django_filters
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from campaigns.notifications.digest import digest_mark_read
from campaigns.notifications.models import Digest, ReminderItem, ReminderRun


class ReminderItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReminderItem
        fields = ["id", "item_key", "kind", "level", "text", "url", "due_on"]


class DigestSerializer(serializers.ModelSerializer):
    """A day's digest: ``day`` (Asia/Shanghai date), ``read_at`` (null = unread), ``items``."""

    items = ReminderItemSerializer(many=True, read_only=True)

    class Meta:
        model = Digest
        fields = ["id", "day", "created_at", "read_at", "items"]
        read_only_fields = fields


class DigestFilter(django_filters.FilterSet):
    """``?unread=true|false``, ``?day=2025-03-02``."""

    unread = django_filters.BooleanFilter(field_name="read_at", lookup_expr="isnull")

    class Meta:
        model = Digest
        fields = ["unread", "day"]


class NotificationViewSet(viewsets.ReadOnlyModelViewSet):
    """The signed-in user's reminder digests, newest first, with their items."""

    serializer_class = DigestSerializer
    filterset_class = DigestFilter
    ordering_fields = ["day"]

    def get_queryset(self):
        return Digest.objects.visible_to(self.request.user).prefetch_related(
            Prefetch("items", queryset=ReminderItem.objects.order_by("-kind", "due_on", "pk"))
        )

    @extend_schema(request=None, responses=DigestSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        """Mark this digest read (idempotent); answers the digest."""
        digest = digest_mark_read(digest=self.get_object(), user=request.user)
        return Response(DigestSerializer(self.get_queryset().get(pk=digest.pk)).data)


class ReminderRunSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReminderRun
        fields = ["id", "day", "source", "started_at", "finished_at", "result", "error"]
        read_only_fields = fields


class CanRunReminders(permissions.BasePermission):
    """Holders of ``campaigns.run_reminders`` (safety office, admin) only."""

    def has_permission(self, request, view):
        return bool(request.user and request.user.has_perm("campaigns.run_reminders"))


class ReminderRunViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Runs of the daily reminder job, newest day first: whether the scheduler (beat) or the
    embedded mode's first request makes the reminders (safety office and admin; 403 else)."""

    serializer_class = ReminderRunSerializer
    permission_classes = [permissions.IsAuthenticated, CanRunReminders]
    filterset_fields = ["day", "source"]

    def get_queryset(self):
        return ReminderRun.objects.visible_to(self.request.user).order_by("-day")
