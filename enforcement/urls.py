from django.urls import include, path

from . import views

app_name = "enforcement"

urlpatterns = [
    path("supervision/", views.listing_list, name="listing_list"),
    path("supervision/export.xlsx", views.listing_export, name="listing_export"),
    path("supervision/new/", views.listing_create, name="listing_create"),
    path("supervision/<int:pk>/", views.listing_detail, name="listing_detail"),
    path("supervision/<int:pk>/notice.pdf", views.listing_notice, name="listing_notice"),
    path("supervision/<int:pk>/delisting.pdf", views.delisting_notice, name="delisting_notice"),
    path("supervision/<int:pk>/<slug:action>/", views.listing_action, name="listing_action"),
    path("extensions/", views.extension_list, name="extension_list"),
    path("extensions/export.xlsx", views.extension_export, name="extension_export"),
    path("extensions/new/", views.extension_create, name="extension_create"),
    path("extensions/<int:pk>/", views.extension_detail, name="extension_detail"),
    path("extensions/<int:pk>/<slug:action>/", views.extension_decide, name="extension_decide"),
    path("escalations/", views.escalation_list, name="escalation_list"),
    path("escalations/export.xlsx", views.escalation_export, name="escalation_export"),
    path("escalations/evaluate/", views.escalation_evaluate, name="escalation_evaluate"),
    path("escalations/<int:pk>/", views.escalation_detail, name="escalation_detail"),
    path(
        "escalations/<int:pk>/document.pdf", views.escalation_document, name="escalation_document"
    ),
    path("escalations/<int:pk>/<slug:action>/", views.escalation_decide, name="escalation_decide"),
    path("slow-progress/", views.slow_progress_page, name="slow_progress"),
    path("slow-progress/export.xlsx", views.slow_progress_export, name="slow_progress_export"),
    path("public/exposures/<uuid:slug>/", views.public_exposure, name="public_exposure"),
    path("", include("enforcement.inspections.urls")),
]
