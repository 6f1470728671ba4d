"""Sub-plans (子实施方案) of townships and departments, their versions and review events.

Source: 实施方案 三、进度安排（一）动员部署阶段 ("3月15日前将各自方案报县安委会办公室") and
保障措施（二） (departments' sector sub-plans).
"""

from __future__ import annotations

import datetime

import django_fsm
from django.conf import settings
from django.db import models
from django.db.models import Case, DateField, F, IntegerField, Q, Value, When
from django.db.models.functions import Greatest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from campaigns.org.models import Sector, UnitOwned, UnitOwnedQuerySet
from campaigns.plan.models import Campaign, Task
from yixian_safety.db import DaysBetween


class SubPlanQuerySet(UnitOwnedQuerySet):
    def with_days_late(self, today: datetime.date) -> SubPlanQuerySet:
        """Annotate ``days_late``: days between the due date and the first submission (or
        ``today`` while never submitted); 0 when on time."""
        return self.annotate(
            days_late=Greatest(
                Case(
                    When(
                        first_submitted_on__isnull=False,
                        then=DaysBetween(F("first_submitted_on"), F("due_on")),
                    ),
                    default=DaysBetween(Value(today, output_field=DateField()), F("due_on")),
                    output_field=IntegerField(),
                ),
                Value(0),
            )
        )


class SubPlan(UnitOwned):
    """A unit's sub-plan for the campaign (``sector`` empty) or for one sector it leads.

    ``due_on``: the plan's phase deadline (2024-03-15) when created; submissions after it are
    marked late (``first_submitted_on`` > ``due_on``), never refused. ``status`` changes only
    through :mod:`campaigns.subplans.services` (django-fsm, protected).

    Revision (修订): an approved sub-plan may be revised — a new version goes through review
    again (``revision_submitted`` → returned / resubmitted → approved) while
    ``approved_version``, the version last approved, stays in force until the revision is
    approved.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        RETURNED = "returned", _("returned for revision")
        RESUBMITTED = "resubmitted", _("resubmitted")
        APPROVED = "approved", _("approved")
        REVISION_SUBMITTED = "revision_submitted", _("revision under review")

    UNDER_REVIEW = (Status.SUBMITTED, Status.RESUBMITTED, Status.REVISION_SUBMITTED)

    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="sub_plans", verbose_name=_("campaign")
    )
    sector = models.ForeignKey(
        Sector,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sub_plans",
        verbose_name=_("sector"),
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"))
    tasks = models.ManyToManyField(
        Task, blank=True, related_name="sub_plans", verbose_name=_("tasks covered")
    )
    contact_name = models.CharField(_("contact person"), max_length=40)
    contact_phone = models.CharField(_("contact phone"), max_length=30)
    status = django_fsm.FSMField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, protected=True
    )
    due_on = models.DateField(_("due on"))
    first_submitted_on = models.DateField(_("first submitted on"), null=True, blank=True)
    approved_version = models.ForeignKey(
        "SubPlanVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("version in force"),
        help_text=_("The version last approved; it stays in force while a revision is reviewed."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = SubPlanQuerySet.as_manager()

    class Meta:
        ordering = ["township__order", "department__order", "sector__order", "pk"]
        verbose_name = _("sub-plan")
        verbose_name_plural = _("sub-plans")
        permissions = [("review_subplan", "Can return or approve sub-plans")]
        constraints = UnitOwned.Meta.constraints + [
            models.UniqueConstraint(
                fields=["campaign", "township", "department", "sector"],
                nulls_distinct=False,
                name="subplan_one_per_unit_sector",
            ),
            models.CheckConstraint(
                name="subplan_sector_only_for_departments",
                condition=Q(sector__isnull=True) | Q(department__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("campaigns:subplan", args=[self.pk])

    @property
    def is_late(self) -> bool:
        return self.first_submitted_on is not None and self.first_submitted_on > self.due_on

    def days_late_on(self, today: datetime.date) -> int:
        """Days late as of ``today`` (0 when on time or not yet due)."""
        day = self.first_submitted_on or today
        return max(0, (day - self.due_on).days)

    # The one transition table (source → target). Services check rights and record events.
    @django_fsm.transition(field=status, source=Status.DRAFT, target=Status.SUBMITTED)
    def submit(self) -> None:
        pass

    @django_fsm.transition(field=status, source=Status.RETURNED, target=Status.RESUBMITTED)
    def resubmit(self) -> None:
        pass

    @django_fsm.transition(field=status, source=Status.APPROVED, target=Status.REVISION_SUBMITTED)
    def revise(self) -> None:
        pass

    @django_fsm.transition(field=status, source=list(UNDER_REVIEW), target=Status.RETURNED)
    def return_for_revision(self) -> None:
        pass

    @django_fsm.transition(field=status, source=list(UNDER_REVIEW), target=Status.APPROVED)
    def approve(self) -> None:
        pass

    @property
    def under_review(self) -> bool:
        return self.status in self.UNDER_REVIEW


def subplan_upload_to(instance: SubPlanVersion, filename: str) -> str:
    # The stored name is ours (no user-controlled path parts); the original name is kept apart.
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"subplans/{instance.sub_plan_id}/v{instance.number}.{ext}"


class SubPlanVersion(models.Model):
    """One uploaded document of a sub-plan. Never overwritten: every upload is a new row and
    file. ``kind``: pdf / doc (OLE2: .doc or WPS .wps) / docx, detected from the content."""

    sub_plan = models.ForeignKey(
        SubPlan, on_delete=models.CASCADE, related_name="versions", verbose_name=_("sub-plan")
    )
    number = models.PositiveSmallIntegerField(_("version"))
    file = models.FileField(_("document"), upload_to=subplan_upload_to, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    kind = models.CharField(_("document type"), max_length=10)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    note = models.CharField(_("note"), max_length=500, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["sub_plan", "number"]
        verbose_name = _("sub-plan version")
        verbose_name_plural = _("sub-plan versions")
        constraints = [
            models.UniqueConstraint(
                fields=["sub_plan", "number"], name="subplanversion_unique_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.sub_plan} v{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("campaigns:subplan_version_download", args=[self.sub_plan_id, self.number])


class SubPlanEvent(models.Model):
    """Who did what to a sub-plan, when and why (the office's comments when returning)."""

    class Action(models.TextChoices):
        CREATED = "created", _("created")
        VERSION_ADDED = "version_added", _("new version uploaded")
        SUBMITTED = "submitted", _("submitted")
        RESUBMITTED = "resubmitted", _("resubmitted")
        RETURNED = "returned", _("returned for revision")
        APPROVED = "approved", _("approved")
        REVISED = "revised", _("revision filed")

    sub_plan = models.ForeignKey(
        SubPlan, on_delete=models.CASCADE, related_name="events", verbose_name=_("sub-plan")
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    from_status = models.CharField(_("from status"), max_length=20, blank=True)
    to_status = models.CharField(_("to status"), max_length=20, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    version = models.ForeignKey(
        SubPlanVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("version"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("sub-plan event")
        verbose_name_plural = _("sub-plan events")

    def __str__(self) -> str:
        return f"{self.sub_plan} {self.action}"
