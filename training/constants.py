"""Constants of the people side of the campaign (plan tasks 3, 20–22, 28): one place for each.

Sources: 实施方案 (一) task 3 (focus groups per year, principal-led inspections), (五) task 20
(special-operations certificates), task 22 (evacuation drills, rescue teams), (七) task 28
(training of enforcement staff).
"""

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

from yixian_safety.periods import Frequency

CAMPAIGN_START = datetime.date(2024, 1, 1)
CAMPAIGN_END = datetime.date(2026, 12, 31)
CAMPAIGN_YEARS = (2024, 2025, 2026)


class Audience(models.TextChoices):
    """Who a training session is for: the plan's focus groups (task 3), task 20's high-risk
    principals and safety managers, task 28's enforcement staff, and everyone else."""

    HOSPITAL_FIRE = "hospital_fire", _("fire-safety responsible persons of secondary hospitals")
    METAL_SMELTING = "metal_smelting", _("principals of metal smelting enterprises")
    HERITAGE_FIRE = (
        "heritage_fire",
        _("fire-safety responsible persons of key cultural-relic protection units"),
    )
    COMMERCIAL_COMPLEX_FIRE = (
        "commercial_complex_fire",
        _("fire-safety responsible persons of commercial complexes"),
    )
    HIGH_RISK_MANAGERS = (
        "high_risk_managers",
        _("principals and safety managers of high-risk enterprises"),
    )
    ENFORCEMENT_STAFF = "enforcement_staff", _("safety supervision and enforcement staff")
    OTHER = "other", _("principals of other key sectors")


class Flag(models.TextChoices):
    """A category an enterprise belongs to that its sectors cannot tell (task 3's focus groups)."""

    SECONDARY_HOSPITAL = "secondary_hospital", _("secondary hospital")
    KEY_HERITAGE = "key_heritage", _("key cultural-relic protection unit")
    COMMERCIAL_COMPLEX = "commercial_complex", _("commercial complex")


# Task 3: the focus group of each year, and how its enterprises are found — by a flag on the
# enterprise (EnterpriseFlag) or by sector code. ("2024 年，重点开展二级医院消防安全责任人集中培训；
# 2025年，重点开展金属冶炼单位主要负责人、重点文物保护等单位消防安全责任人集中培训；2026年，重点开展
# 商业综合体消防安全责任人集中培训")
FOCUS_GROUPS: dict[int, tuple[str, ...]] = {
    2024: (Audience.HOSPITAL_FIRE,),
    2025: (Audience.METAL_SMELTING, Audience.HERITAGE_FIRE),
    2026: (Audience.COMMERCIAL_COMPLEX_FIRE,),
}
# audience → ("flag", Flag) or ("sector", sector code) or ("high_risk", None)
AUDIENCE_SCOPE: dict[str, tuple[str, str | None]] = {
    Audience.HOSPITAL_FIRE: ("flag", Flag.SECONDARY_HOSPITAL),
    Audience.METAL_SMELTING: ("sector", "metal_smelting"),
    Audience.HERITAGE_FIRE: ("flag", Flag.KEY_HERITAGE),
    Audience.COMMERCIAL_COMPLEX_FIRE: ("flag", Flag.COMMERCIAL_COMPLEX),
    Audience.HIGH_RISK_MANAGERS: ("high_risk", None),
}
# The plan's milestone codes (campaigns plan.yaml) each year's coverage meets.
FOCUS_MILESTONES = {
    2024: "t3-training-focus-2024",
    2025: "t3-training-focus-2025",
    2026: "t3-training-focus-2026",
}

# Special-operations certificates: the lists of those expiring within these many days (task 20),
# and the days before expiry on which a reminder is sent.
EXPIRY_WINDOWS = (90, 60, 30)
CERTIFICATE_REMIND_DAYS = (90, 60, 30, 7, 1)
# 特种作业操作证 are reviewed (复审) every three years and valid for six.
REVIEW_EVERY_YEARS = 3
VALID_FOR_YEARS = 6


class CertificateType(models.TextChoices):
    """The ten categories of the national 特种作业目录 (安监总局令第 30 号)."""

    ELECTRICAL = "electrical", _("electrical work")
    WELDING = "welding", _("welding and thermal cutting")
    HEIGHTS = "heights", _("work at heights")
    REFRIGERATION = "refrigeration", _("refrigeration and air conditioning")
    COAL_MINE = "coal_mine", _("coal mine safety work")
    METAL_MINE = "metal_mine", _("metal and non-metal mine safety work")
    OIL_GAS = "oil_gas", _("oil and gas safety work")
    METALLURGY = "metallurgy", _("metallurgical (non-ferrous) production safety work")
    HAZARDOUS_CHEMICALS = "hazardous_chemicals", _("hazardous chemicals safety work")
    FIREWORKS = "fireworks", _("fireworks safety work")


# Task 22: evacuation drills at least once a year, every half-year in high-risk sectors.
DRILL_FREQUENCY = Frequency.YEARLY
DRILL_HIGH_RISK_FREQUENCY = Frequency.HALF_YEARLY
# Task 3: principal-led inspections at least quarterly, monthly in high-risk sectors.
INSPECTION_FREQUENCY = Frequency.QUARTERLY
INSPECTION_HIGH_RISK_FREQUENCY = Frequency.MONTHLY

# Upload limits of drill evidence (the shared upload policy of yixian_safety.uploads).
MAX_EVIDENCE_FILES = 10
MAX_ATTENDEES_PER_SESSION = 2000
MAX_IMPORT_ROWS = 2000
# An expired certificate is listed in the daily reminders for this many days after expiry.
CERTIFICATE_OVERDUE_WINDOW_DAYS = 30
MAX_IMPORT_BYTES = 5 * 1024 * 1024
