"""Reminder source of special-operations certificates (task 20: 特种作业人员持证上岗).

Registered with :func:`campaigns.notifications.sources.register_source` (``<app>/reminders.py``
is discovered by the daily run). A certificate whose last valid day (``valid_until``,
Asia/Shanghai) is 90, 60, 30, 7 or 1 days away or today reminds the enterprise's township (属地)
and the departments leading its sectors (行业); an expired one is listed daily for 30 days
(``days_overdue`` drives the ladder: unit heads from 7 days, the safety office from 30).

A second source, ``enterprise_duty``, reminds each township and lead department, in the last
week of a period, of how many of its enterprises have not yet held the period's evacuation
drill (task 22) or principal-led inspection (task 3).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from campaigns.constants import REMIND_DAYS_BEFORE
from campaigns.models import Department, Township
from campaigns.notifications.sources import Kind, Reminder, register_source
from hazards.models import Enterprise
from yixian_safety.periods import period_containing, period_label

from .constants import CERTIFICATE_OVERDUE_WINDOW_DAYS, CERTIFICATE_REMIND_DAYS
from .models import Certificate
from .selectors import DUTIES


@register_source("certificate")
def certificates_expiring(today: datetime.date) -> Iterator[Reminder]:
    """Certificates expiring in 90/60/30/7/1 days or today, or expired within the last 30
    days. Two queries (certificates; their enterprises' sectors' lead departments)."""
    soon = [today + datetime.timedelta(days=n) for n in CERTIFICATE_REMIND_DAYS] + [today]
    since = today - datetime.timedelta(days=CERTIFICATE_OVERDUE_WINDOW_DAYS)
    certs = (
        Certificate.objects.filter(
            Q(valid_until__in=soon) | Q(valid_until__lt=today, valid_until__gte=since)
        )
        .select_related("enterprise")
        .prefetch_related("enterprise__sectors__lead_departments")
        .order_by("valid_until", "pk")
    )
    for c in certs:
        days = (c.valid_until - today).days
        what = _("Special-operations certificate %(number)s of %(worker)s (%(enterprise)s)") % {
            "number": c.number,
            "worker": c.worker_name,
            "enterprise": c.enterprise.name,
        }
        due = f"{c.valid_until:%Y-%m-%d}"
        if days > 0:
            kind, text = (
                Kind.DUE_SOON,
                _("%(what)s expires in %(days)s days (valid until %(due)s)")
                % {"what": what, "days": days, "due": due},
            )
        elif days == 0:
            kind, text = (
                Kind.DUE_TODAY,
                _("%(what)s expires today (valid until %(due)s)") % {"what": what, "due": due},
            )
        else:
            kind, text = (
                Kind.OVERDUE,
                _("%(what)s expired %(days)s days ago (valid until %(due)s)")
                % {"what": what, "days": -days, "due": due},
            )
        departments = sorted(
            {d.pk for s in c.enterprise.sectors.all() for d in s.lead_departments.all()}
        )
        yield Reminder(
            item_key=f"certificate:{c.pk}",
            kind=kind,
            text=text[:500],
            url=reverse("training:enterprise", args=[c.enterprise_id]),
            due_on=c.valid_until,
            days_overdue=max(0, -days),
            townships=(c.enterprise.township_id,),
            departments=tuple(departments),
        )


@register_source("enterprise_duty")
def duties_due(today: datetime.date) -> Iterator[Reminder]:
    """Drills (task 22) and principal-led inspections (task 3) not yet done in a period ending
    in 7, 3 or 1 days or today: one reminder per township (属地) and per lead department (行业)
    naming how many of its enterprises still owe it, linked to their list. Two aggregate
    queries per duty and frequency."""
    codes = {
        "township": dict(Township.objects.values_list("pk", "code")),
        "department": dict(Department.objects.values_list("pk", "code")),
    }
    for duty in DUTIES.values():
        for high_risk, freq in ((False, duty.frequency), (True, duty.high_risk_frequency)):
            period = period_containing(today, freq)
            days = (period.end - today).days
            if days not in (*REMIND_DAYS_BEFORE, 0):
                continue
            done = duty.model.objects.filter(
                enterprise_id=OuterRef("pk"),
                **{f"{duty.date_field}__gte": period.start, f"{duty.date_field}__lte": today},
            )
            owing = (
                Enterprise.objects.with_high_risk()
                .filter(is_high_risk=high_risk)
                .exclude(Exists(done))
                .order_by()
            )
            label = DUTY_LABELS[duty.code]
            due = f"{period.end:%Y-%m-%d}"
            kind = Kind.DUE_TODAY if days == 0 else Kind.DUE_SOON
            url = reverse("training:compliance_rows", args=[duty.code])
            units = [
                ("township", r["township"], r["n"])
                for r in owing.values("township").annotate(n=Count("pk"))
            ]
            units += [
                ("department", r["sectors__lead_departments"], r["n"])
                for r in owing.values("sectors__lead_departments").annotate(
                    n=Count("pk", distinct=True)
                )
                if r["sectors__lead_departments"]
            ]
            for unit_kind, unit_id, n in units:
                text = _(
                    "%(n)s enterprises have not yet done this period's %(what)s "
                    "(%(period)s, due %(due)s)"
                ) % {"n": n, "what": label, "period": period_label(period.key), "due": due}
                yield Reminder(
                    item_key=f"duty:{duty.code}:{period.key}:{unit_kind}:{unit_id}"[:120],
                    kind=kind,
                    text=text[:500],
                    url=f"{url}?year={period.start.year}&status=pending&{unit_kind}="
                    f"{codes[unit_kind].get(unit_id, '')}",
                    due_on=period.end,
                    townships=(unit_id,) if unit_kind == "township" else (),
                    departments=(unit_id,) if unit_kind == "department" else (),
                )


DUTY_LABELS = {"drill": _lazy("evacuation drill"), "inspection": _lazy("principal-led inspection")}
