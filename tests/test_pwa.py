"""The installable web app (issue 18): manifest, service worker at the root, offline page, the
icons in static/, and the policy that lets them load (django-csp: manifest-src, worker-src)."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse
from PIL import Image

pytestmark = pytest.mark.django_db


def test_the_manifest_names_the_app_in_chinese_with_png_icons_from_static(client):
    r = client.get(reverse("pwa_manifest"))
    assert r.status_code == 200 and r["Content-Type"] == "application/manifest+json"
    manifest = json.loads(r.content)
    assert manifest["name"] == "黟县安全生产" and manifest["display"] == "standalone"
    assert manifest["start_url"] == "/" and manifest["theme_color"].startswith("#")
    sizes = set()
    for icon in manifest["icons"]:
        assert icon["src"].startswith(settings.STATIC_URL) and icon["type"] == "image/png"
        path = finders.find(icon["src"].removeprefix(settings.STATIC_URL))
        assert path, icon
        with Image.open(path) as img:
            assert f"{img.width}x{img.height}" == icon["sizes"] and img.format == "PNG"
        sizes.add(icon["sizes"])
    assert sizes == {"192x192", "512x512"}


def test_the_worker_is_javascript_at_the_root_with_the_shell_and_offline_page(client):
    r = client.get("/sw.js")
    assert r.status_code == 200 and r["Content-Type"].startswith("text/javascript")
    assert r["Service-Worker-Allowed"] == "/" and "no-cache" in r["Cache-Control"]
    body = r.content.decode()
    assert "__VERSION__" not in body and "yx-shell-" in body
    config = json.loads(body.split("var CONFIG = ", 1)[1].split(";\n", 1)[0])
    assert config["offline"] == reverse("pwa_offline")
    for url in config["shell"]:  # every shell file exists: an install fails on one 404
        assert finders.find(url.removeprefix(settings.STATIC_URL)), url
    assert "/static/js/offline.js" in config["shell"]


def test_the_worker_is_served_with_the_production_static_storage(client, settings, tmp_path):
    """`make run` and production serve hashed static files from a manifest; ``static("")``
    has no entry there and /sw.js answered 500 (the new-user tryout of 2026-12-01)."""
    from yixian_safety.pwa import SHELL

    paths = {p: p.replace(".", ".0123456789ab.", 1) for p in SHELL}
    (tmp_path / "staticfiles.json").write_text(json.dumps({"paths": paths, "version": "1.1"}))
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    r = client.get("/sw.js")
    assert r.status_code == 200
    config = json.loads(r.content.decode().split("var CONFIG = ", 1)[1].split(";\n", 1)[0])
    assert config["static"] == settings.STATIC_URL
    assert "/static/js/offline.0123456789ab.js" in config["shell"]


def test_the_offline_page_says_the_network_is_needed(client):
    html = client.get(reverse("pwa_offline")).content.decode()
    assert "需要网络连接" in html and "http" not in html.split("<body>", 1)[1]


def test_every_page_links_the_manifest_and_the_queue_script(client, users):
    client.force_login(users["township"])
    html = client.get(reverse("hazards:create")).content.decode()
    assert 'rel="manifest" href="/manifest.webmanifest"' in html
    assert 'data-sw="/sw.js"' in html and f'data-user="{users["township"].pk}"' in html
    assert "data-offline-form" in html and "data-offline-queue" in html and "立即上传" in html


def test_the_policy_allows_our_own_manifest_and_worker_only(client):
    header = client.get(reverse("login"))["Content-Security-Policy"]
    directives = {d.split()[0]: d.split()[1:] for d in header.split(";") if d.strip()}
    assert directives["manifest-src"] == ["'self'"] and directives["worker-src"] == ["'self'"]


def test_the_second_factor_gate_lets_the_browser_fetch_the_app_files(client, users, settings):
    settings.TWO_FACTOR_REQUIRED = True
    client.force_login(users["office"])  # not verified: pages go to the second factor
    assert client.get("/dashboard/").status_code == 302
    for url in ("/sw.js", "/manifest.webmanifest", "/offline/"):
        assert client.get(url).status_code == 200, url


def test_the_vendored_files_need_no_network():
    """offline.js and the worker load nothing from another origin."""
    root = Path(settings.BASE_DIR)
    for path in (root / "static/js/offline.js", root / "templates/pwa/sw.js"):
        text = path.read_text(encoding="utf-8")
        assert "https://" not in text and "http://" not in text, path
