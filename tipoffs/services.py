"""Writes of the tip-off system (task 25): submission by the public, the workflow, the one way
to read a reporter's identity (audited), rewards.

Every function is keyword-only, atomic and validated; a refusal is a ``ValidationError`` with a
Chinese message naming the field, or ``PermissionDenied``. State changes go through the
transition table on :class:`tipoffs.models.TipOff` and are recorded as :class:`TipOffEvent`.
"""

from __future__ import annotations

import datetime
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed, has_transition_perm
from stdnum.cn import ric

from campaigns.audit.models import AuditEvent
from campaigns.audit.services import audit_record
from campaigns.models import Department, Sector, Township
from campaigns.numbering.services import number_next
from hazards import services as hazard_services
from hazards.models import Enterprise, Hazard, Level, Source
from yixian_safety.uploads import clean_photo

from . import constants as c
from . import permissions
from .models import (
    EventAction,
    IdentityAccess,
    Outcome,
    Reward,
    Status,
    TipOff,
    TipOffEvent,
    TipOffPhoto,
    code_digest,
)

PHONE_RE = re.compile(r"^\+?[0-9][0-9 -]{4,28}[0-9]$")


def _today() -> datetime.date:
    return timezone.localdate()


def _due(days: int) -> datetime.date:
    return _today() + datetime.timedelta(days=days)


def _event(
    tipoff: TipOff, actor, action: str, note: str = "", from_status: str = "", to_status: str = ""
) -> TipOffEvent:
    return TipOffEvent.objects.create(
        tipoff=tipoff,
        actor=actor,
        action=action,
        note=note,
        from_status=from_status,
        to_status=to_status,
    )


def _check_triage(actor) -> None:
    if not permissions.can_triage(actor):
        raise PermissionDenied(_("You may not do this on this tip-off."))


def _locked(tipoff: TipOff) -> TipOff:
    return TipOff.objects.select_for_update().get(pk=tipoff.pk)


def _run(
    tipoff: TipOff, actor, name: str, *, action: str, note: str = "", fields: Iterable[str] = ()
) -> TipOff:
    """Run transition ``name`` (refused: ValidationError if not from here, PermissionDenied
    without the right), save ``status`` + ``fields`` and record the event."""
    method = getattr(tipoff, name)
    if not can_proceed(method):
        raise ValidationError(
            _("This step is not possible while the tip-off is “%(status)s”.")
            % {"status": tipoff.get_status_display()}
        )
    if not has_transition_perm(method, actor):
        raise PermissionDenied(_("You may not do this on this tip-off."))
    before = tipoff.status
    method()
    tipoff.save(update_fields=["status", *fields])
    _event(tipoff, actor, action, note, before, tipoff.status)
    return tipoff


def _require(value: str, field: str, message: str, max_length: int) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    if len(value) > max_length:
        raise ValidationError({field: _("At most %(n)s characters.") % {"n": max_length}})
    return value


# --- the public side ---------------------------------------------------------------------------


def _clean_identity(
    *, anonymous: bool, name: str, phone: str, email: str, id_number: str
) -> dict[str, str]:
    name, phone = (name or "").strip(), (phone or "").strip()
    email, id_number = (email or "").strip(), (id_number or "").strip().upper()
    if anonymous:
        return {
            "reporter_name": "",
            "reporter_phone": "",
            "reporter_email": "",
            "reporter_id_number": "",
        }
    errors = {}
    if not name:
        errors["reporter_name"] = _("Give your name, or choose to report anonymously.")
    elif len(name) > 40:
        errors["reporter_name"] = _("At most %(n)s characters.") % {"n": 40}
    if not phone and not email:
        errors["reporter_phone"] = _(
            "Give a phone number or an e-mail address so that we can "
            "reach you, or choose to report anonymously."
        )
    if phone and not PHONE_RE.match(phone):
        errors["reporter_phone"] = _("Not a phone number (digits, spaces, - and a leading +).")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["reporter_email"] = _("Not an e-mail address.")
    if id_number and not ric.is_valid(id_number):
        errors["reporter_id_number"] = _(
            "Not a valid resident ID number (18 characters with a correct check digit)."
        )
    if errors:
        raise ValidationError(errors)
    return {
        "reporter_name": name,
        "reporter_phone": phone,
        "reporter_email": email,
        "reporter_id_number": id_number,
    }


