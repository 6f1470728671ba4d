"""Judgement standards (判定标准): the data file against the article structure of the published
texts, loading (migration, command, post_migrate), and the rule that a major hazard cites a
clause of its sector (service, form, API, Excel import), quoted on the page and the notice."""

import datetime
import io
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.template.loader import render_to_string
from django.urls import reverse
from openpyxl import Workbook

from campaigns.models import Sector
from hazards import reference, services
from hazards.forms import HazardReportForm
from hazards.imports import HAZARD_COLUMNS, import_rows
from hazards.models import Hazard, HazardCriterion, JudgementStandard, Level

from .factories import criterion_for, make_enterprise, make_hazard

FIXTURE = Path(__file__).parent / "fixtures" / "standard_structure.yaml"
STANDARDS = reference.standards_read()
STRUCTURE = yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))


def _std(code):
    return next(s for s in STANDARDS if s["code"] == code)


def _articles(code):
    return {a["article"]: a for a in _std(code)["articles"]}


# --- the data file against the published article structure ---------------------------------


@pytest.mark.parametrize("code", sorted(STRUCTURE))
def test_articles_hold_the_sub_sectors_of_the_published_text(code):
    articles = _articles(code)
    for article, expected in STRUCTURE[code].items():
        assert article in articles, f"{code}: {article} missing"
        assert expected["topic"] in articles[article]["topic"], (code, article)
        items = {i["item"]: i for i in articles[article]["items"]}
        for item in expected["items"]:
            assert item in items and items[item]["verified"], (code, article, item)


def test_every_verified_clause_is_backed_by_the_structure_fixture():
    for s in STANDARDS:
        for a in s["articles"]:
            in_fixture = a["article"] in STRUCTURE.get(s["code"], {})
            if not in_fixture:
                assert a.get("verified") is False or not any(i["verified"] for i in a["items"]), (
                    s["code"],
                    a["article"],
                )
                continue
            seen = STRUCTURE[s["code"]][a["article"]]["items"]
            for item in a["items"]:
                if item["verified"]:
                    assert item["item"] in seen, (s["code"], a["article"], item["item"])


def test_a_clause_verified_against_a_copy_names_the_copy():
    """A clause checked against a reproduction (not the standard's own official source) says
    so (``source_kind``) and gives its address, or — a copy stored without one (a file of a
    public code repository held by the search index) — ``source_ref`` naming it; the note,
    which is what the hazard page shows, names the copy too. The fire 2017 clauses checked
    that way carry the corrected wording (the book title of GB 50156 was missing)."""
    for s in STANDARDS:
        for a in s["articles"]:
            for i in a["items"]:
                if "source_kind" in i:
                    assert i["source_kind"] in ("official", "reproduction"), i["item"]
                    assert i["verified"], (s["code"], i["item"])
                    url, ref = i.get("source_url", ""), i.get("source_ref", "")
                    assert url.startswith("https://") or ref, (s["code"], i["item"])
                    assert i.get("note"), (s["code"], i["item"])
                    if ref:
                        assert "检索库编号" in i["note"] and "非官方" in i["note"], i["item"]
    fire = {i["item"]: i for i in _articles("gb35181-2017")["6"]["items"]}
    assert "《汽车加油加气站设计与施工规范》（GB 50156）" in fire["6.3"]["text"]
    assert {k for k, i in fire.items() if i.get("source_kind") == "reproduction"} == {
        "6.3",
        "6.6",
        "6.7",
    }
    assert not fire["6.8"]["verified"] and not fire["6.9"]["verified"]


