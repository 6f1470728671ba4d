"""URLs of the hub: its pages (namespace ``campaigns``) and its part of ``/api/v1/`` (:data:`api_router`)."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from campaigns.accounts import views as account_views
from campaigns.audit import api as audit_api
from campaigns.dashboard import views as dashboard_views
from campaigns.league import api as league_api
from campaigns.league import views as league_views
from campaigns.notifications import api as notification_api
from campaigns.notifications import views as notification_views
from campaigns.org import api as org_api
from campaigns.plan import api as plan_api
from campaigns.plan import views as plan_views
from campaigns.progress import api as progress_api
from campaigns.progress import views as progress_views
from campaigns.reports import api as report_api
from campaigns.reports import views as report_views
from campaigns.subplans import api as subplan_api
from campaigns.subplans import views as subplan_views

app_name = "campaigns"

urlpatterns = [
    path("", plan_views.overview, name="overview"),
    path("accounts/me/", account_views.account, name="account"),
    path("accounts/me/sessions/end/", account_views.sessions_end, name="sessions_end"),
    path("accounts/two-factor/", account_views.otp_verify, name="otp_verify"),
    path("accounts/two-factor/setup/", account_views.otp_setup, name="otp_setup"),
    path(
        "accounts/two-factor/recovery-codes/",
        account_views.recovery_codes,
        name="recovery_codes",
    ),
    path("dashboard/", dashboard_views.dashboard, name="dashboard"),
    path("calendar/", include("campaigns.calendar.urls")),
    path("actions/<int:number>/", plan_views.action_detail, name="action"),
    path("tasks/<int:number>/", plan_views.task_detail, name="task"),
    path(
        "tasks/<int:number>/progress/new/",
        progress_views.progress_report_create,
        name="progress_new",
    ),
    path("tasks/<int:number>/cadence/", progress_views.cadence_update, name="cadence"),
    path(
        "tasks/<int:number>/not-submitted.xlsx",
        progress_views.task_not_submitted_export,
        name="task_not_submitted_export",
    ),
    path(
        "progress/<int:pk>/attachment/",
        progress_views.progress_attachment_download,
        name="progress_attachment",
    ),
    path(
        "milestone-records/<int:pk>/evidence/",
        progress_views.milestone_evidence_download,
        name="milestone_evidence",
    ),
    path("milestones/<int:pk>/met/", progress_views.milestone_met_create, name="milestone_met"),
    path("obligations/", progress_views.obligation_list, name="obligations"),
    path("obligations/export.xlsx", progress_views.obligation_export, name="obligations_export"),
    path(
        "obligations/<int:pk>/<str:period>/record/",
        progress_views.obligation_record_create,
        name="obligation_record",
    ),
    path("subplans/", subplan_views.subplan_list, name="subplans"),
    path("subplans/export.xlsx", subplan_views.subplan_board_export, name="subplans_export"),
    path(
        "subplans/not-submitted.xlsx",
        progress_views.not_submitted_export,
        name="not_submitted_export",
    ),
    path("subplans/new/", subplan_views.subplan_create_view, name="subplan_new"),
    path("subplans/<int:pk>/", subplan_views.subplan_detail, name="subplan"),
    path("subplans/<int:pk>/submit/", subplan_views.subplan_submit_view, name="subplan_submit"),
    path(
        "subplans/<int:pk>/versions/new/",
        subplan_views.subplan_version_add_view,
        name="subplan_version_new",
    ),
    path("subplans/<int:pk>/revise/", subplan_views.subplan_revise_view, name="subplan_revise"),
    path("subplans/<int:pk>/return/", subplan_views.subplan_return_view, name="subplan_return"),
    path("subplans/<int:pk>/approve/", subplan_views.subplan_approve_view, name="subplan_approve"),
    path(
        "subplans/<int:pk>/versions/<int:number>/download/",
        subplan_views.subplan_version_download,
        name="subplan_version_download",
    ),
    path("league/", league_views.league, name="league"),
    path("league/export.xlsx", league_views.league_export, name="league_export"),
    path("league/<str:kind>/<int:pk>/", league_views.league_breakdown, name="league_breakdown"),
    path("notifications/", notification_views.notification_list, name="notifications"),
    path(
        "notifications/<int:pk>/read/",
        notification_views.notification_read,
        name="notification_read",
    ),
    path(
        "notifications/read-all/",
        notification_views.notification_read_all,
        name="notification_read_all",
    ),
    path(
        "notifications/preferences/",
        notification_views.notification_preferences,
        name="notification_preferences",
    ),
    path(
        "notifications/export.xlsx",
        notification_views.notification_export,
        name="notification_export",
    ),
    path("notifications/run/", notification_views.reminders_run_now, name="reminders_run"),
    path("reports/", report_views.report_list, name="reports"),
    path("reports/export.xlsx", report_views.report_list_export, name="reports_export"),
    path("reports/new/", report_views.report_request_view, name="report_new"),
    path("reports/<int:pk>/", report_views.report_detail, name="report"),
    path("reports/<int:pk>/status/", report_views.report_status, name="report_status"),
    path("reports/<int:pk>/retry/", report_views.report_retry_view, name="report_retry"),
    path("reports/<int:pk>/rebuild/", report_views.report_rebuild_view, name="report_rebuild"),
    path(
        "reports/<int:pk>/download/<str:fmt>/", report_views.report_download, name="report_download"
    ),
    path("outcomes/", report_views.outcome_list, name="outcomes"),
    path("outcomes/export.xlsx", report_views.outcome_export, name="outcomes_export"),
    path("outcomes/<int:pk>/document/", report_views.outcome_document, name="outcome_document"),
]

# --- /api/v1/ (collected by yixian_safety.urls) ---
api_router = DefaultRouter()
api_router.register("campaigns", plan_api.CampaignViewSet)
api_router.register("actions", plan_api.ActionViewSet, basename="action")
api_router.register("tasks", plan_api.TaskViewSet, basename="task")
api_router.register("phases", plan_api.PhaseViewSet, basename="phase")
api_router.register("departments", org_api.DepartmentViewSet)
api_router.register("townships", org_api.TownshipViewSet)
api_router.register("sectors", org_api.SectorViewSet)
api_router.register("subplans", subplan_api.SubPlanViewSet, basename="subplan")
api_router.register(
    "subplan-versions", subplan_api.SubPlanVersionViewSet, basename="subplanversion"
)
api_router.register(
    "progress-reports", progress_api.ProgressReportViewSet, basename="progressreport"
)
api_router.register(
    "milestone-records", progress_api.MilestoneRecordViewSet, basename="milestonerecord"
)
api_router.register(
    "obligation-periods", progress_api.ObligationPeriodViewSet, basename="obligationperiod"
)
api_router.register(
    "progress-not-submitted", progress_api.NotSubmittedViewSet, basename="progressnotsubmitted"
)
api_router.register("league", league_api.LeagueViewSet, basename="league")
api_router.register("notifications", notification_api.NotificationViewSet, basename="notification")
api_router.register("reminder-runs", notification_api.ReminderRunViewSet, basename="reminderrun")
api_router.register("reports", report_api.ReportViewSet, basename="report")
api_router.register("outcomes", report_api.OutcomeViewSet, basename="outcome")
api_router.register("audit-events", audit_api.AuditEventViewSet, basename="auditevent")
