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


@transaction.atomic
def schedules_setup() -> dict[str, bool]:
    """Create the periodic tasks if missing. Returns ``{name: created}``."""
    hour, minute = REMINDERS_DAILY_AT
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute=str(minute),
        hour=str(hour),
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone=TIME_ZONE,
    )
    interval, _ = IntervalSchedule.objects.get_or_create(
        every=OUTBOX_FLUSH_EVERY_MINUTES, period=IntervalSchedule.MINUTES
    )
    _, daily = PeriodicTask.objects.get_or_create(
        name=DAILY_TASK_NAME,
        defaults={
            "task": "campaigns.reminders_daily",
            "crontab": crontab,
            "description": "每天 08:30（北京时间）汇总到期、逾期事项，每人每天一份提醒摘要。",
        },
    )
    _, flush = PeriodicTask.objects.get_or_create(
        name=FLUSH_TASK_NAME,
        defaults={
            "task": "campaigns.outbox_flush",
            "interval": interval,
            "description": "补发 Redis 不可用时积压的任务和未发出的提醒摘要。",
        },
    )
    escalation_at, _ = CrontabSchedule.objects.get_or_create(
        minute="15",
        hour="6",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone=TIME_ZONE,
    )
    _, escalation = PeriodicTask.objects.get_or_create(
        name=ESCALATION_TASK_NAME,
        defaults={
            "task": "enforcement.tasks.propose_escalations",
            "crontab": escalation_at,
            "description": "每天 06:15（北京时间）按升级规则提出函告、通报、约谈、曝光建议，"
            "由安委办审核。",
        },
    )
    hour, minute = REPORTS_QUARTERLY_AT
    quarterly_at, _ = CrontabSchedule.objects.get_or_create(
        minute=str(minute),
        hour=str(hour),
        day_of_week="*",
        day_of_month="5",
        month_of_year="1,4,7,10",
        timezone=TIME_ZONE,
    )
    _, reports = PeriodicTask.objects.get_or_create(
        name=REPORTS_TASK_NAME,
        defaults={
            "task": "campaigns.reports_quarterly",
            "crontab": quarterly_at,
            "description": "每季度结束后第 5 天 06:30（北京时间）生成全县及各乡镇、各部门"
            "上季度工作进展报告（PDF 和 Excel）。",
        },
    )
    _, sweep = PeriodicTask.objects.get_or_create(
        name=REPORTS_SWEEP_TASK_NAME,
        defaults={
            "task": "campaigns.reports_sweep",
            "interval": interval,
            "description": "把因进程中断而长时间停在“生成中”的报告标记为失败，以便重试。",
        },
    )
    every_minute, _ = IntervalSchedule.objects.get_or_create(
        every=1, period=IntervalSchedule.MINUTES
    )
    _, figures = PeriodicTask.objects.get_or_create(
        name=FIGURES_TASK_NAME,
        defaults={
            # the hazards app's task, named by string (the hub never imports the apps)
            "task": "hazards.figures_refresh",
            "interval": every_minute,
            "description": "每分钟检查隐患台账是否有变动或已跨日，如有则重建看板和统计的汇总表"
            "（页面显示“截至 hh:mm”）。",
        },
    )
    return {
        DAILY_TASK_NAME: daily,
        FLUSH_TASK_NAME: flush,
        ESCALATION_TASK_NAME: escalation,
        REPORTS_TASK_NAME: reports,
        REPORTS_SWEEP_TASK_NAME: sweep,
        FIGURES_TASK_NAME: figures,
    }
