from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("listings", views.ListingViewSet, basename="listing")
router.register("extensions", views.ExtensionViewSet, basename="extension")
router.register("escalations", views.EscalationViewSet, basename="escalation")
router.register("slow-progress", views.SlowProgressViewSet, basename="slow-progress")
