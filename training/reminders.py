"""Reminder source of special-operations certificates (task 20: 特种作业人员持证上岗).

Registered with :func:`campaigns.notifications.sources.register_source` (``<app>/reminders.py``
is discovered by the daily run). A certificate whose last valid day (``valid_until``,
Asia/Shanghai) is 90, 60, 30, 7 or 1 days away or today reminds the enterprise's township (属地)
and the departments leading its sectors (行业); an expired one is listed daily for 30 days
(``days_overdue`` drives the ladder: unit heads from 7 days, the safety office from 30).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from campaigns.notifications.sources import Kind, Reminder, register_source

from .constants import CERTIFICATE_OVERDUE_WINDOW_DAYS, CERTIFICATE_REMIND_DAYS
from .models import Certificate


@register_source("certificate")
def certificates_expiring(today: datetime.date) -> Iterator[Reminder]:
    """Certificates expiring in 90/60/30/7/1 days or today, or expired within the last 30
    days. Two queries (certificates; their enterprises' sectors' lead departments)."""
    soon = [today + datetime.timedelta(days=n) for n in CERTIFICATE_REMIND_DAYS] + [today]
    since = today - datetime.timedelta(days=CERTIFICATE_OVERDUE_WINDOW_DAYS)
    certs = (Certificate.objects
             .filter(Q(valid_until__in=soon) | Q(valid_until__lt=today, valid_until__gte=since))
             .select_related("enterprise")
             .prefetch_related("enterprise__sectors__lead_departments")
             .order_by("valid_until", "pk"))
    for c in certs:
        days = (c.valid_until - today).days
        what = _("Special-operations certificate %(number)s of %(worker)s (%(enterprise)s)") % {
            "number": c.number, "worker": c.worker_name, "enterprise": c.enterprise.name}
        due = f"{c.valid_until:%Y-%m-%d}"
        if days > 0:
            kind, text = Kind.DUE_SOON, _("%(what)s expires in %(days)s days (valid until "
                                          "%(due)s)") % {"what": what, "days": days, "due": due}
        elif days == 0:
            kind, text = Kind.DUE_TODAY, _("%(what)s expires today (valid until %(due)s)") % {
                "what": what, "due": due}
        else:
            kind, text = Kind.OVERDUE, _("%(what)s expired %(days)s days ago (valid until "
                                         "%(due)s)") % {"what": what, "days": -days, "due": due}
        departments = sorted({d.pk for s in c.enterprise.sectors.all()
                              for d in s.lead_departments.all()})
        yield Reminder(item_key=f"certificate:{c.pk}", kind=kind, text=text[:500],
                       url=reverse("training:enterprise", args=[c.enterprise_id]), due_on=c.valid_until,
                       days_overdue=max(0, -days), townships=(c.enterprise.township_id,),
                       departments=tuple(departments))
