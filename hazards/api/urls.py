from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("enterprises", views.EnterpriseViewSet, basename="enterprise")
router.register("hazards", views.HazardViewSet, basename="hazard")
router.register("hazard-criteria", views.CriterionViewSet, basename="hazardcriterion")
router.register("hazard-statistics", views.StatisticsViewSet, basename="hazard-statistics")
