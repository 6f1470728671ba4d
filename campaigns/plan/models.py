"""The campaign plan as data: campaign, phases, actions, tasks, milestones, obligations.

Source: 《黟县安全生产治本攻坚三年行动实施方案（2024—2026 年）》 (黟安〔2024〕3 号), loaded from
``campaigns/data/plan.yaml`` by ``manage.py load_plan``.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from campaigns.constants import Frequency
from campaigns.org.models import Department, Sector


class CampaignQuerySet(models.QuerySet):
    def started(self, on: datetime.date) -> CampaignQuerySet:
        """Campaigns whose first day is on or before ``on`` (Asia/Shanghai date)."""
        return self.filter(starts_on__lte=on)


class Campaign(models.Model):
    """A campaign loaded from its own plan file: the three-year campaign (2024-01-01 …
    2026-12-31) and any later plan or annual work points (安全生产工作要点) beside it.

    ``slug``: the stable key used in URLs (``?campaign=2024-2026``) and by ``load_plan``.
    A campaign is *ended* (archive, read-only) on every day after ``ends_on``; the day itself
    still takes writes (总结评估 reports until the last day inclusive).
    """

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=40, unique=True)
    document_number = models.CharField(_("document number"), max_length=40, blank=True)
    issued_by = models.CharField(_("issued by"), max_length=60, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    contact = models.CharField(_("contact"), max_length=200, blank=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "pk"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        constraints = [
            models.CheckConstraint(
                name="campaign_dates_ordered", condition=Q(starts_on__lte=models.F("ends_on"))
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("campaigns:overview") + f"?campaign={self.slug}"

    def ended_on(self, today: datetime.date) -> bool:
        """True on every day after the last one (``today`` an Asia/Shanghai date)."""
        return today > self.ends_on

    def started_on(self, today: datetime.date) -> bool:
        return today >= self.starts_on


class PhaseQuerySet(models.QuerySet):
    def current(self, on: datetime.date) -> Phase | None:
        """The phase whose date range contains ``on`` (Asia/Shanghai date), else ``None``."""
        return self.filter(starts_on__lte=on, ends_on__gte=on).first()


class Phase(models.Model):
    """A phase of a campaign (source: 三、进度安排). Dates inclusive, Asia/Shanghai.

    ``code``: a free slug, unique within its campaign; the four phases of the 2024–2026 plan
    (:class:`Code`) keep their labels, another plan's phases are shown by ``name``.
    """

    class Code(models.TextChoices):
        MOBILIZATION = "mobilization", _("mobilization")
        SPECIAL_RECTIFICATION = "special_rectification", _("special rectification")
        CONSOLIDATION = "consolidation", _("consolidation")
        EVALUATION = "evaluation", _("evaluation")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="phases")
    code = models.SlugField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=40)
    order = models.PositiveSmallIntegerField(_("order"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    requirements = models.TextField(_("requirements"))
    note = models.TextField(_("note"), blank=True)

    objects = PhaseQuerySet.as_manager()

    class Meta:
        ordering = ["campaign", "order"]
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        constraints = [
            models.CheckConstraint(
                name="phase_dates_ordered", condition=Q(starts_on__lte=models.F("ends_on"))
            ),
            models.UniqueConstraint(fields=["campaign", "code"], name="phase_code_per_campaign"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_code_display(self) -> str:
        """The known phases' label, else the phase's own name (another plan's phase)."""
        try:
            return str(self.Code(self.code).label)
        except ValueError:
            return self.name


class Action(models.Model):
    """An action of a campaign (the 2024–2026 plan's 八大行动 are numbered 1…8, 一…八 in the
    plan; another plan may have any number). ``number`` is unique within its campaign."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="actions")
    number = models.PositiveSmallIntegerField(_("number"))
    numeral = models.CharField(_("numeral"), max_length=4)
    title = models.CharField(_("title"), max_length=100)

    class Meta:
        ordering = ["campaign", "number"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "number"], name="action_number_per_campaign"
            )
        ]

    def __str__(self) -> str:
        return f"（{self.numeral}）{self.title}"

    def get_absolute_url(self) -> str:
        return reverse("campaigns:action", args=[self.number]) + f"?campaign={self.campaign_id}"


class TaskQuerySet(models.QuerySet):
    def with_plan_relations(self) -> TaskQuerySet:
        """Everything a task page or the API shows, in a fixed number of queries."""
        return self.select_related("action", "campaign").prefetch_related(
            "lead_departments",
            "participating_departments",
            "sectors",
            "milestones",
            "obligations",
        )


class Task(models.Model):
    """A task of a campaign (the 2024–2026 plan's 30), numbered continuously across actions.

    ``text``: the task's full text exactly as in the plan, source line breaks removed.
    ``campaign``: always its action's campaign (set by the loader), kept on the task so that
    numbers are unique per campaign and lists filter without a join.
    """

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("campaign")
    )
    action = models.ForeignKey(
        Action, on_delete=models.PROTECT, related_name="tasks", verbose_name=_("action")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=100)
    text = models.TextField(_("text"))
    lead_departments = models.ManyToManyField(
        Department, related_name="led_tasks", blank=True, verbose_name=_("lead departments")
    )
    participating_departments = models.ManyToManyField(
        Department,
        related_name="participating_tasks",
        blank=True,
        verbose_name=_("participating departments"),
    )
    sectors = models.ManyToManyField(
        Sector, related_name="tasks", blank=True, verbose_name=_("sectors")
    )

    objects = TaskQuerySet.as_manager()

    class Meta:
        ordering = ["campaign", "number"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "number"], name="task_number_per_campaign")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("campaigns:task", args=[self.number]) + f"?campaign={self.campaign_id}"


class MilestoneQuerySet(models.QuerySet):
    def due_between(self, start: datetime.date, end: datetime.date) -> MilestoneQuerySet:
        return self.filter(due_on__gte=start, due_on__lte=end)


class Milestone(models.Model):
    """A dated commitment in the plan (时间节点), e.g. task 16 "2024 年底前完善数据库运行管理机制".

    ``due_on``: date, Asia/Shanghai ("2024 年底前" → 2024-12-31). ``task`` is empty for the
    campaign-wide targets of 主要任务 and the phase deadlines. ``quote``: the plan's own words.
    """

    class Kind(models.TextChoices):
        DELIVERABLE = "deliverable", _("deliverable")
        TARGET = "target", _("campaign target")
        TRAINING_FOCUS = "training_focus", _("training focus")
        PHASE_DEADLINE = "phase_deadline", _("phase deadline")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="milestones")
    task = models.ForeignKey(
        Task,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="milestones",
        verbose_name=_("task"),
    )
    code = models.SlugField(_("code"), max_length=60)
    title = models.CharField(_("title"), max_length=200)
    due_on = models.DateField(_("due on"))
    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.DELIVERABLE
    )
    quote = models.TextField(_("quote from the plan"))

    objects = MilestoneQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "code"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "code"], name="milestone_code_per_campaign")
        ]

    def __str__(self) -> str:
        return f"{self.due_on:%Y-%m-%d} {self.title}"


class Obligation(models.Model):
    """A recurring duty with a frequency (频次要求), e.g. task 3 principal-led inspections.

    ``frequency`` applies to everyone; ``high_risk_frequency`` (if set) replaces it in
    high-risk sectors. ``minimum_count``: times per period.
    """

    class Subject(models.TextChoices):
        ENTERPRISE = "enterprise", _("enterprise")
        DEPARTMENT = "department", _("department")
        TOWNSHIP = "township", _("township")
        SAFETY_OFFICE = "safety_office", _("safety office")
        COUNTY_GOVERNMENT = "county_government", _("county government")

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="obligations", verbose_name=_("campaign")
    )
    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, related_name="obligations", verbose_name=_("task")
    )
    code = models.SlugField(_("code"), max_length=60)
    title = models.CharField(_("title"), max_length=200)
    frequency = models.CharField(_("frequency"), max_length=20, choices=Frequency.choices)
    high_risk_frequency = models.CharField(
        _("frequency in high-risk sectors"), max_length=20, choices=Frequency.choices, blank=True
    )
    minimum_count = models.PositiveSmallIntegerField(_("minimum count per period"), default=1)
    subject = models.CharField(_("who must do it"), max_length=30, choices=Subject.choices)
    quote = models.TextField(_("quote from the plan"))

    class Meta:
        ordering = ["task__number", "code"]
        verbose_name = _("obligation")
        verbose_name_plural = _("obligations")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "code"], name="obligation_code_per_campaign"
            )
        ]

    def __str__(self) -> str:
        return self.title
