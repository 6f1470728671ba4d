from rest_framework.routers import DefaultRouter

from campaigns.notifications.api import NotificationViewSet
from campaigns.api import views, views_progress

router = DefaultRouter()
router.register("actions", views.ActionViewSet)
router.register("tasks", views.TaskViewSet)
router.register("phases", views.PhaseViewSet)
router.register("departments", views.DepartmentViewSet)
router.register("townships", views.TownshipViewSet)
router.register("sectors", views.SectorViewSet)

router.register("subplans", views_progress.SubPlanViewSet, basename="subplan")
router.register("subplan-versions", views_progress.SubPlanVersionViewSet,
                basename="subplanversion")
router.register("progress-reports", views_progress.ProgressReportViewSet,
                basename="progressreport")
router.register("milestone-records", views_progress.MilestoneRecordViewSet,
                basename="milestonerecord")
router.register("obligation-periods", views_progress.ObligationPeriodViewSet,
                basename="obligationperiod")
router.register("league", views_progress.LeagueViewSet, basename="league")
router.register("notifications", NotificationViewSet, basename="notification")
