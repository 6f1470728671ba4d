from rest_framework.routers import DefaultRouter

from ..notifications.api import NotificationViewSet
from . import views

router = DefaultRouter()
router.register("actions", views.ActionViewSet)
router.register("tasks", views.TaskViewSet)
router.register("phases", views.PhaseViewSet)
router.register("departments", views.DepartmentViewSet)
router.register("townships", views.TownshipViewSet)
router.register("sectors", views.SectorViewSet)
router.register("notifications", NotificationViewSet, basename="notification")
