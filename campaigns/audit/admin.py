"""Admin of the audit trail: read-only (no add, change or delete for anyone, superusers
included), searchable by user name, IP, object and path, filtered by action and date, and
exported to Excel (the action "Export to Excel" on the selected or all filtered rows)."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from campaigns.audit.exports import audit_xlsx
from campaigns.audit.models import AuditEvent
from yixian_safety.dates import today_local
from yixian_safety.xlsx import xlsx_response


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = [
        "seq",
        "occurred_at",
        "username",
        "ip",
        "action",
        "content_type",
        "object_pk",
        "object_repr",
        "path",
    ]
    list_filter = ["action", ("occurred_at", admin.DateFieldListFilter), "content_type"]
    search_fields = ["username", "=ip", "object_repr", "=object_pk", "path"]
    date_hierarchy = "occurred_at"
    list_select_related = ["content_type"]
    show_full_result_count = False
    actions = ["export_xlsx"]
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Export to Excel"), permissions=["view"])
    def export_xlsx(self, request, queryset):
        return xlsx_response(
            _("audit trail") + f"-{today_local():%Y%m%d}.xlsx", audit_xlsx(queryset)
        )
