"""Demo data of supervision (invented enterprises and people), idempotent.

Three invented enterprises with one major hazard each (created here through the hazard services,
independent of the ledger's own demo): a listed gas hazard with a missed quarter and an extension
refused for being filed too late across the 2026 Spring Festival; a listed fire hazard (task 5
batch) with an approved extension, closed and delisted; an overdue, unlisted construction
hazard. The escalation rules then propose steps; a formal letter and a public exposure are
approved (with their 文号 and documents). The daily Celery beat entry is registered.
"""

from __future__ import annotations

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from stdnum.cn import uscc

from campaigns.models import Role, Sector, Township, User
from hazards import services as hz
from hazards.models import Enterprise, Level, Source

from . import services
from .constants import DEFAULT_ESCALATION_RULES
from .models import EscalationRule, EscalationStep, Listing, StepKind, TargetKind

D = datetime.date
BATCH_GOVERNMENT = "2026 年度县政府挂牌督办重大事故隐患（演示）"
BATCH_FIRE = "2026 年度典型重大火灾隐患（任务 5，演示）"


def _code(n: int) -> str:
    base = f"91341023MA9D{n:05d}"
    return base + uscc.calc_check_digit(base)


def _photo(color, name):
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), color).save(buf, format="JPEG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/jpeg")


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


def _hazard(actor, enterprise, *, found_on, location, description, deadline, unit):
    from hazards.reference import criteria_for

    sector = enterprise.sectors.order_by("order", "pk").first()
    h = hz.hazard_report(
        actor=actor,
        enterprise=enterprise,
        source=Source.INSPECTION,
        found_on=found_on,
        found_by="县安委办督导组（演示）",
        location=location,
        description=description,
        level=Level.MAJOR,
        criterion=criteria_for(sector, found_on).first(),
        before_photos=[_photo((180, 40, 40), "before.jpg")],
    )
    hz.hazard_confirm(hazard=h, actor=actor)
    hz.rectification_save(
        hazard=h,
        actor=actor,
        measures="按判定标准逐项整改（演示）",
        responsible_unit=unit,
        responsible_person="演示责任人",
        funds=50000,
        deadline=deadline,
        contingency_plan="落实临时管控措施",
    )
    return hz.hazard_start_rectification(hazard=h, actor=actor)


def build(*, rng) -> str | None:
    """Supervision demo, then the enforcement demo (enforcement.inspections.demo)."""
    from .inspections import demo as inspections_demo

    done = [_supervision(rng=rng), inspections_demo.build(rng=rng)]
    return "; ".join(d for d in done if d) or None