def test_chemicals_and_fireworks_have_all_twenty_items_in_the_order_of_the_text():
    """安监总管三〔2017〕121号: 化工 and 烟花爆竹 each list twenty items (人民日报 2017-11-17);
    a full reproduction fixed the order, so 第四项 of 烟花爆竹 is the head count over the
    approved number (the old data had it as 第五项) and the twentieth is the retail point."""
    nums = "一 二 三 四 五 六 七 八 九 十 十一 十二 十三 十四 十五 十六 十七 十八 十九 二十".split()
    for code in ("huagong-2017", "yanhua-2017"):
        items = _articles(code)[""]["items"]
        assert [i["item"] for i in items] == [f"第{n}项" for n in nums], code
        assert all(i["verified"] for i in items), code
    fireworks = {i["item"]: i["text"] for i in _articles("yanhua-2017")[""]["items"]}
    assert fireworks["第四项"] == "工（库）房实际作业人员数量超过核定人数"
    assert fireworks["第十七项"] == "一证多厂或者多股东各自独立组织生产经营"
    assert fireworks["第二十项"].startswith("零售点与居民居住场所设置在同一建筑物内")
    chemicals = {i["item"]: i["text"] for i in _articles("huagong-2017")[""]["items"]}
    assert chemicals["第十五项"] == "安全阀、爆破片等安全附件未正常投用"


def test_the_trial_civil_explosives_standard_gave_way_to_the_2024_one():
    """工信部安全〔2024〕234号 (2024-12-03) made the 2023 trial standard lapse at once: hazards
    found from that day cite the 2024 standard, whose clauses stay unverified (no faithful
    copy with an address was found)."""
    trial, current = _std("minbao-2023"), _std("minbao-2024")
    assert trial["superseded_by"] == "minbao-2024"
    assert trial["superseded_on"] == datetime.date(2024, 12, 3)
    assert current["document_number"] == "工信部安全〔2024〕234号"
    assert current["verified"] is False
    assert not any(i["verified"] for a in current["articles"] for i in a["items"])


@pytest.mark.django_db
def test_a_civil_explosives_hazard_found_in_2025_is_offered_the_2024_clauses():
    on = {
        c.standard.code
        for c in reference.criteria_for("civil_explosives", datetime.date(2025, 3, 1))
    }
    before = {
        c.standard.code
        for c in reference.criteria_for("civil_explosives", datetime.date(2024, 6, 1))
    }
    assert on == {"minbao-2024"}
    assert "minbao-2023" in before


def test_clauses_that_sat_under_the_wrong_article_have_moved():
    gongmao = _articles("gongmao-2023")
    assert "粉尘爆炸危险场所设置在非框架结构" in gongmao["第十一条"]["items"][0]["text"]
    assert "失效或者无效均判定为重大事故隐患" in gongmao["第十四条"]["items"][0]["text"]
    assert "第十五条" not in gongmao  # 施行 and repeal of the 2017 edition, not a criterion
    assert not any("商贸" in a["topic"] for a in gongmao.values())  # no 商贸 article
    assert "有限空间" in gongmao["第十三条"]["topic"]
    assert "冶金" in gongmao["第四条"]["topic"]  # not 第五条 (有色)
    ranqi = _articles("ranqi-2023")
    assert "未取得燃气经营许可证" in ranqi["第四条"]["items"][0]["text"]
    assert "第三条" not in ranqi
    huagong = {i["item"]: i["text"] for i in _articles("huagong-2017")[""]["items"]}
    assert "罐区未实现紧急切断功能" in huagong["第五项"]
    fire_2017 = _articles("gb35181-2017")
    assert set(fire_2017) == {"6"}  # 直接判定要素 is chapter 6 of the 2017 edition
    assert all(
        i["item"].startswith("5.") for a in _articles("gb45067-2024").values() for i in a["items"]
    )


def test_item_numbers_belong_to_their_article_and_labels_are_unique():
    for s in STANDARDS:
        labels = []
        for a in s["articles"]:
            for i in a["items"]:
                if a["article"][:1].isdigit() and i["item"]:  # "" = the chapter as a whole
                    assert i["item"].startswith(a["article"] + "."), (s["code"], i["item"])
                labels.append(reference.clause_label(a["article"], i["item"]))
        assert len(labels) == len(set(labels)), s["code"]


