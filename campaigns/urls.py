from django.urls import path

from . import views, views_dashboard, views_league, views_progress, views_subplans

app_name = "campaigns"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("dashboard/", views_dashboard.dashboard, name="dashboard"),
    path("actions/<int:number>/", views.action_detail, name="action"),
    path("tasks/<int:number>/", views.task_detail, name="task"),
    path("tasks/<int:number>/progress/new/", views_progress.progress_report_create,
         name="progress_new"),
    path("tasks/<int:number>/cadence/", views_progress.cadence_update, name="cadence"),
    path("milestones/<int:pk>/met/", views_progress.milestone_met_create, name="milestone_met"),
    path("obligations/", views_progress.obligation_list, name="obligations"),
    path("obligations/export.xlsx", views_progress.obligation_export, name="obligations_export"),
    path("obligations/<int:pk>/<str:period>/record/", views_progress.obligation_record_create,
         name="obligation_record"),
    path("subplans/", views_subplans.subplan_list, name="subplans"),
    path("subplans/export.xlsx", views_subplans.subplan_board_export, name="subplans_export"),
    path("subplans/new/", views_subplans.subplan_create_view, name="subplan_new"),
    path("subplans/<int:pk>/", views_subplans.subplan_detail, name="subplan"),
    path("subplans/<int:pk>/submit/", views_subplans.subplan_submit_view, name="subplan_submit"),
    path("subplans/<int:pk>/versions/new/", views_subplans.subplan_version_add_view,
         name="subplan_version_new"),
    path("subplans/<int:pk>/return/", views_subplans.subplan_return_view, name="subplan_return"),
    path("subplans/<int:pk>/approve/", views_subplans.subplan_approve_view,
         name="subplan_approve"),
    path("subplans/<int:pk>/versions/<int:number>/download/",
         views_subplans.subplan_version_download, name="subplan_version_download"),
    path("league/", views_league.league, name="league"),
    path("league/export.xlsx", views_league.league_export, name="league_export"),
    path("league/<str:kind>/<int:pk>/", views_league.league_breakdown, name="league_breakdown"),
]