def _supervision(*, rng) -> str | None:
    if Listing.objects.filter(batch=BATCH_GOVERNMENT).exists():
        return "supervision demo already present"
    office = User.objects.filter(role=Role.SAFETY_OFFICE).order_by("pk").first()
    tw_biyang = User.objects.filter(role=Role.TOWNSHIP_OFFICIAL, township__code="biyang").first()
    tw_hongcun = User.objects.filter(role=Role.TOWNSHIP_OFFICIAL, township__code="hongcun").first()
    fire_staff = User.objects.filter(
        role=Role.DEPARTMENT_STAFF, department__code="fire_rescue"
    ).first()
    if not (office and tw_biyang and tw_hongcun and fire_staff):
        return None  # demo accounts missing

    gas = _enterprise(office, 1, "碧阳示例液化气供应站", "biyang", "gas")
    hotel = _enterprise(office, 2, "宏村示例民宿酒店", "hongcun", "fire")
    site = _enterprise(office, 3, "西递示例安置房建筑工地", "xidi", "construction")

    # 1. Listed gas hazard: Q2 report missed, late extension across the Spring Festival refused.
    h1 = _hazard(
        tw_biyang,
        gas,
        found_on=D(2025, 12, 8),
        location="液化气储瓶间",
        description="储瓶间未设置可燃气体浓度报警装置，且与居民楼防火间距不足（演示）",
        deadline=D(2026, 3, 6),
        unit="碧阳示例液化气供应站",
    )
    l1 = services.listing_create(
        hazard=h1,
        actor=office,
        listing_body="county_government",
        listed_on=D(2026, 1, 10),
        required_completion=D(2026, 3, 6),
        responsible_unit="碧阳镇人民政府",
        batch=BATCH_GOVERNMENT,
        requirements="每季度报送整改进展，整改期间落实停用管控。",
    )
    services.listing_report_progress(
        listing=l1, actor=tw_biyang, on=D(2026, 3, 20), progress="储瓶间已停用，报警装置完成采购。"
    )
    services.listing_report_progress(
        listing=l1,
        actor=tw_biyang,
        on=D(2026, 8, 10),
        progress="报警装置安装完毕，防火间距问题正在协调搬迁选址。",
    )
    services.extension_request(
        hazard=h1,
        actor=tw_biyang,
        requested_deadline=D(2026, 6, 30),
        reason="春节期间设备厂家停工，搬迁选址尚未确定。",
        on=D(2026, 2, 12),
    )

    # 2. Listed fire hazard (task 5 batch): extension approved, closed, delisted.
    h2 = _hazard(
        tw_hongcun,
        hotel,
        found_on=D(2026, 2, 20),
        location="客房区疏散楼梯",
        description="疏散楼梯被改建为储物间，安全出口数量不足（演示）",
        deadline=D(2026, 6, 30),
        unit="宏村示例民宿酒店",
    )
    l2 = services.listing_create(
        hazard=h2,
        actor=office,
        listing_body="safety_office",
        listed_on=D(2026, 3, 2),
        required_completion=D(2026, 6, 30),
        responsible_unit="宏村镇人民政府",
        batch=BATCH_FIRE,
    )
    services.listing_report_progress(
        listing=l2, actor=tw_hongcun, on=D(2026, 3, 28), progress="储物已清空，楼梯恢复方案已报审。"
    )
    services.listing_report_progress(
        listing=l2, actor=tw_hongcun, on=D(2026, 5, 15), progress="施工单位进场。"
    )
    ext = services.extension_request(
        hazard=h2,
        actor=tw_hongcun,
        requested_deadline=D(2026, 9, 30),
        reason="消防设计审查意见要求增设一部疏散楼梯，施工周期延长。",
        on=D(2026, 5, 20),
    )
    services.extension_approve(extension=ext, actor=office, note="同意延期，请按期完成。")
    services.listing_report_progress(
        listing=l2, actor=tw_hongcun, on=D(2026, 8, 18), progress="新增疏散楼梯主体完工。"
    )
    hz.hazard_submit_for_acceptance(
        hazard=h2, actor=tw_hongcun, after_photos=[_photo((40, 160, 60), "after.jpg")]
    )
    hz.hazard_accept(hazard=h2, actor=fire_staff)
    hz.hazard_close(hazard=h2, actor=office, note="验收合格，挂牌督办单位同意销号。")
    services.listing_delist(
        listing=l2, actor=office, on=D(2026, 10, 12), note="整改到位，予以摘牌。"
    )

    # 3. Overdue, unlisted construction hazard.
    _hazard(
        office,
        site,
        found_on=D(2026, 1, 15),
        location="塔吊基础",
        description="塔吊基础未经验收即投入使用（演示）",
        deadline=D(2026, 5, 31),
        unit="西递示例安置房建筑工地",
    )

    for name, trigger, threshold, step, target in DEFAULT_ESCALATION_RULES:
        EscalationRule.objects.get_or_create(
            name=name,
            defaults={"trigger": trigger, "threshold": threshold, "step": step, "target": target},
        )
    made = services.escalation_evaluate()
    for step in made:
        if (
            step.kind == StepKind.FORMAL_LETTER
            and step.target_kind == TargetKind.TOWNSHIP
            and step.township
            and step.township.code == "biyang"
        ):
            services.escalation_approve(
                step=step, actor=office, note="请碧阳镇 10 个工作日内书面报告。"
            )
    exposure = (
        EscalationStep.objects.proposed()
        .filter(kind=StepKind.PUBLIC_EXPOSURE, enterprise=gas)
        .first()
    )
    if exposure:
        services.escalation_approve(step=exposure, actor=office, note="经研究予以曝光。")
    return (
        f"2 listings, 1 refused late extension, 1 approved extension, "
        f"{len(made)} escalation proposals ({EscalationStep.objects.filter(status='approved').count()} approved)"
    )
