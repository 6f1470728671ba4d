"""Yixian Safety — 黟县安全生产治本攻坚三年行动 platform (Django project package)."""

from .celery import app as celery_app

__all__ = ("celery_app",)
