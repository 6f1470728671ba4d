"""Reference data: national judgement standards for major accident hazards, a few clauses each.

Loaded by ``manage.py load_hazard_criteria`` (and the demo); admins keep them in the Django
admin afterwards (idempotent: keyed on sector + document + clause, existing text is not
overwritten). Clause texts are condensed from the published standards — admins should check
them against the official text before relying on them.
"""

from __future__ import annotations

from campaigns.models import Sector

from .models import HazardCriterion

GONGMAO = ("《工贸企业重大事故隐患判定标准》", "应急管理部令第10号")
HUAGONG = ("《化工和危险化学品生产经营单位重大生产安全事故隐患判定标准（试行）》",
           "安监总管三〔2017〕121号")
YANHUA = ("《烟花爆竹生产经营单位重大生产安全事故隐患判定标准（试行）》", "安监总管三〔2017〕121号")
FANGWU = ("《房屋市政工程生产安全重大事故隐患判定标准（2022版）》", "建质规〔2022〕2号")
RANQI = ("《城镇燃气经营安全重大隐患判定标准》", "建城规〔2023〕4号")
XIAOFANG = ("《重大火灾隐患判定方法》", "GB 35181-2017")
TEZHONG = ("《特种设备重大事故隐患判定准则》", "GB 45067-2024")
DAOLU = ("《道路运输企业和城市客运企业安全生产重大事故隐患判定标准（试行）》", "交办运〔2023〕52号")
SHUILI = ("《水利工程生产安全重大事故隐患清单指南（2023年版）》", "办监督〔2023〕273号")

