"""Root URLs: pages per app, ``/api/v1/`` (one router fed by every app), schema and docs."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from campaigns.accounts import views as account_views
from campaigns.urls import api_router as campaigns_router
from enforcement.api import router as enforcement_router
from enforcement.inspections.api import router as inspections_router
from hazards.api import router as hazards_router
from tipoffs.api import router as tipoffs_router
from training.api import router as training_router
from yixian_safety import pwa

admin.site.site_header = _("Yixian Safety administration")
admin.site.site_title = _("Yixian Safety")

# No format-suffix routes (``/api/v1/league.json/``): every view would have to take a ``format``
# argument and the custom ones did not (500). JSON is the default; ``?format=json`` or
# ``?format=api`` still choose the renderer.
api_router = DefaultRouter()
api_router.include_format_suffixes = False
for app_router in (
    campaigns_router,
    hazards_router,
    training_router,
    enforcement_router,
    inspections_router,
    tipoffs_router,
):
    api_router.registry.extend(app_router.registry)

urlpatterns = [
    # The installable app (issue 18): at the root, so that the worker's scope is the whole site.
    path("sw.js", pwa.service_worker, name="pwa_sw"),
    path("manifest.webmanifest", pwa.manifest, name="pwa_manifest"),
    path("offline/", pwa.offline, name="pwa_offline"),
    path("", include("campaigns.urls")),
    path("", include("hazards.urls")),
    path("", include("training.urls")),
    path("", include("enforcement.urls")),
    path("", include("tipoffs.urls")),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    # Django's password change, which also clears the forced-change flag (campaigns.accounts).
    path(
        "accounts/password_change/",
        account_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include(api_router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's init script from ``?script`` (no inline script: CSP).
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="swagger-ui"),
]
