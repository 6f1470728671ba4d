"""Constants of the campaign: frequencies and fixed dates from the plan (one place for each)."""

import datetime

from yixian_safety.periods import Frequency  # noqa: F401  (re-exported: models and the plan file use it)

# Stock (存量) hazards were found on or before this date; later ones are increment (增量).
STOCK_CUTOFF = datetime.date(2023, 12, 31)
# A hazard's date found before this is a typing error (e.g. 1900), not an old stock hazard.
EARLIEST_FOUND_ON = datetime.date(2000, 1, 1)

# Demo accounts share this password (printed by ``make run``); never used outside demo data.
DEMO_PASSWORD = "Yixian-demo-2024"

# Sub-plan documents (PDF / Word / WPS) and progress attachments: upper size limit in bytes.
SUBPLAN_MAX_BYTES = 20 * 1024 * 1024
ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024

# Progress reports are on time when submitted within this many days after the period ends.
REPORT_GRACE_DAYS = 10

# Progress reporting cadence of a task the office has not set.
DEFAULT_REPORTING_FREQUENCY = Frequency.QUARTERLY

# The plan's milestone that sets the sub-plans' due date (三、进度安排（一）: 2024-03-15).
SUBPLAN_DUE_MILESTONE_KIND = "phase_deadline"
SUBPLAN_DUE_FALLBACK = datetime.date(2024, 3, 15)

# Reminders (overdue digests): days before a deadline on which "due soon" is sent, and the
# escalation ladder in days overdue — unit staff first, the unit's head at 7, the safety office
# at 30 (source: issue 6; the supervision issue turns "office" into a proposed escalation step).
REMIND_DAYS_BEFORE = (7, 3, 1)
ESCALATE_HEAD_DAYS = 7
ESCALATE_OFFICE_DAYS = 30
# Milestones have no "done" state yet: missed ones are listed daily for this many days only.
MILESTONE_OVERDUE_WINDOW_DAYS = 30
# Daily reminder run (django-celery-beat crontab, Asia/Shanghai) and outbox/dispatch sweep.
REMINDERS_DAILY_AT = (8, 30)
OUTBOX_FLUSH_EVERY_MINUTES = 5
# Dispatched outbox messages are kept this long (for the admin), then deleted by the flush.
OUTBOX_KEEP_DAYS = 30

# Built reports (campaigns.reports): the office's 文号 of a report, e.g. 黟安办〔2026〕3号; the
# counter kind in campaigns.numbering; a build running longer than REPORT_STALE_MINUTES is
# taken for a killed worker and marked failed by the sweep.
REPORT_DOCUMENT_FORMAT = "黟安办〔{year}〕{number}号"
REPORT_NUMBER_KIND = "report"
REPORT_STALE_MINUTES = 30  # above the build task's 21-minute time limit
# Beat: the quarterly reports are built on the 5th day after each quarter, 06:30 Asia/Shanghai.
REPORTS_QUARTERLY_AT = (6, 30)

# The seed plan's campaign (campaigns/data/plan.yaml): the demo data belongs to it.
SEED_CAMPAIGN_SLUG = "2024-2026"

# Reminders: the navbar badge counts unread digests of the last this-many days (today
# included); older ones stay on the 「提醒」 page but no longer count (issue 18).
UNREAD_BADGE_DAYS = 30
