"""The quarterly report's training section (tasks 3, 20, 22, 28): figures only, the hub renders.

``training_section(period, scope) -> SectionData``: ``period`` is a
:class:`yixian_safety.periods.Period` (inclusive Asia/Shanghai dates); ``scope`` is the user the
report is for, or a unit (:class:`~campaigns.models.Township` / ``Department``), or a
:class:`campaigns.org.scoping.Scope`. Figures: sessions and attendees (passed) in the period by
audience; certificates expired at the period's end; drills and inspections held; the duty
figures (met / pending / missed) and focus coverage of the period's year as of its end.
"""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from campaigns.models import Department, Sector, Township
from campaigns.org.scoping import Scope
from campaigns.reports.registry import Section, SectionData, register_section
from yixian_safety.dates import today_local

from . import selectors
from .constants import Audience
from .models import Attendance, Certificate, Drill, PrincipalInspection, TrainingSession


class ScopeUser:
    """A stand-in user whose scope is ``scope`` (``visible_to`` reads the cached scope)."""

    is_authenticated = True
    is_active = True
    is_superuser = False
    role = ""

    def __init__(self, scope: Scope):
        self._yixian_scope = scope


def as_user(scope):
    """The user (or stand-in) whose ``visible_to`` the section uses for ``scope``."""
    if hasattr(scope, "viewer"):  # a report's ReportScope (campaigns.reports.registry)
        return scope.viewer
    if isinstance(scope, Scope):
        return ScopeUser(scope)
    if isinstance(scope, Township):
        return ScopeUser(Scope(township_ids=frozenset({scope.pk})))
    if isinstance(scope, Department):
        sectors = Sector.objects.filter(lead_departments=scope).values_list("pk", flat=True)
        return ScopeUser(Scope(department_ids=frozenset({scope.pk}), sector_ids=frozenset(sectors)))
    return scope


def training_section(period, scope) -> SectionData:
    user = as_user(scope)
    start, end = period.start, period.end
    as_of = min(end, today_local())
    sessions = TrainingSession.objects.visible_to(user).filter(held_on__range=(start, end))
    att = Attendance.objects.visible_to(user).filter(session__in=sessions.values("pk"))
    passed = Q(result=Attendance.Result.PASSED)
    by_audience = list(
        att.values("session__audience")
        .annotate(n=Count("pk"), passed=Count("pk", filter=passed))
        .order_by("session__audience")
    )
    n_sessions = sessions.count()
    drills_held = Drill.objects.visible_to(user).filter(held_on__range=(start, end)).count()
    inspections_held = (
        PrincipalInspection.objects.visible_to(user)
        .filter(inspected_on__range=(start, end))
        .count()
    )
    if not (n_sessions or drills_held or inspections_held):
        return SectionData(
            empty=True,
            note=_("No training, drill or principal-led inspection was recorded in this period."),
        )
    totals = att.aggregate(n=Count("pk"), passed=Count("pk", filter=passed))
    expired = Certificate.objects.visible_to(user).expired(as_of).count()
    duty_head = [
        _("unit"),
        _("periods so far"),
        pgettext("duty", "met"),
        pgettext("duty", "pending"),
        pgettext("duty", "missed"),
        _("rate (%)"),
    ]
    tables = []
    for title, duty in (
        (_("Evacuation drills (task 22)"), selectors.DRILL_DUTY),
        (_("Principal-led inspections (task 3)"), selectors.INSPECTION_DUTY),
    ):
        figs = selectors.duty_compliance(user, duty, year=end.year, today=as_of)
        rows = [[f.name, f.started, f.met, f.pending, f.missed, f.rate] for f in figs["townships"]]
        total = figs["total"]
        rows.append([_("total"), total.started, total.met, total.pending, total.missed, total.rate])
        tables.append((f"{title} · {end.year}", duty_head, rows))
    tables.append(
        (
            _("Training by audience"),
            [_("audience"), _("attendees"), _("passed")],
            [
                [str(Audience(r["session__audience"]).label), r["n"], r["passed"]]
                for r in by_audience
            ],
        )
    )
    coverage = selectors.focus_coverage(user, year=end.year, today=as_of)
    figures = [
        (_("Training sessions"), n_sessions),
        (_("attendees"), totals["n"]),
        (_("passed"), totals["passed"]),
        (_("Special-operations certificates") + " · " + _("expired"), expired),
        (_("Evacuation drills"), drills_held),
        (_("Principal-led inspections"), inspections_held),
    ]
    figures += [(f"{c.label}（{end.year}）", f"{c.trained} / {c.total}") for c in coverage]
    return SectionData(figures=figures, tables=tables)


register_section(
    Section(
        key="training",
        title=gettext_lazy("Training, certificates and drills"),
        order=60,
        build=training_section,
    )
)
