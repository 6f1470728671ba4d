"""Excel renderers of every training list (via :mod:`yixian_safety.xlsx`: Chinese headers, real
dates, text that cannot run as a formula). Each takes an already scoped, filtered queryset."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from yixian_safety.xlsx import xlsx_bytes


def _yes(value: bool) -> str:
    return _("yes") if value else _("no")


def sessions_xlsx(queryset) -> bytes:
    """One sheet of sessions, one of their attendees (visible to the same user)."""
    from .models import Attendance

    sessions = list(queryset.select_related("organiser_township", "organiser_department"))
    heads = [
        _("held on"),
        _("title"),
        _("audience"),
        _("organiser"),
        _("online"),
        _("venue or platform"),
        _("hours"),
        _("attendees"),
        _("passed"),
    ]
    counts = {}
    for a in Attendance.objects.filter(session__in=sessions).values_list("session_id", "result"):
        c = counts.setdefault(a[0], [0, 0])
        c[0] += 1
        c[1] += a[1] == Attendance.Result.PASSED
    rows = [
        [
            s.held_on,
            s.title,
            s.get_audience_display(),
            str(s.organiser),
            _yes(s.online),
            s.venue,
            s.hours,
            *counts.get(s.pk, [0, 0]),
        ]
        for s in sessions
    ]
    return xlsx_bytes([(_("Training sessions"), heads, rows)])


def attendances_xlsx(queryset) -> bytes:
    heads = [
        _("held on"),
        _("session"),
        _("audience"),
        _("full name"),
        _("position"),
        _("enterprise"),
        _("township"),
        _("department"),
        _("responsible person of the enterprise"),
        _("assessment"),
    ]
    qs = queryset.select_related("session", "enterprise", "enterprise__township", "department")
    rows = (
        [
            a.session.held_on,
            a.session.title,
            a.session.get_audience_display(),
            a.person_name,
            a.position,
            a.enterprise.name if a.enterprise else "",
            a.enterprise.township.name if a.enterprise else "",
            a.department.name if a.department else "",
            _yes(a.responsible_person),
            a.get_result_display(),
        ]
        for a in qs.iterator(chunk_size=500)
    )
    return xlsx_bytes([(_("Attendance"), heads, rows)])


def certificates_xlsx(queryset, today: datetime.date) -> bytes:
    heads = [
        _("worker"),
        _("enterprise"),
        _("township"),
        _("type of operation"),
        _("certificate number"),
        _("issued on"),
        _("valid until"),
        _("review due"),
        _("days left"),
        _("expired"),
    ]
    qs = queryset.select_related("enterprise", "enterprise__township")
    rows = (
        [
            c.worker_name,
            c.enterprise.name,
            c.enterprise.township.name,
            c.get_type_display(),
            c.number,
            c.issued_on,
            c.valid_until,
            c.review_due,
            c.days_left(today),
            _yes(c.valid_until < today),
        ]
        for c in qs.iterator(chunk_size=500)
    )
    return xlsx_bytes([(_("Special-operations certificates"), heads, rows)])


def drills_xlsx(queryset) -> bytes:
    from django.db.models import Count

    heads = [
        _("held on"),
        _("enterprise"),
        _("township"),
        _("scenario"),
        _("participants"),
        _("evidence files"),
        _("note"),
    ]
    qs = queryset.select_related("enterprise", "enterprise__township").annotate(
        n_files=Count("evidence")
    )
    rows = (
        [
            d.held_on,
            d.enterprise.name,
            d.enterprise.township.name,
            d.scenario,
            d.participants,
            d.n_files,
            d.note,
        ]
        for d in qs.iterator(chunk_size=500)
    )
    return xlsx_bytes([(_("Evacuation drills"), heads, rows)])


def inspections_xlsx(queryset) -> bytes:
    heads = [
        _("inspected on"),
        _("enterprise"),
        _("township"),
        _("led by"),
        _("findings"),
        _("hazards found"),
    ]
    qs = queryset.select_related("enterprise", "enterprise__township").prefetch_related("hazards")
    rows = (
        [
            i.inspected_on,
            i.enterprise.name,
            i.enterprise.township.name,
            i.leader_name,
            i.findings,
            "、".join(h.ledger_number for h in i.hazards.all()),
        ]
        for i in qs
    )
    return xlsx_bytes([(_("Principal-led inspections"), heads, rows)])


def rescue_xlsx(enterprises) -> bytes:
    """High-risk enterprises (annotated ``has_team``) with their teams."""
    heads = [
        _("enterprise"),
        _("unified social credit code"),
        _("township"),
        _("has a rescue team"),
        _("teams"),
    ]
    qs = enterprises.prefetch_related("rescue_teams")
    rows = (
        [
            e.name,
            e.credit_code,
            e.township.name,
            _yes(e.has_team),
            "、".join(f"{t.name}（{t.members}）" for t in e.rescue_teams.all()),
        ]
        for e in qs
    )
    return xlsx_bytes([(_("Rescue teams"), heads, rows)])


def focus_xlsx(enterprises, *, audience_label: str) -> bytes:
    """Enterprises of a focus group (annotated ``is_trained``), e.g. those not yet trained."""
    heads = [
        _("enterprise"),
        _("unified social credit code"),
        _("township"),
        _("principal"),
        _("principal phone"),
        _("audience"),
        _("trained"),
    ]
    rows = (
        [
            e.name,
            e.credit_code,
            e.township.name,
            e.principal_name,
            e.principal_phone,
            audience_label,
            _yes(e.is_trained),
        ]
        for e in enterprises
    )
    return xlsx_bytes([(_("Training coverage"), heads, rows)])


def duty_xlsx(enterprises, compliance: dict, *, title: str) -> bytes:
    """Enterprises annotated by ``duty_annotate`` (one row each) and the figures by township
    and by sector."""
    heads = [
        _("enterprise"),
        _("unified social credit code"),
        _("township"),
        _("high-risk"),
        _("periods so far"),
        pgettext("duty", "met"),
        pgettext("duty", "pending"),
        pgettext("duty", "missed"),
    ]
    rows = (
        [
            e.name,
            e.credit_code,
            e.township.name,
            _yes(e.is_high_risk),
            e.duty_started,
            e.duty_met,
            e.duty_pending,
            e.duty_missed,
        ]
        for e in enterprises
    )
    fig_heads = [
        _("unit"),
        _("periods so far"),
        pgettext("duty", "met"),
        pgettext("duty", "pending"),
        pgettext("duty", "missed"),
        _("rate (%)"),
    ]

    def figs(items):
        return [[f.name, f.started, f.met, f.pending, f.missed, f.rate] for f in items]

    return xlsx_bytes(
        [
            (str(title), heads, rows),
            (_("By township"), fig_heads, figs(compliance["townships"])),
            (_("By department"), fig_heads, figs(compliance["departments"])),
            (_("By sector"), fig_heads, figs(compliance["sectors"])),
        ]
    )
