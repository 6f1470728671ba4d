"""Admin of the tip-offs. The identity columns are never shown here (not even to superusers):
the one way to read them is the audited page. The identity audit trail is read-only."""

from django.contrib import admin

from .models import IDENTITY_FIELDS, IdentityAccess, Reward, TipOff, TipOffEvent


class EventInline(admin.TabularInline):
    model = TipOffEvent
    extra = 0
    can_delete = False
    readonly_fields = ["action", "actor", "from_status", "to_status", "note", "at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(TipOff)
class TipOffAdmin(admin.ModelAdmin):
    list_display = ["number", "received_at", "township", "status", "department", "step_due_on"]
    list_filter = ["status", "channel", "township"]
    search_fields = ["number"]
    exclude = [*IDENTITY_FIELDS, "code_digest"]
    readonly_fields = [
        "number",
        "status",
        "outcome",
        "hazard",
        "received_at",
        "verified_at",
        "closed_at",
        "anonymous",
    ]
    inlines = [EventInline]

    def has_add_permission(self, request):
        return False  # tip-offs come through the public page

    # Read-only: every change goes through tipoffs.services (the workflow, the audit).
    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Reward)
class RewardAdmin(admin.ModelAdmin):
    list_display = ["tipoff", "amount", "decided_on", "paid_on"]
    readonly_fields = ["tipoff", "decided_by", "paid_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(IdentityAccess)
class IdentityAccessAdmin(admin.ModelAdmin):
    list_display = ["when", "who", "tipoff", "ip", "reason"]
    list_filter = ["who"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
