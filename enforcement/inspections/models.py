"""Enforcement itself (source: 实施方案 action (七) tasks 26–28; 主要任务 "双下降").

- :class:`Inspection` — 执法检查 of one enterprise by a department's inspectors: method, date,
  findings; hazards it raised go into the ledger (source 督导检查发现) and are linked back.
- :class:`Draw` — 双随机一公开 (task 26): N enterprises from a filtered pool and M inspectors
  from a department's roster, reproducible from the stored seed, frozen pool, frozen roster and
  frozen conflict ties; it creates the planned inspections; its published result has a public
  page without personal data.
- :class:`ConflictTie` — a recorded conflict of interest between an inspector or an expert and
  an enterprise: the pair is never drawn or assigned together.
- :class:`EnforcementAction` — 行政处罚 and related measures with amounts in 元 (Decimal,
  bounded), legal basis, 决定书 number and date, the linked inspection and hazards, and the
  referral for prosecution (行刑衔接).
- :class:`Expert` — 专家库 (task 28): specialities, sectors, employer (a conflict tie),
  availability.
- :class:`Accident` — 生产安全事故 with the grade derived from deaths, serious injuries and
  direct loss (《生产安全事故报告和调查处理条例》 art. 3), for the "双下降" target.

Every reachable model has ``visible_to(user)``, built on :func:`campaigns.org.scoping.scope_for`.
"""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal
from urllib.parse import urlencode

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from campaigns.models import Department, Sector, Township
from campaigns.org.scoping import scope_for
from hazards.models import Enterprise, Hazard

from ..constants import ACCIDENT_GRADE_THRESHOLDS, AMOUNT_MAX, AMOUNT_MIN

AMOUNT_VALIDATORS = [MinValueValidator(Decimal(AMOUNT_MIN)), MaxValueValidator(Decimal(AMOUNT_MAX))]


def _amount(verbose_name, **kwargs) -> models.DecimalField:
    """An amount in 元, two decimals, within [AMOUNT_MIN, AMOUNT_MAX]."""
    return models.DecimalField(
        verbose_name, max_digits=11, decimal_places=2, validators=AMOUNT_VALIDATORS, **kwargs
    )


def _amount_check(field: str, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}__isnull": True})
        | Q(**{f"{field}__gte": Decimal(AMOUNT_MIN), f"{field}__lte": Decimal(AMOUNT_MAX)}),
        name=name,
    )


def _enterprise_scope_q(user, prefix: str = "enterprise") -> Q | None:
    """Q over records of an enterprise the user may see, plus records of the user's department
    (``department``); None = everything."""
    scope = scope_for(user)
    if scope.everything:
        return None
    if scope.nothing:
        return Q(pk__in=[])
    q = Q(**{f"{prefix}__in": Enterprise.objects.visible_to(user)})
    if scope.department_ids:
        q |= Q(department_id__in=scope.department_ids)
    return q


# ---------------------------------------------------------------------------------------------
# Inspections (执法检查)


class Method(models.TextChoices):
    """How an inspection is carried out (task 26)."""

    UNANNOUNCED = "unannounced", _("four-no two-direct (unannounced)")
    OPEN_OR_COVERT = "open_or_covert", _("open and covert visits")
    DOUBLE_RANDOM = "double_random", _("double-random")
    SPECIAL = "special", _("special inspection")
    ONLINE = "online", _("internet+ online inspection")


class InspectionQuerySet(models.QuerySet):
    def visible_to(self, user) -> InspectionQuerySet:
        """Office/admin: all; department staff: their department's inspections and those of
        enterprises they may see; township officials: inspections of their enterprises."""
        q = _enterprise_scope_q(user)
        return self.all() if q is None else self.filter(q)

    def done(self) -> InspectionQuerySet:
        return self.filter(status=Inspection.Status.DONE)

    def with_findings(self) -> InspectionQuerySet:
        return self.done().filter(has_findings=True)

    def zero_penalty(self) -> InspectionQuerySet:
        """零处罚: carried out, with findings, and no enforcement action recorded."""
        return self.with_findings().exclude(
            Exists(EnforcementAction.objects.filter(inspection=OuterRef("pk")))
        )

    def overdue_planned(self, today: datetime.date) -> InspectionQuerySet:
        return self.filter(status=Inspection.Status.PLANNED, inspected_on__lt=today)

    def for_list(self) -> InspectionQuerySet:
        return self.select_related("department", "enterprise__township", "draw").prefetch_related(
            "inspectors"
        )