def test_every_standard_has_its_document_facts_and_source():
    for s in STANDARDS:
        assert s["title"] and s["source"], s["code"]
        assert "verified" in s and s.get("note") is not None
        for key in ("issued_on", "effective_on"):
            assert s.get(key) is None or isinstance(s[key], datetime.date)
        if s.get("superseded_by"):
            assert any(o["code"] == s["superseded_by"] for o in STANDARDS)


def test_sectors_are_plan_sectors_and_the_plan_sectors_with_a_standard_are_covered():
    plan = yaml.safe_load(
        (Path(reference.__file__).parent.parent / "campaigns" / "data" / "plan.yaml").read_text(
            encoding="utf-8"
        )
    )
    codes = {s["code"] for s in plan["sectors"]}
    used = {c for s in STANDARDS for a in s["articles"] for c in a["sectors"]}
    assert used <= codes
    assert {
        "industry_trade",
        "metal_smelting",
        "hazardous_chemicals",
        "fireworks",
        "construction",
        "gas",
        "fire",
        "special_equipment",
        "road_transport",
        "water_conservancy",
        "civil_explosives",
        "welfare_institutions",
    } <= used


def test_clause_labels():
    assert reference.clause_label("第十一条", "（一）") == "第十一条第（一）项"
    assert reference.clause_label("第十条", "") == "第十条"
    assert reference.clause_label("", "第五项") == "第五项"
    assert reference.clause_label("5.2", "5.2.1") == "5.2.1"


# --- loading -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_migrate_loaded_every_clause_and_the_command_is_idempotent():
    n = sum(len(a["items"]) for s in STANDARDS for a in s["articles"])
    assert HazardCriterion.objects.filter(active=True).count() == n
    assert JudgementStandard.objects.count() == len(STANDARDS)
    out = io.StringIO()
    call_command("load_hazard_criteria", stdout=out)
    assert "created: 0" in out.getvalue()
    c = HazardCriterion.objects.get(standard__code="gongmao-2023", clause="第十一条第（一）项")
    assert c.document == "《工贸企业重大事故隐患判定标准》" and c.verified
    assert c.applies_to("industry_trade") and c.applies_to("grain_oil_reserve")
    fire = JudgementStandard.objects.get(code="gb35181-2017")
    assert fire.superseded_by.code == "gb35181-2025"
    assert fire.superseded_on == datetime.date(2025, 11, 1)


@pytest.mark.django_db
def test_a_clause_dropped_from_the_file_is_retired_not_deleted(tmp_path):
    data = yaml.safe_load(reference.DATA_FILE.read_text(encoding="utf-8"))
    ranqi = next(s for s in data["standards"] if s["code"] == "ranqi-2023")
    ranqi["articles"][0]["items"].pop()  # 第四条第（五）项
    path = tmp_path / "standards.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert reference.criteria_load(path=path) == 0
    gone = HazardCriterion.objects.get(standard__code="ranqi-2023", clause="第四条第（五）项")
    assert not gone.active
    reference.criteria_load()
    gone.refresh_from_db()
    assert gone.active


# --- a major hazard cites a clause ---------------------------------------------------------


@pytest.mark.django_db
def test_major_hazard_without_a_clause_is_refused(users, world):
    with pytest.raises(ValidationError) as exc:
        make_hazard(users["department"], world["own"], criterion=None)
    assert "判定依据" in exc.value.message_dict["criterion"][0]
    assert not Hazard.objects.exists()


@pytest.mark.django_db
def test_general_hazard_may_cite_no_clause(users, world):
    h = make_hazard(users["department"], world["own"], level=Level.GENERAL)
    assert h.criterion is None


@pytest.mark.django_db
def test_clause_of_another_sector_is_refused(users, world):
    fire_clause = HazardCriterion.objects.get(standard__code="gb45067-2024", clause="5.6.1")
    with pytest.raises(ValidationError) as exc:
        make_hazard(users["department"], world["own"], criterion=fire_clause)
    assert "燃气安全" in exc.value.message_dict["criterion"][0]


