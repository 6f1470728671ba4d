"""Training, special-operations certificates, evacuation drills, principal-led inspections and
rescue teams: the people side of the campaign (实施方案 tasks 3, 20–22, 28).

Everything hangs off the enterprises of the hazard ledger (:class:`hazards.models.Enterprise`);
every QuerySet has ``visible_to(user)`` built from :func:`campaigns.org.scoping.scope_for` through
the enterprises a user may see (township → its enterprises; department → its sectors'
enterprises; office/admin → all). Records are written by :mod:`training.services` only.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from campaigns.models import Department, Township
from campaigns.org.scoping import scope_for
from hazards.models import Enterprise, Hazard

from .constants import Audience, CertificateType, Flag


def _enterprise_scope_q(user, field: str = "enterprise") -> Q | None:
    """``Q`` restricting ``field`` to the enterprises ``user`` may see; None = everything."""
    scope = scope_for(user)
    if scope.everything:
        return None
    return Q(**{f"{field}__in": Enterprise.objects.visible_to(user).values("pk")})


class EnterpriseScopedQuerySet(models.QuerySet):
    """Records of one enterprise: visible when the enterprise is."""

    def visible_to(self, user):
        scope = scope_for(user)
        if scope.everything:
            return self.all()
        if scope.nothing:
            return self.none()
        return self.filter(_enterprise_scope_q(user))


class EnterpriseFlag(models.Model):
    """A category of an enterprise its sectors don't tell (二级医院, 重点文物保护单位, 商业综合体):
    puts it in a year's training focus group (task 3). At most one row per (enterprise, flag)."""

    enterprise = models.ForeignKey(
        Enterprise,
        on_delete=models.CASCADE,
        related_name="training_flags",
        verbose_name=_("enterprise"),
    )
    flag = models.CharField(_("category"), max_length=30, choices=Flag.choices)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("set by"),
    )
    set_at = models.DateTimeField(_("set at"), auto_now_add=True)

    objects = EnterpriseScopedQuerySet.as_manager()

    class Meta:
        ordering = ["enterprise__name", "flag"]
        verbose_name = _("enterprise category")
        verbose_name_plural = _("enterprise categories")
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "flag"], name="training_flag_once")
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.get_flag_display()}"


class TrainingSessionQuerySet(models.QuerySet):
    def visible_to(self, user) -> TrainingSessionQuerySet:
        """Office/admin: all. Others: sessions their own unit organised, and sessions with an
        attendee from an enterprise (or, for enforcement staff, a department) they may see."""
        scope = scope_for(user)
        if scope.everything:
            return self.all()
        if scope.nothing:
            return self.none()
        attendees = Attendance.objects.filter(session_id=OuterRef("pk")).filter(
            _enterprise_scope_q(user) | Q(department_id__in=scope.department_ids)
        )
        return self.filter(
            Q(organiser_township_id__in=scope.township_ids)
            | Q(organiser_department_id__in=scope.department_ids)
            | Exists(attendees)
        )

    def in_year(self, year: int) -> TrainingSessionQuerySet:
        return self.filter(held_on__year=year)


