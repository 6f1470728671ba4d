"""Demo data of enforcement (invented enterprises, people and decisions), idempotent; called
from ``enforcement/demo.py``.

县应急管理局's demo account as the inspector (no extra accounts: one per unit), five invented high-risk and
industry-trade enterprises, an expert pool covering every high-risk sector (one expert employed
by a demo enterprise), a published 双随机 draw, inspections (one with a hazard logged and an
一案双罚 decision referred for prosecution, one with findings and no penalty — 零处罚 — one
without findings), and accidents 2024–2026 for the "双下降" figure.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from stdnum.cn import uscc

from campaigns.models import Department, Role, Sector, Township, User
from hazards import services as hz
from hazards.models import Enterprise
from yixian_safety.dates import today_local

from . import services
from .models import Accident, ActionKind, Draw, Method

D = datetime.date
DRAW_TITLE = "2026 年第四季度危化品和工贸企业双随机抽查（演示）"


def _code(n: int) -> str:
    base = f"91341023MA9E{n:05d}"
    return base + uscc.calc_check_digit(base)


def _enterprise(office, n, name, township, sector):
    existing = Enterprise.objects.filter(credit_code=_code(n)).first()
    if existing:
        return existing
    return hz.enterprise_create(
        actor=office,
        name=name,
        credit_code=_code(n),
        township=Township.objects.get(code=township),
        sectors=[Sector.objects.get(code=sector)],
        address=f"{name}所在地（演示）",
        principal_name="演示负责人",
        principal_email="",
        controller_name="",
    )


def build(*, rng) -> str | None:
    if Draw.objects.filter(title=DRAW_TITLE).exists():
        return "enforcement demo already present"
    office = User.objects.filter(role=Role.SAFETY_OFFICE).order_by("pk").first()
    lead = User.objects.filter(username="dept_emergency").first()
    housing_staff = User.objects.filter(username="dept_housing").first()
    if not (office and lead and housing_staff):
        return None  # demo accounts missing
    emergency = Department.objects.get(code="emergency")

    chem = _enterprise(office, 1, "渔亭示例化工有限公司", "yuting", "hazardous_chemicals")
    fireworks = _enterprise(office, 2, "柯村示例烟花爆竹批发部", "kecun", "fireworks")
    smelter = _enterprise(office, 3, "美溪示例铸造厂", "meixi", "metal_smelting")
    trade = _enterprise(office, 4, "碧阳示例竹木加工厂", "biyang", "industry_trade")
    _enterprise(office, 5, "洪星示例粉尘涉爆车间", "hongxing", "industry_trade")
    gas = _enterprise(office, 6, "宏村示例瓶装液化气站", "hongcun", "gas")

    # Expert pool (task 28): every high-risk sector covered; one expert works for `chem`.
    high_risk = {s.code: s for s in Sector.objects.filter(high_risk=True)}
    services.expert_create(
        actor=office,
        name="周工（演示）",
        title="高级工程师",
        specialities="危险化学品工艺安全、HAZOP 分析",
        sectors=[high_risk["hazardous_chemicals"]],
        employer=chem,
    )
    services.expert_create(
        actor=office,
        name="吴工（演示）",
        title="注册安全工程师",
        specialities="危化品储存、重大危险源辨识",
        sectors=[high_risk["hazardous_chemicals"], high_risk["metal_smelting"]],
        employer_name="黄山市某安全评价机构（演示）",
    )
    services.expert_create(
        actor=office,
        name="郑工（演示）",
        title="高级工程师",
        specialities="烟花爆竹、民用爆炸物品储存",
        sectors=[high_risk["fireworks"], high_risk["civil_explosives"]],
        employer_name="安徽省某设计院（演示）",
    )
    services.tie_record(
        actor=office,
        enterprise=trade,
        person=housing_staff,
        reason="近亲属在该企业担任管理人员（演示）",
    )

    # 双随机: three enterprises of the emergency department's sectors, one inspector each.
    draw = services.draw_create(
        actor=lead,
        department=emergency,
        title=DRAW_TITLE,
        planned_on=today_local() + datetime.timedelta(days=14),
        enterprise_count=3,
        inspector_count=1,
        seed=rng.getrandbits(63),
    )
    services.draw_publish(draw=draw, actor=lead)

    # Inspections carried out.
    today = today_local()
    day = min(today, D(2026, 11, 18))
    found = services.inspection_record(
        actor=lead,
        department=emergency,
        enterprise=chem,
        inspected_on=day,
        method=Method.UNANNOUNCED,
        inspectors=[lead],
        has_findings=True,
        findings="甲类仓库可燃气体报警装置失效；特种作业人员无证上岗（演示）",
    )
    hazard = services.inspection_raise_hazard(
        inspection=found,
        actor=lead,
        location="甲类仓库",
        description="甲类仓库可燃气体报警装置失效，未设置紧急切断（演示）",
        criterion=_clause(chem, day),
    )
    action = services.action_record(
        actor=lead,
        department=emergency,
        enterprise=chem,
        kind=ActionKind.DOUBLE_PENALTY,
        fine_amount=Decimal("50000.00"),
        responsible_person="演示负责人",
        person_fine_amount=Decimal("8000.00"),
        legal_basis="《中华人民共和国安全生产法》第九十九条、第九十四条",
        decision_number="（黟）应急罚〔2026〕12号（演示）",
        decided_on=day,
        facts="报警装置失效未及时维修，主要负责人未履行安全生产管理职责（演示）",
        inspection=found,
        hazards=[hazard],
    )
    services.action_refer(
        action=action,
        actor=lead,
        referred_on=day,
        referral_note="涉嫌危险作业罪，移送县公安局（演示）",
    )
    services.inspection_record(
        actor=lead,
        department=emergency,
        enterprise=smelter,
        inspected_on=day,
        method=Method.ONLINE,
        inspectors=[lead],
        has_findings=False,
    )
    services.inspection_record(
        actor=housing_staff,
        department=housing_staff.department,
        enterprise=gas,
        inspected_on=day,
        method=Method.SPECIAL,
        inspectors=[housing_staff],
        has_findings=True,
        findings="钢瓶检验标签过期；储瓶间通风不良（演示）",
    )  # no decision: 零处罚
    services.inspection_assign_experts(
        inspection=found, actor=lead, count=1, seed=rng.getrandbits(32)
    )

    # Accidents 2024–2026 (双下降: fewer accidents and deaths each year).
    biyang, kecun = Township.objects.get(code="biyang"), Township.objects.get(code="kecun")
    trade_sector, fw = Sector.objects.get(code="industry_trade"), high_risk["fireworks"]
    for occurred_on, township, sector, enterprise, summary, deaths, injuries, loss in [
        (D(2024, 4, 9), biyang, trade_sector, None, "某木材加工点机械伤害（演示）", 1, 0, "800000"),
        (D(2024, 8, 21), kecun, fw, fireworks, "仓库搬运作业燃爆（演示）", 2, 3, "2600000"),
        (D(2024, 11, 3), biyang, trade_sector, trade, "高处坠落（演示）", 0, 1, "120000"),
        (D(2025, 6, 14), biyang, trade_sector, trade, "粉尘清扫时机械伤害（演示）", 1, 0, "400000"),
        (D(2025, 9, 30), kecun, fw, None, "违规储存引发火灾（演示）", 0, 2, "350000"),
        (D(2026, 3, 12), biyang, trade_sector, None, "物体打击（演示）", 0, 1, "90000"),
    ]:
        if occurred_on > today:
            continue
        services.accident_record(
            actor=office,
            occurred_on=occurred_on,
            township=township,
            sector=sector,
            enterprise=enterprise,
            summary=summary,
            deaths=deaths,
            serious_injuries=injuries,
            direct_loss=Decimal(loss),
            investigation_status=Accident.Investigation.CLOSED,
            report="事故调查报告已批复结案（演示）",
        )
    return (
        "1 published draw, 3 inspections (1 zero-penalty), 1 one-case-two-penalties "
        f"decision referred, 3 experts, {Accident.objects.count()} accidents"
    )


def _clause(enterprise, day):
    """The first clause in force on ``day`` of the enterprise's first sector (demo only)."""
    from hazards.reference import criteria_for

    sector = enterprise.sectors.order_by("order", "pk").first()
    return criteria_for(sector, day).order_by("standard__order", "order", "pk").first()
