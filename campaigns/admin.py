"""Django admin for the plan, organisation units and accounts (the admins' tool, in Chinese)."""

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from campaigns.accounts.services import user_password_set_by_admin
from campaigns.audit import admin as _audit_admin  # noqa: F401  (registers the audit trail)
from campaigns.league.models import LeagueWeight
from campaigns.notifications.models import (
    Digest,
    DigestSend,
    NotificationPreference,
    OutboxMessage,
    ReminderItem,
)
from campaigns.org.models import Department, Sector, Township, User
from campaigns.plan.models import Action, Campaign, Milestone, Obligation, Phase, Task
from campaigns.progress.models import (
    MilestoneRecord,
    ObligationRecord,
    ProgressReport,
    ReportingCadence,
)
from campaigns.subplans.models import SubPlan, SubPlanEvent, SubPlanVersion


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "first_name", "role", "township", "department", "is_active"]
    list_filter = ["role", "township", "department", "is_active", "must_change_password"]
    fieldsets = BaseUserAdmin.fieldsets + (
        (_("Role and organisation unit"), {"fields": ["role", "township", "department", "phone"]}),
        (_("Login security"), {"fields": ["must_change_password"]}),
    )

    def save_model(self, request, obj, form, change):
        # An account an administrator creates gets a password the administrator knows: the
        # person must choose their own at the first login (issue 15).
        if not change:
            obj.must_change_password = True
        super().save_model(request, obj, form, change)

    def user_change_password(self, request, id, form_url=""):
        """An administrator setting another person's password: that person must choose their
        own at the next login. (Django's view redirects only after a successful change.)"""
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            user = self.get_object(request, unquote(id))
            if user is not None and user.pk != request.user.pk:
                user_password_set_by_admin(user=user)
        return response


@admin.register(Township)
class TownshipAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "order"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "code", "is_lead"]
    list_filter = ["is_lead"]


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "high_risk"]
    list_filter = ["high_risk", "lead_departments"]
    filter_horizontal = ["lead_departments"]


class PhaseInline(admin.TabularInline):
    model = Phase
    extra = 0


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "document_number", "starts_on", "ends_on"]
    inlines = [PhaseInline]


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "campaign"]
    list_filter = ["campaign"]


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0
    fields = ["code", "title", "due_on", "kind"]


class ObligationInline(admin.TabularInline):
    model = Obligation
    extra = 0
    fields = ["code", "title", "frequency", "high_risk_frequency", "subject"]


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "action", "campaign"]
    list_filter = ["campaign", "action", "lead_departments", "sectors"]
    search_fields = ["title", "text"]
    filter_horizontal = ["lead_departments", "participating_departments", "sectors"]
    inlines = [MilestoneInline, ObligationInline]

    def save_formset(self, request, form, formset, change):
        # A milestone or obligation added here belongs to the task's campaign.
        for inline_form in formset.forms:
            if hasattr(inline_form.instance, "campaign_id"):
                inline_form.instance.campaign_id = form.instance.campaign_id
        super().save_formset(request, form, formset, change)


@admin.register(Milestone)
class MilestoneAdmin(admin.ModelAdmin):
    list_display = ["due_on", "title", "task", "kind", "campaign"]
    list_filter = ["campaign", "kind"]


@admin.register(Obligation)
class ObligationAdmin(admin.ModelAdmin):
    list_display = ["title", "task", "frequency", "high_risk_frequency", "subject", "campaign"]


# --- sub-plans, progress, league weights ---------------------------------------------------


class LeagueWeightForm(forms.ModelForm):
    class Meta:
        model = LeagueWeight
        fields = ["metric", "weight"]

    def __init__(self, *args, **kwargs):
        from campaigns.league.selectors import METRICS

        super().__init__(*args, **kwargs)
        self.fields["metric"] = forms.ChoiceField(
            label=_("metric"), choices=[(m.code, m.label) for m in METRICS]
        )


@admin.register(LeagueWeight)
class LeagueWeightAdmin(admin.ModelAdmin):
    """Admins set how much each measurable metric counts in the league table (“赛马”)."""

    form = LeagueWeightForm
    list_display = ["metric", "weight", "updated_at"]
    list_editable = ["weight"]


@admin.register(ReportingCadence)
class ReportingCadenceAdmin(admin.ModelAdmin):
    list_display = ["task", "frequency", "set_by", "updated_at"]
    list_editable = ["frequency"]


class SubPlanVersionInline(admin.TabularInline):
    model = SubPlanVersion
    extra = 0
    can_delete = False
    readonly_fields = [
        "number",
        "download",
        "original_name",
        "kind",
        "size",
        "sha256",
        "uploaded_by",
        "uploaded_at",
    ]
    fields = readonly_fields

    @admin.display(description=_("document"))
    def download(self, obj):
        """The scoped download view (never the raw /media/ path, which is not served)."""
        if not obj.pk:
            return "—"
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), obj.original_name)

    def has_add_permission(self, request, obj=None):
        return False


class SubPlanEventInline(admin.TabularInline):
    model = SubPlanEvent
    extra = 0
    can_delete = False
    readonly_fields = ["action", "from_status", "to_status", "comment", "actor", "at"]
    fields = readonly_fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(SubPlan)
class SubPlanAdmin(admin.ModelAdmin):
    """Read-only here: the workflow runs through the pages and the API (services)."""

    list_display = ["title", "township", "department", "sector", "status", "first_submitted_on"]
    list_filter = ["status", "township", "department"]
    readonly_fields = ["status", "first_submitted_on", "due_on", "created_by", "approved_version"]
    inlines = [SubPlanVersionInline, SubPlanEventInline]


@admin.register(ProgressReport)
class ProgressReportAdmin(admin.ModelAdmin):
    list_display = ["task", "period", "township", "department", "status", "submitted_on", "due_on"]
    list_filter = ["status", "township", "department", "task__action"]


@admin.register(MilestoneRecord)
class MilestoneRecordAdmin(admin.ModelAdmin):
    list_display = ["milestone", "township", "department", "met_on", "recorded_by"]


@admin.register(ObligationRecord)
class ObligationRecordAdmin(admin.ModelAdmin):
    list_display = ["obligation", "period", "township", "department", "done_on"]
    list_filter = ["obligation"]


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    """Admins mark unit heads (they get a unit's reminders from 7 days overdue)."""

    list_display = ["user", "is_unit_head", "email_enabled"]
    list_filter = ["is_unit_head", "email_enabled"]
    search_fields = ["user__username", "user__first_name"]
    autocomplete_fields = ["user"]


class ReminderItemInline(admin.TabularInline):
    model = ReminderItem
    extra = 0
    fields = ["item_key", "kind", "level", "text", "due_on"]
    readonly_fields = fields
    can_delete = False


class DigestSendInline(admin.TabularInline):
    model = DigestSend
    extra = 0
    fields = ["channel", "status", "attempts", "sent_at", "last_error"]
    readonly_fields = fields
    can_delete = False


@admin.register(Digest)
class DigestAdmin(admin.ModelAdmin):
    list_display = ["day", "recipient", "read_at"]
    list_filter = ["day"]
    search_fields = ["recipient__username"]
    readonly_fields = ["recipient", "day", "read_at"]
    inlines = [ReminderItemInline, DigestSendInline]


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["pk", "task_name", "created_at", "dispatched_at", "attempts", "last_error"]
    list_filter = ["task_name"]
    readonly_fields = ["task_name", "args", "created_at", "dispatched_at", "attempts", "last_error"]


from .calendar import admin as _calendar_admin  # noqa: E402, F401  (the calendar package)
