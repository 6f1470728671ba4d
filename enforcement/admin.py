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


# --- enforcement (enforcement.inspections): read-only; writes go through the services ---
from .inspections.models import (  # noqa: E402
    Accident,
    ConflictTie,
    Draw,
    EnforcementAction,
    Expert,
    Inspection,
)


@admin.register(Inspection)
class InspectionAdmin(ReadOnlyAdmin):
    list_display = ["inspected_on", "department", "enterprise", "method", "status", "has_findings"]
    list_filter = ["status", "method", "department"]


@admin.register(Draw)
class DrawAdmin(ReadOnlyAdmin):
    list_display = ["title", "department", "drawn_at", "seed", "published_at"]


@admin.register(EnforcementAction)
class EnforcementActionAdmin(ReadOnlyAdmin):
    list_display = [
        "decision_number",
        "decided_on",
        "department",
        "enterprise",
        "kind",
        "fine_amount",
        "referred_for_prosecution",
    ]
    list_filter = ["kind", "department", "referred_for_prosecution"]
    search_fields = ["decision_number"]


@admin.register(Expert)
class ExpertAdmin(admin.ModelAdmin):
    list_display = ["name", "specialities", "employer_name", "available"]
    list_filter = ["available", "sectors"]


@admin.register(ConflictTie)
class ConflictTieAdmin(ReadOnlyAdmin):
    list_display = ["person", "expert", "enterprise", "reason", "recorded_at"]


@admin.register(Accident)
class AccidentAdmin(ReadOnlyAdmin):
    list_display = [
        "occurred_on",
        "summary",
        "township",
        "grade",
        "deaths",
        "serious_injuries",
        "direct_loss",
    ]
    list_filter = ["grade", "township"]