@pytest.mark.django_db
def test_clause_of_a_replaced_standard_only_for_hazards_found_before(users, world):
    office = users["office"]
    old = HazardCriterion.objects.get(standard__code="gb35181-2017", clause="6.5")
    early = make_hazard(office, world["other"], criterion=old, found_on=datetime.date(2025, 3, 1))
    assert early.criterion == old
    with pytest.raises(ValidationError) as exc:
        make_hazard(office, world["other"], criterion=old, found_on=datetime.date(2025, 11, 2))
    assert "2025-11-01" in exc.value.message_dict["criterion"][0]


@pytest.mark.django_db
def test_clause_of_a_standard_not_yet_in_effect_is_refused(users, world):
    """GB 35181-2025 took effect on 2025-11-01: a hazard found in June 2025 cites the 2017
    method, not a 2025 chapter (found by the new-user tryout: it was accepted)."""
    chapter = HazardCriterion.objects.get(standard__code="gb35181-2025", clause="第6章")
    with pytest.raises(ValidationError) as exc:
        make_hazard(
            users["office"], world["other"], criterion=chapter, found_on=datetime.date(2025, 6, 1)
        )
    assert "2025-11-01" in exc.value.message_dict["criterion"][0]
    june = {c.standard.code for c in reference.criteria_for("fire", datetime.date(2025, 6, 1))}
    assert june == {"gb35181-2017"}
    assert chapter.applies_to("campus")  # both chapters apply wherever chapter 5 does


@pytest.mark.django_db
def test_sector_without_a_clause_in_force_needs_none(users, world):
    # 农机安全: no national judgement standard in the data
    farm = make_enterprise(users["office"], sectors=("agricultural_machinery",), name="农机合作社")
    h = make_hazard(users["office"], farm, found_on=datetime.date(2025, 11, 20))
    assert h.level == Level.MAJOR and h.criterion is None


@pytest.mark.django_db
def test_a_fire_hazard_found_after_the_2017_method_was_replaced_cites_a_2025_chapter(users, world):
    """GB 35181-2025 (from 2025-11-01): until its items are entered, a major fire hazard cites
    the way it was judged — 第5章 直接判定要素 or 第6章 综合判定要素 — and no longer goes without."""
    with pytest.raises(ValidationError) as exc:
        make_hazard(
            users["office"], world["other"], criterion=None, found_on=datetime.date(2025, 11, 20)
        )
    assert "判定依据" in exc.value.message_dict["criterion"][0]
    h = make_hazard(users["office"], world["other"], found_on=datetime.date(2025, 11, 20))
    assert h.criterion.standard.code == "gb35181-2025" and h.criterion.clause == "第5章"
    assert h.criterion.verified
    assert "GB 35181-2025" in h.criterion.citation and "第5章" in h.criterion.citation
    chapters = {c.clause for c in reference.criteria_for("fire", datetime.date(2026, 12, 1))}
    assert chapters == {"第5章", "第6章"}


@pytest.mark.django_db
def test_form_offers_the_clauses_grouped_by_sector_and_refuses_a_major_without(
    client, users, world
):
    client.force_login(users["department"])
    form = HazardReportForm(user=users["department"])
    groups = dict(form.fields["criterion"].choices[1:])
    gas = Sector.objects.get(code="gas")
    gas_clauses = [pk for pk, _label in groups[gas.name]]
    assert set(gas_clauses) == set(
        HazardCriterion.objects.for_sector(gas).filter(active=True).values_list("pk", flat=True)
    )
    r = client.get(reverse("hazards:create"))
    assert f'<optgroup label="{gas.name}">' in r.content.decode()
    r = client.post(
        reverse("hazards:create"),
        {
            "enterprise": world["own"].pk,
            "level": "major",
            "source": "inspection",
            "found_on": "2025-01-02",
            "found_by": "x",
            "location": "y",
            "description": "z",
        },
    )
    assert r.status_code == 200 and "判定依据" in r.context["form"].errors["criterion"][0]
    assert not Hazard.objects.exists()
    r = client.post(
        reverse("hazards:create"),
        {
            "enterprise": world["own"].pk,
            "level": "major",
            "source": "inspection",
            "found_on": "2025-01-02",
            "found_by": "x",
            "location": "y",
            "description": "z",
            "criterion": gas_clauses[0],
        },
    )
    assert r.status_code == 302 and Hazard.objects.get().criterion_id == gas_clauses[0]


