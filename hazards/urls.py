from django.urls import path

from . import views

app_name = "hazards"

urlpatterns = [
    path("hazards/", views.hazard_list, name="list"),
    path("hazards/export.xlsx", views.hazard_export, name="export"),
    path("hazards/new/", views.hazard_create, name="create"),
    path("hazards/statistics/", views.statistics, name="statistics"),
    path(
        "hazards/statistics/criteria.xlsx",
        views.statistics_criteria_export,
        name="statistics_criteria_export",
    ),
    path("hazards/<int:pk>/", views.hazard_detail, name="detail"),
    path("hazards/<int:pk>/rectification/", views.hazard_rectification, name="rectification"),
    path("hazards/<int:pk>/submit/", views.hazard_submit, name="submit"),
    path("hazards/<int:pk>/merge/", views.hazard_merge, name="merge"),
    path("hazards/<int:pk>/supervision/", views.hazard_supervision, name="supervision"),
    path("hazards/<int:pk>/files/<slug:kind>/", views.hazard_photos, name="photos"),
    path("hazards/<int:pk>/<slug:action>/", views.hazard_transition, name="transition"),
    path("hazards/files/<int:pk>/", views.attachment_download, name="attachment"),
    path("hazards/import/<slug:kind>/", views.import_page, name="import"),
    path("hazards/import/<slug:kind>/template.xlsx", views.import_template, name="import_template"),
    path("enterprises/", views.enterprise_list, name="enterprise_list"),
    path("enterprises/export.xlsx", views.enterprise_export, name="enterprise_export"),
    path("enterprises/new/", views.enterprise_edit, name="enterprise_create"),
    path("enterprises/<int:pk>/", views.enterprise_detail, name="enterprise_detail"),
    path("enterprises/<int:pk>/edit/", views.enterprise_edit, name="enterprise_edit"),
]
