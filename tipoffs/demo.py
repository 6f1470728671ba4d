"""Demo tip-offs (invented): one in each step, a named one with a protected identity, one
verified into the ledger with a reward paid. The demo office account (``office``, 安委办) is
named 举报受理人 (one account per unit and role: no extra account); admins and department staff
still cannot read identities."""

from __future__ import annotations

import datetime
from decimal import Decimal

from campaigns.models import Department, Role, Township, User
from hazards.models import Enterprise

from . import services
from .models import TipOff

D = datetime.date


def build(*, rng) -> str | None:
    """Create the demo tip-offs once; returns a summary line (``None`` without the accounts)."""
    if TipOff.objects.exists():
        return "tip-off demo already present"
    office = User.objects.filter(role=Role.SAFETY_OFFICE).order_by("pk").first()
    fire = Department.objects.filter(code="fire_rescue").first()
    fire_staff = User.objects.filter(role=Role.DEPARTMENT_STAFF, department=fire).first()
    if not (office and fire and fire_staff):
        return None
    office.groups.add(services.receiver_group())

    t = {x.code: x for x in Township.objects.all()}
    biyang, hongcun = t.get("biyang"), t.get("hongcun")
    if biyang is None or hongcun is None:
        return None
    samples = [
        dict(
            description="某民宿厨房液化气瓶放在楼梯下，旁边堆放柴火，夜里无人看管（演示）",
            township=hongcun,
            address="宏村镇示例街 12 号",
            enterprise_name="示例民宿",
            observed_on=D(2026, 11, 20),
            anonymous=True,
        ),
        dict(
            description="工地脚手架没有防护网，工人不系安全带在高处作业（演示）",
            township=biyang,
            address="碧阳镇示例路安置房工地",
            enterprise_name="",
            observed_on=D(2026, 11, 25),
            anonymous=False,
            reporter_name="张某某",
            reporter_phone="13800000000",
            reporter_email="zhang@example.invalid",
        ),
        dict(
            description="加油站夜间卸油时有人在旁边吸烟，消防器材过期（演示）",
            township=biyang,
            address="碧阳镇示例大道加油站",
            enterprise_name="示例加油站",
            observed_on=D(2026, 11, 10),
            anonymous=True,
        ),
    ]
    made = [services.tipoff_submit(**s)[0] for s in samples]
    services.tipoff_assign(tipoff=made[1], actor=office, department=fire)
    # the third: assigned, verified into the ledger, closed, rewarded and paid
    followed = Enterprise.objects.filter(sectors__lead_departments=fire).order_by("pk")
    enterprise = followed.filter(township=biyang).first() or followed.first()
    if enterprise is not None:
        services.tipoff_assign(tipoff=made[2], actor=office, department=fire)
        services.tipoff_start_verification(tipoff=made[2], actor=fire_staff)
        services.tipoff_verify(
            tipoff=made[2],
            actor=fire_staff,
            enterprise=enterprise,
            criterion=_clause(enterprise, made[2].observed_on),
            deadline=D(2027, 1, 31),
        )
        services.tipoff_close(
            tipoff=made[2],
            actor=office,
            public_reply="经核查情况属实，已责令整改并纳入隐患台账跟踪。感谢您的举报。",
        )
        services.reward_decide(
            tipoff=made[2],
            actor=office,
            amount=Decimal("500.00"),
            basis="黟县安全生产举报奖励办法（演示）第六条",
            decided_on=D(2026, 11, 28),
        )
        services.reward_pay(
            tipoff=made[2],
            actor=office,
            paid_on=D(2026, 11, 30),
            method="bank",
            receipt="JL-2026-001",
        )
    return f"{len(made)} demo tip-offs; identity reader (举报受理人): {office.username}"


def _clause(enterprise, day):
    """The first clause in force on ``day`` of the enterprise's first sector (demo only)."""
    from hazards.reference import criteria_for

    sector = enterprise.sectors.order_by("order", "pk").first()
    return criteria_for(sector, day).order_by("standard__order", "order", "pk").first()
