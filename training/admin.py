"""Admin: records are kept through the pages/API (services); the admin is for looking up and
correcting them (admins only)."""

from django.contrib import admin

from .models import (
    Attendance,
    Certificate,
    Drill,
    DrillEvidence,
    EnterpriseFlag,
    PrincipalInspection,
    RescueTeam,
    TrainingSession,
)


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0
    autocomplete_fields = ["enterprise"]
    readonly_fields = ["recorded_by", "recorded_at"]


@admin.register(TrainingSession)
class TrainingSessionAdmin(admin.ModelAdmin):
    list_display = [
        "held_on",
        "title",
        "audience",
        "organiser_township",
        "organiser_department",
        "online",
    ]
    list_filter = ["audience", "online", "organiser_township", "organiser_department"]
    search_fields = ["title", "venue"]
    date_hierarchy = "held_on"
    inlines = [AttendanceInline]
    readonly_fields = ["created_by", "created_at"]


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = [
        "worker_name",
        "enterprise",
        "type",
        "number",
        "issued_on",
        "valid_until",
        "review_due",
    ]
    list_filter = ["type"]
    search_fields = ["worker_name", "number", "enterprise__name"]
    autocomplete_fields = ["enterprise"]
    readonly_fields = ["created_by", "created_at"]


class EvidenceInline(admin.TabularInline):
    model = DrillEvidence
    extra = 0
    fields = ["kind", "original_name", "uploaded_by", "uploaded_at"]
    readonly_fields = fields


@admin.register(Drill)
class DrillAdmin(admin.ModelAdmin):
    list_display = ["held_on", "enterprise", "scenario", "participants"]
    search_fields = ["enterprise__name", "scenario"]
    date_hierarchy = "held_on"
    autocomplete_fields = ["enterprise"]
    inlines = [EvidenceInline]
    readonly_fields = ["created_by", "created_at"]


@admin.register(PrincipalInspection)
class PrincipalInspectionAdmin(admin.ModelAdmin):
    list_display = ["inspected_on", "enterprise", "leader_name"]
    search_fields = ["enterprise__name", "leader_name", "findings"]
    date_hierarchy = "inspected_on"
    autocomplete_fields = ["enterprise", "hazards"]
    readonly_fields = ["created_by", "created_at"]


@admin.register(RescueTeam)
class RescueTeamAdmin(admin.ModelAdmin):
    list_display = ["name", "enterprise", "members", "agreement_with"]
    search_fields = ["name", "enterprise__name"]
    autocomplete_fields = ["enterprise"]
    readonly_fields = ["created_by", "created_at"]


@admin.register(EnterpriseFlag)
class EnterpriseFlagAdmin(admin.ModelAdmin):
    list_display = ["enterprise", "flag", "set_by", "set_at"]
    list_filter = ["flag"]
    search_fields = ["enterprise__name"]
    autocomplete_fields = ["enterprise"]
    readonly_fields = ["set_by", "set_at"]
