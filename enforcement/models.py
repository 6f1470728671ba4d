"""Supervision of major hazards and the escalation ladder (source: 实施方案 tasks 5, 15, 16, 26).

- :class:`Listing` — 挂牌督办 of one hazard by the county government or the safety office, with a
  numbered listing notice (督办通知书) and, at the end, delisting (摘牌) with its own notice.
- :class:`ListingProgressReport` — the quarterly progress report of a listed hazard; a past
  quarter of a listing's life without one is *missed* (computed, never stored).
- :class:`ExtensionRequest` — 延期: the only way a rectification deadline moves once set.
- :class:`EscalationRule` / :class:`EscalationStep` — 函告 / 通报 / 约谈 / 曝光, proposed by the
  rules, approved or dismissed by the safety office.

Every reachable model has ``visible_to(user)`` on its QuerySet, built on
:func:`campaigns.scoping.scope_for` through the hazard ledger's own scoping.
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Count, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, ExtractQuarter, ExtractYear, Greatest, Least
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from campaigns.models import Department, Township
from campaigns.org.scoping import scope_for
from hazards.models import Enterprise, Hazard
from yixian_safety.periods import quarter_index, quarter_of_index

# ---------------------------------------------------------------------------------------------
# Listed supervision (挂牌督办)


class ListingBody(models.TextChoices):
    COUNTY_GOVERNMENT = "county_government", _("county government")
    SAFETY_OFFICE = "safety_office", _("county safety committee office")


class ListingQuerySet(models.QuerySet):
    def visible_to(self, user) -> ListingQuerySet:
        """Listings of hazards the user may see (township / led sectors / own department)."""
        scope = scope_for(user)
        if scope.everything:
            return self.all()
        if scope.nothing:
            return self.none()
        return self.filter(hazard__in=Hazard.objects.visible_to(user))

    def active(self) -> ListingQuerySet:
        return self.filter(status=Listing.Status.LISTED)

    def with_report_figures(self, today: datetime.date) -> ListingQuerySet:
        """Annotate, in the database, ``expected_reports`` (past quarters of the listing's life:
        from the quarter it was listed in up to, not including, the current quarter or the
        quarter it was delisted in), ``filed_reports`` (reports for those quarters) and
        ``missed_reports`` (the difference)."""
        start = ExtractYear("listed_on") * 4 + ExtractQuarter("listed_on") - 1
        today_idx = Value(quarter_index(today))
        delisted = ExtractYear("delisted_on") * 4 + ExtractQuarter("delisted_on") - 1
        end = Least(today_idx, Coalesce(delisted, today_idx))
        qs = self.annotate(report_start=start, report_end=end)
        filed = (
            ListingProgressReport.objects.filter(listing=OuterRef("pk"))
            .annotate(idx=F("year") * 4 + F("quarter") - 1)
            .filter(idx__gte=OuterRef("report_start"), idx__lt=OuterRef("report_end"))
            .order_by()
            .values("listing")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return qs.annotate(
            expected_reports=Greatest(F("report_end") - F("report_start"), Value(0)),
            filed_reports=Coalesce(Subquery(filed, output_field=models.IntegerField()), Value(0)),
        ).annotate(missed_reports=F("expected_reports") - F("filed_reports"))

    def for_list(self) -> ListingQuerySet:
        return self.select_related(
            "hazard__enterprise",
            "hazard__township",
            "hazard__sector",
            "hazard__supervising_department",
            "hazard__rectification",
        )


class Listing(models.Model):
    """挂牌督办 of one major hazard: listing body, listed on, required completion date,
    responsible unit, and the listing notice's 文号. ``batch`` groups a yearly listing such as
    task 5's typical major fire hazards. Closure of the hazard needs the listing body's sign-off
    (``signed_off_*``); delisting (摘牌) after closure gets its own 文号 and notice."""

    class Status(models.TextChoices):
        LISTED = "listed", _("listed")
        DELISTED = "delisted", _("delisted")

    hazard = models.ForeignKey(
        Hazard, on_delete=models.PROTECT, related_name="listings", verbose_name=_("hazard")
    )
    batch = models.CharField(_("listing batch"), max_length=120, blank=True)
    listing_body = models.CharField(_("listing body"), max_length=30, choices=ListingBody.choices)
    listed_on = models.DateField(_("listed on"))
    required_completion = models.DateField(_("required completion date"))
    responsible_unit = models.CharField(_("responsible unit"), max_length=120)
    requirements = models.TextField(_("supervision requirements"), blank=True)
    document_number = models.CharField(_("document number"), max_length=40, unique=True)
    status = FSMField(_("status"), max_length=20, choices=Status.choices, default=Status.LISTED)
    listed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("listed by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closure signed off by"),
    )
    signed_off_at = models.DateTimeField(_("closure signed off at"), null=True, blank=True)
    delisted_on = models.DateField(_("delisted on"), null=True, blank=True)
    delisted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("delisted by"),
    )
    delisting_note = models.TextField(_("delisting note"), blank=True)
    delisting_document_number = models.CharField(
        _("delisting document number"), max_length=40, blank=True
    )

    objects = ListingQuerySet.as_manager()

    class Meta:
        ordering = ["-listed_on", "-pk"]
        verbose_name = _("listed supervision")
        verbose_name_plural = _("listed supervisions")
        permissions = [
            ("sign_off_listing", _("Can sign off closure and delist for the listing body")),
            ("export_listing", _("Can export supervision lists")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["hazard"],
                condition=Q(status="listed"),
                name="one_active_listing_per_hazard",
            )
        ]

    def __str__(self) -> str:
        return f"{self.document_number} {self.hazard}"

    def get_absolute_url(self) -> str:
        return reverse("enforcement:listing_detail", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.LISTED

    def past_quarters(self, today: datetime.date) -> list[tuple[int, int]]:
        """(year, quarter) of the past quarters of its life, as in ``with_report_figures``."""
        start = quarter_index(self.listed_on)
        end = quarter_index(today)
        if self.delisted_on:
            end = min(end, quarter_index(self.delisted_on))
        return [quarter_of_index(i) for i in range(start, end)]

    # --- the transition table (called only by enforcement.services) ---
    @transition(field=status, source=Status.LISTED, target=Status.DELISTED)
    def delist(self):
        """摘牌 after the hazard was closed."""


class ListingProgressReport(models.Model):
    """Quarterly progress report (季度进展报告) of a listed hazard; one per quarter."""

    listing = models.ForeignKey(
        Listing,
        on_delete=models.CASCADE,
        related_name="reports",
        verbose_name=_("listed supervision"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    progress = models.TextField(_("progress"))
    reported_on = models.DateField(_("reported on"))
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("reported by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["year", "quarter"]
        verbose_name = _("quarterly progress report")
        verbose_name_plural = _("quarterly progress reports")
        constraints = [
            models.UniqueConstraint(
                fields=["listing", "year", "quarter"], name="one_report_per_listing_quarter"
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4), name="report_quarter_1_to_4"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.listing.document_number} {self.year}Q{self.quarter}"


# ---------------------------------------------------------------------------------------------
# Deadline extensions (延期)


class ExtensionQuerySet(models.QuerySet):
    def visible_to(self, user) -> ExtensionQuerySet:
        """Extensions of hazards the user may see."""
        scope = scope_for(user)
        if scope.everything:
            return self.all()
        if scope.nothing:
            return self.none()
        return self.filter(hazard__in=Hazard.objects.visible_to(user))

    def for_list(self) -> ExtensionQuerySet:
        return self.select_related(
            "hazard__enterprise", "hazard__township", "listing", "requested_by", "decided_by"
        )


class ExtensionRequest(models.Model):
    """A request to move a hazard's rectification deadline (延期): reason and new date, decided
    by the supervising unit (listed hazards: the listing body). ``working_days_before``: Chinese
    working days from the filing date up to (not including) the current deadline; a request
    with fewer than the minimum is refused on filing."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("requested")
        APPROVED = "approved", _("approved")
        REFUSED = "refused", _("refused")

    hazard = models.ForeignKey(
        Hazard, on_delete=models.PROTECT, related_name="extensions", verbose_name=_("hazard")
    )
    listing = models.ForeignKey(
        Listing,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="extensions",
        verbose_name=_("listed supervision"),
    )
    current_deadline = models.DateField(_("current deadline"))
    requested_deadline = models.DateField(_("requested new deadline"))
    reason = models.TextField(_("reason"))
    filed_on = models.DateField(_("filed on"))
    working_days_before = models.PositiveIntegerField(
        _("working days before the deadline"), null=True, blank=True
    )
    status = FSMField(_("status"), max_length=20, choices=Status.choices, default=Status.REQUESTED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)

    objects = ExtensionQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("deadline extension")
        verbose_name_plural = _("deadline extensions")
        permissions = [("decide_extensionrequest", _("Can approve or refuse extensions"))]
        constraints = [
            models.UniqueConstraint(
                fields=["hazard"],
                condition=Q(status="requested"),
                name="one_open_extension_per_hazard",
            )
        ]

    def __str__(self) -> str:
        return f"{self.hazard} → {self.requested_deadline}"

    def get_absolute_url(self) -> str:
        return reverse("enforcement:extension_detail", args=[self.pk])

    # --- the transition table (called only by enforcement.services) ---
    @transition(field=status, source=Status.REQUESTED, target=Status.APPROVED)
    def approve(self):
        """延期 granted: the service moves the hazard's deadline."""

    @transition(field=status, source=Status.REQUESTED, target=Status.REFUSED)
    def refuse(self):
        """延期 refused (by a decision, or at filing when filed too late)."""


