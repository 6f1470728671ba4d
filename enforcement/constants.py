"""Constants of supervision and escalation (source: 实施方案 tasks 5, 15, 16, 26)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# An extension (延期) must be filed at least this many Chinese working days before the current
# deadline; overridable with the setting/env EXTENSION_MIN_WORKING_DAYS.
EXTENSION_MIN_WORKING_DAYS = 15

# After a step against a unit was approved, the same step is not proposed again for this many
# days (the next rung of the ladder is proposed instead once its rule fires).
ESCALATION_COOLDOWN_DAYS = 30

# Free text printed on a notice PDF (督办要求, 摘牌 note): rendering cost grows steeply with the
# text, so it is bounded like a hazard's description (hazards.constants.DESCRIPTION_MAX).
NOTICE_TEXT_MAX = 2000

# Document-number issuing office prefix: 黟安督〔2026〕7号.
DOCUMENT_PREFIX = "黟安"


class DocumentKind(models.TextChoices):
    """Kinds of numbered documents; each kind has its own counter per year."""

    LISTING = "listing", _("listing notice")
    DELISTING = "delisting", _("delisting notice")
    FORMAL_LETTER = "formal_letter", _("formal letter")
    CIRCULATED_NOTICE = "circulated_notice", _("circulated notice")
    SUMMONS_INTERVIEW = "summons_interview", _("summons interview notice")
    PUBLIC_EXPOSURE = "public_exposure", _("public exposure notice")


# The word inside the 文号 per kind: 黟安督〔2026〕7号, 黟安函〔2026〕3号 …
DOCUMENT_CODES = {
    DocumentKind.LISTING: "督",
    DocumentKind.DELISTING: "摘",
    DocumentKind.FORMAL_LETTER: "函",
    DocumentKind.CIRCULATED_NOTICE: "通",
    DocumentKind.SUMMONS_INTERVIEW: "约",
    DocumentKind.PUBLIC_EXPOSURE: "曝",
}


# The default ladder (also created by migration 0002); (name, trigger, threshold, step, target).
DEFAULT_ESCALATION_RULES = [
    ("重大事故隐患逾期 30 日以上：函告属地乡镇", "days_overdue", 30, "formal_letter", "township"),
    (
        "重大事故隐患逾期 60 日以上：通报行业监管部门",
        "days_overdue",
        60,
        "circulated_notice",
        "department",
    ),
    (
        "重大事故隐患逾期 90 日以上：约谈生产经营单位",
        "days_overdue",
        90,
        "summons_interview",
        "enterprise",
    ),
    (
        "重大事故隐患逾期 180 日以上：曝光生产经营单位",
        "days_overdue",
        180,
        "public_exposure",
        "enterprise",
    ),
    (
        "挂牌督办隐患缺报季度进展：函告属地乡镇",
        "missed_quarterly_reports",
        1,
        "formal_letter",
        "township",
    ),
    (
        "同一单位 2 项以上重大事故隐患逾期整改：约谈生产经营单位",
        "repeat_offences",
        2,
        "summons_interview",
        "enterprise",
    ),
]

# Reminders: a quarter that ended without the listed hazard's progress report is reminded this
# many days (it cannot be reported late; the escalation ladder takes over).
MISSED_REPORT_REMINDER_DAYS = 7


# --- inspections, penalties, accidents (tasks 26–28, 主要任务 "双下降") ---

# Bounds of every amount in 元 (罚款, 没收违法所得, 事故直接经济损失): the 安全生产法 caps a fine
# at 2,000 万元 and allows up to five times that when the case is particularly serious.
AMOUNT_MIN = "0.01"
AMOUNT_MAX = "100000000.00"

# A double-random draw: at most this many enterprises and inspectors per enterprise.
DRAW_MAX_ENTERPRISES = 200
DRAW_MAX_INSPECTORS = 5

# A planned inspection still not carried out this many days after its planned date is reminded.
PLANNED_INSPECTION_GRACE_DAYS = 0

# 《生产安全事故报告和调查处理条例》 art. 3: (grade, deaths ≥, serious injuries ≥, direct loss ≥ 元),
# from the most serious down; anything below 较大 is 一般.
ACCIDENT_GRADE_THRESHOLDS = [
    ("especially_major", 30, 100, 100_000_000),
    ("major", 10, 50, 50_000_000),
    ("relatively_large", 3, 10, 10_000_000),
]

# Document prefix of 行政处罚决定书: 黟应急罚〔2026〕12号 is typed by the department (free text).
