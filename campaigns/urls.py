from django.urls import path

from . import views
from .notifications import views as notification_views

app_name = "campaigns"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("actions/<int:number>/", views.action_detail, name="action"),
    path("tasks/<int:number>/", views.task_detail, name="task"),
    path("notifications/", notification_views.notification_list, name="notifications"),
    path("notifications/<int:pk>/read/", notification_views.notification_read,
         name="notification_read"),
    path("notifications/read-all/", notification_views.notification_read_all,
         name="notification_read_all"),
    path("notifications/preferences/", notification_views.notification_preferences,
         name="notification_preferences"),
    path("notifications/export.xlsx", notification_views.notification_export,
         name="notification_export"),
    path("notifications/run/", notification_views.reminders_run_now, name="reminders_run"),
]
