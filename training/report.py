"""The quarterly report's training section (tasks 3, 20, 22, 28): figures only, the hub renders.

``training_section(period, scope)``: ``period`` has ``start``/``end`` (inclusive Asia/Shanghai
dates, e.g. :class:`campaigns.periods.Period`); ``scope`` is a :class:`campaigns.scoping.Scope`
(or a user). Returns :class:`TrainingSection`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from campaigns.scoping import Scope
from campaigns.selectors import today_local

from . import selectors
from .constants import Audience
from .models import Attendance, Certificate, Drill, PrincipalInspection, TrainingSession


class _ScopeUser:
    """A stand-in user whose scope is ``scope`` (``visible_to`` reads the cached scope)."""

    is_authenticated = True
    is_active = True
    is_superuser = False
    role = ""

    def __init__(self, scope: Scope):
        self._yixian_scope = scope


def as_user(scope_or_user):
    return _ScopeUser(scope_or_user) if isinstance(scope_or_user, Scope) else scope_or_user


@dataclass
class TrainingSection:
    """Figures of the period: sessions and attendees by audience, certificates expired at the
    period end, drills and inspections held, duty figures of the period's year as of its end
    (or today), focus coverage of that year."""

    title: str
    sessions: int
    attendees: int
    passed: int
    by_audience: list[dict] = field(default_factory=list)
    certificates_expired: int = 0
    drills_held: int = 0
    inspections_held: int = 0
    drills: selectors.DutyFigures | None = None
    inspections: selectors.DutyFigures | None = None
    coverage: list = field(default_factory=list)


def training_section(period, scope) -> TrainingSection:
    user = as_user(scope)
    start, end = period.start, period.end
    as_of = min(end, today_local())
    sessions = TrainingSession.objects.visible_to(user).filter(held_on__range=(start, end))
    att = Attendance.objects.visible_to(user).filter(session__in=sessions.values("pk"))
    totals = att.aggregate(n=Count("pk"), passed=Count(
        "pk", filter=Q(result=Attendance.Result.PASSED)))
    by_audience = [
        {"audience": r["session__audience"], "label": str(Audience(r["session__audience"]).label),
         "attendees": r["n"], "passed": r["passed"]}
        for r in att.values("session__audience").annotate(
            n=Count("pk"), passed=Count("pk", filter=Q(result=Attendance.Result.PASSED)))
        .order_by("session__audience")]
    return TrainingSection(
        title=str(_("Training, certificates and drills")),
        sessions=sessions.count(), attendees=totals["n"], passed=totals["passed"],
        by_audience=by_audience,
        certificates_expired=Certificate.objects.visible_to(user).expired(as_of).count(),
        drills_held=Drill.objects.visible_to(user).filter(held_on__range=(start, end)).count(),
        inspections_held=PrincipalInspection.objects.visible_to(user)
        .filter(inspected_on__range=(start, end)).count(),
        drills=selectors.duty_compliance(user, selectors.DRILL_DUTY, year=end.year,
                                         today=as_of)["total"],
        inspections=selectors.duty_compliance(user, selectors.INSPECTION_DUTY, year=end.year,
                                              today=as_of)["total"],
        coverage=selectors.focus_coverage(user, year=end.year, today=as_of))
