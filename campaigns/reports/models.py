"""Built reports (季度工作进展报告, 三年行动总结评估报告): frozen, versioned snapshots.

A :class:`Report` row is one build of one report: its kind and period, the unit it is for
(county, a township or a department), its 文号, version and state. When ready it holds the PDF and
the Excel workbook as files with their SHA-256; nothing is ever overwritten — building again makes
the next version (source: 实施方案 三、实施步骤 — 季度调度, 总结评估阶段).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from campaigns.org.models import Department, Township, UnitOwned, UnitOwnedQuerySet


class ReportQuerySet(models.QuerySet):
    def visible_to(self, user) -> ReportQuerySet:
        """Safety office and admins: every report; a township official: its township's; a
        department: its own department's (404 for the rest)."""
        from campaigns.org.scoping import scope_for

        scope = scope_for(user)
        if scope.everything:
            return self.all()
        if scope.nothing:
            return self.none()
        own_departments = {user.department_id} if user.department_id else set()
        return self.filter(
            Q(scope_kind=Report.ScopeKind.TOWNSHIP, township_id__in=scope.township_ids)
            | Q(
                scope_kind=Report.ScopeKind.DEPARTMENT,
                department_id__in=own_departments & set(scope.department_ids),
            )
        )

    def latest_versions(self) -> ReportQuerySet:
        """Only the newest version of each (kind, period, scope)."""
        newer = Report.objects.filter(
            kind=models.OuterRef("kind"),
            period=models.OuterRef("period"),
            scope_key=models.OuterRef("scope_key"),
            version__gt=models.OuterRef("version"),
        )
        return self.exclude(models.Exists(newer))


def report_upload_to(instance: Report, filename: str) -> str:
    return f"reports/{instance.period}/{filename}"


class Report(models.Model):
    """One build (version) of a quarterly or final report for one unit.

    ``period``: a quarter key ("2026-Q3", :mod:`yixian_safety.periods`) or ``"final"``
    (2024-01-01 … 2026-12-31). ``scope_key``: ``county`` / ``township:<code>`` /
    ``department:<code>``. ``status``: queued → building (``sections_done`` of
    ``sections_total``) → ready, or failed (``error``; the user may retry). ``built_by`` is empty
    for the scheduled builds.
    """

    class Kind(models.TextChoices):
        QUARTERLY = "quarterly", _("quarterly report")
        FINAL = "final", _("final evaluation report")

    class ScopeKind(models.TextChoices):
        COUNTY = "county", _("county")
        TOWNSHIP = "township", _("township")
        DEPARTMENT = "department", _("department")

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        BUILDING = "building", _("building")
        READY = "ready", _("ready")
        FAILED = "failed", _("failed")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    period = models.CharField(_("period"), max_length=10)
    scope_kind = models.CharField(_("scope"), max_length=20, choices=ScopeKind.choices)
    scope_key = models.CharField(_("scope key"), max_length=60, editable=False)
    township = models.ForeignKey(
        Township,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("township"),
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )
    version = models.PositiveSmallIntegerField(_("version"))
    document_number = models.CharField(_("document number"), max_length=40)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    sections_total = models.PositiveSmallIntegerField(_("sections"), default=0)
    sections_done = models.PositiveSmallIntegerField(_("sections built"), default=0)
    error = models.TextField(_("error"), blank=True)
    pdf = models.FileField(_("PDF"), upload_to=report_upload_to, max_length=200, blank=True)
    pdf_sha256 = models.CharField(_("PDF SHA-256"), max_length=64, blank=True)
    xlsx = models.FileField(_("Excel"), upload_to=report_upload_to, max_length=200, blank=True)
    xlsx_sha256 = models.CharField(_("Excel SHA-256"), max_length=64, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    built_at = models.DateTimeField(_("built at"), null=True, blank=True)
    downloads = models.PositiveIntegerField(_("downloads"), default=0)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "period", "scope_key", "version"], name="report_one_version_number"
            ),
            models.CheckConstraint(
                name="report_scope_unit",
                condition=(
                    Q(scope_kind="county", township__isnull=True, department__isnull=True)
                    | Q(scope_kind="township", township__isnull=False, department__isnull=True)
                    | Q(scope_kind="department", township__isnull=True, department__isnull=False)
                ),
            ),
        ]
        indexes = [models.Index(fields=["status", "started_at"], name="report_status_started")]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"

    def get_absolute_url(self) -> str:
        return reverse("campaigns:report", args=[self.pk])

    @property
    def scope_label(self) -> str:
        if self.township_id:
            return self.township.name
        if self.department_id:
            return self.department.name
        return "黟县"

    @property
    def period_label(self) -> str:
        if self.kind == self.Kind.FINAL:
            return "2024—2026 年"
        year, quarter = self.period.split("-Q")
        return f"{year} 年第{'一二三四'[int(quarter) - 1]}季度"

    @property
    def title(self) -> str:
        """The report's Chinese title, e.g. 黟县安全生产治本攻坚三年行动 2026 年第三季度工作进展报告."""
        if self.kind == self.Kind.FINAL:
            return f"{self.scope_label}安全生产治本攻坚三年行动总结评估报告"
        return f"{self.scope_label}安全生产治本攻坚三年行动{self.period_label}工作进展报告"

    def file_name(self, ext: str) -> str:
        return f"{self.title}-v{self.version}.{ext}"

    def ascii_name(self, ext: str) -> str:
        scope = self.scope_key.replace(":", "-")
        return f"report-{self.period}-{scope}-v{self.version}.{ext}"


# --- 制度成果: the evaluation phase's institutional outcomes ------------------------------------


def outcome_upload_to(instance: Outcome, filename: str) -> str:
    return f"outcomes/{instance.adopted_on:%Y}/{filename}"


class Outcome(UnitOwned):
    """A 制度成果 of the campaign (实施方案 三、实施步骤（四）总结评估阶段): a rule, mechanism or
    standard a unit adopted — title, unit, date, the document, one line of what it fixes."""

    title = models.CharField(_("title"), max_length=200)
    adopted_on = models.DateField(_("adopted on"))
    fixes = models.CharField(_("what it fixes"), max_length=200)
    document = models.FileField(
        _("document"), upload_to=outcome_upload_to, max_length=200, blank=True
    )
    document_name = models.CharField(_("document name"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = UnitOwnedQuerySet.as_manager()

    class Meta(UnitOwned.Meta):
        ordering = ["-adopted_on", "-pk"]
        verbose_name = _("institutional outcome")
        verbose_name_plural = _("institutional outcomes")

    def __str__(self) -> str:
        return self.title