@pytest.mark.django_db
def test_the_form_marks_a_clause_not_checked_against_the_official_text(users, world):
    """An unverified clause is still offered (the sector may have no other), marked （未核对）
    so that whoever cites it on a notice checks it first; a verified one is not marked."""
    form = HazardReportForm(user=users["department"])
    labels = {
        pk: label for _group, opts in form.fields["criterion"].choices[1:] for pk, label in opts
    }
    gas = HazardCriterion.objects.filter(standard__code="ranqi-2023", active=True)
    unchecked = gas.filter(verified=False).first()
    checked = gas.filter(verified=True).first()
    assert unchecked is not None and checked is not None
    assert f"{unchecked.clause}（未核对）：" in labels[unchecked.pk]
    assert "未核对" not in labels[checked.pk]


@pytest.mark.django_db
def test_api_refuses_a_major_hazard_without_a_clause(client, users, world):
    client.force_login(users["department"])
    body = {
        "enterprise": world["own"].pk,
        "source": "inspection",
        "found_on": "2025-02-03",
        "found_by": "x",
        "location": "y",
        "description": "z",
    }
    r = client.post("/api/v1/hazards/", body, content_type="application/json")
    assert r.status_code == 400 and "判定依据" in r.json()["criterion"][0]
    clause = criterion_for(world["own"])
    r = client.post(
        "/api/v1/hazards/", {**body, "criterion": clause.pk}, content_type="application/json"
    )
    assert r.status_code == 201
    detail = client.get(f"/api/v1/hazards/{r.json()['id']}/").json()
    assert detail["criterion_citation"].startswith("《城镇燃气经营安全重大隐患判定标准》")
    listed = client.get("/api/v1/hazard-criteria/", {"sector": "gas"}).json()["results"]
    assert {c["id"] for c in listed} >= {clause.pk}
    assert all("gas" in c["sectors"] for c in listed)
    std = client.get("/api/v1/judgement-standards/ranqi-2023/").json()
    assert std["document_number"] == "建城规〔2023〕4号"


