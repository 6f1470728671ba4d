"""Demo data of the training app (invented): enterprise categories, training sessions of every
year's focus groups with attendance and assessment results, special-operations certificates
(some expired, some expiring within 30/60/90 days), evacuation drills and principal-led
inspections (most periods met, some missed), rescue teams of most high-risk enterprises.

Called by ``manage.py seed_demo`` after ``hazards.demo`` (uses its enterprises). Idempotent:
nothing happens once a training session exists. Bulk inserts keep it fast.
"""

from __future__ import annotations

import datetime

from campaigns.models import Department, Role, Township, User
from hazards.models import Enterprise
from yixian_safety.dates import today_local

from .constants import CAMPAIGN_START, FOCUS_GROUPS, Audience, CertificateType, Flag
from .models import (
    Attendance,
    Certificate,
    Drill,
    EnterpriseFlag,
    PrincipalInspection,
    RescueTeam,
    TrainingSession,
)
from .selectors import DRILL_DUTY, INSPECTION_DUTY, started_periods

SURNAMES = "王李张刘陈杨黄赵吴周徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹"
GIVEN = [
    "建国",
    "海波",
    "立新",
    "春华",
    "志强",
    "秀兰",
    "晓东",
    "玉梅",
    "德明",
    "桂芳",
    "卫东",
    "红霞",
    "文斌",
    "丽萍",
    "永红",
    "国庆",
    "小燕",
    "俊杰",
    "雪梅",
    "振华",
]
SCENARIOS = [
    "厨房起火人员疏散",
    "夜间火灾疏散逃生",
    "液化气泄漏应急疏散",
    "地震应急避险疏散",
    "仓库火灾疏散与初期扑救",
    "客房楼火灾疏散",
]
CERT_TYPES_BY_SECTOR = {
    "hazardous_chemicals": [CertificateType.HAZARDOUS_CHEMICALS, CertificateType.ELECTRICAL],
    "fireworks": [CertificateType.FIREWORKS],
    "metal_smelting": [CertificateType.METALLURGY, CertificateType.WELDING],
    "construction": [CertificateType.HEIGHTS, CertificateType.WELDING, CertificateType.ELECTRICAL],
    "industry_trade": [CertificateType.ELECTRICAL, CertificateType.WELDING],
    "gas": [CertificateType.WELDING, CertificateType.ELECTRICAL],
    "special_equipment": [CertificateType.ELECTRICAL],
    "electric_power": [CertificateType.ELECTRICAL, CertificateType.HEIGHTS],
    "fire": [CertificateType.ELECTRICAL, CertificateType.REFRIGERATION],
}


def _person(rng) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def _review_due(rng, issued_on, valid_until, today):
    """复审 three years after issue; most certificates past it were reviewed (next: expiry)."""
    due = issued_on + datetime.timedelta(days=3 * 365)
    if due < today and rng.random() < 0.9:
        return valid_until
    return due