class Inspection(models.Model):
    """执法检查 of one enterprise by ``inspectors`` (users of ``department``) on ``inspected_on``
    (the planned date while ``planned``). Done with or without findings: an inspection without
    findings is still a record. ``hazards``: ledger hazards it raised (source 督导检查发现)."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        DONE = "done", _("carried out")
        CANCELLED = "cancelled", _("cancelled")

    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="+", verbose_name=_("department")
    )
    inspectors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="inspections", verbose_name=_("inspectors")
    )
    enterprise = models.ForeignKey(
        Enterprise,
        on_delete=models.PROTECT,
        related_name="inspections",
        verbose_name=_("enterprise"),
    )
    inspected_on = models.DateField(_("inspection date"))
    method = models.CharField(_("method"), max_length=30, choices=Method.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DONE
    )
    has_findings = models.BooleanField(_("problems found"), default=False)
    findings = models.TextField(_("findings"), blank=True)
    draw = models.ForeignKey(
        "Draw",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inspections",
        verbose_name=_("double-random draw"),
    )
    experts = models.ManyToManyField(
        "Expert", blank=True, related_name="inspections", verbose_name=_("experts")
    )
    hazards = models.ManyToManyField(
        Hazard, blank=True, related_name="inspections", verbose_name=_("hazards raised")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = InspectionQuerySet.as_manager()

    class Meta:
        ordering = ["-inspected_on", "-pk"]
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        permissions = [("export_inspection", _("Can export enforcement lists"))]

    def __str__(self) -> str:
        return f"{self.inspected_on:%Y-%m-%d} {self.enterprise}"

    def get_absolute_url(self) -> str:
        return reverse("enforcement:inspection_detail", args=[self.pk])


# ---------------------------------------------------------------------------------------------
# Conflict-of-interest ties, experts


class ExpertQuerySet(models.QuerySet):
    def visible_to(self, user) -> ExpertQuerySet:
        """The pool is county-wide: every user with a scope sees it."""
        return self.none() if scope_for(user).nothing else self.all()

    def available(self) -> ExpertQuerySet:
        return self.filter(available=True)


class Expert(models.Model):
    """专家库 member (task 28): specialities, sectors, employer (``employer`` is a conflict tie
    with that enterprise), availability."""

    name = models.CharField(_("name"), max_length=40)
    title = models.CharField(_("professional title"), max_length=60, blank=True)
    specialities = models.CharField(_("specialities"), max_length=200)
    sectors = models.ManyToManyField(Sector, related_name="experts", verbose_name=_("sectors"))
    employer = models.ForeignKey(
        Enterprise,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("employer (enterprise)"),
    )
    employer_name = models.CharField(_("employer"), max_length=120, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    available = models.BooleanField(_("available"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ExpertQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("expert")
        verbose_name_plural = _("experts")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("enforcement:expert_list") + "?" + urlencode({"name": self.name})


class ConflictTieQuerySet(models.QuerySet):
    def visible_to(self, user) -> ConflictTieQuerySet:
        """Ties of enterprises the user may see (and of the user's department's inspectors)."""
        scope = scope_for(user)
        if scope.everything:
            return self.all()
        if scope.nothing:
            return self.none()
        q = Q(enterprise__in=Enterprise.objects.visible_to(user))
        if scope.department_ids:
            q |= Q(person__department_id__in=scope.department_ids)
        return self.filter(q)


class ConflictTie(models.Model):
    """A recorded conflict of interest (回避): ``person`` (an inspector) or ``expert`` is tied to
    ``enterprise`` (kin, former employer, shareholding …) and is never drawn or assigned to
    inspect it."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="conflict_ties",
        verbose_name=_("inspector"),
    )
    expert = models.ForeignKey(
        Expert,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="ties",
        verbose_name=_("expert"),
    )
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="+", verbose_name=_("enterprise")
    )
    reason = models.CharField(_("reason"), max_length=200)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = ConflictTieQuerySet.as_manager()

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        verbose_name = _("conflict-of-interest tie")
        verbose_name_plural = _("conflict-of-interest ties")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(person__isnull=False, expert__isnull=True)
                    | Q(person__isnull=True, expert__isnull=False)
                ),
                name="tie_person_xor_expert",
            ),
            models.UniqueConstraint(fields=["person", "enterprise"], name="one_tie_per_person"),
            models.UniqueConstraint(fields=["expert", "enterprise"], name="one_tie_per_expert"),
        ]

    def __str__(self) -> str:
        return f"{self.person or self.expert} ↔ {self.enterprise}"