@transaction.atomic
def tipoff_submit(
    *,
    description: str,
    township: Township,
    address: str,
    observed_on: datetime.date,
    enterprise_name: str = "",
    anonymous: bool = True,
    reporter_name: str = "",
    reporter_phone: str = "",
    reporter_email: str = "",
    reporter_id_number: str = "",
    ip: str = "",
    photos: Iterable = (),
    channel: str = TipOff.Channel.WEB,
) -> tuple[TipOff, str]:
    """File a tip-off from the public (no account). Returns ``(tipoff, tracking_code)``: the
    code (``secrets.token_urlsafe``, 32 characters) is shown once and only its sha256 is kept.

    Anonymous: name, phone, e-mail, ID number and the client ``ip`` are not stored at all.
    Named: name and a phone or e-mail are required; the ID number (optional) must be a valid
    居民身份证号码; all of them and ``ip`` are stored encrypted. ``photos``: at most
    ``MAX_PHOTOS``, each through the shared photo policy (re-encoded, every metadata dropped).
    Raises ValidationError (nothing is saved). Source: task 25.
    """
    errors = {}
    description = (description or "").strip()
    if len(description) < c.DESCRIPTION_MIN:
        errors["description"] = _("Describe what you saw in at least %(n)s characters.") % {
            "n": c.DESCRIPTION_MIN
        }
    elif len(description) > c.DESCRIPTION_MAX:
        errors["description"] = _("At most %(n)s characters.") % {"n": c.DESCRIPTION_MAX}
    address = (address or "").strip()
    if not address:
        errors["address"] = _("Say where it is (village, street, house number or landmark).")
    elif len(address) > c.ADDRESS_MAX:
        errors["address"] = _("At most %(n)s characters.") % {"n": c.ADDRESS_MAX}
    enterprise_name = (enterprise_name or "").strip()
    if len(enterprise_name) > c.ENTERPRISE_NAME_MAX:
        errors["enterprise_name"] = _("At most %(n)s characters.") % {"n": c.ENTERPRISE_NAME_MAX}
    if observed_on is None:
        errors["observed_on"] = _("Give the date you saw it.")
    elif observed_on > _today():
        errors["observed_on"] = _("The date cannot be in the future.")
    elif observed_on < c.EARLIEST_OBSERVED_ON:
        errors["observed_on"] = _("The date cannot be before 2000-01-01.")
    photos = list(photos)
    if len(photos) > c.MAX_PHOTOS:
        errors["photos"] = _("At most %(n)s photos.") % {"n": c.MAX_PHOTOS}
    try:
        identity = _clean_identity(
            anonymous=anonymous,
            name=reporter_name,
            phone=reporter_phone,
            email=reporter_email,
            id_number=reporter_id_number,
        )
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    cleaned = []
    for upload in photos:
        try:
            cleaned.append(clean_photo(upload, max_bytes=c.MAX_PHOTO_BYTES))
        except ValidationError as exc:
            raise ValidationError({"photos": exc.messages}) from exc

    code = secrets.token_urlsafe(c.TRACKING_CODE_BYTES)
    year = _today().year
    tipoff = TipOff.objects.create(
        number=f"JB-{year}-{number_next(kind='tipoff', year=year):04d}",
        code_digest=code_digest(code),
        channel=channel,
        description=description,
        township=township,
        address=address,
        enterprise_name=enterprise_name,
        observed_on=observed_on,
        anonymous=anonymous,
        reporter_ip="" if anonymous else (ip or "")[:45],
        step_due_on=_due(c.TRIAGE_DAYS),
        **identity,
    )
    stored = []  # files are not transactional: a later failure deletes them with the rows
    try:
        for clean in cleaned:
            photo = TipOffPhoto(tipoff=tipoff, content_hash=clean.content_hash)
            # a random stored name: neither the reporter's file name nor the picture's hash
            photo.file.save(f"{secrets.token_hex(12)}.jpg", clean.content, save=False)
            stored.append(photo.file)
            photo.save()
        _event(tipoff, None, EventAction.RECEIVED, "", "", tipoff.status)
    except BaseException:
        for file in stored:
            file.storage.delete(file.name)
        raise
    return tipoff, code


