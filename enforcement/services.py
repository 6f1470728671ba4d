"""Writes of supervision and escalation (source: 实施方案 tasks 5, 15, 16, 26).

Every service is atomic, keyword-only, checks rights (``PermissionDenied`` → 403) and input
(``ValidationError`` with a Chinese message naming the field → 400 / form error), and records who
did what and when. The hazard's own lifecycle is touched only through hazards.services
(``hazard_set_deadline``) and through the hook :func:`ensure_listing_signoff` that
``hazards.services.hazard_close`` calls.
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from campaigns.calendar.selectors import fallback_notices
from campaigns.numbering.services import number_next
from hazards.models import Hazard, Level, Status, overdue_q
from hazards.services import hazard_set_deadline
from yixian_safety.dates import today_local

from . import permissions
from .constants import (
    DOCUMENT_CODES,
    DOCUMENT_PREFIX,
    ESCALATION_COOLDOWN_DAYS,
    NOTICE_TEXT_MAX,
    DocumentKind,
)
from .models import (
    LADDER,
    EscalationRule,
    EscalationStep,
    ExtensionRequest,
    Listing,
    ListingBody,
    ListingProgressReport,
    StepKind,
    TargetKind,
    Trigger,
    target_key,
)
from .selectors import (
    GROUP_FIELDS,
    UNIT_MODELS,
    days_overdue_expr,
    major_hazards,
    past_deadline_q,
)
from .workdays import latest_filing_date, min_working_days, working_days_at_least

log = logging.getLogger(__name__)


def _bounded(value: str, field: str) -> str:
    """``value`` stripped; refused when longer than ``NOTICE_TEXT_MAX`` (it goes on a PDF)."""
    value = (value or "").strip()
    if len(value) > NOTICE_TEXT_MAX:
        raise ValidationError(
            {
                field: _("This text is %(length)s characters long: at most %(max)s.")
                % {"length": len(value), "max": NOTICE_TEXT_MAX}
            }
        )
    return value


def _require(value: str, field: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: _("Please give a reason.")})
    return value


# ---------------------------------------------------------------------------------------------
# Document numbers (文号)


def _transition(obj, name: str, refused: str) -> None:
    """Run transition ``name`` of ``obj``'s table (django-fsm); ``refused`` is the message of
    the ValidationError when the current status does not allow it."""
    method = getattr(obj, name)
    if not can_proceed(method):
        raise ValidationError(refused)
    method()


def document_number_allocate(*, kind: str, year: int) -> str:
    """Next 文号 of ``kind`` in ``year``, e.g. ``黟安督〔2026〕7号``; safe under concurrency (the
    (year, kind) counter row stays locked until the caller's transaction ends)."""
    number = number_next(kind=kind, year=year)
    return f"{DOCUMENT_PREFIX}{DOCUMENT_CODES[DocumentKind(kind)]}〔{year}〕{number}号"


# ---------------------------------------------------------------------------------------------
# Listed supervision (挂牌督办)


def _locked_listing(listing: Listing) -> Listing:
    return Listing.objects.select_for_update().select_related("hazard").get(pk=listing.pk)


@transaction.atomic
def listing_create(
    *,
    hazard: Hazard,
    actor,
    listing_body: str,
    listed_on: datetime.date,
    required_completion: datetime.date,
    responsible_unit: str,
    batch: str = "",
    requirements: str = "",
) -> Listing:
    """List an open major hazard (挂牌督办) and number its listing notice (黟安督〔year〕n号,
    year of ``listed_on``). One active listing per hazard."""
    if not permissions.can_list(actor):
        raise PermissionDenied
    hazard = Hazard.objects.select_for_update().get(pk=hazard.pk)
    if hazard.level != Level.MAJOR or not hazard.is_open or hazard.status == Status.REPORTED:
        raise ValidationError(
            {"hazard": _("Only a confirmed, open major hazard can be listed for supervision.")}
        )
    if Listing.objects.filter(hazard=hazard, status=Listing.Status.LISTED).exists():
        raise ValidationError(
            {
                "hazard": _("%(number)s is already listed for supervision.")
                % {"number": hazard.ledger_number}
            }
        )
    if listing_body not in ListingBody.values:
        raise ValidationError({"listing_body": _("Choose the listing body.")})
    if required_completion < listed_on:
        raise ValidationError(
            {"required_completion": _("The required completion date is before the listing date.")}
        )
    responsible_unit = (responsible_unit or "").strip()
    if not responsible_unit:
        raise ValidationError({"responsible_unit": _("Name the responsible unit.")})
    return Listing.objects.create(
        hazard=hazard,
        batch=batch.strip(),
        listing_body=listing_body,
        listed_on=listed_on,
        required_completion=required_completion,
        responsible_unit=responsible_unit,
        requirements=_bounded(requirements, "requirements"),
        listed_by=actor,
        document_number=document_number_allocate(kind=DocumentKind.LISTING, year=listed_on.year),
    )


@transaction.atomic
def listing_report_progress(
    *, listing: Listing, actor, progress: str, on: datetime.date | None = None
) -> ListingProgressReport:
    """The quarterly progress report of an active listing for the quarter of ``on`` (today,
    Asia/Shanghai). One per quarter; a quarter that has passed cannot be reported any more (it
    stays flagged as missed)."""
    listing = _locked_listing(listing)
    if not permissions.can_report_progress(actor, listing):
        raise PermissionDenied
    if not listing.is_active:
        raise ValidationError(_("This hazard has been delisted."))
    progress = (progress or "").strip()
    if not progress:
        raise ValidationError({"progress": _("Describe the progress of the rectification.")})
    on = on or today_local()
    if on < listing.listed_on:
        raise ValidationError({"reported_on": _("The report date is before the listing date.")})
    quarter = (on.month - 1) // 3 + 1
    if ListingProgressReport.objects.filter(
        listing=listing, year=on.year, quarter=quarter
    ).exists():
        raise ValidationError(
            {
                "progress": _("The progress of %(year)s Q%(quarter)s has already been reported.")
                % {"year": on.year, "quarter": quarter}
            }
        )
    return ListingProgressReport.objects.create(
        listing=listing,
        year=on.year,
        quarter=quarter,
        progress=progress,
        reported_on=on,
        reported_by=actor,
    )


@transaction.atomic
def listing_sign_off(*, listing: Listing, actor) -> Listing:
    """The listing body agrees to the closure (销号) of an accepted listed hazard."""
    listing = _locked_listing(listing)
    if not permissions.acts_for_listing_body(actor):
        raise PermissionDenied
    if not listing.is_active:
        raise ValidationError(_("This hazard has been delisted."))
    if listing.hazard.status != Status.ACCEPTED:
        raise ValidationError(_("The listing body signs off after the acceptance check passed."))
    if listing.signed_off_at is None:
        listing.signed_off_by = actor
        listing.signed_off_at = timezone.now()
        listing.save(update_fields=["signed_off_by", "signed_off_at"])
    return listing


def ensure_listing_signoff(*, hazard: Hazard, actor) -> None:
    """Hook of ``hazards.services.hazard_close``: a hazard under active listed supervision closes
    only with the listing body's sign-off. If the closing user acts for the listing body, closing
    is the sign-off (recorded on the listing); otherwise an earlier sign-off must exist."""
    listing = (
        Listing.objects.select_for_update()
        .filter(hazard=hazard, status=Listing.Status.LISTED)
        .first()
    )
    if listing is None or listing.signed_off_at is not None:
        return
    if permissions.acts_for_listing_body(actor):
        listing.signed_off_by = actor
        listing.signed_off_at = timezone.now()
        listing.save(update_fields=["signed_off_by", "signed_off_at"])
        return
    raise ValidationError(
        _(
            "%(number)s is under listed supervision (%(doc)s): its closure needs the sign-off of "
            "%(body)s first."
        )
        % {
            "number": hazard.ledger_number,
            "doc": listing.document_number,
            "body": listing.get_listing_body_display(),
        },
        code="listing_signoff",
    )


@transaction.atomic
def listing_delist(
    *, listing: Listing, actor, note: str = "", on: datetime.date | None = None
) -> Listing:
    """摘牌 after the hazard was closed: records the date and numbers the delisting notice
    (黟安摘〔year〕n号)."""
    listing = _locked_listing(listing)
    if not permissions.acts_for_listing_body(actor):
        raise PermissionDenied
    if not listing.is_active:
        raise ValidationError(_("This hazard has been delisted."))
    if listing.hazard.status != Status.CLOSED:
        raise ValidationError(_("A listed hazard is delisted after its closure (销号)."))
    on = on or today_local()
    _transition(listing, "delist", _("This hazard has been delisted."))
    listing.delisted_on = on
    listing.delisted_by = actor
    listing.delisting_note = _bounded(note, "note")
    listing.delisting_document_number = document_number_allocate(
        kind=DocumentKind.DELISTING, year=on.year
    )
    listing.save(
        update_fields=[
            "status",
            "delisted_on",
            "delisted_by",
            "delisting_note",
            "delisting_document_number",
        ]
    )
    return listing


# ---------------------------------------------------------------------------------------------
# Deadline extensions (延期)


@transaction.atomic
def extension_request(
    *,
    hazard: Hazard,
    actor,
    requested_deadline: datetime.date,
    reason: str,
    on: datetime.date | None = None,
) -> ExtensionRequest:
    """File an extension (延期) of an open hazard's rectification deadline.

    Must be filed no later than N Chinese working days (statutory holidays and make-up workdays
    from the working-day calendar, :mod:`campaigns.calendar`; N = setting
    EXTENSION_MIN_WORKING_DAYS, default 15) before the current deadline: a late request is
    recorded and refused at once, with the count in the decision note (and the weekends-only
    notice when a year counted is not entered yet). ``working_days_before`` is recounted when
    such a year is entered later. Raises ValidationError for bad input (nothing saved)."""
    hazard = (
        Hazard.objects.select_for_update(of=("self",))
        .select_related("rectification")
        .get(pk=hazard.pk)
    )
    if not permissions.can_request_extension(actor, hazard):
        raise PermissionDenied
    reason = _require(reason, "reason")
    rect = getattr(hazard, "rectification", None)
    if not hazard.is_open or rect is None or rect.deadline is None:
        raise ValidationError(
            _("Only an open hazard with a rectification deadline can be extended.")
        )
    if requested_deadline is None or requested_deadline <= rect.deadline:
        raise ValidationError(
            {
                "requested_deadline": _(
                    "The new deadline must be after the current deadline (%(deadline)s)."
                )
                % {"deadline": rect.deadline.isoformat()}
            }
        )
    if ExtensionRequest.objects.filter(
        hazard=hazard, status=ExtensionRequest.Status.REQUESTED
    ).exists():
        raise ValidationError(_("An extension of this hazard is already waiting for a decision."))
    on = on or today_local()
    n = min_working_days()
    days = working_days_at_least(on, rect.deadline, n)
    listing = Listing.objects.filter(hazard=hazard, status=Listing.Status.LISTED).first()
    ext = ExtensionRequest(
        hazard=hazard,
        listing=listing,
        current_deadline=rect.deadline,
        requested_deadline=requested_deadline,
        reason=reason,
        filed_on=on,
        working_days_before=days,
        requested_by=actor,
    )
    if days < n:
        latest = latest_filing_date(rect.deadline, n)
        _transition(ext, "refuse", "")
        ext.decided_at = timezone.now()
        with translation.override(settings.LANGUAGE_CODE):  # stored: in the site language
            ext.decision_note = _(
                "Filed too late: %(days)s working days before the deadline %(deadline)s, at "
                "least %(n)s are required (statutory holidays excluded, make-up workdays "
                "included); the last filing day was %(latest)s."
            ) % {
                "days": days,
                "deadline": rect.deadline.isoformat(),
                "n": n,
                "latest": latest.isoformat(),
            }
            notices = fallback_notices(on, rect.deadline - datetime.timedelta(days=1))
            if notices:
                ext.decision_note += " " + " ".join(notices)
    ext.save()
    return ext


def _locked_extension(extension: ExtensionRequest) -> ExtensionRequest:
    return (
        ExtensionRequest.objects.select_for_update(of=("self",))
        .select_related("hazard", "listing")
        .get(pk=extension.pk)
    )


@transaction.atomic
def extension_approve(*, extension: ExtensionRequest, actor, note: str = "") -> ExtensionRequest:
    """Approve: the hazard's deadline moves to the requested date through
    ``hazards.services.hazard_set_deadline`` (a timeline event); a listed hazard's required
    completion date moves with it."""
    ext = _locked_extension(extension)
    if not permissions.can_decide_extension(actor, ext):
        raise PermissionDenied
    _transition(ext, "approve", _("This extension has already been decided."))
    rect = getattr(
        Hazard.objects.select_related("rectification").get(pk=ext.hazard_id), "rectification", None
    )
    if rect is None or rect.deadline != ext.current_deadline:
        raise ValidationError(_("The deadline has changed since the request was filed."))
    ext.decided_by = actor
    ext.decided_at = timezone.now()
    ext.decision_note = (note or "").strip()
    ext.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    hazard_set_deadline(
        hazard=ext.hazard,
        deadline=ext.requested_deadline,
        actor=actor,
        reason=_("extension approved: %(reason)s") % {"reason": ext.reason},
    )
    if ext.listing_id and ext.listing.is_active:
        Listing.objects.filter(pk=ext.listing_id).update(required_completion=ext.requested_deadline)
    return ext


@transaction.atomic
def extension_refuse(*, extension: ExtensionRequest, actor, note: str) -> ExtensionRequest:
    """Refuse with a reason; the deadline stays."""
    ext = _locked_extension(extension)
    if not permissions.can_decide_extension(actor, ext):
        raise PermissionDenied
    note = _require(note, "note")
    _transition(ext, "refuse", _("This extension has already been decided."))
    ext.decided_by = actor
    ext.decided_at = timezone.now()
    ext.decision_note = note
    ext.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    return ext


# ---------------------------------------------------------------------------------------------
# Escalation ladder (函告 / 通报 / 约谈 / 曝光)


def _candidates(rule: EscalationRule, today: datetime.date) -> dict[int, tuple[list[int], str]]:
    """{unit id: (hazard ids concerned, grounds)} of the units for which ``rule`` fires."""
    field = GROUP_FIELDS[rule.target]
    hazards = major_hazards()
    units: dict[int, list[int]] = defaultdict(list)
    grounds: dict[int, str] = {}
    if rule.trigger == Trigger.DAYS_OVERDUE:
        limit = today - datetime.timedelta(days=rule.threshold)
        rows = (
            hazards.filter(overdue_q(today), rectification__deadline__lte=limit)
            .annotate(days=days_overdue_expr(today))
            .values_list(field, "pk", "days")
            .order_by(field, "pk")
        )
        longest: dict[int, int] = {}
        for unit, pk, days in rows:
            units[unit].append(pk)
            longest[unit] = max(longest.get(unit, 0), days.days)
        for unit, days in longest.items():
            grounds[unit] = _(
                "%(n)s major hazard(s) overdue by at least %(t)s days (longest %(d)s days)."
            ) % {"n": len(units[unit]), "t": rule.threshold, "d": days}
    elif rule.trigger == Trigger.REPEAT_OFFENCES:
        qs = hazards.alias(closed_day=TruncDate("closed_at")).filter(past_deadline_q(today))
        hit = set(
            qs.values(field)
            .annotate(n=Count("pk"))
            .filter(n__gte=rule.threshold)
            .values_list(field, flat=True)
        )
        for unit, pk in qs.filter(**{f"{field}__in": hit}).values_list(field, "pk"):
            units[unit].append(pk)
        for unit in hit:
            grounds[unit] = _(
                "%(n)s major hazards missed their rectification deadline (threshold %(t)s)."
            ) % {"n": len(units[unit]), "t": rule.threshold}
    elif rule.trigger == Trigger.MISSED_REPORTS:
        rows = (
            Listing.objects.filter(hazard__in=hazards)
            .with_report_figures(today)
            .filter(missed_reports__gt=0)
            .values_list(f"hazard__{field}", "hazard_id", "missed_reports")
        )
        missed: dict[int, int] = defaultdict(int)
        for unit, pk, n in rows:
            units[unit].append(pk)
            missed[unit] += n
        for unit in list(units):
            if missed[unit] < rule.threshold:
                del units[unit]
                continue
            grounds[unit] = _(
                "%(n)s quarterly progress report(s) of listed hazards missing (threshold %(t)s)."
            ) % {"n": missed[unit], "t": rule.threshold}
    return {unit: (pks, grounds[unit]) for unit, pks in units.items() if unit is not None}


def _next_kind(rule: EscalationRule, key: str, today: datetime.date) -> str | None:
    """The rung to propose for a unit: the rule's step, or the rung above the highest one
    already approved against the unit; None while that was approved within the cool-down."""
    approved = list(
        EscalationStep.objects.filter(
            target_key=key,
            status=EscalationStep.Status.APPROVED,
            kind__in=LADDER[LADDER.index(rule.step) :],
        ).values_list("kind", "issued_on")
    )
    if not approved:
        return rule.step
    highest = max(LADDER.index(kind) for kind, _issued in approved)
    cutoff = today - datetime.timedelta(days=ESCALATION_COOLDOWN_DAYS)
    if any(issued and issued > cutoff for _kind, issued in approved):
        return None
    return LADDER[min(highest + 1, len(LADDER) - 1)]


def escalation_evaluate(*, today: datetime.date | None = None) -> list[EscalationStep]:
    """Run every active rule and PROPOSE steps (never approves). Idempotent: no second proposal
    of the same step against the same unit while one is open. Returns the new proposals.
    ``grounds`` are stored in the site language (they go into the official document)."""
    with translation.override(settings.LANGUAGE_CODE):
        return _evaluate(today or today_local())


def _evaluate(today: datetime.date) -> list[EscalationStep]:
    made = []
    for rule in EscalationRule.objects.filter(active=True):
        model = UNIT_MODELS[rule.target]
        for unit_id, (hazard_ids, grounds) in _candidates(rule, today).items():
            key = target_key(rule.target, unit_id)
            kind = _next_kind(rule, key, today)
            if kind is None:
                continue
            if EscalationStep.objects.filter(
                target_key=key, kind=kind, status=EscalationStep.Status.PROPOSED
            ).exists():
                continue
            try:
                with transaction.atomic():
                    step = EscalationStep.objects.create(
                        kind=kind,
                        target_kind=rule.target,
                        target_key=key,
                        rule=rule,
                        grounds=f"{rule.name}：{grounds}",
                        **{_target_field(rule.target): model.objects.get(pk=unit_id)},
                    )
                    step.hazards.set(hazard_ids)
            except IntegrityError:  # proposed concurrently by another run
                continue
            made.append(step)
    return made


def _target_field(target_kind: str) -> str:
    return {
        TargetKind.TOWNSHIP: "township",
        TargetKind.DEPARTMENT: "department",
        TargetKind.ENTERPRISE: "enterprise",
    }[target_kind]


def _snapshot(step: EscalationStep, today: datetime.date) -> dict:
    rows = []
    for h in step.hazards.select_related(
        "enterprise", "township", "sector", "rectification"
    ).order_by("ledger_number"):
        rect = getattr(h, "rectification", None)
        deadline = rect.deadline if rect else None
        rows.append(
            {
                "ledger_number": h.ledger_number,
                "enterprise": h.enterprise.name,
                "township": h.township.name,
                "sector": h.sector.name,
                "location": h.location,
                "description": h.description,
                "deadline": deadline.isoformat() if deadline else "",
                "days_overdue": (today - deadline).days
                if deadline and h.is_open and deadline < today
                else 0,
                "status": str(h.get_status_display()),
            }
        )
    return {"target": str(step.target), "grounds": step.grounds, "hazards": rows}


@transaction.atomic
def escalation_approve(
    *, step: EscalationStep, actor, note: str = "", on: datetime.date | None = None
) -> EscalationStep:
    """The safety office approves a proposed step: records the date, fixes what the document
    says (target, grounds, hazards with deadline and days overdue), allocates the 文号 of the
    step's kind and, for 曝光, opens the public notice page."""
    if not permissions.can_decide_escalation(actor):
        raise PermissionDenied
    step = EscalationStep.objects.select_for_update().get(pk=step.pk)
    _transition(step, "approve", _("This step has already been decided."))
    on = on or today_local()
    step.decided_by = actor
    step.decided_at = timezone.now()
    step.decision_note = (note or "").strip()
    step.issued_on = on
    step.document_number = document_number_allocate(kind=step.kind, year=on.year)
    step.snapshot = _snapshot(step, on)
    if step.kind == StepKind.PUBLIC_EXPOSURE:
        step.public_slug = EscalationStep.new_public_slug()
    step.save()
    return step


@transaction.atomic
def escalation_dismiss(*, step: EscalationStep, actor, note: str) -> EscalationStep:
    """The safety office dismisses a proposal (reason required)."""
    if not permissions.can_decide_escalation(actor):
        raise PermissionDenied
    note = _require(note, "note")
    step = EscalationStep.objects.select_for_update().get(pk=step.pk)
    _transition(step, "dismiss", _("This step has already been decided."))
    step.decided_by = actor
    step.decided_at = timezone.now()
    step.decision_note = note
    step.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    return step
