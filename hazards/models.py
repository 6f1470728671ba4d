"""Enterprises and the major accident hazard ledger (source: 实施方案 tasks 14–16, 主要任务).

The hazard lifecycle is ONE transition table: the ``@transition`` methods on :class:`Hazard`
(django-fsm-2, protected ``status``). Services in :mod:`hazards.services` call them inside a
transaction and record who/when/why in :class:`HazardEvent`; nothing else changes ``status``.

    reported ──confirm──▶ confirmed ──start_rectification──▶ rectifying ──submit──▶ awaiting_acceptance
       │  └──reject──▶ rejected ◀──reject── confirmed                      ▲            │   │
       └─merge─▶ merged ──unmerge──▶ (status before the merge)            └──fail─────┘   accept
                                                                                            ▼
                                                         closed (销号) ◀──close── accepted
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, FSMField, FSMModelMixin, transition
from simple_history.models import HistoricalRecords
from stdnum.cn import uscc

from campaigns.constants import STOCK_CUTOFF
from campaigns.models import Department, Role, Sector, Township
from campaigns.org.scoping import scope_for


def validate_uscc(value: str) -> None:
    """统一社会信用代码 (GB 32100-2015) with its check digit, via python-stdnum."""
    from django.core.exceptions import ValidationError

    if not uscc.is_valid(value or ""):
        raise ValidationError(
            _("Not a valid unified social credit code (18 characters with a correct check digit)."),
            code="invalid_uscc",
        )


class JudgementStandard(models.Model):
    """A national judgement standard or guideline for major accident hazards (重大事故隐患判定标准),
    e.g. 《工贸企业重大事故隐患判定标准》(应急管理部令第10号). Reference data from
    ``hazards/data/judgement_standards.yaml`` (see :mod:`hazards.reference`); ``verified`` says
    whether the document facts were checked against a published copy of the official text."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    document_number = models.CharField(_("document number"), max_length=80, blank=True)
    issued_by = models.CharField(_("issued by"), max_length=120, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    effective_on = models.DateField(_("effective on"), null=True, blank=True)
    superseded_on = models.DateField(_("superseded on"), null=True, blank=True)
    superseded_by = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="supersedes",
        verbose_name=_("superseded by"),
    )
    source = models.TextField(_("source"), blank=True)
    source_url = models.URLField(_("source URL"), max_length=300, blank=True)
    verified = models.BooleanField(_("verified"), default=False)
    note = models.TextField(_("note"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("judgement standard")
        verbose_name_plural = _("judgement standards")

    def __str__(self) -> str:
        return self.citation

    @property
    def citation(self) -> str:
        """《title》（document number）."""
        number = f"（{self.document_number}）" if self.document_number else ""
        return f"《{self.title}》{number}"

    def in_force_on(self, day: datetime.date) -> bool:
        """In effect on ``day`` (on or after ``effective_on`` when that is known — it often is
        not, and then the standard counts from the start) and not yet superseded."""
        started = self.effective_on is None or day >= self.effective_on
        return started and (self.superseded_on is None or day < self.superseded_on)


class HazardCriterionQuerySet(models.QuerySet):
    def for_sector(self, sector) -> HazardCriterionQuerySet:
        """Clauses that apply to ``sector`` (a Sector or its code)."""
        code = getattr(sector, "code", sector)
        return self.filter(
            Exists(CriterionSector.objects.filter(criterion_id=OuterRef("pk"), sector_code=code))
        )

    def in_force_on(self, day: datetime.date) -> HazardCriterionQuerySet:
        """Active clauses of standards in effect on ``day`` (see JudgementStandard.in_force_on)."""
        return (
            self.filter(active=True)
            .filter(Q(standard__effective_on__isnull=True) | Q(standard__effective_on__lte=day))
            .filter(Q(standard__superseded_on__isnull=True) | Q(standard__superseded_on__gt=day))
        )


class HazardCriterion(models.Model):
    """One clause of a judgement standard (判定依据): ``clause`` is the citation label
    (第十一条第（一）项, 5.2.1, 第五项), split into ``article`` and ``item`` for the structure
    check; ``topic`` names the sub-sector or part (粉尘涉爆, 锅炉). Applies to the plan sectors
    in ``sector_links`` (by code, so the data loads before the plan). ``verified``: number and
    wording were checked against a published copy of the text."""

    standard = models.ForeignKey(
        JudgementStandard,
        on_delete=models.PROTECT,
        related_name="clauses",
        verbose_name=_("standard"),
    )
    # 《title》 of the standard, copied by the loader (searchable, and what lists show).
    document = models.CharField(_("standard document"), max_length=200, blank=True)
    article = models.CharField(_("article"), max_length=40, blank=True)
    item = models.CharField(_("item number"), max_length=40, blank=True)
    clause = models.CharField(_("clause"), max_length=60)
    topic = models.CharField(_("topic"), max_length=60, blank=True)
    text = models.TextField(_("clause text"))
    short_title = models.BooleanField(
        _("short title"),
        default=False,
        help_text=_("The text is a faithful short title, not the full official wording."),
    )
    verified = models.BooleanField(_("verified"), default=False)
    note = models.TextField(_("note"), blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    active = models.BooleanField(_("in force"), default=True)

    objects = HazardCriterionQuerySet.as_manager()

    class Meta:
        ordering = ["standard__order", "order", "pk"]
        verbose_name = _("hazard criterion")
        verbose_name_plural = _("hazard criteria")
        constraints = [
            models.UniqueConstraint(fields=["standard", "clause"], name="criterion_unique_clause")
        ]

    def __str__(self) -> str:
        return f"{self.document} {self.clause}"

    @property
    def document_number(self) -> str:
        return self.standard.document_number

    @property
    def citation(self) -> str:
        """What a notice quotes: 《标准》（文号）条款：条文."""
        return f"{self.standard.citation}{self.clause}：{self.text}"

    @property
    def sector_codes(self) -> list[str]:
        return sorted(link.sector_code for link in self.sector_links.all())

    def applies_to(self, sector) -> bool:
        code = getattr(sector, "code", sector)
        return code in self.sector_codes


class CriterionSector(models.Model):
    """A plan sector (by its stable code from campaigns/data/plan.yaml) a clause applies to."""

    criterion = models.ForeignKey(
        HazardCriterion, on_delete=models.CASCADE, related_name="sector_links"
    )
    sector_code = models.CharField(_("sector code"), max_length=40, db_index=True)

    class Meta:
        verbose_name = _("sector of a criterion")
        verbose_name_plural = _("sectors of criteria")
        constraints = [
            models.UniqueConstraint(
                fields=["criterion", "sector_code"], name="criterion_sector_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.criterion} → {self.sector_code}"


class EnterpriseQuerySet(models.QuerySet):
    def visible_to(self, user) -> EnterpriseQuerySet:
        """Township officials: enterprises of their township; department staff: enterprises with a
        sector their department leads, or with a hazard they may see; office/admin: all."""
        scope = scope_for(user)
        if scope.everything:
            return self.all()
        if scope.nothing:
            return self.none()
        q = Q(township_id__in=scope.township_ids)
        if scope.sector_ids or scope.department_ids:
            q |= Exists(
                Enterprise.sectors.through.objects.filter(
                    enterprise_id=OuterRef("pk"), sector_id__in=scope.sector_ids
                )
            )
            q |= Exists(Hazard.objects.visible_to(user).filter(enterprise_id=OuterRef("pk")))
        return self.filter(q)

    def with_high_risk(self) -> EnterpriseQuerySet:
        """Annotate ``is_high_risk``: one of its sectors is a high-risk sector."""
        return self.annotate(
            is_high_risk=Exists(
                Enterprise.sectors.through.objects.filter(
                    enterprise_id=OuterRef("pk"), sector__high_risk=True
                )
            )
        )


class Enterprise(models.Model):
    """生产经营单位, identified by its 统一社会信用代码. High-risk if any of its sectors is."""

    name = models.CharField(_("name"), max_length=120)
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, unique=True, validators=[validate_uscc]
    )
    township = models.ForeignKey(
        Township, on_delete=models.PROTECT, related_name="enterprises", verbose_name=_("township")
    )
    sectors = models.ManyToManyField(Sector, related_name="enterprises", verbose_name=_("sectors"))
    address = models.CharField(_("address"), max_length=200, blank=True)
    principal_name = models.CharField(_("principal"), max_length=40)
    principal_phone = models.CharField(_("principal phone"), max_length=30, blank=True)
    principal_email = models.EmailField(_("principal e-mail"), blank=True)
    controller_name = models.CharField(_("actual controller"), max_length=40, blank=True)
    controller_phone = models.CharField(_("actual controller phone"), max_length=30, blank=True)
    controller_email = models.EmailField(_("actual controller e-mail"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    objects = EnterpriseQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[sectors])

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("hazards:enterprise_detail", args=[self.pk])

    @property
    def high_risk(self) -> bool:
        """Derived from its sectors (uses the ``is_high_risk`` annotation when present)."""
        if hasattr(self, "is_high_risk"):
            return self.is_high_risk
        return self.sectors.filter(high_risk=True).exists()


class Level(models.TextChoices):
    MAJOR = "major", _("major")
    GENERAL = "general", _("general")


class Source(models.TextChoices):
    """Where a report came from (task 16)."""

    SELF_REPORT = "self_report", _("enterprise self-report")
    INSPECTION = "inspection", _("found in supervisory inspection")
    TIP_OFF = "tip_off", _("verified public tip-off")


class Status(models.TextChoices):
    REPORTED = "reported", _("reported")
    CONFIRMED = "confirmed", _("confirmed")
    RECTIFYING = "rectifying", _("rectifying")
    AWAITING_ACCEPTANCE = "awaiting_acceptance", _("awaiting acceptance")
    ACCEPTED = "accepted", _("accepted")
    CLOSED = "closed", _("closed")
    REJECTED = "rejected", _("rejected")
    MERGED = "merged", _("merged")


OPEN_STATUSES = (
    Status.REPORTED,
    Status.CONFIRMED,
    Status.RECTIFYING,
    Status.AWAITING_ACCEPTANCE,
    Status.ACCEPTED,
)
MERGEABLE_STATUSES = (Status.REPORTED, Status.CONFIRMED)


# Closed (销号, local date of closed_at) no later than the rectification deadline.
CLOSED_ON_TIME_Q = Q(status=Status.CLOSED, closed_at__date__lte=models.F("rectification__deadline"))


def overdue_q(
    today: datetime.date, *, status: str = "status", deadline: str = "rectification__deadline"
) -> Q:
    """The one definition of overdue (逾期): open and past the rectification deadline on
    ``today`` (a date, Asia/Shanghai). ``status``/``deadline`` name the fields when the rows are
    not hazards (e.g. history rows annotated with ``deadline``)."""
    return Q(**{f"{status}__in": OPEN_STATUSES, f"{deadline}__lt": today})


class HazardQuerySet(models.QuerySet):
    def visible_to(self, user) -> HazardQuerySet:
        """Township official → own township; department staff → hazards of sectors their
        department leads or supervised by their department; office/admin → all."""
        scope = scope_for(user)
        if scope.everything:
            return self.all()
        if scope.nothing:
            return self.none()
        return self.filter(
            Q(township_id__in=scope.township_ids)
            | Q(sector_id__in=scope.sector_ids)
            | Q(supervising_department_id__in=scope.department_ids)
        )

    def ledger(self) -> HazardQuerySet:
        """The ledger proper: reports merged into another hazard are shown on that hazard."""
        return self.exclude(status=Status.MERGED)

    def open(self) -> HazardQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, today: datetime.date) -> HazardQuerySet:
        """Open and past the rectification deadline (Asia/Shanghai ``today``)."""
        return self.filter(overdue_q(today))

    def closed_on_time(self) -> HazardQuerySet:
        """Closed (销号) on or before the rectification deadline (local dates)."""
        return self.filter(CLOSED_ON_TIME_Q)

    def stock(self) -> HazardQuerySet:
        return self.filter(found_on__lte=STOCK_CUTOFF)

    def increment(self) -> HazardQuerySet:
        return self.filter(found_on__gt=STOCK_CUTOFF)

    def with_source(self, source: str) -> HazardQuerySet:
        """Hazards with a report from ``source``: their own or one merged into them."""
        return self.filter(source_q(source))

    def for_list(self) -> HazardQuerySet:
        return self.select_related(
            "enterprise",
            "township",
            "sector",
            "supervising_department",
            "rectification",
            "criterion__standard",
        )


def source_q(source: str) -> Q:
    """Hazards reported through ``source`` themselves or through a report merged into them.

    An uncorrelated ``IN`` (hashed once) rather than a correlated EXISTS: inside an OR the
    latter ran once per row (2 s for 20,000 hazards; see benchmarks/dashboard_bench.py)."""
    merged_targets = Hazard.objects.filter(source=source, merged_into__isnull=False)
    return Q(source=source) | Q(pk__in=merged_targets.values("merged_into"))


def _is_major_with_five_implementations(hazard: Hazard) -> bool:
    if hazard.level != Level.MAJOR:
        return True
    rect = getattr(hazard, "rectification", None)
    return rect is not None and rect.is_complete


def _has_after_photo(hazard: Hazard) -> bool:
    return hazard.attachments.filter(kind=Attachment.Kind.AFTER_PHOTO).exists()


def _may_supervise(hazard: Hazard, user) -> bool:
    from .permissions import can_sign_off

    return can_sign_off(user, hazard)


class Hazard(FSMModelMixin, models.Model):
    """A hazard (重大/一般事故隐患) in the ledger, numbered ``YX-<year>-<4 digits>``.

    Followed by its township (属地) and by ``supervising_department`` (行业: by default the
    sector's first lead department; overridable with ``supervision_reason``). ``source`` is
    this report's channel; reports of the same hazard are merged into one (``merged_into``).
    """

    Status = Status
    Level = Level
    Source = Source

    ledger_number = models.CharField(_("ledger number"), max_length=20, unique=True)
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="hazards", verbose_name=_("enterprise")
    )
    township = models.ForeignKey(
        Township, on_delete=models.PROTECT, related_name="hazards", verbose_name=_("township")
    )
    sector = models.ForeignKey(
        Sector, on_delete=models.PROTECT, related_name="hazards", verbose_name=_("sector")
    )
    supervising_department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="supervised_hazards",
        verbose_name=_("supervising department"),
    )
    supervision_reason = models.CharField(
        _("reason for the supervising department"), max_length=200, blank=True
    )
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, default=Level.MAJOR)
    criterion = models.ForeignKey(
        HazardCriterion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hazards",
        verbose_name=_("judgement criterion"),
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    found_on = models.DateField(_("found on"))
    found_by = models.CharField(_("found by"), max_length=80)
    location = models.CharField(_("location"), max_length=200)
    description = models.TextField(_("description"))
    status = FSMField(
        _("status"), max_length=20, choices=Status.choices, default=Status.REPORTED, protected=True
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_reports",
        verbose_name=_("merged into"),
    )
    status_before_merge = models.CharField(max_length=20, blank=True, editable=False)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("reported by"),
    )
    reported_at = models.DateTimeField(_("reported at"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # 幂等键: the UUID the browser gave the report's draft (offline queue, API clients); a
    # second submission with the same key by the same reporter answers this hazard instead of
    # logging it again. Empty for reports made without one.
    idempotency_key = models.UUIDField(_("idempotency key"), null=True, blank=True, editable=False)

    objects = HazardQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["idempotency_key"])

    class Meta:
        ordering = ["-found_on", "-pk"]
        verbose_name = _("hazard")
        verbose_name_plural = _("hazards")
        permissions = [
            ("confirm_hazard", _("Can confirm or reject a reported hazard")),
            ("close_hazard", _("Can check acceptance of and close (销号) a hazard")),
            ("merge_hazard", _("Can merge reports of the same hazard")),
            ("export_hazard", _("Can export the hazard ledger")),
        ]
        indexes = [
            models.Index(fields=["status", "township", "sector"]),
            # the ledger's order: page 1 without a sort of the whole table (issue 19)
            models.Index(fields=["-found_on", "-id"], name="hazard_ledger_order"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["reported_by", "idempotency_key"],
                condition=models.Q(idempotency_key__isnull=False),
                name="hazard_unique_idempotency_key",
            )
        ]

    def __str__(self) -> str:
        return self.ledger_number

    def get_absolute_url(self) -> str:
        return reverse("hazards:detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_stock(self) -> bool:
        return self.found_on <= STOCK_CUTOFF

    def transitions_here(self) -> set[str]:
        """Names of the transitions the table allows from the current status (conditions and
        rights are checked when one runs); pages ask this instead of restating the table."""
        return {
            t.name for t in self.get_all_status_transitions() if t.source in (self.status, "*", "+")
        }

    def is_overdue(self, today: datetime.date) -> bool:
        rect = getattr(self, "rectification", None)
        return bool(self.is_open and rect and rect.deadline and rect.deadline < today)

    # --- the transition table (called only by hazards.services) -------------------------------
    @transition(
        field=status,
        source=Status.REPORTED,
        target=Status.CONFIRMED,
        permission="hazards.confirm_hazard",
    )
    def confirm(self):
        """核实确认."""

    @transition(
        field=status,
        source=[Status.REPORTED, Status.CONFIRMED],
        target=Status.REJECTED,
        permission="hazards.confirm_hazard",
    )
    def reject(self):
        """Not a hazard / duplicate."""

    @transition(
        field=status,
        source=Status.CONFIRMED,
        target=Status.RECTIFYING,
        conditions=[_is_major_with_five_implementations],
        permission="hazards.change_hazard",
    )
    def start_rectification(self):
        """A major hazard needs all five implementations (五落实)."""

    @transition(
        field=status,
        source=Status.RECTIFYING,
        target=Status.AWAITING_ACCEPTANCE,
        conditions=[_has_after_photo],
        permission="hazards.change_hazard",
    )
    def submit_for_acceptance(self):
        """Needs an after photo (which differs from every before photo: checked at upload)."""

    @transition(
        field=status,
        source=Status.AWAITING_ACCEPTANCE,
        target=Status.RECTIFYING,
        permission=_may_supervise,
    )
    def fail_acceptance(self):
        """Acceptance check failed: back to rectification."""

    @transition(
        field=status,
        source=Status.AWAITING_ACCEPTANCE,
        target=Status.ACCEPTED,
        permission=_may_supervise,
    )
    def accept(self):
        """Acceptance check passed."""

    @transition(
        field=status, source=Status.ACCEPTED, target=Status.CLOSED, permission=_may_supervise
    )
    def close(self):
        """销号."""

    @transition(
        field=status,
        source=list(MERGEABLE_STATUSES),
        target=Status.MERGED,
        permission="hazards.merge_hazard",
    )
    def merge(self):
        """This report is the same hazard as another one."""

    @transition(
        field=status,
        source=Status.MERGED,
        target=RETURN_VALUE(*MERGEABLE_STATUSES),
        permission="hazards.merge_hazard",
    )
    def unmerge(self):
        return self.status_before_merge or Status.REPORTED


class Rectification(models.Model):
    """整改 with the five implementations (五落实): measures, responsibility (unit + person),
    funds (元), deadline (Asia/Shanghai date), contingency plan. ``deadline`` is changed only by
    services (later: extensions, 延期)."""

    hazard = models.OneToOneField(
        Hazard, on_delete=models.CASCADE, related_name="rectification", verbose_name=_("hazard")
    )
    measures = models.TextField(_("measures"), blank=True)
    responsible_unit = models.CharField(_("responsible unit"), max_length=120, blank=True)
    responsible_person = models.CharField(_("responsible person"), max_length=40, blank=True)
    responsible_phone = models.CharField(_("responsible person phone"), max_length=30, blank=True)
    funds = models.DecimalField(
        _("funds (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    deadline = models.DateField(_("rectification deadline"), null=True, blank=True)
    contingency_plan = models.TextField(_("contingency plan"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted for acceptance by"),
    )
    submitted_at = models.DateTimeField(_("submitted for acceptance at"), null=True, blank=True)
    history = HistoricalRecords()

    FIVE = (
        "measures",
        "responsible_unit",
        "responsible_person",
        "funds",
        "deadline",
        "contingency_plan",
    )

    class Meta:
        verbose_name = _("rectification")
        verbose_name_plural = _("rectifications")

    def __str__(self) -> str:
        return str(self.hazard)

    @property
    def missing(self) -> list[str]:
        """verbose names of the five implementations still missing."""
        return [
            str(self._meta.get_field(f).verbose_name)
            for f in self.FIVE
            if getattr(self, f) in (None, "")
        ]

    @property
    def is_complete(self) -> bool:
        return not self.missing


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"hazards/{instance.hazard_id}/{instance.kind}/{filename}"


class Attachment(models.Model):
    """A before/after photo (re-encoded JPEG, EXIF stripped) or a document. Served only through
    the scoped download view, never as a public /media/ URL. ``content_hash``: sha256 of the
    normalized pixels (photos) or of the bytes (documents)."""

    class Kind(models.TextChoices):
        BEFORE_PHOTO = "before_photo", _("before photo")
        AFTER_PHOTO = "after_photo", _("after photo")
        DOCUMENT = "document", _("document")

    hazard = models.ForeignKey(Hazard, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    content_hash = models.CharField(max_length=64, db_index=True)
    # 64-bit perceptual hash (ImageHash pHash, 16 hex digits) of a photo; "" for documents.
    perceptual_hash = models.CharField(_("perceptual hash"), max_length=16, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("hazards:attachment", args=[self.pk])

    def open_image(self):
        """The stored photo as an RGB Pillow image (None if the file is missing or broken)."""
        from PIL import Image, UnidentifiedImageError

        try:
            with self.file.open("rb") as fh:
                return Image.open(fh).convert("RGB")
        except (OSError, UnidentifiedImageError, ValueError):
            return None


class HazardEvent(models.Model):
    """One step of a hazard's timeline: who did what, when, why (every transition)."""

    class Action(models.TextChoices):
        REPORTED = "reported", _("logged")
        CONFIRMED = "confirmed", _("confirmed")
        REJECTED = "rejected", _("rejected")
        RECTIFICATION_SAVED = "rectification_saved", _("five implementations saved")
        RECTIFICATION_STARTED = "rectification_started", _("rectification started")
        PHOTOS_ADDED = "photos_added", _("files added")
        SUBMITTED = "submitted_for_acceptance", _("submitted for acceptance")
        ACCEPTANCE_FAILED = "acceptance_failed", _("acceptance failed")
        ACCEPTED = "accepted", _("acceptance passed")
        CLOSED = "closed", _("closed (signed off)")
        MERGED = "merged", _("merged into another hazard")
        REPORT_MERGED_IN = "report_merged_in", _("report merged in")
        UNMERGED = "unmerged", _("merge undone")
        SUPERVISION_CHANGED = "supervision_changed", _("supervising department changed")
        # supervision hook (enforcement app): the deadline changes only by an approved extension
        DEADLINE_EXTENDED = "deadline_extended", _("deadline extended")

    hazard = models.ForeignKey(Hazard, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("step"), max_length=40, choices=Action.choices)
    from_status = models.CharField(_("from"), max_length=20, blank=True, choices=Status.choices)
    to_status = models.CharField(_("to"), max_length=20, blank=True, choices=Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("hazard event")
        verbose_name_plural = _("hazard events")

    def __str__(self) -> str:
        return f"{self.hazard} {self.action}"


class HazardNotification(models.Model):
    """A notification with recipient, channel, time and delivery status: a confirmed major
    hazard to the enterprise's principal and actual controller (task 16); every new hazard to
    the two units following it, its township and its supervising department (属地 + 行业)."""

    class Recipient(models.TextChoices):
        PRINCIPAL = "principal", _("principal")
        CONTROLLER = "controller", _("actual controller")
        TOWNSHIP = "township", _("township")
        DEPARTMENT = "department", _("supervising department")

    class State(models.TextChoices):
        PENDING = "pending", _("pending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")
        NO_ADDRESS = "no_address", _("no address")

    hazard = models.ForeignKey(Hazard, on_delete=models.CASCADE, related_name="notifications")
    recipient = models.CharField(_("recipient"), max_length=20, choices=Recipient.choices)
    recipient_name = models.CharField(_("name"), max_length=40)
    channel = models.CharField(_("channel"), max_length=20)
    address = models.TextField(_("address"), blank=True)  # one or more, comma-separated
    state = models.CharField(
        _("status"), max_length=20, choices=State.choices, default=State.PENDING
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("hazard notification")
        verbose_name_plural = _("hazard notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["hazard", "recipient", "channel"], name="notification_once_per_channel"
            )
        ]

    def __str__(self) -> str:
        return f"{self.hazard} → {self.recipient_name}"

    @property
    def channel_label(self) -> str:
        from campaigns.notifications.channels import channel_label

        return channel_label(self.channel)


class HazardFigure(models.Model):
    """One group of the ledger's figures summary (issue 19): ledger hazards (merged reports
    excluded) counted per every dimension the dashboard, the statistics and the league need —
    township, sector, supervising department, level, status, year found/closed (Asia/Shanghai),
    the three source flags (:func:`source_q`), cited clause — and the day-dependent flags as of
    :attr:`HazardFigureStamp.day`: closed on time (:data:`CLOSED_ON_TIME_Q`), overdue
    (:func:`overdue_q`), within its deadline or without a rectification yet, found this month (1st … day), closed within the last 365 days.

    ``n``: hazards in the group; ``took_days``: Σ days from found to closed (closed ones).
    Written only by :func:`hazards.services.hazard_figures_refresh` (all rows replaced in one
    transaction); read by :mod:`hazards.selectors` (``figures_*``). Plain integer ids, no
    foreign keys: a summary row never blocks or cascades a write of the ledger."""

    township_id = models.IntegerField()
    sector_id = models.IntegerField()
    department_id = models.IntegerField()
    level = models.CharField(max_length=16)
    status = models.CharField(max_length=32)
    found_year = models.IntegerField()
    closed_year = models.IntegerField(null=True)
    src_self_report = models.BooleanField(default=False)
    src_inspection = models.BooleanField(default=False)
    src_tip_off = models.BooleanField(default=False)
    criterion_id = models.IntegerField(null=True)
    on_time = models.BooleanField(default=False)
    overdue = models.BooleanField(default=False)
    in_time = models.BooleanField(default=False)  # no rectification yet, or deadline ≥ day
    new_in_month = models.BooleanField(default=False)
    closed_recent = models.BooleanField(default=False)
    n = models.IntegerField()
    took_days = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("hazard figures (summary row)")
        indexes = [models.Index(fields=["township_id", "level"], name="hazardfigure_tw_level")]

    def __str__(self) -> str:
        return f"{self.township_id}/{self.sector_id}/{self.level}/{self.status}: {self.n}"


class HazardFigureStamp(models.Model):
    """When the figures summary (:class:`HazardFigure`) was built (one row, pk 1): ``day`` the
    Asia/Shanghai day its day-dependent flags stand at, ``refreshed_at`` the instant (the pages'
    "截至 hh:mm"), ``hazard_history_id``/``rectification_history_id`` the newest change-history
    rows it has seen (a newer one = a write since: the summary is stale), ``seconds`` the build
    time."""

    day = models.DateField()
    refreshed_at = models.DateTimeField()
    hazard_history_id = models.BigIntegerField(default=0)
    rectification_history_id = models.BigIntegerField(default=0)
    seconds = models.FloatField(default=0)

    class Meta:
        verbose_name = _("hazard figures stamp")

    def __str__(self) -> str:
        return f"{self.day} {self.refreshed_at:%H:%M}"


__all__ = [
    "Attachment",
    "CriterionSector",
    "Enterprise",
    "Hazard",
    "HazardCriterion",
    "HazardEvent",
    "HazardFigure",
    "HazardFigureStamp",
    "HazardNotification",
    "JudgementStandard",
    "Level",
    "Rectification",
    "Role",
    "Source",
    "Status",
]
