"""Public tip-offs (举报), the audit of identity views, and rewards (source: 实施方案 task 25,
落实各行业领域安全生产举报制度机制，落实奖励资金、完善保密制度).

The workflow is ONE transition table: the ``@transition`` methods on :class:`TipOff`
(django-fsm-2, protected ``status``), called only by :mod:`tipoffs.services`::

    received ──assign──▶ assigned ──start_verification──▶ verifying ──verify──▶ verified ──┐
       │   ▲──assign (another department)──┘                  └──find_unverified──▶ not_verified ─┤
       └──dismiss (duplicate / not in scope)──▶ closed ◀──────────────close (public reply)────┘

Confidentiality (保密制度): the reporter's name, phone, e-mail, ID number and IP are Fernet-
encrypted columns (django-fernet-encrypted-fields; keys: settings ``FIELD_ENCRYPTION_KEY``). They
are read only by :func:`tipoffs.services.identity_reveal`, which checks the named role and writes
an :class:`IdentityAccess` row; every other page, export, API and notification shows
``identity_label`` (匿名 / 实名（已保护）).
"""

from __future__ import annotations

import datetime
import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField, FSMModelMixin, transition
from encrypted_fields.fields import EncryptedCharField, EncryptedEmailField

from campaigns.models import Department, Township
from campaigns.org.scoping import scope_for
from hazards.models import Hazard


class Status(models.TextChoices):
    RECEIVED = "received", pgettext_lazy("tip-off", "received")
    ASSIGNED = "assigned", pgettext_lazy("tip-off", "assigned to a department")
    VERIFYING = "verifying", pgettext_lazy("tip-off", "being verified")
    VERIFIED = "verified", pgettext_lazy("tip-off", "verified")
    NOT_VERIFIED = "not_verified", pgettext_lazy("tip-off", "not verified")
    CLOSED = "closed", pgettext_lazy("tip-off", "closed")


class Outcome(models.TextChoices):
    """How a tip-off ended (set when it leaves triage or verification)."""

    DUPLICATE = "duplicate", pgettext_lazy("tip-off", "duplicate")
    OUT_OF_SCOPE = "out_of_scope", pgettext_lazy("tip-off", "not in scope")
    VERIFIED = "verified", pgettext_lazy("tip-off", "verified")
    NOT_VERIFIED = "not_verified", pgettext_lazy("tip-off", "not verified")


class Channel(models.TextChoices):
    WEB = "web", _("public web page")
    PHONE = "phone", _("telephone (12350)")
    LETTER = "letter", _("letter")
    VISIT = "visit", _("in person")


class PublicStatus(models.TextChoices):
    """What the reporter sees on the status page (nothing else about the case)."""

    ACCEPTED = "accepted", pgettext_lazy("tip-off", "accepted")
    VERIFYING = "verifying", pgettext_lazy("tip-off", "being verified")
    VERIFIED = "verified", pgettext_lazy("tip-off", "verified")
    NOT_VERIFIED = "not_verified", pgettext_lazy("tip-off", "not verified")
    CLOSED = "closed", pgettext_lazy("tip-off", "closed")


OPEN_STATUSES = (
    Status.RECEIVED,
    Status.ASSIGNED,
    Status.VERIFYING,
    Status.VERIFIED,
    Status.NOT_VERIFIED,
)
IDENTITY_FIELDS = (
    "reporter_name",
    "reporter_phone",
    "reporter_email",
    "reporter_id_number",
    "reporter_ip",
)


def code_digest(code: str) -> str:
    """sha256 (hex) of a tracking code: what the database keeps instead of the code."""
    return hashlib.sha256(code.strip().encode("utf-8")).hexdigest()


def step_overdue_q(today: datetime.date) -> Q:
    """Open and past the deadline of the current step (``step_due_on``, Asia/Shanghai)."""
    return Q(status__in=OPEN_STATUSES, step_due_on__lt=today)


