"""API shape of the audit trail (read-only)."""

from rest_framework import serializers

from campaigns.audit.models import AuditEvent


class AuditEventSerializer(serializers.ModelSerializer):
    """One audit row. ``object_type``: ``app_label.model`` or empty; ``ip`` may be null."""

    action_label = serializers.CharField(source="get_action_display", read_only=True)
    object_type = serializers.SerializerMethodField()

    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "seq",
            "occurred_at",
            "user",
            "username",
            "ip",
            "action",
            "action_label",
            "object_type",
            "object_pk",
            "object_repr",
            "path",
            "extra",
            "prev_hash",
            "hash",
        ]
        read_only_fields = fields

    def get_object_type(self, obj) -> str:
        ct = obj.content_type
        return f"{ct.app_label}.{ct.model}" if ct else ""
