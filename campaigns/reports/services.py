"""Writes of the built reports: request a build, retry a failed one, build, sweep stale builds,
record a download (source: 实施方案 三、实施步骤 — 季度调度 and 总结评估; design: "Celery jobs …
build quarterly PDF/Excel reports").

A build is a frozen snapshot. :func:`report_request` creates the next version's row (queued, with
a new 文号) and enqueues :func:`campaigns.reports.tasks.report_build_task` through the outbox;
:func:`report_build` (the task, the ``build_report`` command and the eager embedded mode all run
it) builds every registered section, renders the PDF and the Excel workbook in memory and stores
both files with their SHA-256 only when both are complete — a worker killed mid-build leaves no
file behind, only a row still "building" that :func:`reports_sweep` marks failed.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from campaigns.constants import (
    REPORT_DOCUMENT_FORMAT,
    REPORT_NUMBER_KIND,
    REPORT_STALE_MINUTES,
)
from campaigns.numbering.services import number_next
from campaigns.org.models import Department, Township
from campaigns.reports.models import Outcome, Report
from campaigns.reports.permissions import can_request_report
from campaigns.reports.registry import (
    CAMPAIGN_END,
    CAMPAIGN_START,
    FINAL_PERIOD,
    ReportScope,
    SectionData,
    sections,
)
from yixian_safety.dates import today_local
from yixian_safety.periods import Period, period_from_key

logger = logging.getLogger(__name__)

_QUARTER_KEY = re.compile(r"^(\d{4})-?Q([1-4])$", re.IGNORECASE)


# --- parsing what is asked for -------------------------------------------------------------


def period_parse(kind: str, key: str, *, today: datetime.date | None = None) -> Period:
    """The :class:`Period` of a report: ``"2026-Q3"`` (or ``"2026Q3"``) for a quarterly report,
    anything (normally ``"final"``) for the final one. ``ValidationError`` on ``{"period": …}``
    for a malformed key, a quarter outside the campaign (2024-Q1 … 2026-Q4) or one not begun."""
    if kind == Report.Kind.FINAL:
        return FINAL_PERIOD
    if kind != Report.Kind.QUARTERLY:
        raise ValidationError({"kind": _('Unknown report kind "%(kind)s".') % {"kind": kind}})
    match = _QUARTER_KEY.match((key or "").strip())
    if not match:
        raise ValidationError(
            {"period": _('"%(key)s" is not a quarter: write it as 2026-Q3.') % {"key": key[:20]}}
        )
    period = period_from_key(f"{match.group(1)}-Q{match.group(2)}")
    today = today or today_local()
    if period.start < CAMPAIGN_START or period.end > CAMPAIGN_END:
        raise ValidationError(
            {
                "period": _("The quarter %(key)s is outside the campaign (2024-Q1 to 2026-Q4).")
                % {"key": period.key}
            }
        )
    if period.start > today:
        raise ValidationError(
            {"period": _("The quarter %(key)s has not begun yet.") % {"key": period.key}}
        )
    return period


def scope_parse(key: str) -> ReportScope:
    """``"county"``, ``"township:<code>"`` or ``"department:<code>"`` → :class:`ReportScope`;
    ``ValidationError`` on ``{"scope": …}`` for anything else or an unknown unit."""
    key = (key or "county").strip()
    if key == "county":
        return ReportScope(kind="county", key="county", label="黟县")
    kind, _sep, code = key.partition(":")
    if kind == "township":
        unit = Township.objects.filter(code=code).first()
        if unit:
            return ReportScope(
                kind="township", key=f"township:{unit.code}", label=unit.name, township_id=unit.pk
            )
    elif kind == "department":
        unit = Department.objects.filter(code=code).first()
        if unit:
            return ReportScope(
                kind="department",
                key=f"department:{unit.code}",
                label=unit.name,
                department_id=unit.pk,
            )
    raise ValidationError(
        {
            "scope": _(
                'Unknown report scope "%(key)s": use county, township:<code> or department:<code>.'
            )
            % {"key": key[:60]}
        }
    )


def report_scope(report: Report) -> ReportScope:
    """The :class:`ReportScope` of a stored report."""
    return scope_parse(report.scope_key)


# --- requests --------------------------------------------------------------------------------


@transaction.atomic
def report_request(*, kind: str, period_key: str, scope_key: str, actor) -> Report:
    """Create the next version of a report (queued, with the office's next 文号) and enqueue its
    build after commit. ``actor``: the requesting user, or ``None`` for beat.

    Errors: ``ValidationError`` (kind, period, scope — Chinese messages naming the field);
    ``PermissionDenied`` when ``actor`` may not build this report.
    """
    from django.core.exceptions import PermissionDenied

    from campaigns.notifications.outbox import enqueue
    from campaigns.reports.tasks import report_build_task

    period = period_parse(kind, period_key)
    scope = scope_parse(scope_key)
    if actor is not None and not can_request_report(actor, kind=kind, scope=scope):
        raise PermissionDenied(_("You may not build this report."))
    year = today_local().year
    # The counter row stays locked until commit: requests are serialised, so the version
    # number below is not taken twice.
    number = number_next(kind=REPORT_NUMBER_KIND, year=year)
    last = (
        Report.objects.filter(kind=kind, period=period.key, scope_key=scope.key).aggregate(
            v=Max("version")
        )["v"]
        or 0
    )
    try:
        with transaction.atomic():
            report = Report.objects.create(
                kind=kind,
                period=period.key,
                scope_kind=scope.kind,
                scope_key=scope.key,
                township_id=scope.township_id,
                department_id=scope.department_id,
                version=last + 1,
                document_number=REPORT_DOCUMENT_FORMAT.format(year=year, number=number),
                sections_total=len(sections()),
                requested_by=actor,
            )
    except IntegrityError:  # pragma: no cover - only without the counter lock (SQLite)
        raise ValidationError(_("This report is being requested twice; try again.")) from None
    enqueue(report_build_task, report.pk)
    return report


@transaction.atomic
def report_retry(*, report: Report, actor) -> Report:
    """Queue a failed build again (same version and 文号: it never produced a file).
    ``ValidationError`` unless the report failed; ``PermissionDenied`` if ``actor`` may not
    build it."""
    from django.core.exceptions import PermissionDenied

    from campaigns.notifications.outbox import enqueue
    from campaigns.reports.tasks import report_build_task

    report = Report.objects.select_for_update().get(pk=report.pk)
    if not can_request_report(actor, kind=report.kind, scope=report_scope(report)):
        raise PermissionDenied(_("You may not build this report."))
    if report.status != Report.Status.FAILED:
        raise ValidationError(_("Only a failed build can be retried."))
    report.status = Report.Status.QUEUED
    report.error = ""
    report.sections_done = 0
    report.save(update_fields=["status", "error", "sections_done"])
    enqueue(report_build_task, report.pk)
    return report


def report_download_record(*, report: Report) -> None:
    """Count one download of ``report`` (the archive shows how often each was fetched)."""
    Report.objects.filter(pk=report.pk).update(downloads=F("downloads") + 1)


# --- building ------------------------------------------------------------------------------


@dataclass
class BuiltSection:
    key: str
    title: str
    data: SectionData


def report_sections_build(
    period: Period, scope: ReportScope, *, progress=None
) -> list[BuiltSection]:
    """Every registered section's figures for ``period`` and ``scope`` (each in a savepoint so a
    failing section cannot break the caller's transaction). ``progress(n)`` is called after
    each section."""
    built = []
    for n, section in enumerate(sections(), start=1):
        with transaction.atomic(), translation.override("zh-hans"):
            data = section.build(period, scope)
            title = str(section.title)
        built.append(BuiltSection(section.key, title, data))
        if progress:
            progress(n)
    return built


def report_build(*, report_id: int) -> Report | None:
    """Build one queued (or interrupted) report: sections, PDF, Excel, checksums, stored files.

    Idempotent: a report already ready, or failed (waiting for a retry), is left alone. An
    error marks the report failed with the error text (the user retries) instead of raising.
    Returns the report, or ``None`` if the row does not exist."""
    from campaigns.reports.exports import report_pdf, report_xlsx

    with transaction.atomic():
        report = Report.objects.select_for_update().filter(pk=report_id).first()
        if report is None or report.status in (Report.Status.READY, Report.Status.FAILED):
            return report
        report.status = Report.Status.BUILDING
        report.started_at = timezone.now()
        report.sections_done = 0
        report.sections_total = len(sections())
        report.save(update_fields=["status", "started_at", "sections_done", "sections_total"])
    try:
        scope = report_scope(report)
        period = period_parse(report.kind, report.period)
        built = report_sections_build(
            period,
            scope,
            progress=lambda n: Report.objects.filter(pk=report_id).update(sections_done=n),
        )
        built_at = timezone.now()
        pdf = report_pdf(report, built, built_at=built_at)
        xlsx = report_xlsx(report, built, built_at=built_at)
    except Exception as exc:  # any failure (incl. the soft time limit): a failed build to retry
        logger.exception("report %s failed", report_id)
        Report.objects.filter(pk=report_id, status=Report.Status.BUILDING).update(
            status=Report.Status.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000]
        )
        report.refresh_from_db()
        return report
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report_id)
        if report.status != Report.Status.BUILDING:
            return report  # another run finished it, or the sweep gave up on it
        report.pdf.save(report.ascii_name("pdf"), ContentFile(pdf), save=False)
        report.xlsx.save(report.ascii_name("xlsx"), ContentFile(xlsx), save=False)
        report.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
        report.xlsx_sha256 = hashlib.sha256(xlsx).hexdigest()
        report.status = Report.Status.READY
        report.built_at = built_at
        report.error = ""
        report.save()
    return report


def reports_sweep(*, now: datetime.datetime | None = None) -> int:
    """Mark builds "building" for longer than ``REPORT_STALE_MINUTES`` (a killed worker) failed,
    so the user can retry them. Returns how many."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(minutes=REPORT_STALE_MINUTES)
    return Report.objects.filter(status=Report.Status.BUILDING, started_at__lt=cutoff).update(
        status=Report.Status.FAILED,
        error=_("The build was interrupted (worker stopped); retry it."),
    )


def quarter_just_ended(today: datetime.date) -> Period:
    """The last quarter that ended before ``today``."""
    from yixian_safety.periods import period_containing

    current = period_containing(today, "quarterly")
    return period_containing(current.start - datetime.timedelta(days=1), "quarterly")


def reports_quarterly_schedule(*, today: datetime.date | None = None) -> list[Report]:
    """Beat: request the county's and every township's and lead department's quarterly report for
    the quarter just ended (once: a (period, scope) with a report not failed is skipped)."""
    today = today or today_local()
    period = quarter_just_ended(today)
    if period.start < CAMPAIGN_START or period.end > CAMPAIGN_END:
        return []
    keys = (
        ["county"]
        + [f"township:{c}" for c in Township.objects.values_list("code", flat=True)]
        + [
            f"department:{c}"
            for c in Department.objects.filter(is_lead=True).values_list("code", flat=True)
        ]
    )
    existing = set(
        Report.objects.filter(kind=Report.Kind.QUARTERLY, period=period.key)
        .exclude(status=Report.Status.FAILED)
        .values_list("scope_key", flat=True)
    )
    return [
        report_request(kind=Report.Kind.QUARTERLY, period_key=period.key, scope_key=key, actor=None)
        for key in keys
        if key not in existing
    ]


# --- 制度成果 ----------------------------------------------------------------------------------


@transaction.atomic
def outcome_record(
    *, actor, title: str, adopted_on: datetime.date, fixes: str, document=None
) -> Outcome:
    """Record a 制度成果 of ``actor``'s unit (its township or department). ``document``: an
    optional upload (PDF, Word, Excel, JPG, PNG; judged by content, at most 20 MB).
    ``ValidationError`` for a user without a unit, a date outside the campaign or a bad file."""
    from yixian_safety.uploads import clean_document

    unit = actor.township or actor.department
    if unit is None:
        raise ValidationError(_("Only a township or a department records its outcomes."))
    title, fixes = (title or "").strip(), (fixes or "").strip()
    errors = {}
    if not title:
        errors["title"] = _("Please give the title.")
    if not fixes:
        errors["fixes"] = _("Please say in one line what it fixes.")
    if adopted_on is None or not CAMPAIGN_START <= adopted_on <= today_local():
        errors["adopted_on"] = _("The date must lie between 2024-01-01 and today.")
    checked = None
    if document is not None:
        try:
            checked = clean_document(document)
        except ValidationError as exc:
            errors["document"] = exc.messages
    if errors:
        raise ValidationError(errors)
    outcome = Outcome(
        title=title[:200], fixes=fixes[:200], adopted_on=adopted_on, recorded_by=actor
    )
    outcome.set_unit(unit)
    if checked is not None:
        outcome.document.save(checked.name, checked.content, save=False)
        outcome.document_name = checked.original_name
    outcome.save()
    return outcome