def build(*, rng) -> str | None:
    """Create the demo records once; returns a summary (or None if they exist / no ledger)."""
    if TrainingSession.objects.exists():
        return None
    office = (
        User.objects.filter(role=Role.SAFETY_OFFICE).order_by("pk").first()
        or User.objects.filter(is_superuser=True).first()
    )
    enterprises = list(
        Enterprise.objects.with_high_risk().prefetch_related("sectors").order_by("pk")
    )
    if office is None or not enterprises:
        return None
    today = today_local()
    codes = {e.pk: {s.code for s in e.sectors.all()} for e in enterprises}

    # --- categories (task 3 focus groups) -------------------------------------------------
    flags = []
    for e in enterprises:
        if "medical_childcare" in codes[e.pk] and "卫生院" in e.name:
            flags.append(EnterpriseFlag(enterprise=e, flag=Flag.SECONDARY_HOSPITAL, set_by=office))
        if "cultural_heritage" in codes[e.pk] or (
            "culture_tourism_venues" in codes[e.pk] and rng.random() < 0.3
        ):
            flags.append(EnterpriseFlag(enterprise=e, flag=Flag.KEY_HERITAGE, set_by=office))
        if "fire" in codes[e.pk] and ("商贸城" in e.name or rng.random() < 0.2):
            flags.append(EnterpriseFlag(enterprise=e, flag=Flag.COMMERCIAL_COMPLEX, set_by=office))
    EnterpriseFlag.objects.bulk_create(flags, ignore_conflicts=True)
    flagged = {}
    for f in flags:
        flagged.setdefault(f.flag, []).append(f.enterprise)

    # --- sessions and attendance ----------------------------------------------------------
    organisers = {
        "fire_rescue": Department.objects.filter(code="fire_rescue").first(),
        "emergency": Department.objects.filter(code="emergency").first(),
        "health": Department.objects.filter(code="health").first(),
        "culture_tourism": Department.objects.filter(code="culture_tourism").first(),
        "safety_office": Department.objects.filter(code="safety_office").first(),
    }
    group_members = {
        Audience.HOSPITAL_FIRE: (flagged.get(Flag.SECONDARY_HOSPITAL, []), "health"),
        Audience.METAL_SMELTING: (
            [e for e in enterprises if "metal_smelting" in codes[e.pk]],
            "emergency",
        ),
        Audience.HERITAGE_FIRE: (flagged.get(Flag.KEY_HERITAGE, []), "culture_tourism"),
        Audience.COMMERCIAL_COMPLEX_FIRE: (flagged.get(Flag.COMMERCIAL_COMPLEX, []), "fire_rescue"),
        Audience.HIGH_RISK_MANAGERS: ([e for e in enterprises if e.is_high_risk], "emergency"),
    }
    titles = {
        Audience.HOSPITAL_FIRE: "二级医院消防安全责任人集中培训",
        Audience.METAL_SMELTING: "金属冶炼单位主要负责人集中培训",
        Audience.HERITAGE_FIRE: "重点文物保护单位消防安全责任人集中培训",
        Audience.COMMERCIAL_COMPLEX_FIRE: "商业综合体消防安全责任人集中培训",
        Audience.HIGH_RISK_MANAGERS: "高危行业主要负责人和安全管理人员安全生产知识考核培训",
    }
    sessions, attendances = 0, []
    plan = [(year, a) for year, auds in FOCUS_GROUPS.items() for a in auds]
    plan += [(year, Audience.HIGH_RISK_MANAGERS) for year in FOCUS_GROUPS]
    for year, audience in plan:
        held_on = datetime.date(year, rng.choice([4, 5, 6, 9, 10]), rng.randint(5, 25))
        if held_on > today:
            continue
        members, org = group_members[audience]
        session = TrainingSession.objects.create(
            title=f"{year}年{titles[audience]}",
            audience=audience,
            organiser_department=organisers[org] or organisers["safety_office"],
            held_on=held_on,
            online=rng.random() < 0.3,
            venue="县委党校报告厅" if rng.random() < 0.7 else "安徽省安全生产培训平台（线上）",
            hours=4,
            created_by=office,
        )
        sessions += 1
        share = 0.85 if year < today.year else 0.6
        for e in members:
            if rng.random() > share:
                continue
            result = Attendance.Result.PASSED if rng.random() < 0.9 else (Attendance.Result.FAILED)
            attendances.append(
                Attendance(
                    session=session,
                    person_name=e.principal_name,
                    position="主要负责人",
                    enterprise=e,
                    responsible_person=True,
                    result=result,
                    recorded_by=office,
                )
            )
    # Task 28: enforcement staff follow the county party school's class.
    staff_session = TrainingSession.objects.create(
        title="全县安全监管执法人员跟班集中培训",
        audience=Audience.ENFORCEMENT_STAFF,
        organiser_department=organisers["safety_office"],
        held_on=max(CAMPAIGN_START, min(today, datetime.date(2024, 11, 12))),
        venue="县委党校",
        hours=8,
        created_by=office,
    )
    sessions += 1
    for dept in Department.objects.filter(is_lead=True):
        for _n in range(2):
            attendances.append(
                Attendance(
                    session=staff_session,
                    person_name=_person(rng),
                    position="执法人员",
                    department=dept,
                    responsible_person=False,
                    result=Attendance.Result.PASSED,
                    recorded_by=office,
                )
            )
    Attendance.objects.bulk_create(attendances, ignore_conflicts=True)

    # --- certificates ---------------------------------------------------------------------
    certs, serial = [], 0
    for e in enterprises:
        types = [t for code in codes[e.pk] for t in CERT_TYPES_BY_SECTOR.get(code, [])]
        if not types:
            continue
        for _n in range(rng.randint(1, 3)):
            serial += 1
            valid_until = today + datetime.timedelta(days=rng.randint(-90, 5 * 365))
            if serial % 7 == 0:
                valid_until = today + datetime.timedelta(days=rng.choice([5, 25, 45, 80]))
            issued_on = min(today, valid_until - datetime.timedelta(days=6 * 365))
            certs.append(
                Certificate(
                    worker_name=_person(rng),
                    enterprise=e,
                    type=rng.choice(types),
                    number=f"T3410{serial:011d}",
                    issued_on=issued_on,
                    valid_until=valid_until,
                    review_due=_review_due(rng, issued_on, valid_until, today),
                    created_by=office,
                )
            )
    Certificate.objects.bulk_create(certs)

    # --- drills and principal-led inspections ---------------------------------------------
    drills, inspections = [], []
    for e in enterprises:
        for year in range(CAMPAIGN_START.year, today.year + 1):
            for duty, share, out in (
                (DRILL_DUTY, 0.8, drills),
                (INSPECTION_DUTY, 0.75, inspections),
            ):
                freq = duty.high_risk_frequency if e.is_high_risk else duty.frequency
                for p in started_periods(year, freq, today):
                    last = min(p.end, today)
                    if rng.random() > share:
                        continue
                    day = p.start + datetime.timedelta(days=rng.randint(0, (last - p.start).days))
                    if duty is DRILL_DUTY:
                        out.append(
                            Drill(
                                enterprise=e,
                                held_on=day,
                                scenario=rng.choice(SCENARIOS),
                                participants=rng.randint(8, 120),
                                created_by=office,
                            )
                        )
                    else:
                        out.append(
                            PrincipalInspection(
                                enterprise=e,
                                inspected_on=day,
                                leader_name=e.principal_name,
                                findings=rng.choice(
                                    [
                                        "未发现重大事故隐患",
                                        "发现一般隐患，已现场整改",
                                        "消防通道堆放杂物，已督促清理",
                                    ]
                                ),
                                created_by=office,
                            )
                        )
    Drill.objects.bulk_create(drills, batch_size=1000)
    PrincipalInspection.objects.bulk_create(inspections, batch_size=1000)

    # --- rescue teams (task 22) -----------------------------------------------------------
    teams = [
        RescueTeam(
            enterprise=e,
            name=f"{e.name[:20]}应急救援队",
            members=rng.randint(5, 30),
            agreement_with="" if rng.random() < 0.6 else "黄山市专业救援队（协议）",
            established_on=datetime.date(2024, rng.randint(1, 12), 1),
            created_by=office,
        )
        for e in enterprises
        if e.is_high_risk and rng.random() < 0.7
    ]
    RescueTeam.objects.bulk_create(teams)
    townships = Township.objects.count()
    return (
        f"{sessions} training sessions, {len(attendances)} attendees, {len(certs)} "
        f"certificates, {len(drills)} drills, {len(inspections)} principal-led inspections, "
        f"{len(teams)} rescue teams, {len(flags)} enterprise categories ({townships} "
        f"townships)"
    )
