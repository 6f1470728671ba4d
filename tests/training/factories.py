"""Builders of training test data (through the services, like the app itself)."""

import datetime

from training import services
from training.constants import Audience, CertificateType


def make_session(
    actor, *, audience=Audience.METAL_SMELTING, held_on=datetime.date(2025, 6, 1), **kw
):
    return services.session_create(
        actor=actor, title=kw.pop("title", "专题培训"), audience=audience, held_on=held_on, **kw
    )


def make_certificate(actor, enterprise, *, valid_until, number=None, **kw):
    params = dict(
        worker_name="赵某",
        type=CertificateType.WELDING,
        number=number or f"T{enterprise.pk:04d}{valid_until:%Y%m%d}",
        issued_on=datetime.date(2020, 1, 1),
        valid_until=valid_until,
    )
    params.update(kw)
    return services.certificate_create(actor=actor, enterprise=enterprise, **params)