CRITERIA: dict[str, list[tuple[tuple[str, str], str, str]]] = {
    "industry_trade": [
        (GONGMAO, "第三条第（一）项", "未对承包单位、承租单位的安全生产工作统一协调、管理，或者未定期进行安全检查的。"),
        (GONGMAO, "第三条第（二）项", "特种作业人员未按照规定经专门的安全作业培训并取得相应资格，上岗作业的。"),
        (GONGMAO, "第十二条第（一）项", "粉尘爆炸危险场所设置在非框架结构的多层建（构）筑物内，或者粉尘爆炸危险场所内设有员工宿舍、会议室、办公室、休息室等人员聚集场所的。"),
        (GONGMAO, "第十四条第（二）项", "未对有限空间进行辨识、建立安全管理台账，并且未设置明显的安全警示标志的。"),
        (GONGMAO, "第十四条第（三）项", "未落实有限空间作业审批，或者未执行“先通风、再检测、后作业”要求，或者作业现场未设置监护人员的。"),
    ],
    "metal_smelting": [
        (GONGMAO, "第三条第（三）项", "金属冶炼企业主要负责人、安全生产管理人员未按照规定经考核合格的。"),
        (GONGMAO, "第五条第（一）项", "会议室、活动室、休息室、操作室、交接班室、更衣室（含澡堂）等6类人员聚集场所，以及钢铁水罐冷（热）修工位设置在铁水、钢水、液渣吊运跨的地坪区域内的。"),
        (GONGMAO, "第五条第（二）项", "生产期间冶炼、精炼和铸造生产区域的事故坑、炉下渣坑，以及熔融金属泄漏和喷溅影响范围内的炉前平台、炉基区域、厂房内吊运和地面运输通道等6类区域存在积水的。"),
    ],
    "hazardous_chemicals": [
        (HUAGONG, "第一项", "危险化学品生产、经营单位主要负责人和安全生产管理人员未依法经考核合格。"),
        (HUAGONG, "第二项", "特种作业人员未持证上岗。"),
        (HUAGONG, "第三项", "涉及“两重点一重大”的生产装置、储存设施外部安全防护距离不符合国家标准要求。"),
        (HUAGONG, "第四项", "涉及重点监管危险化工工艺的装置未实现自动化控制，系统未实现紧急停车功能，装备的自动化控制系统、紧急停车系统未投入使用。"),
        (HUAGONG, "第十四项", "危险化学品储罐区未实现紧急切断功能；涉及毒性气体、液化气体、剧毒液体的一级或者二级重大危险源的危险化学品罐区未配备独立的安全仪表系统。"),
    ],
    "fireworks": [
        (YANHUA, "第一项", "主要负责人、安全生产管理人员未依法经考核合格。"),
        (YANHUA, "第二项", "特种作业人员未持证上岗，作业人员带药检维修设备设施。"),
        (YANHUA, "第三项", "职工自行携带工器具、机器设备进厂进行涉药作业。"),
        (YANHUA, "第五项", "工（库）房实际作业人员数量超过核定人数。"),
    ],
    "construction": [
        (FANGWU, "第四条第（一）项", "建筑施工企业未取得安全生产许可证擅自从事建筑施工活动。"),
        (FANGWU, "第四条第（二）项", "施工单位的主要负责人、项目负责人、专职安全生产管理人员未取得安全生产考核合格证书从事相关工作。"),
        (FANGWU, "第四条第（四）项", "危险性较大的分部分项工程未编制、未审核专项施工方案，或未按规定组织专家对超过一定规模的危险性较大的分部分项工程专项施工方案进行论证。"),
        (FANGWU, "第五条第（一）项", "对因基坑工程施工可能造成损害的毗邻重要建筑物、构筑物和地下管线等，未采取专项防护措施。"),
        (FANGWU, "第八条第（一）项", "建筑起重机械未取得使用登记证明，或安装、拆卸前未对结构件、顶升机构、附着装置及安全装置进行检查。"),
    ],
    "gas": [
        (RANQI, "第三条第（一）项", "燃气经营者未取得燃气经营许可证从事燃气经营活动。"),
        (RANQI, "第六条第（三）项", "瓶装液化石油气经营者充装非自有气瓶、超期限未检验气瓶、检验不合格气瓶、报废气瓶或改装气瓶。"),
        (RANQI, "第七条第（二）项", "燃气储罐、调压设施等与周边建（构）筑物的安全间距不符合国家标准要求，或在燃气管道安全保护范围内违规占压。"),
        (RANQI, "第九条第（一）项", "餐饮等商业用户在地下室、半地下室等不具备通风条件的场所使用瓶装液化石油气，或未安装可燃气体报警装置。"),
    ],
    "fire": [
        (XIAOFANG, "5.1", "生产、储存和装卸易燃易爆危险品的工厂、仓库和专用车站、码头、储罐区，未设置在城市的边缘或相对独立的安全地带。"),
        (XIAOFANG, "5.3", "城市建成区内的加油站、天然气或液化石油气加气站、加油加气合建站的储量达到或超过 GB 50156 对一级站的规定。"),
        (XIAOFANG, "5.4", "甲、乙类厂房设置在建筑的地下、半地下室。"),
        (XIAOFANG, "5.5", "公共娱乐场所、商店、地下人员密集场所的安全出口数量不足或其总净宽度小于国家工程建设消防技术标准规定值的 80%。"),
        (XIAOFANG, "5.6", "旅馆、公共娱乐场所、商店、地下人员密集场所未按国家工程建设消防技术标准的规定设置自动喷水灭火系统或火灾自动报警系统。"),
    ],
    "special_equipment": [
        (TEZHONG, "4.1", "使用未取得许可生产、未经检验或者检验不合格的特种设备。"),
        (TEZHONG, "4.2", "特种设备存在严重事故隐患，无改造、修理价值，或者达到安全技术规范规定的其他报废条件，未依法履行报废义务，继续使用。"),
        (TEZHONG, "4.3", "客运索道、大型游乐设施的安全保护装置缺失或失效，仍投入运营。"),
    ],
    "road_transport": [
        (DAOLU, "第三条第（一）项", "未取得道路运输经营许可，擅自从事道路运输经营。"),
        (DAOLU, "第四条第（一）项", "使用报废、擅自改装拼装、检验检测不合格以及其他不符合国家规定的车辆从事道路运输经营活动。"),
        (DAOLU, "第五条第（二）项", "未按照规定对重点营运车辆动态监控，或者对发现的驾驶员超速、疲劳驾驶等违法行为未及时纠正。"),
    ],
    "water_conservancy": [
        (SHUILI, "SJ-J001", "无施工方案或施工方案未经审批，擅自进行深基坑、高边坡、围堰等危险性较大的单项工程施工。"),
        (SHUILI, "SY-J003", "水库大坝安全鉴定为三类坝，未采取降低运行水位等安全措施。"),
    ],
}


def criteria_load() -> int:
    """Create missing criteria; returns how many were created."""
    sectors = {s.code: s for s in Sector.objects.filter(code__in=CRITERIA)}
    created = 0
    for code, rows in CRITERIA.items():
        sector = sectors.get(code)
        if sector is None:
            continue
        for (document, number), clause, text in rows:
            _obj, made = HazardCriterion.objects.get_or_create(
                sector=sector, document=document, clause=clause,
                defaults={"document_number": number, "text": text})
            created += made
    return created
