from django.urls import path

from . import views

app_name = "campaigns"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("actions/<int:number>/", views.action_detail, name="action"),
    path("tasks/<int:number>/", views.task_detail, name="task"),
]
