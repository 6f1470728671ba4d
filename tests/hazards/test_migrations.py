"""The judgement-standard migrations keep what hazards cite: an old condensed clause filed
under the wrong article is merged into the verified clause with the same text (the hazard now
cites the right number); an old clause without a counterpart is kept, retired."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("hazards", "0004_ledger_order_index")]
AFTER = [("hazards", "0007_criterion_standard_required")]


@pytest.mark.django_db(transaction=True)
def test_old_clauses_are_renumbered_or_retired_and_hazards_keep_citing_them():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Sector = old.get_model("campaigns", "Sector")
    Township = old.get_model("campaigns", "Township")
    Department = old.get_model("campaigns", "Department")
    sector = Sector.objects.get_or_create(code="industry_trade", defaults={"name": "工贸安全"})[0]
    Criterion = old.get_model("hazards", "HazardCriterion")
    dust = Criterion.objects.create(  # the old list filed this 粉尘 clause under 第十二条
        sector=sector,
        document="《工贸企业重大事故隐患判定标准》",
        document_number="应急管理部令第10号",
        clause="第十二条第（一）项",
        text="粉尘爆炸危险场所设置在非框架结构的多层建（构）筑物内，或者"
        "粉尘爆炸危险场所内设有员工宿舍、会议室、办公室、休息室等人员聚集场所的。",
    )
    odd = Criterion.objects.create(
        sector=sector, document="《某废止文件》", clause="第一条", text="一条无从对应的旧条款"
    )
    township = Township.objects.get_or_create(code="biyang", defaults={"name": "碧阳镇"})[0]
    dept = Department.objects.get_or_create(code="emergency", defaults={"name": "县应急局"})[0]
    # the account through today's model: campaigns stays migrated, so its users table has the
    # columns added since (must_change_password, NOT NULL) that the old state does not know
    from campaigns.models import User as CurrentUser

    user_id = CurrentUser.objects.create(username="migration-test").pk
    Enterprise = old.get_model("hazards", "Enterprise")
    ent = Enterprise.objects.create(
        name="E", credit_code="91341023MA0000001X", township=township, principal_name="p"
    )
    Hazard = old.get_model("hazards", "Hazard")
    common = dict(
        enterprise=ent,
        township=township,
        sector=sector,
        supervising_department=dept,
        source="inspection",
        found_by="x",
        location="y",
        description="z",
        reported_by_id=user_id,
        found_on=datetime.date(2025, 1, 1),
    )
    h1 = Hazard.objects.create(ledger_number="YX-2025-0001", criterion=dust, **common)
    h2 = Hazard.objects.create(ledger_number="YX-2025-0002", criterion=odd, **common)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    new = executor.loader.project_state(AFTER).apps
    Hazard = new.get_model("hazards", "Hazard")
    cited = Hazard.objects.select_related("criterion__standard").get(pk=h1.pk).criterion
    assert (cited.standard.code, cited.clause, cited.active) == (
        "gongmao-2023",
        "第十一条第（一）项",
        True,
    )
    kept = Hazard.objects.select_related("criterion__standard").get(pk=h2.pk).criterion
    assert kept.standard.code == "legacy" and not kept.active and not kept.verified
    Link = new.get_model("hazards", "CriterionSector")
    assert Link.objects.filter(criterion_id=kept.pk, sector_code="industry_trade").exists()