def tipoff_for_code(code: str) -> TipOff | None:
    """The tip-off of a tracking code (``None`` when unknown or malformed)."""
    code = (code or "").strip()
    if not code or len(code) > c.TRACKING_CODE_MAX_LENGTH:
        return None
    return TipOff.objects.by_code(code).select_related("reward").first()


# --- triage (the safety office) --------------------------------------------------------------


@transaction.atomic
def tipoff_assign(*, tipoff: TipOff, actor, department: Department, note: str = "") -> TipOff:
    """交办: received (or assigned) → assigned to ``department`` (a lead department of a
    sector), which must start verifying within ``START_VERIFY_DAYS``."""
    _check_triage(actor)
    tipoff = _locked(tipoff)
    if department is None:
        raise ValidationError({"department": _("Choose the department.")})
    if tipoff.department_id == department.pk and tipoff.status == Status.ASSIGNED:
        raise ValidationError({"department": _("The tip-off is already assigned there.")})
    tipoff.department = department
    tipoff.step_due_on = _due(c.START_VERIFY_DAYS)
    label = department.short_name or department.name
    return _run(
        tipoff,
        actor,
        "assign",
        action=EventAction.ASSIGNED,
        note=f"→ {label}" + (f"：{note.strip()}" if note.strip() else ""),
        fields=["department", "step_due_on"],
    )


@transaction.atomic
def tipoff_dismiss(
    *,
    tipoff: TipOff,
    actor,
    outcome: str,
    public_reply: str,
    duplicate_of: TipOff | None = None,
    note: str = "",
) -> TipOff:
    """Close at triage as a duplicate (of ``duplicate_of``) or not in scope, with the public
    reply the reporter reads."""
    _check_triage(actor)
    tipoff = _locked(tipoff)
    if outcome not in (Outcome.DUPLICATE, Outcome.OUT_OF_SCOPE):
        raise ValidationError({"outcome": _("Choose duplicate or not in scope.")})
    reply = _require(
        public_reply, "public_reply", _("Write the reply the reporter will read."), 2000
    )
    if outcome == Outcome.DUPLICATE:
        if duplicate_of is None:
            raise ValidationError({"duplicate_of": _("Name the tip-off it duplicates.")})
        if duplicate_of.pk == tipoff.pk:
            raise ValidationError({"duplicate_of": _("A tip-off cannot duplicate itself.")})
    else:
        duplicate_of = None
    tipoff.outcome, tipoff.duplicate_of, tipoff.public_reply = outcome, duplicate_of, reply
    tipoff.closed_at, tipoff.step_due_on = timezone.now(), None
    text = Outcome(outcome).label + (f" {duplicate_of.number}" if duplicate_of else "")
    return _run(
        tipoff,
        actor,
        "dismiss",
        action=EventAction.DISMISSED,
        note=f"{text}" + (f"：{note.strip()}" if note.strip() else ""),
        fields=["outcome", "duplicate_of", "public_reply", "closed_at", "step_due_on"],
    )


# --- verification (the assigned department) --------------------------------------------------


def _check_verifier(tipoff: TipOff, actor) -> None:
    if not permissions.can_verify(actor, tipoff):
        raise PermissionDenied(_("Only the assigned department verifies this tip-off."))


@transaction.atomic
def tipoff_start_verification(*, tipoff: TipOff, actor, note: str = "") -> TipOff:
    """assigned → verifying; the department has ``VERIFY_DAYS`` to finish."""
    tipoff = _locked(tipoff)
    _check_verifier(tipoff, actor)
    tipoff.step_due_on = _due(c.VERIFY_DAYS)
    return _run(
        tipoff,
        actor,
        "start_verification",
        action=EventAction.VERIFICATION_STARTED,
        note=note.strip(),
        fields=["step_due_on"],
    )


