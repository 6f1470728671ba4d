"""Demo data of the ledger: ~300 invented enterprises and ~450 hazards, 2023–2026.

All 8 townships and every sector with a criterion, every status, some overdue, some merged
reports (a tip-off or self-report merged into the inspection's hazard), notifications, a few
photos. Names, people and phone numbers are invented (phones use the unassigned 0559-0xxxxxx
range, e-mails @example.invalid). Idempotent: nothing happens if the first demo enterprise
exists. Written with bulk inserts (one history row each) so it stays fast on SQLite.
"""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image
from simple_history.utils import bulk_create_with_history
from stdnum.cn import uscc

from campaigns.models import DocumentCounter, Role, Sector, Township, User
from campaigns.numbering.services import number_set_at_least
from yixian_safety.dates import today_local
from yixian_safety.uploads import photo_hash

from .models import (
    Attachment,
    CriterionSector,
    Enterprise,
    Hazard,
    HazardCriterion,
    HazardEvent,
    HazardNotification,
    Level,
    Rectification,
    Source,
    Status,
)
from .photos import photo_perceptual_hash
from .reference import criteria_load
from .services import LEDGER_NUMBER_KIND

N_ENTERPRISES = 300
N_HAZARDS = 450

WORDS = [
    "宏达",
    "新安",
    "徽韵",
    "云岭",
    "青石",
    "古黟",
    "桃源",
    "丰乐",
    "碧溪",
    "松风",
    "金穗",
    "翠峰",
    "兴旺",
    "永安",
    "德润",
    "山水",
    "华盛",
    "恒通",
    "锦程",
    "瑞丰",
    "明辉",
    "双溪",
    "南屏",
    "长宁",
    "天成",
    "福源",
    "嘉禾",
    "立信",
    "远航",
    "和美",
]
KIND_BY_SECTOR = {
    "industry_trade": [
        "木业有限公司",
        "竹制品厂",
        "茶叶加工有限公司",
        "食品有限公司",
        "纸业有限公司",
    ],
    "metal_smelting": ["铸造有限公司", "金属制品有限公司"],
    "hazardous_chemicals": ["加油站", "化工贸易有限公司", "油品经营部"],
    "fireworks": ["烟花爆竹零售店", "烟花爆竹批发有限公司"],
    "construction": ["建筑工程有限公司", "市政工程有限公司", "建设有限公司"],
    "gas": ["燃气有限公司", "液化气供应站", "农家乐", "酒家"],
    "fire": ["大酒店", "民宿", "商贸城", "KTV", "宾馆"],
    "special_equipment": ["旅游开发有限公司", "物业管理有限公司"],
    "road_transport": ["客运有限公司", "旅游客运有限公司", "货物运输有限公司"],
    "water_conservancy": ["水电站", "水利建设有限公司"],
    "self_built_housing": ["农家客栈", "民宿"],
    "group_rental_housing": ["出租公寓"],
    "large_span_structures": ["体育馆运营有限公司", "物流仓储有限公司"],
    "campus": ["幼儿园", "职业培训学校"],
    "welfare_institutions": ["养老院", "颐养中心"],
    "medical_childcare": ["卫生院", "托育中心"],
    "culture_tourism_venues": ["景区管理有限公司", "剧场"],
    "cultural_heritage": ["古民居保护利用有限公司"],
    "sports_venues": ["游泳馆"],
    "electric_power": ["光伏发电有限公司", "供电所"],
    "grain_oil_reserve": ["粮油储备库"],
    "forestry": ["林场", "木材经营部"],
    "postal_express": ["快递分拨中心"],
    "agricultural_machinery": ["农机专业合作社"],
    "civil_explosives": ["民爆器材仓库"],
    "road_traffic": ["驾驶培训有限公司"],
    "waste_hazardous_chemicals": ["环保科技有限公司"],
}
DESCRIPTIONS = {
    "industry_trade": [
        ("除尘系统", "木粉尘除尘器设置在车间内，未采取泄爆措施"),
        ("污水池", "有限空间未辨识建账，未设置警示标志"),
        ("车间", "承包单位作业未统一协调管理"),
    ],
    "metal_smelting": [
        ("熔炼车间", "更衣室设置在熔融金属吊运影响范围内"),
        ("炉前平台", "生产期间炉前平台区域存在积水"),
    ],
    "hazardous_chemicals": [
        ("储罐区", "储罐未实现紧急切断功能"),
        ("卸油区", "特种作业人员未持证上岗"),
    ],
    "fireworks": [("零售店", "实际作业人员超过核定人数"), ("仓库", "负责人未经安全考核合格")],
    "construction": [
        ("3#楼基坑", "深基坑毗邻建筑未采取专项防护措施"),
        ("塔吊", "塔式起重机顶升前未检查附着装置"),
        ("高支模区域", "高支模专项方案未经专家论证"),
    ],
    "gas": [
        ("气瓶间", "餐饮场所使用液化石油气未安装可燃气体报警装置"),
        ("充装站", "充装检验不合格气瓶"),
        ("调压柜", "调压设施安全间距不足，被违规占压"),
    ],
    "fire": [
        ("一层大厅", "安全出口数量不足，部分被锁闭"),
        ("客房楼", "未按规定设置火灾自动报警系统"),
        ("地下室", "地下人员密集场所疏散宽度不足"),
    ],
    "special_equipment": [
        ("观光电梯", "电梯检验不合格仍在使用"),
        ("游乐设施", "安全保护装置失效仍运营"),
    ],
    "road_transport": [
        ("车队", "使用检验不合格车辆从事客运"),
        ("监控中心", "未对重点营运车辆动态监控"),
    ],
    "water_conservancy": [("引水渠", "围堰施工无审批方案"), ("库区", "三类坝未降低运行水位")],
    "self_built_housing": [
        ("三层客房", "经营性自建房擅自加层，承重墙开裂"),
        ("楼梯间", "唯一疏散楼梯堆放杂物"),
    ],
    "group_rental_housing": [("二层", "群租房私拉电线为电动自行车充电")],
    "large_span_structures": [("屋盖", "大跨度钢结构屋盖锈蚀变形未鉴定")],
    "campus": [("食堂", "学校食堂燃气管道老化未更换"), ("宿舍楼", "宿舍楼疏散门上锁")],
    "welfare_institutions": [("老人居室", "老人居室使用大功率电器，未设置火灾报警")],
    "medical_childcare": [("氧气站", "医用氧气站安全间距不足"), ("托育室", "托育场所设在地下室")],
    "culture_tourism_venues": [
        ("游步道", "景区游步道护栏损毁未修复"),
        ("演艺厅", "演艺厅疏散通道被占用"),
    ],
    "cultural_heritage": [("古民居", "古民居内私拉电线，无消防设施")],
    "sports_venues": [("泳池机房", "泳池消毒剂储存不规范")],
    "electric_power": [("变电设施", "光伏电站逆变器室防火分隔缺失")],
    "grain_oil_reserve": [("平房仓", "熏蒸作业无审批、无监护")],
    "forestry": [("林区", "林区野外用火管理缺失")],
    "postal_express": [("分拣场地", "分拣场地违规存放锂电池")],
    "agricultural_machinery": [("机库", "拖拉机未年检仍上路作业")],
    "civil_explosives": [("仓库", "民爆物品库房防雷设施失效")],
    "road_traffic": [("训练场", "训练车辆制动性能不合格")],
    "waste_hazardous_chemicals": [("暂存库", "废弃危化品混存，无防渗措施")],
}
SURNAMES = "王李张刘陈杨黄赵吴周徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
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


