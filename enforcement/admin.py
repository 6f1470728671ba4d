"""Admin: escalation rules are configured here; listings, extensions and steps change only
through the services (read-only here)."""

from django.contrib import admin

from .models import EscalationRule, EscalationStep, ExtensionRequest, Listing


@admin.register(EscalationRule)
class EscalationRuleAdmin(admin.ModelAdmin):
    list_display = ["name", "trigger", "threshold", "step", "target", "active"]
    list_filter = ["trigger", "step", "target", "active"]
    list_editable = ["threshold", "active"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Listing)
class ListingAdmin(ReadOnlyAdmin):
    list_display = ["document_number", "hazard", "listing_body", "listed_on", "status"]
    list_filter = ["status", "listing_body"]
    search_fields = ["document_number", "hazard__ledger_number"]


@admin.register(ExtensionRequest)
class ExtensionRequestAdmin(ReadOnlyAdmin):
    list_display = ["hazard", "current_deadline", "requested_deadline", "filed_on", "status"]
    list_filter = ["status"]


@admin.register(EscalationStep)
class EscalationStepAdmin(ReadOnlyAdmin):
    list_display = ["kind", "target_key", "status", "proposed_at", "document_number"]
    list_filter = ["status", "kind", "target_kind"]
