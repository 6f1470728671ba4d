"""Writes of task progress: progress reports, milestones met, obligation records, cadence.

Errors: ``PermissionDenied`` (403) for users who may not report for a unit;
``ValidationError`` (Chinese message, naming the field) for bad input. All atomic.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from campaigns.constants import ATTACHMENT_MAX_BYTES, Frequency
from campaigns.org.permissions import acting_unit
from campaigns.plan.models import Milestone, Obligation, Task
from campaigns.plan.services import campaign_ensure_open
from campaigns.progress.models import (
    MilestoneRecord,
    ObligationRecord,
    ProgressReport,
    ReportingCadence,
)
from campaigns.progress.permissions import (
    can_record_milestone,
    can_record_obligation,
    can_report_progress,
    can_set_cadence,
)
from campaigns.progress.selectors import (
    obligation_frequency,
    obligation_units,
    report_due_on,
    task_frequency,
    unit_answers_for_task,
    unit_is_high_risk,
)
from yixian_safety.dates import today_local
from yixian_safety.periods import period_from_key
from yixian_safety.uploads import attachment_check


def _figures_clean(figures) -> dict:
    if not figures:
        return {}
    if not isinstance(figures, dict):
        raise ValidationError({"figures": _("Figures must be name → number pairs.")})
    clean = {}
    for name, value in figures.items():
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise ValidationError(
                {"figures": _("Figure %(name)s is not a number.") % {"name": name}}
            ) from None
        clean[str(name)[:40]] = int(number) if number.is_integer() else number
    return clean


@transaction.atomic
def progress_report_submit(
    *,
    actor,
    task: Task,
    period: str,
    status: str,
    text: str,
    figures: dict | None = None,
    attachment=None,
    today: datetime.date | None = None,
) -> ProgressReport:
    """Report the actor's unit's progress on ``task`` for ``period`` ("2026-Q3" / "2026-11",
    following the task's cadence). One report per unit, task and period; ``due_on`` = period
    end + REPORT_GRACE_DAYS, so a late report is recorded and marked late."""
    if not can_report_progress(actor):
        raise PermissionDenied
    unit = acting_unit(actor)
    if not unit_answers_for_task(unit, task):
        raise PermissionDenied
    today = today or today_local()
    campaign_ensure_open(task.campaign, today=today)
    try:
        parsed = period_from_key(period)
    except ValueError:
        raise ValidationError(
            {"period": _("Unknown period %(period)s.") % {"period": period}}
        ) from None
    if parsed.frequency != task_frequency(task):
        raise ValidationError(
            {
                "period": _("This task is reported %(frequency)s; period %(period)s does not fit.")
                % {"frequency": Frequency(task_frequency(task)).label, "period": period}
            }
        )
    if parsed.start > today:
        raise ValidationError(
            {"period": _("Period %(period)s has not started yet.") % {"period": period}}
        )
    if status not in ProgressReport.Status.values:
        raise ValidationError({"status": _("Unknown status.")})
    if not (text or "").strip():
        raise ValidationError({"text": _("Say what was done.")})
    if attachment is not None:
        attachment_check(attachment, max_bytes=ATTACHMENT_MAX_BYTES)
    report = ProgressReport(
        task=task,
        period=parsed.key,
        status=status,
        text=text.strip(),
        figures=_figures_clean(figures),
        due_on=report_due_on(parsed),
        submitted_on=today,
        submitted_by=actor,
    )
    report.set_unit(unit)
    if ProgressReport.objects.of_unit(unit).filter(task=task, period=parsed.key).exists():
        raise ValidationError(
            {
                "period": _("Your unit has already reported on this task for period %(period)s.")
                % {"period": parsed.key}
            }
        )
    if attachment is not None:
        report.attachment.save(attachment.name, attachment, save=False)
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:  # a concurrent report for the same period
        raise ValidationError(
            {
                "period": _("Your unit has already reported on this task for period %(period)s.")
                % {"period": parsed.key}
            }
        ) from None
    return report


@transaction.atomic
def milestone_mark_met(
    *,
    actor,
    milestone: Milestone,
    met_on: datetime.date,
    note: str,
    evidence=None,
    today: datetime.date | None = None,
) -> MilestoneRecord:
    """Mark ``milestone`` met by the actor's unit, with evidence (``note``, optional file).
    ``met_on`` may not lie in the future; met after the due date is recorded as such."""
    if not can_record_milestone(actor):
        raise PermissionDenied
    unit = acting_unit(actor)
    if milestone.task is None or not unit_answers_for_task(unit, milestone.task):
        raise PermissionDenied
    today = today or today_local()
    campaign_ensure_open(milestone.campaign, today=today)
    if met_on > today:
        raise ValidationError({"met_on": _("The date cannot be in the future.")})
    if not (note or "").strip():
        raise ValidationError({"note": _("Describe the evidence.")})
    if evidence is not None:
        attachment_check(evidence, max_bytes=ATTACHMENT_MAX_BYTES)
    record = MilestoneRecord(
        milestone=milestone, met_on=met_on, note=note.strip(), recorded_by=actor
    )
    record.set_unit(unit)
    if MilestoneRecord.objects.of_unit(unit).filter(milestone=milestone).exists():
        raise ValidationError(_("Your unit has already marked this milestone met."))
    if evidence is not None:
        record.evidence.save(evidence.name, evidence, save=False)
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError:
        raise ValidationError(_("Your unit has already marked this milestone met.")) from None
    return record


@transaction.atomic
def obligation_record(
    *,
    actor,
    obligation: Obligation,
    period: str,
    done_on: datetime.date,
    count: int = 1,
    note: str = "",
    today: datetime.date | None = None,
) -> ObligationRecord:
    """Record that the actor's unit carried out ``obligation`` in ``period`` (the unit's
    frequency: the high-risk one for departments leading a high-risk sector)."""
    if not can_record_obligation(actor):
        raise PermissionDenied
    unit = acting_unit(actor)
    if unit not in obligation_units(obligation):
        raise PermissionDenied
    today = today or today_local()
    campaign_ensure_open(obligation.campaign, today=today)
    frequency = obligation_frequency(obligation, high_risk=unit_is_high_risk(unit))
    try:
        parsed = period_from_key(period)
    except ValueError:
        parsed = None
    if parsed is None or parsed.frequency != frequency:
        raise ValidationError({"period": _("Unknown period %(period)s.") % {"period": period}})
    if done_on > today or not (parsed.start <= done_on <= parsed.end):
        raise ValidationError(
            {"done_on": _("The date must lie in the period and not in the future.")}
        )
    if count < obligation.minimum_count:
        raise ValidationError(
            {
                "count": _("The plan asks for at least %(n)s times per period.")
                % {"n": obligation.minimum_count}
            }
        )
    record = ObligationRecord(
        obligation=obligation,
        period=parsed.key,
        done_on=done_on,
        count=count,
        note=note,
        recorded_by=actor,
    )
    record.set_unit(unit)
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError:
        raise ValidationError({"period": _("Already recorded for this period.")}) from None
    return record


@transaction.atomic
def cadence_set(*, actor, task: Task, frequency: str) -> ReportingCadence:
    """The office sets how often units report on ``task`` (monthly or quarterly)."""
    if not can_set_cadence(actor):
        raise PermissionDenied
    valid = {c[0] for c in ReportingCadence._meta.get_field("frequency").choices}
    if frequency not in valid:
        raise ValidationError({"frequency": _("Choose monthly or quarterly.")})
    campaign_ensure_open(task.campaign)
    cadence, _created = ReportingCadence.objects.update_or_create(
        task=task, defaults={"frequency": frequency, "set_by": actor}
    )
    return cadence
