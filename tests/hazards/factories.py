"""Builders of hazard-ledger test data (through the services, like the app itself):
enterprises with valid 统一社会信用代码, hazards, photos, the five implementations."""

import datetime
import io
import itertools

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from stdnum.cn import uscc

from campaigns.models import Sector, Township
from hazards import services
from hazards.models import Level, Source

_serial = itertools.count(1)


def make_credit_code(n: int | None = None) -> str:
    n = next(_serial) if n is None else n
    base = f"91341023MA{n:07d}"
    return base + uscc.calc_check_digit(base)


def photo(color=(200, 30, 30), name="photo.jpg", size=(64, 48), fmt="JPEG"):
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, format=fmt)
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/jpeg")


def make_enterprise(actor, *, township="biyang", sectors=("gas",), name=None, **kw):
    return services.enterprise_create(
        actor=actor,
        name=name or f"测试企业{next(_serial)}",
        credit_code=make_credit_code(),
        township=Township.objects.get(code=township),
        sectors=list(Sector.objects.filter(code__in=sectors)),
        principal_name="王某",
        principal_email="boss@example.invalid",
        controller_name="李某",
        controller_email="owner@example.invalid",
        **kw,
    )


def criterion_for(enterprise, sector=None, found_on=datetime.date(2025, 3, 1)):
    """A clause a major hazard of ``enterprise`` (its first sector unless ``sector``) may cite
    on ``found_on``; None when the sector has no clause in force."""
    from hazards.reference import criteria_for

    sector = sector or enterprise.sectors.order_by("order", "pk").first()
    return criteria_for(sector, found_on).order_by("standard__order", "order", "pk").first()


def make_hazard(actor, enterprise, **kw):
    """A hazard logged through the service; a major one cites a clause of its sector."""
    params = dict(
        source=Source.INSPECTION,
        found_on=datetime.date(2025, 3, 1),
        found_by="检查组",
        location="气瓶间",
        description="未设置可燃气体报警装置",
        level=Level.MAJOR,
    )
    params.update(kw)
    if params["level"] == Level.MAJOR and "criterion" not in params:
        params["criterion"] = criterion_for(enterprise, params.get("sector"), params["found_on"])
    return services.hazard_report(actor=actor, enterprise=enterprise, **params)


FIVE = dict(
    measures="加装报警装置",
    responsible_unit="某公司",
    responsible_person="王某",
    funds=__import__("decimal").Decimal("12000.50"),
    deadline=datetime.date(2099, 6, 30),
    contingency_plan="停用气瓶间并设警戒",
)


def rectifying_hazard(actor, enterprise, deadline: datetime.date, **kw):
    """A major hazard of ``enterprise`` in rectification with ``deadline``."""
    h = make_hazard(actor, enterprise, **kw)
    services.hazard_confirm(hazard=h, actor=actor)
    services.rectification_save(hazard=h, actor=actor, **{**FIVE, "deadline": deadline})
    return services.hazard_start_rectification(hazard=h, actor=actor)
