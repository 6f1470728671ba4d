"""The installable web app (issue 18): the web manifest, the service worker and its offline page.

All three are public (no session needed: the browser fetches the worker and the manifest on its
own, also for a signed-out page) and carry nothing about a user. The worker is served from the
site root so that its scope is the whole site; its cache name is a hash of its own text, which
holds the (hashed, with the manifest storage) URLs of the app shell: a deployment that changes
an asset changes the worker, and the browser installs the new one.
"""

from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

NAME = "黟县安全生产"
SHORT_NAME = "黟县安全"
THEME_COLOR = "#0b4fa8"  # the top bar (.yx-topbar in static/css/app.css)
BACKGROUND_COLOR = "#ffffff"
# The app shell: what every page loads (templates/base.html) and the offline page. Other static
# files (a page's own script) are cached by the worker when a page first loads them.
SHELL = (
    "vendor/bootstrap/css/bootstrap.min.css",
    "vendor/bootstrap/js/bootstrap.bundle.min.js",
    "vendor/htmx/htmx.min.js",
    "css/app.css",
    "js/app.js",
    "js/offline.js",
    "icons/icon-192.png",
)


@require_GET
@cache_control(no_cache=True)
def service_worker(request):
    """``/sw.js``: templates/pwa/sw.js with the shell's URLs, as JavaScript, scope ``/``."""
    body = render_to_string(
        "pwa/sw.js",
        {
            "config": json.dumps(
                {
                    "shell": [static(path) for path in SHELL],
                    "offline": reverse("pwa_offline"),
                    # the prefix, not a file: static("") has no manifest entry in production
                    "static": settings.STATIC_URL,
                }
            )
        },
    )
    version = hashlib.sha256(body.encode()).hexdigest()[:12]
    response = HttpResponse(
        body.replace("__VERSION__", version), content_type="text/javascript; charset=utf-8"
    )
    response["Service-Worker-Allowed"] = "/"
    return response


@require_GET
@cache_control(max_age=3600)
def manifest(request):
    """``/manifest.webmanifest``: name, icons (PNG 192/512, also maskable), colours."""
    icons = [
        {"src": static(f"icons/icon-{size}.png"), "sizes": f"{size}x{size}", "type": "image/png"}
        for size in (192, 512)
    ]
    return JsonResponse(
        {
            "name": NAME,
            "short_name": SHORT_NAME,
            "lang": "zh-CN",
            "start_url": "/",
            "scope": "/",
            "display": "standalone",
            "theme_color": THEME_COLOR,
            "background_color": BACKGROUND_COLOR,
            "icons": icons + [{**icon, "purpose": "maskable"} for icon in icons],
        },
        content_type="application/manifest+json",
        json_dumps_params={"ensure_ascii": False},
    )


@require_GET
def offline(request):
    """``/offline/``: what the worker answers for a page that needs the network when there is
    none (需要网络连接). Cached by the worker on install, so it names no user."""
    return render(request, "pwa/offline.html", {"theme_color": THEME_COLOR})
