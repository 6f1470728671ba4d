"""Reminder source of the tip-offs: the deadline of the current step is tomorrow, today, or
past (task 25). Triage and closing (received / verified / not verified) remind the safety
office (安委办); starting and finishing the verification (assigned / verifying) remind the
assigned department. The text names the tip-off number and the step — never the reporter.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.db.models import Q
from django.utils.translation import gettext as _

from campaigns.models import Department
from campaigns.notifications.sources import Kind, Reminder, register_source

from .constants import REMIND_DAYS_BEFORE
from .models import OPEN_STATUSES, Status, TipOff


def _step(status: str) -> str:
    return {
        Status.RECEIVED: _("triage"),
        Status.ASSIGNED: _("start the verification"),
        Status.VERIFYING: _("finish the verification"),
        Status.VERIFIED: _("close with the public reply"),
        Status.NOT_VERIFIED: _("close with the public reply"),
    }[status]


@register_source("tipoff")
def tipoffs_due(today: datetime.date) -> Iterator[Reminder]:
    """Open tip-offs whose current step is due tomorrow or today, or overdue. Two queries."""
    soon = [today + datetime.timedelta(days=n) for n in REMIND_DAYS_BEFORE] + [today]
    office = (
        Department.objects.filter(code=Department.SAFETY_OFFICE_CODE)
        .values_list("pk", flat=True)
        .first()
    )
    tipoffs = (
        TipOff.objects.filter(status__in=OPEN_STATUSES)
        .filter(Q(step_due_on__in=soon) | Q(step_due_on__lt=today))
        .order_by("step_due_on", "pk")
    )
    for t in tipoffs:
        days = (t.step_due_on - today).days
        what = _("Tip-off %(number)s: %(step)s") % {"number": t.number, "step": _step(t.status)}
        due = f"{t.step_due_on:%Y-%m-%d}"
        if days > 0:
            kind, text = (
                Kind.DUE_SOON,
                _("%(what)s due in %(days)s days (%(due)s)")
                % {"what": what, "days": days, "due": due},
            )
        elif days == 0:
            kind, text = (
                Kind.DUE_TODAY,
                _("%(what)s due today (%(due)s)") % {"what": what, "due": due},
            )
        else:
            kind, text = (
                Kind.OVERDUE,
                _("%(what)s %(days)s days overdue (due %(due)s)")
                % {"what": what, "days": -days, "due": due},
            )
        department = t.department_id if t.status in (Status.ASSIGNED, Status.VERIFYING) else office
        yield Reminder(
            item_key=f"tipoff:{t.pk}:{t.status}",
            kind=kind,
            text=text[:500],
            url=t.get_absolute_url(),
            due_on=t.step_due_on,
            days_overdue=max(0, -days),
            departments=(department,) if department else (),
        )
