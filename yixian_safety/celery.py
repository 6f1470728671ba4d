"""Celery application. Settings come from Django settings under the ``CELERY_`` namespace.

Without ``REDIS_URL`` the settings make every task run eagerly in-process (embedded default).
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yixian_safety.settings")

app = Celery("yixian_safety")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