# ---------------------------------------------------------------------------------------------
# Escalation ladder (函告 / 通报 / 约谈 / 曝光)


class StepKind(models.TextChoices):
    """The rungs of the ladder, in order (task 15)."""

    FORMAL_LETTER = "formal_letter", _("formal letter")
    CIRCULATED_NOTICE = "circulated_notice", _("circulated notice")
    SUMMONS_INTERVIEW = "summons_interview", _("summons interview")
    PUBLIC_EXPOSURE = "public_exposure", _("public exposure")


LADDER = [
    StepKind.FORMAL_LETTER,
    StepKind.CIRCULATED_NOTICE,
    StepKind.SUMMONS_INTERVIEW,
    StepKind.PUBLIC_EXPOSURE,
]


class TargetKind(models.TextChoices):
    TOWNSHIP = "township", _("township")
    DEPARTMENT = "department", _("department")
    ENTERPRISE = "enterprise", _("enterprise")


class Trigger(models.TextChoices):
    DAYS_OVERDUE = "days_overdue", _("days overdue (longest)")
    REPEAT_OFFENCES = "repeat_offences", _("repeat offences (hazards past their deadline)")
    MISSED_REPORTS = "missed_quarterly_reports", _("missed quarterly reports")


class EscalationRule(models.Model):
    """When to propose a step: ``trigger`` reaches ``threshold`` for a unit of ``target``
    (its township, its supervising department or its enterprise). Kept in the admin."""

    name = models.CharField(_("name"), max_length=120)
    trigger = models.CharField(_("trigger"), max_length=30, choices=Trigger.choices)
    threshold = models.PositiveIntegerField(_("threshold"))
    step = models.CharField(_("escalation measure"), max_length=30, choices=StepKind.choices)
    target = models.CharField(_("target unit"), max_length=20, choices=TargetKind.choices)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["trigger", "threshold", "pk"]
        verbose_name = _("escalation rule")
        verbose_name_plural = _("escalation rules")

    def __str__(self) -> str:
        return self.name


