"""URLs of the working-day calendar, included by ``campaigns/urls.py`` under ``calendar/``
(namespace ``campaigns:calendar``)."""

from django.urls import path

from . import views

app_name = "calendar"

urlpatterns = [
    path("", views.year_list, name="years"),
    path("<int:year>/", views.year_detail, name="year"),
    path("<int:year>/template.xlsx", views.year_template, name="template"),
]
