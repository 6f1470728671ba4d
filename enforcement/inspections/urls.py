"""Pages of enforcement (included from ``enforcement/urls.py`` in the ``enforcement`` namespace)."""

from django.urls import path

from . import views

urlpatterns = [
    path("inspections/", views.inspection_list, name="inspection_list"),
    path("inspections/export.xlsx", views.inspection_export, name="inspection_export"),
    path("inspections/new/", views.inspection_create, name="inspection_create"),
    path("inspections/<int:pk>/", views.inspection_detail, name="inspection_detail"),
    path("inspections/<int:pk>/<slug:action>/", views.inspection_action, name="inspection_action"),
    path("draws/", views.draw_list, name="draw_list"),
    path("draws/export.xlsx", views.draw_export, name="draw_export"),
    path("draws/new/", views.draw_create, name="draw_create"),
    path("draws/<int:pk>/", views.draw_detail, name="draw_detail"),
    path("draws/<int:pk>/publish/", views.draw_publish, name="draw_publish"),
    path("public/draws/<uuid:slug>/", views.draw_public, name="draw_public"),
    path("penalties/", views.action_list, name="action_list"),
    path("penalties/export.xlsx", views.action_export, name="action_export"),
    path("penalties/new/", views.action_create, name="action_create"),
    path("penalties/<int:pk>/", views.action_detail, name="action_detail"),
    path("penalties/<int:pk>/refer/", views.action_refer, name="action_refer"),
    path("experts/", views.expert_list, name="expert_list"),
    path("experts/export.xlsx", views.expert_export, name="expert_export"),
    path("experts/new/", views.expert_create, name="expert_create"),
    path("conflict-ties/", views.tie_list, name="tie_list"),
    path("conflict-ties/export.xlsx", views.tie_export, name="tie_export"),
    path("conflict-ties/new/", views.tie_create, name="tie_create"),
    path("accidents/", views.accident_list, name="accident_list"),
    path("accidents/export.xlsx", views.accident_export, name="accident_export"),
    path("accidents/new/", views.accident_create, name="accident_create"),
    path("accidents/<int:pk>/", views.accident_detail, name="accident_detail"),
    path("enforcement-statistics/", views.statistics, name="enforcement_statistics"),
    path(
        "enforcement-statistics/export.xlsx",
        views.statistics_export,
        name="enforcement_statistics_export",
    ),
    path(
        "enforcement-statistics/propose/", views.zero_penalty_propose, name="zero_penalty_propose"
    ),
]
