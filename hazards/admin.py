"""Admin: criteria are reference data kept by admins; the ledger itself changes via services."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    CriterionSector,
    Enterprise,
    Hazard,
    HazardCriterion,
    HazardNotification,
    JudgementStandard,
)


@admin.register(JudgementStandard)
class JudgementStandardAdmin(admin.ModelAdmin):
    """Standards (判定标准) with their document facts, source and verification state."""

    list_display = ["title", "document_number", "effective_on", "superseded_on", "verified"]
    list_filter = ["verified"]
    search_fields = ["title", "document_number", "code"]


class CriterionSectorInline(admin.TabularInline):
    model = CriterionSector
    extra = 1


@admin.register(HazardCriterion)
class HazardCriterionAdmin(admin.ModelAdmin):
    list_display = ["standard", "clause", "topic", "verified", "active"]
    list_filter = ["standard", "verified", "active"]
    search_fields = ["clause", "text", "topic", "standard__title"]
    inlines = [CriterionSectorInline]


@admin.register(Enterprise)
class EnterpriseAdmin(SimpleHistoryAdmin):
    list_display = ["name", "credit_code", "township"]
    list_filter = ["township", "sectors"]
    search_fields = ["name", "credit_code"]


@admin.register(Hazard)
class HazardAdmin(SimpleHistoryAdmin):
    """Read-only: status changes only through the lifecycle services."""

    list_display = ["ledger_number", "enterprise", "township", "sector", "level", "status"]
    list_filter = ["status", "level", "source", "township", "sector"]
    search_fields = ["ledger_number", "enterprise__name", "description"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(HazardNotification)
class HazardNotificationAdmin(admin.ModelAdmin):
    list_display = ["hazard", "recipient_name", "channel", "state", "created_at", "sent_at"]
    list_filter = ["channel", "state"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