@transaction.atomic
def tipoff_verify(
    *,
    tipoff: TipOff,
    actor,
    enterprise: Enterprise | None = None,
    merge_into: Hazard | None = None,
    sector: Sector | None = None,
    level: str = Level.MAJOR,
    criterion=None,
    location: str = "",
    note: str = "",
    deadline: datetime.date | None = None,
) -> TipOff:
    """查实: verifying → verified. The tip-off becomes a hazard of the ledger through
    :func:`hazards.services.hazard_report` with source 群众举报查实 (``Source.TIP_OFF``), found
    by "群众举报" — never the reporter's name —, its photos as before photos; with
    ``merge_into`` (a known hazard) the new report is merged into that hazard instead
    (:func:`hazards.services.hazards_merge`). The tip-off links the hazard it is shown under.
    A major hazard cites ``criterion``, the clause of the judgement standard it meets (the
    ledger's rule: refused on ``criterion`` without one where its sector has clauses).
    """
    tipoff = _locked(tipoff)
    _check_verifier(tipoff, actor)
    if merge_into is not None:
        enterprise = merge_into.enterprise
    if enterprise is None:
        raise ValidationError(
            {
                "enterprise": _(
                    "Choose the enterprise where the hazard is, or the known hazard it is part of."
                )
            }
        )
    photos = [p.file for p in tipoff.photos.all()]
    for f in photos:
        f.open("rb")
    try:
        hazard = hazard_services.hazard_report(
            actor=actor,
            enterprise=enterprise,
            source=Source.TIP_OFF,
            found_on=tipoff.observed_on,
            found_by=_("public tip-off %(number)s") % {"number": tipoff.number},
            location=(location or tipoff.address).strip()[:200],
            description=tipoff.description,
            level=level,
            criterion=criterion,
            sector=sector,
            deadline=deadline,
            before_photos=photos,
        )
    finally:
        for f in photos:
            f.close()
    shown = hazard
    if merge_into is not None:
        shown = hazard_services.hazards_merge(
            target=merge_into,
            reports=[hazard],
            actor=actor,
            reason=_("the same hazard, reported by tip-off %(number)s") % {"number": tipoff.number},
        )
    tipoff.hazard, tipoff.outcome = shown, Outcome.VERIFIED
    tipoff.verified_at, tipoff.step_due_on = timezone.now(), _due(c.CLOSE_DAYS)
    return _run(
        tipoff,
        actor,
        "verify",
        action=EventAction.VERIFIED,
        note=f"→ {shown.ledger_number}" + (f"：{note.strip()}" if note.strip() else ""),
        fields=["hazard", "outcome", "verified_at", "step_due_on"],
    )


@transaction.atomic
def tipoff_find_unverified(*, tipoff: TipOff, actor, reason: str) -> TipOff:
    """verifying → not verified, with the reason (internal; the reply is written at close)."""
    tipoff = _locked(tipoff)
    _check_verifier(tipoff, actor)
    reason = _require(reason, "reason", _("Give the reason."), 2000)
    tipoff.outcome = Outcome.NOT_VERIFIED
    tipoff.verified_at, tipoff.step_due_on = timezone.now(), _due(c.CLOSE_DAYS)
    return _run(
        tipoff,
        actor,
        "find_unverified",
        action=EventAction.NOT_VERIFIED,
        note=reason,
        fields=["outcome", "verified_at", "step_due_on"],
    )


@transaction.atomic
def tipoff_close(*, tipoff: TipOff, actor, public_reply: str) -> TipOff:
    """办结: verified / not verified → closed, with the public reply the reporter reads."""
    _check_triage(actor)
    tipoff = _locked(tipoff)
    tipoff.public_reply = _require(
        public_reply, "public_reply", _("Write the reply the reporter will read."), 2000
    )
    tipoff.closed_at, tipoff.step_due_on = timezone.now(), None
    return _run(
        tipoff,
        actor,
        "close",
        action=EventAction.CLOSED,
        fields=["public_reply", "closed_at", "step_due_on"],
    )


