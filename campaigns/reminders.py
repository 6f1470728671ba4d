"""Reminder source of the campaigns app: plan milestones (时间节点) due soon or missed.

Registered with :func:`campaigns.notifications.sources.register_source`; other apps add theirs in
their own ``reminders.py`` the same way.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import gettext as _

from .constants import MILESTONE_OVERDUE_WINDOW_DAYS, REMIND_DAYS_BEFORE
from .models import Department, Milestone
from .notifications.sources import Kind, Reminder, register_source


@register_source("milestone")
def milestones_due(today: datetime.date) -> Iterator[Reminder]:
    """Milestones due in 7, 3 or 1 days, due today, or missed within the last 30 days.

    Recipients: the lead departments of the milestone's task; campaign-wide milestones (no task)
    go to the safety office (县安委会办公室). Milestones have no "done" state yet, so missed ones
    are listed for :data:`MILESTONE_OVERDUE_WINDOW_DAYS` days only (escalating on the way).
    """
    before = {today + datetime.timedelta(days=n) for n in REMIND_DAYS_BEFORE}
    oldest = today - datetime.timedelta(days=MILESTONE_OVERDUE_WINDOW_DAYS)
    office_id = (Department.objects.filter(code=Department.SAFETY_OFFICE_CODE)
                 .values_list("pk", flat=True).first())
    milestones = (Milestone.objects.filter(due_on__in=before | {today})
                  | Milestone.objects.filter(due_on__gte=oldest, due_on__lt=today))
    milestones = milestones.select_related("task").prefetch_related("task__lead_departments")
    for m in milestones.order_by("due_on", "code"):
        if m.task_id:
            departments = tuple(d.pk for d in m.task.lead_departments.all())
            url = m.task.get_absolute_url()
            what = _("Task %(number)s milestone “%(title)s”") % {
                "number": m.task.number, "title": m.title}
        else:
            departments = (office_id,) if office_id else ()
            url = reverse("campaigns:overview")
            what = _("Campaign milestone “%(title)s”") % {"title": m.title}
        days = (m.due_on - today).days
        if days > 0:
            kind = Kind.DUE_SOON
            text = _("%(what)s is due in %(days)s days (%(due)s)") % {
                "what": what, "days": days, "due": f"{m.due_on:%Y-%m-%d}"}
        elif days == 0:
            kind = Kind.DUE_TODAY
            text = _("%(what)s is due today (%(due)s)") % {"what": what,
                                                           "due": f"{m.due_on:%Y-%m-%d}"}
        else:
            kind = Kind.OVERDUE
            text = _("%(what)s is %(days)s days overdue (due %(due)s)") % {
                "what": what, "days": -days, "due": f"{m.due_on:%Y-%m-%d}"}
        yield Reminder(item_key=f"milestone:{m.code}", kind=kind, text=text[:500], url=url,
                       due_on=m.due_on, days_overdue=max(0, -days), departments=departments)
