from django.urls import path

from . import views

app_name = "tipoffs"

urlpatterns = [
    # public (no account)
    path("report/", views.report, name="report"),
    path("report/status/", views.track, name="track"),
    # the office
    path("tipoffs/", views.tipoff_list, name="list"),
    path("tipoffs/export.xlsx", views.tipoff_export, name="export"),
    path("tipoffs/statistics/", views.statistics, name="statistics"),
    path("tipoffs/rewards/", views.reward_list, name="rewards"),
    path("tipoffs/rewards/export.xlsx", views.reward_export, name="reward_export"),
    path("tipoffs/identity-log/", views.access_log, name="access_log"),
    path("tipoffs/photos/<int:pk>/", views.photo, name="photo"),
    path(
        "tipoffs/enterprises/<int:pk>/reporting-scheme/",
        views.reporting_scheme,
        name="reporting_scheme",
    ),
    path("tipoffs/<int:pk>/", views.tipoff_detail, name="detail"),
    path("tipoffs/<int:pk>/identity/", views.identity, name="identity"),
    path("tipoffs/<int:pk>/<slug:action>/", views.tipoff_action, name="action"),
]