@transaction.atomic
def tipoff_reply(*, tipoff: TipOff, actor, public_reply: str) -> TipOff:
    """Write or change the public reply at any step (the office)."""
    _check_triage(actor)
    tipoff = _locked(tipoff)
    tipoff.public_reply = _require(
        public_reply, "public_reply", _("Write the reply the reporter will read."), 2000
    )
    tipoff.save(update_fields=["public_reply"])
    _event(tipoff, actor, EventAction.REPLIED)
    return tipoff


# --- the protected identity ------------------------------------------------------------------


@dataclass(frozen=True)
class Identity:
    """A reporter's identity as read by a permitted user (never stored or logged elsewhere)."""

    name: str
    phone: str
    email: str
    id_number: str
    ip: str


@transaction.atomic
def identity_reveal(*, tipoff: TipOff, actor, ip: str | None, reason: str) -> Identity:
    """The one way to read a reporter's identity: only for holders of the named role
    (``can_view_identity``), and each view is written to :class:`IdentityAccess` (who, when,
    from ``ip``, ``reason``). Raises PermissionDenied / ValidationError (reason required;
    anonymous tip-offs have no identity)."""
    if not permissions.can_view_identity(actor):
        raise PermissionDenied(_("Only the named tip-off receivers may read identities."))
    if tipoff.anonymous:
        raise ValidationError(_("This tip-off is anonymous: there is no identity to read."))
    reason = _require(reason, "reason", _("Give the reason for reading the identity."), 200)
    IdentityAccess.objects.create(tipoff=tipoff, who=actor, ip=ip or None, reason=reason)
    audit_record(
        action=AuditEvent.Action.IDENTITY_VIEW,
        user=actor,
        ip=ip or None,
        obj=tipoff,
        extra={"reason": reason},
    )
    fresh = TipOff.objects.get(pk=tipoff.pk)
    return Identity(
        name=fresh.reporter_name or "",
        phone=fresh.reporter_phone or "",
        email=fresh.reporter_email or "",
        id_number=fresh.reporter_id_number or "",
        ip=fresh.reporter_ip or "",
    )


def receiver_group() -> Group:
    """The auth Group of the named role (举报受理人) holding ``view_reporter_identity``."""
    group, _created = Group.objects.get_or_create(name=c.RECEIVER_GROUP)
    perm = Permission.objects.get(
        content_type__app_label="tipoffs", codename="view_reporter_identity"
    )
    group.permissions.add(perm)
    return group


@transaction.atomic
def receiver_grant(*, user, actor) -> None:
    """Name ``user`` a tip-off receiver (admins only)."""
    if not (actor.is_superuser or actor.has_perm("auth.change_group")):
        raise PermissionDenied
    user.groups.add(receiver_group())


@transaction.atomic
def tipoffs_reencrypt() -> int:
    """Re-save every identity with the current (first) key after a key rotation; returns the
    number of tip-offs rewritten (MultiFernet reads the old keys, writes the new one)."""
    count = 0
    for tipoff in TipOff.objects.select_for_update().exclude(anonymous=True).iterator():
        tipoff.save(
            update_fields=list(
                (
                    "reporter_name",
                    "reporter_phone",
                    "reporter_email",
                    "reporter_id_number",
                    "reporter_ip",
                )
            )
        )
        count += 1
    return count


# --- rewards ---------------------------------------------------------------------------------