class TipOffQuerySet(models.QuerySet):
    def visible_to(self, user) -> TipOffQuerySet:
        """Safety office/admin (with ``view_tipoff``): all; department staff: the tip-offs
        assigned to their department; everyone else: none. Identities are never part of it."""
        if not getattr(user, "is_authenticated", False) or not user.has_perm("tipoffs.view_tipoff"):
            return self.none()
        scope = scope_for(user)
        if scope.everything:
            return self.all()
        if scope.department_ids:
            return self.filter(department_id__in=scope.department_ids)
        return self.none()

    def open(self) -> TipOffQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def step_overdue(self, today: datetime.date) -> TipOffQuerySet:
        return self.filter(step_overdue_q(today))

    def by_code(self, code: str) -> TipOffQuerySet:
        return self.filter(code_digest=code_digest(code))

    def for_list(self) -> TipOffQuerySet:
        return self.select_related("township", "department", "hazard", "reward")


class TipOff(FSMModelMixin, models.Model):
    """A tip-off (举报) from the public, numbered ``JB-<year>-<4 digits>`` for staff; the
    reporter holds only the tracking code (its sha256 is ``code_digest``).

    ``step_due_on``: deadline of the current step (see :mod:`tipoffs.constants`). A verified
    tip-off links the ``hazard`` it became (source 群众举报查实; merged into an existing hazard
    when it was already known)."""

    Status = Status
    Outcome = Outcome
    Channel = Channel

    number = models.CharField(_("number"), max_length=20, unique=True)
    code_digest = models.CharField(max_length=64, unique=True, editable=False)
    channel = models.CharField(
        _("channel"), max_length=10, choices=Channel.choices, default=Channel.WEB
    )
    description = models.TextField(_("what was seen"))
    township = models.ForeignKey(
        Township, on_delete=models.PROTECT, related_name="tipoffs", verbose_name=_("township")
    )
    address = models.CharField(_("address"), max_length=200)
    enterprise_name = models.CharField(
        _("enterprise (as named by the reporter)"), max_length=120, blank=True
    )
    observed_on = models.DateField(_("seen on"))
    anonymous = models.BooleanField(_("anonymous"), default=True)
    # --- the protected identity (encrypted at rest; never in lists, exports or the API) ---
    # null=True: the library stores an empty value as NULL (no ciphertext for "nothing").
    reporter_name = EncryptedCharField(_("reporter name"), max_length=40, blank=True, null=True)  # noqa: DJ001
    reporter_phone = EncryptedCharField(_("reporter phone"), max_length=30, blank=True, null=True)  # noqa: DJ001
    reporter_email = EncryptedEmailField(
        _("reporter e-mail"), max_length=254, blank=True, null=True
    )  # noqa: DJ001
    reporter_id_number = EncryptedCharField(
        _("reporter ID number"), max_length=18, blank=True, null=True
    )  # noqa: DJ001
    reporter_ip = EncryptedCharField(_("reporter IP address"), max_length=45, blank=True, null=True)  # noqa: DJ001
    # --- the workflow ---
    status = FSMField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED, protected=True
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tipoffs",
        verbose_name=_("assigned department"),
    )
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("duplicate of"),
    )
    hazard = models.ForeignKey(
        Hazard,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tipoffs",
        verbose_name=_("hazard"),
    )
    step_due_on = models.DateField(_("current step due on"), null=True, blank=True)
    public_reply = models.TextField(_("public reply"), blank=True)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)
    verified_at = models.DateTimeField(_("verification finished at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    objects = TipOffQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("tip-off")
        verbose_name_plural = _("tip-offs")
        permissions = [
            ("triage_tipoff", _("Can triage, assign, close and answer tip-offs")),
            ("verify_tipoff", _("Can verify tip-offs assigned to the own department")),
            ("export_tipoff", _("Can export tip-offs (without identities)")),
            ("decide_reward", _("Can decide and pay tip-off rewards")),
            ("view_reporter_identity", _("Can read the protected identity of a reporter")),
        ]
        indexes = [models.Index(fields=["status", "step_due_on"])]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("tipoffs:detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def has_identity(self) -> bool:
        """Named (实名) tip-off: the reporter left a name."""
        return not self.anonymous

    @property
    def identity_label(self) -> str:
        """What staff see in place of the identity: 匿名 or 实名（已保护）."""
        return str(_("named (protected)") if self.has_identity else _("anonymous"))

    @property
    def public_status(self) -> str:
        return {
            Status.RECEIVED: PublicStatus.ACCEPTED,
            Status.ASSIGNED: PublicStatus.ACCEPTED,
            Status.VERIFYING: PublicStatus.VERIFYING,
            Status.VERIFIED: PublicStatus.VERIFIED,
            Status.NOT_VERIFIED: PublicStatus.NOT_VERIFIED,
            Status.CLOSED: PublicStatus.CLOSED,
        }[self.status]

    def get_public_status_display(self) -> str:
        return str(PublicStatus(self.public_status).label)

    def is_step_overdue(self, today: datetime.date) -> bool:
        return bool(self.is_open and self.step_due_on and self.step_due_on < today)

    def transitions_here(self) -> set[str]:
        """Names of the transitions the table allows from the current status."""
        return {
            t.name for t in self.get_all_status_transitions() if t.source in (self.status, "*", "+")
        }

    # --- the transition table (called only by tipoffs.services) ------------------------------
    @transition(
        field=status,
        source=[Status.RECEIVED, Status.ASSIGNED],
        target=Status.ASSIGNED,
        permission="tipoffs.triage_tipoff",
    )
    def assign(self):
        """交办: to the department that verifies it (again: to another department)."""

    @transition(
        field=status,
        source=Status.RECEIVED,
        target=Status.CLOSED,
        permission="tipoffs.triage_tipoff",
    )
    def dismiss(self):
        """A duplicate or not in scope: closed at triage, with a public reply."""

    @transition(
        field=status,
        source=Status.ASSIGNED,
        target=Status.VERIFYING,
        permission="tipoffs.verify_tipoff",
    )
    def start_verification(self):
        """The department starts checking on site."""

    @transition(
        field=status,
        source=Status.VERIFYING,
        target=Status.VERIFIED,
        permission="tipoffs.verify_tipoff",
    )
    def verify(self):
        """查实: becomes a hazard of the ledger (or is merged into a known one)."""

    @transition(
        field=status,
        source=Status.VERIFYING,
        target=Status.NOT_VERIFIED,
        permission="tipoffs.verify_tipoff",
    )
    def find_unverified(self):
        """Not found as reported (a reason is required)."""

    @transition(
        field=status,
        source=[Status.VERIFIED, Status.NOT_VERIFIED],
        target=Status.CLOSED,
        permission="tipoffs.triage_tipoff",
    )
    def close(self):
        """办结 with the public reply the reporter reads."""


class TipOffPhoto(models.Model):
    """A photo of a tip-off: re-encoded JPEG without any metadata (``clean_photo``), stored
    under a random name (never the reporter's file name); served only through the scoped view."""

    tipoff = models.ForeignKey(TipOff, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(_("file"), upload_to="tipoffs/%Y/%m/", max_length=200)
    content_hash = models.CharField(max_length=64, db_index=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("tip-off photo")
        verbose_name_plural = _("tip-off photos")

    def __str__(self) -> str:
        return f"{self.tipoff_id}/{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("tipoffs:photo", args=[self.pk])


class EventAction(models.TextChoices):
    RECEIVED = "received", pgettext_lazy("tip-off", "received")
    ASSIGNED = "assigned", pgettext_lazy("tip-off", "assigned")
    DISMISSED = "dismissed", pgettext_lazy("tip-off", "dismissed at triage")
    VERIFICATION_STARTED = "verification_started", pgettext_lazy("tip-off", "verification started")
    VERIFIED = "verified", pgettext_lazy("tip-off", "verified")
    NOT_VERIFIED = "not_verified", pgettext_lazy("tip-off", "not verified")
    CLOSED = "closed", pgettext_lazy("tip-off", "closed")
    REPLIED = "replied", pgettext_lazy("tip-off", "public reply changed")
    REWARD_DECIDED = "reward_decided", pgettext_lazy("tip-off", "reward decided")
    REWARD_PAID = "reward_paid", pgettext_lazy("tip-off", "reward paid")


class TipOffEvent(models.Model):
    """One step of a tip-off's timeline: who (none: the public), when, what, note."""

    tipoff = models.ForeignKey(TipOff, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    action = models.CharField(_("action"), max_length=30, choices=EventAction.choices)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    note = models.TextField(_("note"), blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("tip-off event")
        verbose_name_plural = _("tip-off events")

    def __str__(self) -> str:
        return f"{self.tipoff_id} {self.action}"


class IdentityAccessQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("IdentityAccess is append-only")

    def delete(self):
        raise TypeError("IdentityAccess is append-only")


class IdentityAccess(models.Model):
    """Audit trail of the protected identity: every view of a reporter's identity — who, when,
    from where (the viewer's address), why. Append-only (no update, no delete; read-only admin).
    """

    tipoff = models.ForeignKey(
        TipOff,
        on_delete=models.PROTECT,
        related_name="identity_accesses",
        verbose_name=_("tip-off"),
    )
    who = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("who")
    )
    when = models.DateTimeField(_("when"), auto_now_add=True)
    ip = models.GenericIPAddressField(_("from (address)"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=200)

    objects = IdentityAccessQuerySet.as_manager()

    class Meta:
        ordering = ["-when", "-pk"]
        verbose_name = _("identity access")
        verbose_name_plural = _("identity accesses")

    def __str__(self) -> str:
        return f"{self.tipoff_id} {self.who_id} {self.when:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        # An audit trail that can be rewritten is no audit trail.
        if self.pk is not None:
            raise TypeError("IdentityAccess is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("IdentityAccess is append-only")


class RewardQuerySet(models.QuerySet):
    def visible_to(self, user) -> RewardQuerySet:
        """Rewards of the tip-offs the user may see, for holders of ``view_reward``."""
        if not getattr(user, "is_authenticated", False) or not user.has_perm("tipoffs.view_reward"):
            return self.none()
        return self.filter(tipoff__in=TipOff.objects.visible_to(user))


class Reward(models.Model):
    """奖励: the decision (amount in 元, basis, decided by, on) and the payment (paid on,
    method, receipt number) for a verified tip-off. The reporter sees the amount and whether it
    is paid through the tracking code; staff never see who receives it."""

    class Method(models.TextChoices):
        BANK = "bank", _("bank transfer")
        CASH = "cash", _("cash against receipt")
        MOBILE = "mobile", _("mobile payment")

    tipoff = models.OneToOneField(
        TipOff, on_delete=models.PROTECT, related_name="reward", verbose_name=_("tip-off")
    )
    amount = models.DecimalField(_("amount (yuan)"), max_digits=10, decimal_places=2)
    basis = models.CharField(_("basis"), max_length=300)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_on = models.DateField(_("decided on"))
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    method = models.CharField(
        _("payment method"), max_length=10, choices=Method.choices, blank=True
    )
    receipt = models.CharField(_("receipt number"), max_length=60, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("payment recorded by"),
    )

    objects = RewardQuerySet.as_manager()

    class Meta:
        ordering = ["-decided_on", "-pk"]
        verbose_name = _("reward")
        verbose_name_plural = _("rewards")

    def __str__(self) -> str:
        return f"{self.tipoff} ¥{self.amount}"

    @property
    def is_paid(self) -> bool:
        return self.paid_on is not None


class ReportingScheme(models.Model):
    """An enterprise's internal hazard-reporting reward scheme (事故隐患内部报告奖励机制, task
    25's second half): whether it has one, since when, and the rewards it paid its staff
    (count, 元), as last recorded by an official; shown on the enterprise page."""

    enterprise = models.OneToOneField(
        "hazards.Enterprise",
        on_delete=models.CASCADE,
        related_name="reporting_scheme",
        verbose_name=_("enterprise"),
    )
    has_scheme = models.BooleanField(_("has an internal reporting reward scheme"))
    established_on = models.DateField(_("established on"), null=True, blank=True)
    rewards_paid_count = models.PositiveIntegerField(_("internal rewards paid (count)"), default=0)
    rewards_paid_yuan = models.DecimalField(
        _("internal rewards paid (yuan)"), max_digits=12, decimal_places=2, default=0
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    updated_at = models.DateTimeField(_("recorded at"), auto_now=True)

    class Meta:
        verbose_name = _("internal reporting scheme")
        verbose_name_plural = _("internal reporting schemes")

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.has_scheme}"
