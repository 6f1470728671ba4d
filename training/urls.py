from django.urls import path

from . import views

app_name = "training"

urlpatterns = [
    path("training/", views.overview, name="overview"),
    path("training/sessions/", views.session_list, name="session_list"),
    path("training/sessions/export.xlsx", views.session_export, name="session_export"),
    path("training/sessions/new/", views.session_edit, name="session_create"),
    path("training/sessions/<int:pk>/", views.session_detail, name="session_detail"),
    path("training/sessions/<int:pk>/edit/", views.session_edit, name="session_edit"),
    path(
        "training/sessions/<int:pk>/attendance.xlsx",
        views.attendance_export,
        name="attendance_export",
    ),
    path("training/sessions/<int:pk>/import/", views.attendance_import, name="attendance_import"),
    path("training/certificates/import/", views.certificate_import, name="certificate_import"),
    path(
        "training/import/<slug:kind>/template.xlsx", views.import_template, name="import_template"
    ),
    path("training/attendance/<int:pk>/result/", views.attendance_result, name="attendance_result"),
    path("training/coverage/", views.coverage, name="coverage"),
    path("training/coverage/export.xlsx", views.coverage_export, name="coverage_export"),
    path("training/categories/", views.flags, name="flags"),
    path("training/certificates/", views.certificate_list, name="certificate_list"),
    path("training/certificates/export.xlsx", views.certificate_export, name="certificate_export"),
    path("training/certificates/new/", views.certificate_edit, name="certificate_create"),
    path("training/certificates/<int:pk>/", views.certificate_edit, name="certificate_edit"),
    path("training/drills/", views.drill_list, name="drill_list"),
    path("training/drills/export.xlsx", views.drill_export, name="drill_export"),
    path("training/drills/new/", views.drill_create, name="drill_create"),
    path("training/drills/<int:pk>/", views.drill_detail, name="drill_detail"),
    path("training/drills/files/<int:pk>/", views.evidence_download, name="evidence"),
    path("training/inspections/", views.inspection_list, name="inspection_list"),
    path("training/inspections/export.xlsx", views.inspection_export, name="inspection_export"),
    path("training/inspections/new/", views.inspection_create, name="inspection_create"),
    path("training/inspections/<int:pk>/", views.inspection_detail, name="inspection_detail"),
    path(
        "training/inspections/<int:pk>/report-hazard/",
        views.inspection_report_hazard,
        name="inspection_report_hazard",
    ),
    path("training/compliance/<slug:duty>/", views.compliance, name="compliance"),
    path(
        "training/compliance/<slug:duty>/enterprises/",
        views.compliance_rows,
        name="compliance_rows",
    ),
    path(
        "training/compliance/<slug:duty>/export.xlsx",
        views.compliance_export,
        name="compliance_export",
    ),
    path("training/rescue-teams/", views.rescue_list, name="rescue_list"),
    path("training/rescue-teams/export.xlsx", views.rescue_export, name="rescue_export"),
    path("training/rescue-teams/new/", views.rescue_create, name="rescue_create"),
    path("training/enterprises/<int:pk>/", views.enterprise_training, name="enterprise"),
]