def _xlsx(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append([c for c, _f in HAZARD_COLUMNS])
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.mark.django_db
def test_import_refuses_a_major_hazard_without_a_clause_per_row_and_column(users, world):
    code = world["own"].credit_code
    content = _xlsx(
        [
            [
                code,
                "燃气安全",
                "重大",
                "督导检查发现",
                "2025-03-01",
                "检查组",
                "气瓶间",
                "无报警",
                "城镇燃气 第四条第（一）项",
                "",
            ],
            [
                code,
                "燃气安全",
                "重大",
                "督导检查发现",
                "2025-03-01",
                "检查组",
                "气瓶间",
                "无报警",
                "",
                "",
            ],
            [
                code,
                "燃气安全",
                "重大",
                "督导检查发现",
                "2025-03-01",
                "检查组",
                "气瓶间",
                "无报警",
                "第九十九条",
                "",
            ],
        ]
    )
    result = import_rows(kind="hazards", content=content, user=users["department"], commit=True)
    assert result.saved == 0 and not Hazard.objects.exists()
    assert any(e.startswith("第 3 行，列“判定依据”") and "判定依据" in e for e in result.errors)
    assert any(e.startswith("第 4 行，列“判定依据”") for e in result.errors)
    assert not any(e.startswith("第 2 行") for e in result.errors)


@pytest.mark.django_db
def test_import_accepts_the_clause_alone_when_one_standard_has_it(users, world):
    code = world["own"].credit_code
    content = _xlsx(
        [
            [
                code,
                "燃气安全",
                "重大",
                "督导检查发现",
                "2025-03-01",
                "检查组",
                "气瓶间",
                "无报警",
                "第五条第（二）项",
                "",
            ]
        ]
    )
    result = import_rows(kind="hazards", content=content, user=users["department"], commit=True)
    assert result.saved == 1, result.errors
    assert Hazard.objects.get().criterion.clause == "第五条第（二）项"


# --- the clause is quoted where it is used -------------------------------------------------


@pytest.mark.django_db
def test_hazard_page_quotes_the_clause(client, users, world):
    h = make_hazard(users["department"], world["own"])
    client.force_login(users["department"])
    page = client.get(h.get_absolute_url()).content.decode()
    assert h.criterion.text in page and "建城规〔2023〕4号" in page
    assert h.criterion.clause in page


@pytest.mark.django_db
def test_listing_notice_quotes_the_clause(users, world):
    h = make_hazard(users["department"], world["own"])
    listing = SimpleNamespace(
        listing_body="safety_office",
        get_listing_body_display="县安委办",
        batch="",
        listed_on=datetime.date(2025, 4, 1),
        required_completion=datetime.date(2025, 6, 30),
        responsible_unit="某公司",
        requirements="",
    )
    html = render_to_string(
        "enforcement/pdf/listing_notice.html",
        {"listing": listing, "hazard": h, "document_number": "X", "min_days": 5},
    )
    assert "判定依据" in html and h.criterion.text in html
    assert "《城镇燃气经营安全重大隐患判定标准》（建城规〔2023〕4号）" in html


@pytest.mark.django_db
def test_statistics_count_hazards_per_clause(client, users, world):
    office = users["office"]
    first, second = list(reference.criteria_for("gas").order_by("standard__order", "order"))[:2]
    for _i in range(3):
        make_hazard(office, world["own"], criterion=first)
    make_hazard(office, world["own"], criterion=second)
    make_hazard(office, world["own"], level=Level.GENERAL)
    client.force_login(office)
    data = client.get("/api/v1/hazard-statistics/").json()
    rows = [(r["criterion"], r["total"]["value"]) for r in data["by_criterion"]]
    assert rows == [(first.pk, 3), (second.pk, 1)]
    assert data["by_criterion"][0]["total"]["url"].endswith(f"criterion={first.pk}")
    page = client.get(reverse("hazards:statistics"))
    assert 'data-testid="stat-criterion"' in page.content.decode()
    ledger = client.get(data["by_criterion"][0]["total"]["url"])
    assert len(ledger.context["page"]) == 3


@pytest.mark.django_db
def test_statistics_by_clause_export_to_excel(client, users, world):
    """The by-clause table is exported as the user sees it: most often met first, with the
    standard, 文号, wording and whether the number was checked; another township's hazards are
    not in it."""
    from openpyxl import load_workbook

    office = users["office"]
    first, second = list(reference.criteria_for("gas").order_by("standard__order", "order"))[:2]
    for _i in range(2):
        make_hazard(office, world["own"], criterion=second)
    make_hazard(office, world["own"], criterion=first)
    client.force_login(office)
    page = client.get(reverse("hazards:statistics")).content.decode()
    assert 'data-testid="criterion-export"' in page
    response = client.get(reverse("hazards:statistics_criteria_export"), {"level": "major"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("判定标准", "文号", "条款")
    assert [(r[2], r[5]) for r in rows[1:]] == [(second.clause, 2), (first.clause, 1)]
    assert rows[1][1] == "建城规〔2023〕4号" and rows[1][4] == ("是" if second.verified else "否")
    client.force_login(users["other_township"])
    other = client.get(reverse("hazards:statistics_criteria_export"))
    assert len(list(load_workbook(io.BytesIO(other.content)).active.iter_rows())) == 1


@pytest.mark.django_db
def test_factory_major_hazards_cite_a_clause(users):
    enterprise = make_enterprise(users["office"], sectors=("construction",))
    h = make_hazard(users["office"], enterprise)
    assert h.criterion.standard.code == "fangwu-2022"
    assert services  # the factory goes through the service
