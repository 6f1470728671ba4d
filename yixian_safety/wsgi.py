"""WSGI entry point (gunicorn ``yixian_safety.wsgi``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yixian_safety.settings")
application = get_wsgi_application()
