"""Demo data of the report archive: the county's 2026-Q3 quarterly report, built (invented
figures from the other demo modules). Safe to run again: nothing is duplicated."""

from __future__ import annotations

from campaigns.org.models import Role, User
from campaigns.reports.models import Report
from campaigns.reports.services import report_build, report_request

DEMO_PERIOD = "2026-Q3"


def build(*, rng) -> str:
    if Report.objects.filter(
        kind=Report.Kind.QUARTERLY, period=DEMO_PERIOD, scope_key="county"
    ).exists():
        return ""
    actor = User.objects.filter(role=Role.SAFETY_OFFICE, is_active=True).order_by("pk").first()
    report = report_request(
        kind=Report.Kind.QUARTERLY, period_key=DEMO_PERIOD, scope_key="county", actor=actor
    )
    # Built now, in the seeding transaction, so `make run` opens it at once (the queued task
    # then finds it ready and does nothing).
    report = report_build(report_id=report.pk)
    return f"report {report.document_number} ({report.status})"
