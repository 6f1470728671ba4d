"""Task progress (任务进展): reporting cadence, progress reports, milestones met, obligation
records, and the league table's weights (“赛马”).

Overdue milestones and missed obligation periods are derived (see campaigns.progress.selectors),
never stored.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from campaigns.constants import Frequency
from campaigns.org.models import UnitOwned, UnitOwnedQuerySet
from campaigns.plan.models import Milestone, Obligation, Task


class ReportingCadence(models.Model):
    """How often the responsible units report progress on ``task`` — set by the safety office.
    Monthly or quarterly; a task without a row uses DEFAULT_REPORTING_FREQUENCY (quarterly)."""

    task = models.OneToOneField(
        Task, on_delete=models.CASCADE, related_name="cadence", verbose_name=_("task")
    )
    frequency = models.CharField(
        _("frequency"),
        max_length=20,
        choices=[
            (Frequency.MONTHLY, Frequency.MONTHLY.label),
            (Frequency.QUARTERLY, Frequency.QUARTERLY.label),
        ],
        default=Frequency.QUARTERLY,
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("set by"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["task__number"]
        verbose_name = _("reporting cadence")
        verbose_name_plural = _("reporting cadences")

    def __str__(self) -> str:
        return f"{self.task}: {self.get_frequency_display()}"


def _attachment_to(instance, filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower()[:8] if "." in filename else "bin"
    return f"progress/{instance.__class__.__name__.lower()}/{instance.period_or_code}.{ext}"


class ProgressReportQuerySet(UnitOwnedQuerySet):
    def on_time(self):
        return self.filter(submitted_on__lte=models.F("due_on"))


class ProgressReport(UnitOwned):
    """A unit's progress on one task for one reporting period.

    ``period``: "2026-11" (monthly) or "2026-Q3" (quarterly). ``due_on``: the period's last day
    plus REPORT_GRACE_DAYS; on time when ``submitted_on`` ≤ ``due_on`` (Asia/Shanghai dates).
    ``figures``: {name: number} for tasks with figures (e.g. {"整改隐患数": 12}).
    """

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("not started")
        ON_TRACK = "on_track", _("on track")
        AT_RISK = "at_risk", _("at risk")
        DONE = "done", _("done")

    task = models.ForeignKey(
        Task, on_delete=models.PROTECT, related_name="progress_reports", verbose_name=_("task")
    )
    period = models.CharField(_("period"), max_length=10)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    text = models.TextField(_("what was done"))
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    attachment = models.FileField(
        _("attachment"), upload_to=_attachment_to, blank=True, max_length=200
    )
    due_on = models.DateField(_("due on"))
    submitted_on = models.DateField(_("submitted on"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)

    objects = ProgressReportQuerySet.as_manager()

    class Meta:
        ordering = ["task__number", "-period", "township__order", "department__order"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        constraints = UnitOwned.Meta.constraints + [
            models.UniqueConstraint(
                fields=["task", "period", "township", "department"],
                nulls_distinct=False,
                name="progressreport_one_per_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.task.number} · {self.period}"

    @property
    def period_or_code(self) -> str:
        return f"t{self.task_id}-{self.period}-{self.township_id or 'd' + str(self.department_id)}"

    @property
    def on_time(self) -> bool:
        return self.submitted_on <= self.due_on

    def attachment_url(self) -> str:
        return reverse("campaigns:progress_attachment", args=[self.pk]) if self.attachment else ""


class MilestoneRecord(UnitOwned):
    """A milestone marked met by a unit, with evidence (a file and/or a note).

    A milestone due before today without a record for a responsible unit is overdue — derived
    in campaigns.progress.selectors, not stored.
    """

    milestone = models.ForeignKey(
        Milestone, on_delete=models.PROTECT, related_name="records", verbose_name=_("milestone")
    )
    met_on = models.DateField(_("met on"))
    note = models.TextField(_("evidence note"))
    evidence = models.FileField(
        _("evidence file"), upload_to=_attachment_to, blank=True, max_length=200
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = UnitOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["milestone__due_on", "township__order", "department__order"]
        verbose_name = _("milestone record")
        verbose_name_plural = _("milestone records")
        constraints = UnitOwned.Meta.constraints + [
            models.UniqueConstraint(
                fields=["milestone", "township", "department"],
                nulls_distinct=False,
                name="milestonerecord_one_per_unit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.milestone}"

    @property
    def period_or_code(self) -> str:
        return f"{self.milestone.code}-{self.township_id or 'd' + str(self.department_id)}"

    @property
    def on_time(self) -> bool:
        return self.met_on <= self.milestone.due_on

    def evidence_url(self) -> str:
        return reverse("campaigns:milestone_evidence", args=[self.pk]) if self.evidence else ""


class ObligationRecord(UnitOwned):
    """A recurring obligation carried out by a unit for one period ("2025-Q2", "2025-H1",
    "2025", "2025-07"); periods without a record are pending or missed (derived)."""

    obligation = models.ForeignKey(
        Obligation, on_delete=models.PROTECT, related_name="records", verbose_name=_("obligation")
    )
    period = models.CharField(_("period"), max_length=10)
    done_on = models.DateField(_("done on"))
    count = models.PositiveSmallIntegerField(
        _("times done"), default=1, validators=[MinValueValidator(1)]
    )
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = UnitOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["obligation", "period"]
        verbose_name = _("obligation record")
        verbose_name_plural = _("obligation records")
        constraints = UnitOwned.Meta.constraints + [
            models.UniqueConstraint(
                fields=["obligation", "period", "township", "department"],
                nulls_distinct=False,
                name="obligationrecord_one_per_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.obligation} · {self.period}"