# ---------------------------------------------------------------------------------------------
# Double-random draws (双随机一公开)


class RiskFilter(models.TextChoices):
    ALL = "all", _("all enterprises")
    HIGH = "high", _("high-risk sectors only")
    OTHER = "other", _("other sectors only")


class DrawQuerySet(models.QuerySet):
    def visible_to(self, user) -> DrawQuerySet:
        """Office/admin: all; department staff: their department's draws; township
        officials: draws that picked one of their enterprises."""
        scope = scope_for(user)
        if scope.everything:
            return self.all()
        if scope.nothing:
            return self.none()
        q = Q(department_id__in=scope.department_ids)
        if scope.township_ids:
            q |= Q(
                Exists(
                    Inspection.objects.filter(
                        draw=OuterRef("pk"), enterprise__township_id__in=scope.township_ids
                    )
                )
            )
        return self.filter(q)


class Draw(models.Model):
    """One 双随机 draw (task 26). The inputs are frozen when drawn: ``pool_ids`` (the enterprise
    ids matching the filters, sorted), ``roster_ids`` (the department's inspectors, sorted),
    ``excluded_pairs`` ([inspector id, enterprise id] ties at that moment) and ``seed``; the
    result (``result``: [{"enterprise": id, "inspectors": [ids]}] in draw order) is what
    :func:`enforcement.inspections.services.draw_compute` gives for them, so ``replay`` recomputes
    it with ``random.Random(seed)``. Publishing (公开) gives it a public page."""

    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="+", verbose_name=_("department")
    )
    title = models.CharField(_("title"), max_length=120)
    township = models.ForeignKey(
        Township,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("township filter"),
    )
    sector = models.ForeignKey(
        Sector,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sector filter"),
    )
    risk = models.CharField(
        _("risk filter"), max_length=10, choices=RiskFilter.choices, default=RiskFilter.ALL
    )
    enterprise_count = models.PositiveSmallIntegerField(_("enterprises to draw"))
    inspector_count = models.PositiveSmallIntegerField(_("inspectors per enterprise"))
    method = models.CharField(
        _("method"), max_length=30, choices=Method.choices, default=Method.DOUBLE_RANDOM
    )
    planned_on = models.DateField(_("planned inspection date"))
    seed = models.BigIntegerField(_("random seed"))
    pool_ids = models.JSONField(_("enterprise pool (ids)"), default=list)
    roster_ids = models.JSONField(_("inspector roster (ids)"), default=list)
    excluded_pairs = models.JSONField(_("excluded pairs (conflict ties)"), default=list)
    result = models.JSONField(_("result"), default=list)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("drawn by"),
    )
    drawn_at = models.DateTimeField(_("drawn at"), auto_now_add=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    public_slug = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    objects = DrawQuerySet.as_manager()

    class Meta:
        ordering = ["-drawn_at", "-pk"]
        verbose_name = _("double-random draw")
        verbose_name_plural = _("double-random draws")
        constraints = [
            models.CheckConstraint(
                condition=Q(enterprise_count__gte=1, inspector_count__gte=1),
                name="draw_counts_positive",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("enforcement:draw_detail", args=[self.pk])

    def public_url(self) -> str:
        return (
            reverse("enforcement:draw_public", args=[self.public_slug]) if self.public_slug else ""
        )

    @staticmethod
    def new_public_slug() -> uuid.UUID:
        return uuid.uuid4()


# ---------------------------------------------------------------------------------------------
# Enforcement actions (行政处罚等)


class ActionKind(models.TextChoices):
    WARNING = "warning", _("warning")
    FINE = "fine", _("fine")
    CONFISCATION = "confiscation", _("confiscation of illegal gains")
    SUSPENSION = "suspension", _("order to suspend production for rectification")
    CLOSURE = "closure", _("closure and ban")
    MAXIMUM_FINE = "maximum_fine", _("maximum-limit penalty")
    JOINT_PUNISHMENT = "joint_punishment", _("joint punishment for dishonesty")
    DOUBLE_PENALTY = "double_penalty", _("one case, two penalties")


# Which amounts each kind needs (the service checks; the others must stay empty).
KIND_NEEDS_FINE = {ActionKind.FINE, ActionKind.MAXIMUM_FINE, ActionKind.DOUBLE_PENALTY}
KIND_NEEDS_PERSON_FINE = {ActionKind.DOUBLE_PENALTY}
KIND_NEEDS_CONFISCATION = {ActionKind.CONFISCATION}


class EnforcementActionQuerySet(models.QuerySet):
    def visible_to(self, user) -> EnforcementActionQuerySet:
        """As inspections: own department's actions and actions on enterprises in scope."""
        q = _enterprise_scope_q(user)
        return self.all() if q is None else self.filter(q)

    def for_list(self) -> EnforcementActionQuerySet:
        return self.select_related("department", "enterprise__township", "inspection__enterprise")


class EnforcementAction(models.Model):
    """A 行政处罚 (or related measure) decided by ``department`` against ``enterprise``:
    ``fine_amount`` on the enterprise, and for 一案双罚 ``person_fine_amount`` on
    ``responsible_person`` too; ``confiscated_amount`` for 没收违法所得 — all in 元, Decimal,
    within [0.01, 100,000,000]. ``decision_number`` (处罚决定书文号) is unique. A referral for
    prosecution (行刑衔接) is recorded with its date."""

    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="+", verbose_name=_("department")
    )
    enterprise = models.ForeignKey(
        Enterprise,
        on_delete=models.PROTECT,
        related_name="enforcement_actions",
        verbose_name=_("enterprise"),
    )
    inspection = models.ForeignKey(
        Inspection,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name=_("inspection"),
    )
    hazards = models.ManyToManyField(
        Hazard, blank=True, related_name="enforcement_actions", verbose_name=_("hazards")
    )
    kind = models.CharField(_("measure"), max_length=30, choices=ActionKind.choices)
    fine_amount = _amount(_("fine on the enterprise (yuan)"), null=True, blank=True)
    responsible_person = models.CharField(_("responsible person"), max_length=40, blank=True)
    person_fine_amount = _amount(_("fine on the responsible person (yuan)"), null=True, blank=True)
    confiscated_amount = _amount(_("illegal gains confiscated (yuan)"), null=True, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    decision_number = models.CharField(_("decision number"), max_length=60, unique=True)
    decided_on = models.DateField(_("decision date"))
    facts = models.TextField(_("facts"), blank=True)
    referred_for_prosecution = models.BooleanField(_("referred for prosecution"), default=False)
    referred_on = models.DateField(_("referred on"), null=True, blank=True)
    referral_note = models.CharField(_("referral note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = EnforcementActionQuerySet.as_manager()

    class Meta:
        ordering = ["-decided_on", "-pk"]
        verbose_name = _("enforcement action")
        verbose_name_plural = _("enforcement actions")
        constraints = [
            _amount_check("fine_amount", "action_fine_bounds"),
            _amount_check("person_fine_amount", "action_person_fine_bounds"),
            _amount_check("confiscated_amount", "action_confiscated_bounds"),
            models.CheckConstraint(
                condition=Q(referred_for_prosecution=False) | Q(referred_on__isnull=False),
                name="action_referral_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.decision_number} {self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        return reverse("enforcement:action_detail", args=[self.pk])

    @property
    def total_fines(self) -> Decimal:
        return (self.fine_amount or Decimal(0)) + (self.person_fine_amount or Decimal(0))


# ---------------------------------------------------------------------------------------------
# Accidents (生产安全事故)


class AccidentGrade(models.TextChoices):
    ORDINARY = "ordinary", _("ordinary accident")
    RELATIVELY_LARGE = "relatively_large", _("relatively large accident")
    MAJOR = "major", _("major accident")
    ESPECIALLY_MAJOR = "especially_major", _("especially major accident")


def accident_grade(deaths: int, serious_injuries: int, direct_loss: Decimal) -> str:
    """The grade by 《生产安全事故报告和调查处理条例》 art. 3: the most serious grade any of the
    three figures reaches (direct loss in 元)."""
    for grade, d, s, loss in ACCIDENT_GRADE_THRESHOLDS:
        if deaths >= d or serious_injuries >= s or direct_loss >= loss:
            return grade
    return AccidentGrade.ORDINARY


class AccidentQuerySet(models.QuerySet):
    def visible_to(self, user) -> AccidentQuerySet:
        """Township officials: accidents in their township; department staff: in sectors they
        lead; office/admin: all."""
        scope = scope_for(user)
        if scope.everything:
            return self.all()
        if scope.nothing:
            return self.none()
        return self.filter(
            Q(township_id__in=scope.township_ids) | Q(sector_id__in=scope.sector_ids)
        )

    def for_list(self) -> AccidentQuerySet:
        return self.select_related("enterprise", "township", "sector")


class Accident(models.Model):
    """生产安全事故: when, where (township, sector, enterprise if any), deaths, serious injuries,
    direct economic loss (元, Decimal), the grade derived from them, investigation status and
    report. Counted per year for the "双下降" target (accidents and deaths both down)."""

    class Investigation(models.TextChoices):
        INVESTIGATING = "investigating", _("under investigation")
        CLOSED = "closed", _("investigation closed")

    occurred_on = models.DateField(_("date of the accident"))
    enterprise = models.ForeignKey(
        Enterprise,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="accidents",
        verbose_name=_("enterprise"),
    )
    township = models.ForeignKey(
        Township, on_delete=models.PROTECT, related_name="+", verbose_name=_("township")
    )
    sector = models.ForeignKey(
        Sector, on_delete=models.PROTECT, related_name="+", verbose_name=_("sector")
    )
    summary = models.CharField(_("summary"), max_length=200)
    deaths = models.PositiveSmallIntegerField(
        _("deaths"), default=0, validators=[MaxValueValidator(10000)]
    )
    serious_injuries = models.PositiveSmallIntegerField(
        _("serious injuries"), default=0, validators=[MaxValueValidator(10000)]
    )
    direct_loss = models.DecimalField(
        _("direct economic loss (yuan)"),
        max_digits=13,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("10000000000"))],
    )
    grade = models.CharField(_("grade"), max_length=30, choices=AccidentGrade.choices)
    investigation_status = models.CharField(
        _("investigation"),
        max_length=20,
        choices=Investigation.choices,
        default=Investigation.INVESTIGATING,
    )
    report = models.TextField(_("investigation report"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = AccidentQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_on", "-pk"]
        verbose_name = _("accident")
        verbose_name_plural = _("accidents")
        constraints = [
            models.CheckConstraint(
                condition=Q(direct_loss__gte=0, direct_loss__lte=Decimal("10000000000")),
                name="accident_loss_bounds",
            )
        ]

    def __str__(self) -> str:
        return f"{self.occurred_on:%Y-%m-%d} {self.summary}"

    def get_absolute_url(self) -> str:
        return reverse("enforcement:accident_detail", args=[self.pk])


__all__ = [
    "Accident",
    "AccidentGrade",
    "ActionKind",
    "ConflictTie",
    "Draw",
    "EnforcementAction",
    "Expert",
    "Inspection",
    "Method",
    "RiskFilter",
    "accident_grade",
]