class TrainingSession(models.Model):
    """专题安全教育培训 (task 3; task 20's high-risk managers; task 28's enforcement staff).

    Organised by one unit (a township or a department); ``held_on``: Asia/Shanghai date;
    ``online``: 线上 (``venue`` may then be the platform). Attendance in :class:`Attendance`.
    """

    title = models.CharField(_("title"), max_length=120)
    audience = models.CharField(_("audience"), max_length=30, choices=Audience.choices)
    organiser_township = models.ForeignKey(
        Township,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organising township"),
    )
    organiser_department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organising department"),
    )
    held_on = models.DateField(_("held on"))
    online = models.BooleanField(_("online"), default=False)
    venue = models.CharField(_("venue or platform"), max_length=120, blank=True)
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=1, null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = TrainingSessionQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        constraints = [
            models.CheckConstraint(
                name="training_session_one_organiser",
                condition=(
                    Q(organiser_township__isnull=False, organiser_department__isnull=True)
                    | Q(organiser_township__isnull=True, organiser_department__isnull=False)
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("training:session_detail", args=[self.pk])

    @property
    def organiser(self):
        return self.organiser_township or self.organiser_department


class AttendanceQuerySet(models.QuerySet):
    def visible_to(self, user) -> AttendanceQuerySet:
        """Attendees of enterprises (or, for enforcement staff, departments) the user may see,
        and every attendee of a session the user's own unit organised."""
        scope = scope_for(user)
        if scope.everything:
            return self.all()
        if scope.nothing:
            return self.none()
        return self.filter(
            _enterprise_scope_q(user)
            | Q(department_id__in=scope.department_ids)
            | Q(session__organiser_township_id__in=scope.township_ids)
            | Q(session__organiser_department_id__in=scope.department_ids)
        )

    def trained(self) -> AttendanceQuerySet:
        """Counts for coverage: the enterprise's responsible person, assessment passed."""
        return self.filter(responsible_person=True, result=Attendance.Result.PASSED)


class Attendance(models.Model):
    """One person at one session: from an enterprise (``enterprise``) or, for task 28's
    enforcement staff, from a department (``department``); the assessment result.
    ``responsible_person``: the enterprise's 主要负责人 / 消防安全责任人 — what coverage counts."""

    class Result(models.TextChoices):
        PASSED = "passed", _("passed")
        FAILED = "failed", _("failed")
        PENDING = "pending", _("not assessed yet")

    session = models.ForeignKey(
        TrainingSession,
        on_delete=models.CASCADE,
        related_name="attendances",
        verbose_name=_("session"),
    )
    person_name = models.CharField(_("full name"), max_length=40)
    position = models.CharField(_("position"), max_length=60, blank=True)
    enterprise = models.ForeignKey(
        Enterprise,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="training_attendances",
        verbose_name=_("enterprise"),
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )
    responsible_person = models.BooleanField(
        _("responsible person of the enterprise"), default=True
    )
    result = models.CharField(
        _("assessment"), max_length=10, choices=Result.choices, default=Result.PENDING
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = AttendanceQuerySet.as_manager()

    class Meta:
        ordering = ["session", "enterprise__name", "person_name", "pk"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "person_name", "enterprise"],
                name="attendance_once_per_person",
                nulls_distinct=False,
            ),
            models.CheckConstraint(
                name="attendance_enterprise_or_department",
                condition=Q(enterprise__isnull=False) | Q(department__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_name} @ {self.session}"


class CertificateQuerySet(EnterpriseScopedQuerySet):
    def expired(self, today: datetime.date) -> CertificateQuerySet:
        """Valid until a day before ``today`` (Asia/Shanghai): the certificate has lapsed."""
        return self.filter(valid_until__lt=today)

    def valid(self, today: datetime.date) -> CertificateQuerySet:
        return self.filter(valid_until__gte=today)

    def expiring_within(self, today: datetime.date, days: int) -> CertificateQuerySet:
        """Still valid today and ``valid_until`` within ``days`` days (inclusive)."""
        return self.filter(
            valid_until__gte=today, valid_until__lte=today + datetime.timedelta(days=days)
        )

    def review_overdue(self, today: datetime.date) -> CertificateQuerySet:
        return self.valid(today).filter(review_due__lt=today)

    def for_list(self) -> CertificateQuerySet:
        return self.select_related("enterprise", "enterprise__township")


class Certificate(models.Model):
    """特种作业操作证 of a worker at an enterprise (task 20: 特种作业人员持证上岗).

    ``valid_until``: last valid day (Asia/Shanghai) — expired from the next day;
    ``review_due``: the next 复审 date. ``number`` is unique per type."""

    worker_name = models.CharField(_("worker"), max_length=40)
    enterprise = models.ForeignKey(
        Enterprise,
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("enterprise"),
    )
    type = models.CharField(_("type of operation"), max_length=30, choices=CertificateType.choices)
    number = models.CharField(_("certificate number"), max_length=40)
    issued_on = models.DateField(_("issued on"))
    valid_until = models.DateField(_("valid until"))
    review_due = models.DateField(_("review due"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        ordering = ["valid_until", "pk"]
        verbose_name = _("special-operations certificate")
        verbose_name_plural = _("special-operations certificates")
        constraints = [
            models.UniqueConstraint(fields=["type", "number"], name="certificate_number_once"),
            models.CheckConstraint(
                name="certificate_valid_after_issue",
                condition=Q(valid_until__gte=models.F("issued_on")),
            ),
        ]
        indexes = [models.Index(fields=["valid_until"])]

    def __str__(self) -> str:
        return f"{self.worker_name} {self.get_type_display()} {self.number}"

    def get_absolute_url(self) -> str:
        return reverse("training:certificate_edit", args=[self.pk])

    def state(self, today: datetime.date) -> str:
        """``expired``, ``expiring`` (≤ 90 days), ``review_overdue`` or ``valid``."""
        from .constants import EXPIRY_WINDOWS

        if self.valid_until < today:
            return "expired"
        if (self.valid_until - today).days <= max(EXPIRY_WINDOWS):
            return "expiring"
        if self.review_due and self.review_due < today:
            return "review_overdue"
        return "valid"

    def days_left(self, today: datetime.date) -> int:
        return (self.valid_until - today).days


class DrillQuerySet(EnterpriseScopedQuerySet):
    def for_list(self) -> DrillQuerySet:
        return self.select_related("enterprise", "enterprise__township")


class Drill(models.Model):
    """疏散逃生演练 held by an enterprise (task 22): date (Asia/Shanghai), scenario, number of
    participants, evidence files (:class:`DrillEvidence`)."""

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="drills", verbose_name=_("enterprise")
    )
    held_on = models.DateField(_("held on"))
    scenario = models.CharField(_("scenario"), max_length=200)
    participants = models.PositiveIntegerField(_("participants"))
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = DrillQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("evacuation drill")
        verbose_name_plural = _("evacuation drills")
        indexes = [models.Index(fields=["enterprise", "held_on"])]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.held_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("training:drill_detail", args=[self.pk])


def evidence_path(instance: DrillEvidence, filename: str) -> str:
    return f"training/drills/{instance.drill_id}/{filename}"


class DrillEvidenceQuerySet(models.QuerySet):
    def visible_to(self, user) -> DrillEvidenceQuerySet:
        return self.filter(drill__in=Drill.objects.visible_to(user).values("pk"))


class DrillEvidence(models.Model):
    """A photo (re-encoded, EXIF stripped) or a document of a drill, checked by the shared
    upload policy (:mod:`yixian_safety.uploads`); served only through the scoped download view."""

    class Kind(models.TextChoices):
        PHOTO = "photo", _("photo")
        DOCUMENT = "document", _("document")

    drill = models.ForeignKey(Drill, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    content_hash = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = DrillEvidenceQuerySet.as_manager()

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("drill evidence")
        verbose_name_plural = _("drill evidence")

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("training:evidence", args=[self.pk])


class PrincipalInspectionQuerySet(EnterpriseScopedQuerySet):
    def for_list(self) -> PrincipalInspectionQuerySet:
        return self.select_related("enterprise", "enterprise__township")


class PrincipalInspection(models.Model):
    """主要负责人带队检查 of the enterprise's own major-hazard work (task 3): at least quarterly,
    monthly in high-risk sectors. ``hazards``: ledger hazards the inspection found."""

    enterprise = models.ForeignKey(
        Enterprise,
        on_delete=models.PROTECT,
        related_name="principal_inspections",
        verbose_name=_("enterprise"),
    )
    inspected_on = models.DateField(_("inspected on"))
    leader_name = models.CharField(_("led by"), max_length=40)
    findings = models.TextField(_("findings"), blank=True)
    hazards = models.ManyToManyField(
        Hazard, blank=True, related_name="principal_inspections", verbose_name=_("hazards found")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = PrincipalInspectionQuerySet.as_manager()

    class Meta:
        ordering = ["-inspected_on", "-pk"]
        verbose_name = _("principal-led inspection")
        verbose_name_plural = _("principal-led inspections")
        indexes = [models.Index(fields=["enterprise", "inspected_on"])]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.inspected_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("training:inspection_detail", args=[self.pk])


class RescueTeam(models.Model):
    """安全生产应急救援队伍 of a (high-risk) enterprise (task 22): its own team, or an agreement
    with a professional team (``agreement_with``)."""

    enterprise = models.ForeignKey(
        Enterprise,
        on_delete=models.PROTECT,
        related_name="rescue_teams",
        verbose_name=_("enterprise"),
    )
    name = models.CharField(_("team name"), max_length=120)
    members = models.PositiveIntegerField(_("members"))
    agreement_with = models.CharField(
        _("agreement with a professional team"), max_length=120, blank=True
    )
    established_on = models.DateField(_("established on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = EnterpriseScopedQuerySet.as_manager()

    class Meta:
        ordering = ["enterprise__name", "pk"]
        verbose_name = _("rescue team")
        verbose_name_plural = _("rescue teams")

    def __str__(self) -> str:
        return self.name
