"""Reads of the report archive."""

from __future__ import annotations

from campaigns.reports.models import Report


def reports_for(user):
    """The reports ``user`` may see, newest first, with their units (one query)."""
    return (
        Report.objects.visible_to(user)
        .select_related("township", "department", "requested_by")
        .order_by("-requested_at", "-pk")
    )


def report_versions(report: Report):
    """Every version of the same (kind, period, scope) as ``report``, newest first."""
    return (
        Report.objects.filter(kind=report.kind, period=report.period, scope_key=report.scope_key)
        .select_related("requested_by")
        .order_by("-version")
    )


def outcomes_for(user):
    """The 制度成果 ``user`` may see (own unit; the office all), newest first (one query)."""
    from campaigns.reports.models import Outcome

    return Outcome.objects.visible_to(user).select_related("township", "department", "recorded_by")