def _credit_code(n: int) -> str:
    base = f"91341023MA{n:07d}"
    return base + uscc.calc_check_digit(base)


def _person(rng) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def _phone(rng) -> str:
    return f"0559-0{rng.randint(100000, 999999)}"


def _jpeg(rgb) -> tuple[bytes, str, str]:
    image = Image.new("RGB", (320, 240), rgb)
    for x in range(0, 320, 40):  # a little texture so it looks like a picture
        for y in range(240):
            image.putpixel((x, y), (255, 255, 255))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return out.getvalue(), photo_hash(image), photo_perceptual_hash(image)


def build(*, rng) -> str | None:
    """Create the demo ledger once; returns a summary (or None if it already exists)."""
    criteria_load()
    if Enterprise.objects.filter(credit_code=_credit_code(1)).exists():
        return None
    townships = list(Township.objects.all())
    sectors = {
        s.code: s
        for s in Sector.objects.filter(code__in=KIND_BY_SECTOR).prefetch_related("lead_departments")
    }
    criteria: dict[str, list[HazardCriterion]] = {}
    for link in (
        CriterionSector.objects.filter(criterion__active=True)
        .select_related("criterion__standard")
        .order_by("criterion__standard__order", "criterion__order")
    ):
        criteria.setdefault(link.sector_code, []).append(link.criterion)

    def cited(sector, level, found_on):
        """A major hazard cites a clause in force when it was found (general: none)."""
        if level != Level.MAJOR:
            return None
        usable = [c for c in criteria.get(sector.code, ()) if c.standard.in_force_on(found_on)]
        return rng.choice(usable) if usable else None

    users = {
        u.username: u
        for u in User.objects.filter(
            role__in=[Role.TOWNSHIP_OFFICIAL, Role.DEPARTMENT_STAFF, Role.SAFETY_OFFICE]
        )
    }
    office = users.get("office") or User.objects.filter(is_superuser=True).first()
    if office is None:
        return None
    today = today_local()

    # --- enterprises --------------------------------------------------------------------
    enterprises = []
    ent_sectors = []
    codes = list(sectors)
    used_names: set[str] = set()
    for n in range(1, N_ENTERPRISES + 1):
        code = codes[(n - 1) % len(codes)]
        township = townships[(n - 1) % len(townships)]
        kind = rng.choice(KIND_BY_SECTOR[code])
        name = (
            f"黟县{rng.choice(WORDS)}{kind}"
            if "有限" in kind or "厂" in kind
            else (f"{township.name[:2]}{rng.choice(WORDS)}{kind}")
        )
        if name in used_names:
            name = (
                name.replace("黟县", f"黟县{township.name[:2]}", 1)
                if name.startswith("黟县")
                else f"{name}{n:03d}号店"
            )
        used_names.add(name)
        principal = _person(rng)
        controller = principal if rng.random() < 0.5 else _person(rng)
        enterprises.append(
            Enterprise(
                name=name,
                credit_code=_credit_code(n),
                township=township,
                address=f"{township.name}{rng.choice(WORDS)}路{rng.randint(1, 99)}号",
                principal_name=principal,
                principal_phone=_phone(rng),
                principal_email=f"principal{n:03d}@example.invalid",
                controller_name=controller,
                controller_phone=_phone(rng),
                controller_email=f"controller{n:03d}@example.invalid" if rng.random() < 0.7 else "",
                created_by=office,
            )
        )
        extra = [code]
        if code in ("fire", "gas") and rng.random() < 0.3:
            extra.append("gas" if code == "fire" else "fire")
        ent_sectors.append(extra)
    enterprises = bulk_create_with_history(enterprises, Enterprise, default_user=office)
    enterprises = list(
        Enterprise.objects.filter(credit_code__in=[e.credit_code for e in enterprises])
        .select_related("township")
        .order_by("credit_code")
    )
    Through = Enterprise.sectors.through
    Through.objects.bulk_create(
        [
            Through(enterprise_id=e.pk, sector_id=sectors[c].pk)
            for e, cs in zip(enterprises, ent_sectors, strict=True)
            for c in cs
        ]
    )

    # --- hazards ------------------------------------------------------------------------
    counters: dict[int, int] = dict(
        DocumentCounter.objects.filter(kind=LEDGER_NUMBER_KIND).values_list("year", "last")
    )
    plan = []
    for _n in range(N_HAZARDS):
        i = rng.randrange(len(enterprises))
        enterprise = enterprises[i]
        code = ent_sectors[i][0]
        year = rng.choices([2023, 2024, 2025, 2026], weights=[2, 3, 3, 2])[0]
        start = datetime.date(year, 1, 1)
        end = min(datetime.date(year, 12, 31), today - datetime.timedelta(days=1))
        found_on = start + datetime.timedelta(days=rng.randrange((end - start).days + 1))
        age = (today - found_on).days
        if age > 400:
            status = rng.choices(
                [Status.CLOSED, Status.RECTIFYING, Status.REJECTED], weights=[85, 7, 8]
            )[0]
        elif age > 120:
            status = rng.choices(
                [
                    Status.CLOSED,
                    Status.RECTIFYING,
                    Status.AWAITING_ACCEPTANCE,
                    Status.ACCEPTED,
                    Status.REJECTED,
                ],
                weights=[60, 18, 8, 4, 10],
            )[0]
        else:
            status = rng.choices(
                [
                    Status.REPORTED,
                    Status.CONFIRMED,
                    Status.RECTIFYING,
                    Status.AWAITING_ACCEPTANCE,
                    Status.CLOSED,
                    Status.REJECTED,
                ],
                weights=[15, 15, 35, 15, 15, 5],
            )[0]
        level = Level.MAJOR if rng.random() < 0.7 else Level.GENERAL
        counters[year] = counters.get(year, 0) + 1
        sector = sectors[code]
        lead = sector.lead_departments.all()[0]
        location, desc = rng.choice(DESCRIPTIONS[code])
        plan.append(
            (
                Hazard(
                    ledger_number=f"YX-{year}-{counters[year]:04d}",
                    enterprise=enterprise,
                    township_id=enterprise.township_id,
                    sector=sector,
                    supervising_department=lead,
                    level=level,
                    criterion=cited(sector, level, found_on),
                    source=rng.choices(list(Source), weights=[3, 5, 2])[0],
                    found_on=found_on,
                    found_by=rng.choice(
                        ["企业自查", f"{lead.short_name}检查组", "县安委办督导组", "乡镇安监站"]
                    ),
                    location=location,
                    description=f"{desc}。",
                    status=status,
                    reported_by=users.get(f"tw_{enterprise.township.code}", office),
                ),
                lead,
            )
        )
    hazards = bulk_create_with_history([h for h, _l in plan], Hazard, default_user=office)
    by_number = {
        h.ledger_number: h
        for h in Hazard.objects.filter(
            ledger_number__in=[h.ledger_number for h in hazards]
        ).select_related("enterprise__township", "reported_by")
    }
    for year, last in counters.items():
        number_set_at_least(kind=LEDGER_NUMBER_KIND, year=year, last=last)

    # --- rectifications, timeline, closure ----------------------------------------------
    rects, events, notes = [], [], []
    closed = []
    for proto, lead in plan:
        h = by_number[proto.ledger_number]
        reporter = h.reported_by
        supervisor = users.get(f"dept_{lead.code}", office)
        t0 = timezone.make_aware(datetime.datetime.combine(h.found_on, datetime.time(9)))
        step = [t0]

        def ev(action, frm, to, actor, note="", days=1, _h=h, _step=step):
            _step[0] = min(_step[0] + datetime.timedelta(days=days), timezone.now())
            events.append(
                HazardEvent(
                    hazard=_h, action=action, from_status=frm, to_status=to, actor=actor, note=note
                )
            )
            events[-1]._at = _step[0]

        ev("reported", "", Status.REPORTED, reporter, days=0)
        for who, unit_name, email in (
            ("township", h.enterprise.township.name, f"tw_{h.enterprise.township.code}"),
            ("department", lead.name, f"dept_{lead.code}"),
        ):
            notes.append(
                HazardNotification(
                    hazard=h,
                    recipient=who,
                    recipient_name=unit_name,
                    channel="email",
                    address=f"{email}@yixian.invalid",
                    state="sent",
                    sent_at=step[0],
                )
            )
        if h.status == Status.REPORTED:
            continue
        if h.status == Status.REJECTED:
            ev(
                "rejected",
                Status.REPORTED,
                Status.REJECTED,
                reporter,
                rng.choice(["经核实不构成重大事故隐患", "与已登记隐患重复"]),
                3,
            )
            continue
        ev("confirmed", Status.REPORTED, Status.CONFIRMED, reporter, days=2)
        if h.level == Level.MAJOR:
            for who, name in (
                ("principal", h.enterprise.principal_name),
                ("controller", h.enterprise.controller_name),
            ):
                address = (
                    h.enterprise.principal_email
                    if who == "principal"
                    else h.enterprise.controller_email
                )
                notes.append(
                    HazardNotification(
                        hazard=h,
                        recipient=who,
                        recipient_name=name,
                        channel="email",
                        address=address,
                        state="sent" if address else "no_address",
                        sent_at=step[0] if address else None,
                    )
                )
        if h.status == Status.CONFIRMED:
            continue
        overdue = rng.random() < 0.35
        deadline = h.found_on + datetime.timedelta(days=rng.choice([30, 60, 90, 180]))
        if h.status in (Status.RECTIFYING, Status.AWAITING_ACCEPTANCE):
            if overdue and (today - h.found_on).days > 20:  # deadline between found and today
                deadline = h.found_on + datetime.timedelta(
                    days=rng.randint(10, (today - h.found_on).days - 1)
                )
            else:
                deadline = max(deadline, today + datetime.timedelta(days=rng.randint(10, 120)))
        rects.append(
            Rectification(
                hazard=h,
                measures=f"针对“{h.description.rstrip('。')}”制定整改方案，落实防范措施。",
                responsible_unit=h.enterprise.name,
                responsible_person=h.enterprise.principal_name,
                responsible_phone=h.enterprise.principal_phone,
                funds=Decimal(rng.randrange(2000, 500000, 500)),
                deadline=deadline,
                contingency_plan="整改期间落实专人监护，停用相关设施并设置警戒区域。",
                submitted_by=reporter
                if h.status in (Status.AWAITING_ACCEPTANCE, Status.ACCEPTED, Status.CLOSED)
                else None,
            )
        )
        ev("rectification_saved", "", "", reporter, days=1)
        ev("rectification_started", Status.CONFIRMED, Status.RECTIFYING, reporter, days=1)
        if h.status == Status.RECTIFYING:
            continue
        ev(
            "submitted_for_acceptance",
            Status.RECTIFYING,
            Status.AWAITING_ACCEPTANCE,
            reporter,
            days=20,
        )
        if h.status == Status.AWAITING_ACCEPTANCE:
            continue
        ev("accepted", Status.AWAITING_ACCEPTANCE, Status.ACCEPTED, supervisor, days=5)
        if h.status == Status.ACCEPTED:
            continue
        ev("closed", Status.ACCEPTED, Status.CLOSED, supervisor, "验收合格，同意销号", days=3)
        closed.append((h, step[0]))
    bulk_create_with_history(rects, Rectification, default_user=office)
    made_events = HazardEvent.objects.bulk_create(events)
    for e, proto in zip(made_events, events, strict=True):
        e.at = proto._at
    HazardEvent.objects.bulk_update(made_events, ["at"], batch_size=500)
    HazardNotification.objects.bulk_create(notes)
    for h, at in closed:
        h.closed_at = at
    Hazard.objects.bulk_update([h for h, _a in closed], ["closed_at"], batch_size=500)

    # --- merged reports: a second channel reporting the same hazard ------------------------
    targets = [
        by_number[p.ledger_number]
        for p, _l in plan
        if by_number[p.ledger_number].status in (Status.RECTIFYING, Status.CLOSED)
    ][:12]
    merged = []
    for target in targets:
        year = target.found_on.year
        counters[year] += 1
        other_source = Source.TIP_OFF if target.source != Source.TIP_OFF else Source.SELF_REPORT
        merged.append(
            Hazard(
                ledger_number=f"YX-{year}-{counters[year]:04d}",
                enterprise=target.enterprise,
                township_id=target.township_id,
                sector_id=target.sector_id,
                supervising_department_id=target.supervising_department_id,
                level=target.level,
                criterion_id=target.criterion_id,
                source=other_source,
                found_on=min(target.found_on + datetime.timedelta(days=2), today),
                found_by="群众举报" if other_source == Source.TIP_OFF else "企业自查",
                location=target.location,
                description=target.description,
                status=Status.MERGED,
                merged_into=target,
                status_before_merge=Status.REPORTED,
                reported_by=target.reported_by,
            )
        )
    merged = bulk_create_with_history(merged, Hazard, default_user=office)
    for year, last in counters.items():
        number_set_at_least(kind=LEDGER_NUMBER_KIND, year=year, last=last)
    merged_events = []
    for m in Hazard.objects.filter(
        ledger_number__in=[m.ledger_number for m in merged]
    ).select_related("merged_into", "reported_by"):
        merged_events.append(
            HazardEvent(hazard=m, action="reported", to_status=Status.REPORTED, actor=m.reported_by)
        )
        merged_events.append(
            HazardEvent(
                hazard=m,
                action="merged",
                from_status=Status.REPORTED,
                to_status=Status.MERGED,
                actor=office,
                note=f"→ {m.merged_into.ledger_number}：同一隐患",
            )
        )
        merged_events.append(
            HazardEvent(
                hazard=m.merged_into,
                action="report_merged_in",
                actor=office,
                note=f"{m.ledger_number}：同一隐患",
            )
        )
    HazardEvent.objects.bulk_create(merged_events)

    # --- a few photos -------------------------------------------------------------------
    palette = [(150, 60, 40), (90, 110, 70), (60, 80, 140), (120, 120, 120)]
    photo_hazards = [by_number[p.ledger_number] for p, _l in plan][:24]
    for i, h in enumerate(photo_hazards):
        content, digest, phash = _jpeg(palette[i % len(palette)])
        att = Attachment(
            hazard=h,
            kind=Attachment.Kind.BEFORE_PHOTO,
            original_name="现场.jpg",
            content_type="image/jpeg",
            content_hash=digest,
            perceptual_hash=phash,
            uploaded_by=h.reported_by,
        )
        att.file.save(f"{digest[:16]}.jpg", ContentFile(content), save=False)
        att.save()
        if h.status in (Status.AWAITING_ACCEPTANCE, Status.ACCEPTED, Status.CLOSED):
            content, digest, phash = _jpeg((40, 160, 90))
            att = Attachment(
                hazard=h,
                kind=Attachment.Kind.AFTER_PHOTO,
                original_name="整改后.jpg",
                content_type="image/jpeg",
                content_hash=digest,
                perceptual_hash=phash,
                uploaded_by=h.reported_by,
            )
            att.file.save(f"{digest[:16]}.jpg", ContentFile(content), save=False)
            att.save()
    _backdate_history([h.pk for h in by_number.values()] + [m.pk for m in merged])
    return (
        f"{len(enterprises)} enterprises, {len(hazards)} hazards, {len(merged)} merged "
        f"reports, {HazardCriterion.objects.count()} criteria"
    )