@transaction.atomic
def reward_decide(
    *, tipoff: TipOff, actor, amount: Decimal, basis: str, decided_on: datetime.date
) -> Reward:
    """奖励决定 for a verified tip-off: ``amount`` in 元 (> 0, two decimals), ``basis`` (the
    rule applied). Changing a decision is allowed until it is paid."""
    if not permissions.can_decide_reward(actor):
        raise PermissionDenied(_("You may not decide rewards."))
    tipoff = _locked(tipoff)
    if tipoff.outcome != Outcome.VERIFIED:
        raise ValidationError(_("Only a verified tip-off can be rewarded."))
    if amount is None or amount <= 0 or amount > c.REWARD_MAX_YUAN:
        raise ValidationError(
            {
                "amount": _("The amount must be above 0 and at most %(max)s yuan.")
                % {"max": c.REWARD_MAX_YUAN}
            }
        )
    if amount.as_tuple().exponent < -2:
        raise ValidationError({"amount": _("At most two decimals (fen).")})
    basis = _require(basis, "basis", _("Give the basis of the reward."), 300)
    if decided_on is None or decided_on > _today():
        raise ValidationError({"decided_on": _("The date cannot be in the future.")})
    reward = Reward.objects.filter(tipoff=tipoff).first()
    if reward is not None and reward.is_paid:
        raise ValidationError(_("The reward is already paid."))
    if reward is None:
        reward = Reward(tipoff=tipoff)
    reward.amount, reward.basis, reward.decided_on, reward.decided_by = (
        amount,
        basis,
        decided_on,
        actor,
    )
    reward.full_clean()
    reward.save()
    _event(tipoff, actor, EventAction.REWARD_DECIDED, f"¥{amount}：{basis}")
    return reward


@transaction.atomic
def reward_pay(
    *, tipoff: TipOff, actor, paid_on: datetime.date, method: str, receipt: str
) -> Reward:
    """Record the payment of a decided reward: date, method, receipt number."""
    if not permissions.can_decide_reward(actor):
        raise PermissionDenied(_("You may not decide rewards."))
    reward = Reward.objects.select_for_update().filter(tipoff=tipoff).first()
    if reward is None:
        raise ValidationError(_("Decide the reward first."))
    if reward.is_paid:
        raise ValidationError(_("The reward is already paid."))
    if method not in Reward.Method.values:
        raise ValidationError({"method": _("Choose the payment method.")})
    if paid_on is None or paid_on > _today() or paid_on < reward.decided_on:
        raise ValidationError(
            {"paid_on": _("The payment date must be between the decision and today.")}
        )
    reward.receipt = _require(receipt, "receipt", _("Give the receipt number."), 60)
    reward.paid_on, reward.method, reward.paid_by = paid_on, method, actor
    reward.save()
    _event(tipoff, actor, EventAction.REWARD_PAID, f"¥{reward.amount}")
    return reward


# --- enterprises' internal reporting schemes ---------------------------------------------------


@transaction.atomic
def reporting_scheme_save(
    *,
    enterprise: Enterprise,
    actor,
    has_scheme: bool,
    established_on: datetime.date | None = None,
    rewards_paid_count: int = 0,
    rewards_paid_yuan: Decimal = Decimal(0),
    note: str = "",
):
    """Record an enterprise's internal reporting reward scheme (事故隐患内部报告奖励机制):
    for users who may change the enterprise and see it (else PermissionDenied). No scheme →
    no date and no rewards."""
    from .models import ReportingScheme

    if not (
        actor.has_perm("hazards.change_enterprise")
        and Enterprise.objects.visible_to(actor).filter(pk=enterprise.pk).exists()
    ):
        raise PermissionDenied(_("You may not do this on this enterprise."))
    errors = {}
    if established_on is not None and established_on > _today():
        errors["established_on"] = _("The date cannot be in the future.")
    if rewards_paid_count is None or rewards_paid_count < 0:
        errors["rewards_paid_count"] = _("Not a count.")
    if rewards_paid_yuan is None or rewards_paid_yuan < 0:
        errors["rewards_paid_yuan"] = _("The amount cannot be negative.")
    if not has_scheme and (established_on or rewards_paid_count or rewards_paid_yuan):
        errors["has_scheme"] = _("Without a scheme there is no date and no rewards paid.")
    if errors:
        raise ValidationError(errors)
    scheme, _created = ReportingScheme.objects.update_or_create(
        enterprise=enterprise,
        defaults=dict(
            has_scheme=has_scheme,
            established_on=established_on,
            rewards_paid_count=rewards_paid_count,
            rewards_paid_yuan=rewards_paid_yuan,
            note=(note or "").strip()[:300],
            updated_by=actor,
        ),
    )
    return scheme
