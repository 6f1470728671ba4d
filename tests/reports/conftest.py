"""Fixtures of the report tests: the plan loaded once per package, eager Celery, uploads in a
temporary MEDIA_ROOT, and ``small_sections`` — two tiny sections in place of the real ones, so
that a PDF build costs a fraction of a second (WeasyPrint ~10 ms a table row)."""

import pytest

from campaigns.reports import registry
from campaigns.reports.registry import Section, SectionData
from yixian_safety.celery import app as celery_app


@pytest.fixture(scope="package", autouse=True)
def _plan_once(django_db_setup, django_db_blocker):
    from django.core.management import call_command

    from campaigns.models import Campaign
    from campaigns.org.services import roles_sync
    from campaigns.plan.services import plan_load

    with django_db_blocker.unblock():
        if not Campaign.objects.exists():
            plan_load()
            roles_sync()
    yield
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture(autouse=True)
def _eager(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    old = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = old


def _figures(period, scope):
    return SectionData(
        figures=[("范围", scope.label), ("期间", period.key)],
        tables=[("示例表", ["乡镇", "数值"], [["碧阳镇", 3], ['=HYPERLINK("x")', 4]])],
        charts=[
            {
                "title": "按年",
                "labels": ["2024", "2025"],
                "series": [{"name": "发现", "values": [3, 5]}, {"name": "销号", "values": [2, 4]}],
            }
        ],
    )


def _nothing(period, scope):
    return SectionData(empty=True, note="本范围暂无培训数据。")


@pytest.fixture
def small_sections(monkeypatch):
    """Replace the registered sections by two small ones (one with data, one empty)."""
    monkeypatch.setattr(
        registry,
        "SECTIONS",
        {
            "figures": Section("figures", "示例章节", 10, _figures),
            "nothing": Section("nothing", "培训", 20, _nothing),
        },
    )