def _backdate_history(hazard_ids: list[int]) -> None:
    """Bulk inserts give each demo hazard one history row dated today, already in its final
    state. Rewrite it as the hazard's own story — reported on the day found (by its reporter),
    the final state at its last timeline event (by that event's actor), the five
    implementations from the confirmation — so the dashboard's "as of" view shows the campaign
    as it unfolded."""
    history = Hazard.history.model
    last = {}
    for hazard_id, at, actor_id in (
        HazardEvent.objects.filter(hazard_id__in=hazard_ids)
        .order_by("hazard_id", "at", "pk")
        .values_list("hazard_id", "at", "actor_id")
    ):
        last[hazard_id] = (at, actor_id)
    closed_at = dict(Hazard.objects.filter(pk__in=hazard_ids).values_list("pk", "closed_at"))
    finals = []
    for row in history.objects.filter(id__in=hazard_ids, history_type="+").values():
        found = datetime.datetime.combine(
            row["found_on"], datetime.time(9), tzinfo=timezone.get_current_timezone()
        )
        history.objects.filter(history_id=row["history_id"]).update(
            history_date=found,
            status=Status.REPORTED,
            closed_at=None,
            history_user_id=row["reported_by_id"],
        )
        at, actor_id = last.get(row["id"], (found, row["reported_by_id"]))
        if row["status"] != Status.REPORTED and at > found:
            final = {k: v for k, v in row.items() if k != "history_id"}
            final.update(
                history_type="~",
                history_date=at,
                history_user_id=actor_id,
                closed_at=closed_at.get(row["id"]),
            )
            finals.append(history(**final))
    history.objects.bulk_create(finals, batch_size=500)
    rect_history = Rectification.history.model
    found_on = dict(Hazard.objects.filter(pk__in=hazard_ids).values_list("pk", "found_on"))
    for row in rect_history.objects.filter(hazard_id__in=hazard_ids).values(
        "history_id", "hazard_id"
    ):
        rect_history.objects.filter(history_id=row["history_id"]).update(
            history_date=datetime.datetime.combine(
                found_on[row["hazard_id"]],
                datetime.time(15),
                tzinfo=timezone.get_current_timezone(),
            )
        )
