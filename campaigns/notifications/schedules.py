"""The beat schedule, stored in the database (django-celery-beat) so admins can change it.

:func:`schedules_setup` creates, once, the daily reminder run at 08:30 Asia/Shanghai and the
outbox/dispatch sweep every 5 minutes, and the daily escalation proposals of supervision at
06:15 (enforcement, task 15), the quarterly reports of the county and every unit on the 5th day
after each quarter at 06:30 and the sweep of interrupted report builds every 5 minutes, the hazard figures summary's
refresh every minute — the one place where the beat schedule is defined. It never overwrites an existing task's schedule (an admin
may have moved it); run it from ``manage.py setup_schedules`` (deploy) and ``seed_demo``.
"""

from __future__ import annotations

from django.db import transaction
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

from campaigns.constants import (
    OUTBOX_FLUSH_EVERY_MINUTES,
    REMINDERS_DAILY_AT,
    REPORTS_QUARTERLY_AT,
)

TIME_ZONE = "Asia/Shanghai"
DAILY_TASK_NAME = "每日逾期提醒 (reminders_daily)"
FLUSH_TASK_NAME = "发件箱与提醒补发 (outbox_flush)"
ESCALATION_TASK_NAME = "每日督办升级建议 (propose_escalations)"
REPORTS_TASK_NAME = "季度工作进展报告 (reports_quarterly)"
REPORTS_SWEEP_TASK_NAME = "报告生成中断检查 (reports_sweep)"
FIGURES_TASK_NAME = "看板与统计汇总表刷新 (hazards.figures_refresh)"


def _crontab(hour: int, minute: int, *, day_of_month: str = "*", month_of_year: str = "*"):
    """The crontab (Asia/Shanghai) at ``hour:minute`` on the given days, shared if it exists."""
    schedule, _ = CrontabSchedule.objects.get_or_create(
        minute=str(minute),
        hour=str(hour),
        day_of_week="*",
        day_of_month=day_of_month,
        month_of_year=month_of_year,
        timezone=TIME_ZONE,
    )
    return schedule


def _every(minutes: int):
    """The interval schedule of ``minutes`` minutes, shared if it exists."""
    schedule, _ = IntervalSchedule.objects.get_or_create(
        every=minutes, period=IntervalSchedule.MINUTES
    )
    return schedule


@transaction.atomic
def schedules_setup() -> dict[str, bool]:
    """Create the periodic tasks if missing. Returns ``{name: created}``."""
    sweep_every = _every(OUTBOX_FLUSH_EVERY_MINUTES)
    # name: (task, "crontab" or "interval", schedule, description); names are task strings,
    # so the hub never imports the apps whose tasks it schedules
    tasks = {
        DAILY_TASK_NAME: (
            "campaigns.reminders_daily",
            "crontab",
            _crontab(*REMINDERS_DAILY_AT),
            "每天 08:30（北京时间）汇总到期、逾期事项，每人每天一份提醒摘要。",
        ),
        FLUSH_TASK_NAME: (
            "campaigns.outbox_flush",
            "interval",
            sweep_every,
            "补发 Redis 不可用时积压的任务和未发出的提醒摘要。",
        ),
        ESCALATION_TASK_NAME: (
            "enforcement.tasks.propose_escalations",
            "crontab",
            _crontab(6, 15),
            "每天 06:15（北京时间）按升级规则提出函告、通报、约谈、曝光建议，由安委办审核。",
        ),
        REPORTS_TASK_NAME: (
            "campaigns.reports_quarterly",
            "crontab",
            _crontab(*REPORTS_QUARTERLY_AT, day_of_month="5", month_of_year="1,4,7,10"),
            "每季度结束后第 5 天 06:30（北京时间）生成全县及各乡镇、各部门"
            "上季度工作进展报告（PDF 和 Excel）。",
        ),
        REPORTS_SWEEP_TASK_NAME: (
            "campaigns.reports_sweep",
            "interval",
            sweep_every,
            "把因进程中断而长时间停在“生成中”的报告标记为失败，以便重试。",
        ),
        FIGURES_TASK_NAME: (
            "hazards.figures_refresh",
            "interval",
            _every(1),
            "每分钟检查隐患台账是否有变动或已跨日，如有则重建看板和统计的汇总表"
            "（页面显示“截至 hh:mm”）。",
        ),
    }
    created = {}
    for name, (task, kind, schedule, description) in tasks.items():
        _, created[name] = PeriodicTask.objects.get_or_create(
            name=name, defaults={"task": task, kind: schedule, "description": description}
        )
    return created