class EscalationStepQuerySet(models.QuerySet):
    def visible_to(self, user) -> EscalationStepQuerySet:
        """Office/admin: all. Township officials: steps against their township or an
        enterprise of it; department staff: steps against their department or an enterprise
        they may see (through the ledger's scoping)."""
        scope = scope_for(user)
        if scope.everything:
            return self.all()
        if scope.nothing:
            return self.none()
        q = Q(township_id__in=scope.township_ids) | Q(department_id__in=scope.department_ids)
        q |= Q(enterprise__in=Enterprise.objects.visible_to(user))
        return self.filter(q)

    def proposed(self) -> EscalationStepQuerySet:
        return self.filter(status=EscalationStep.Status.PROPOSED)

    def for_list(self) -> EscalationStepQuerySet:
        return (
            self.select_related("township", "department", "enterprise", "rule", "decided_by")
            .annotate(hazard_count=Count("hazards"))
            .order_by("-proposed_at", "-pk")
        )


class EscalationStep(models.Model):
    """One step of the ladder against one unit: proposed by a rule (or by hand), approved or
    dismissed by the safety office. Approval records ``issued_on``, allocates the 文号 and fixes
    ``snapshot`` (what the document says: the hazards with their figures); a public exposure
    (曝光) gets a public notice page at ``public_slug``."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("proposed")
        APPROVED = "approved", _("approved")
        DISMISSED = "dismissed", _("dismissed")

    kind = models.CharField(_("escalation measure"), max_length=30, choices=StepKind.choices)
    target_kind = models.CharField(_("target unit kind"), max_length=20, choices=TargetKind.choices)
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
    enterprise = models.ForeignKey(
        Enterprise,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("enterprise"),
    )
    target_key = models.CharField(max_length=40, editable=False)
    hazards = models.ManyToManyField(
        Hazard, related_name="escalations", verbose_name=_("hazards concerned")
    )
    rule = models.ForeignKey(
        EscalationRule,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="steps",
        verbose_name=_("rule"),
    )
    grounds = models.TextField(_("grounds"))
    status = FSMField(_("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED)
    proposed_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    document_number = models.CharField(_("document number"), max_length=40, blank=True)
    snapshot = models.JSONField(_("document content"), default=dict, blank=True)
    public_slug = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    objects = EscalationStepQuerySet.as_manager()

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        verbose_name = _("escalation step")
        verbose_name_plural = _("escalation steps")
        permissions = [("decide_escalationstep", _("Can approve or dismiss escalation steps"))]
        constraints = [
            models.UniqueConstraint(
                fields=["target_key", "kind"],
                condition=Q(status="proposed"),
                name="one_open_proposal_per_unit_and_step",
            ),
            models.UniqueConstraint(
                fields=["document_number"],
                condition=~Q(document_number=""),
                name="escalation_document_number_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.target}"

    def get_absolute_url(self) -> str:
        return reverse("enforcement:escalation_detail", args=[self.pk])

    @property
    def target(self):
        return {
            TargetKind.TOWNSHIP: self.township,
            TargetKind.DEPARTMENT: self.department,
            TargetKind.ENTERPRISE: self.enterprise,
        }[self.target_kind]

    def public_url(self) -> str:
        if not self.public_slug:
            return ""
        return reverse("enforcement:public_exposure", args=[self.public_slug])

    @staticmethod
    def new_public_slug() -> uuid.UUID:
        return uuid.uuid4()

    # --- the transition table (called only by enforcement.services) ---
    @transition(field=status, source=Status.PROPOSED, target=Status.APPROVED)
    def approve(self):
        """The safety office approves the proposed step (文号 allocated by the service)."""

    @transition(field=status, source=Status.PROPOSED, target=Status.DISMISSED)
    def dismiss(self):
        """The safety office dismisses the proposal."""


def target_key(target_kind: str, pk: int) -> str:
    return f"{target_kind}:{pk}"


__all__ = [
    "LADDER",
    "EscalationRule",
    "EscalationStep",
    "ExtensionRequest",
    "Listing",
    "ListingBody",
    "ListingProgressReport",
    "StepKind",
    "TargetKind",
    "Trigger",
    "quarter_index",
    "quarter_of_index",
]

from .inspections.models import *  # noqa: E402, F401, F403  (inspections, draws, penalties, experts, accidents)
