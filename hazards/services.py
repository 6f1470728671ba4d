"""Writes of the hazard ledger: every change of a hazard goes through these services.

Each service is atomic, locks the hazard (SELECT … FOR UPDATE), runs the transition from the
table on :class:`~hazards.models.Hazard`, and records who/when/why as a
:class:`~hazards.models.HazardEvent`. Errors: ``ValidationError`` (Chinese message: the action
is not possible now / input is wrong) and ``PermissionDenied`` (visible but not allowed → 403).
Side effects (notifications) are enqueued with ``transaction.on_commit``.
"""

from __future__ import annotations

import datetime
import logging
import uuid
from collections.abc import Iterable, Sequence
from contextvars import ContextVar
from decimal import Decimal
from functools import wraps

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.checks import run_checks
from campaigns.constants import EARLIEST_FOUND_ON
from campaigns.models import Department, Sector, Township
from campaigns.notifications.channels import ChannelError, channel_get, hazard_channels
from campaigns.notifications.outbox import enqueue
from campaigns.numbering.services import number_next
from yixian_safety.uploads import clean_document, clean_photo

from .constants import DESCRIPTION_MAX
from .models import (
    MERGEABLE_STATUSES,
    Attachment,
    Enterprise,
    Hazard,
    HazardCriterion,
    HazardEvent,
    HazardNotification,
    Level,
    Rectification,
    Status,
)
from .permissions import can_rectify, can_report
from .photos import (
    PhotoMatch,
    cleaned_image,
    photo_near_duplicate,
    photo_perceptual_hash,
    thumbnail_data_uri,
)
from .selectors import hazard_by_idempotency_key

log = logging.getLogger(__name__)
LEDGER_NUMBER_KIND = "hazard_ledger"  # the hazard ledger's counter (campaigns.numbering)


EventAction = HazardEvent.Action


# ---------------------------------------------------------------------------------------------
# Enterprises


def _save_enterprise(enterprise: Enterprise) -> None:
    """Save; a concurrent request that registered the same 统一社会信用代码 after our
    ``full_clean()`` makes the unique index refuse the row: that is a validation error of the
    code (400 / form error), not a 500. Other integrity errors are left alone."""
    try:
        with transaction.atomic():  # a savepoint: the outer transaction stays usable
            enterprise.save()
    except IntegrityError:
        taken = Enterprise.objects.filter(credit_code=enterprise.credit_code)
        if enterprise.pk:
            taken = taken.exclude(pk=enterprise.pk)
        if not taken.exists():
            raise
        raise ValidationError(
            {"credit_code": _("An enterprise with this code is already registered.")}
        ) from None


@transaction.atomic
def enterprise_create(
    *,
    actor,
    name: str,
    credit_code: str,
    township: Township,
    sectors: Iterable[Sector],
    address: str = "",
    principal_name: str,
    principal_phone: str = "",
    principal_email: str = "",
    controller_name: str = "",
    controller_phone: str = "",
    controller_email: str = "",
) -> Enterprise:
    """Register a 生产经营单位. ``credit_code`` is checked (python-stdnum) and unique."""
    if not actor.has_perm("hazards.add_enterprise"):
        raise PermissionDenied
    enterprise = Enterprise(
        name=name,
        credit_code=credit_code.strip().upper(),
        township=township,
        address=address,
        principal_name=principal_name,
        principal_phone=principal_phone,
        principal_email=principal_email,
        controller_name=controller_name,
        controller_phone=controller_phone,
        controller_email=controller_email,
        created_by=actor,
    )
    enterprise.full_clean()
    enterprise._history_user = actor
    _save_enterprise(enterprise)
    sectors = list(sectors)
    if not sectors:
        raise ValidationError({"sectors": _("Choose at least one sector.")})
    enterprise.sectors.set(sectors)
    if not Enterprise.objects.visible_to(actor).filter(pk=enterprise.pk).exists():
        raise PermissionDenied(_("Outside your township or sectors."))
    return enterprise


@transaction.atomic
def enterprise_update(
    *, enterprise: Enterprise, actor, sectors: Iterable[Sector] | None = None, **fields
) -> Enterprise:
    """Change an enterprise's fields (names as on the model) and optionally its sectors."""
    if not actor.has_perm("hazards.change_enterprise"):
        raise PermissionDenied
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    for name, value in fields.items():
        setattr(enterprise, name, value)
    enterprise.full_clean()
    enterprise._history_user = actor
    _save_enterprise(enterprise)
    if sectors is not None:
        enterprise.sectors.set(list(sectors))
    return enterprise


# ---------------------------------------------------------------------------------------------
# Hazards: helpers


def ledger_number_allocate(year: int) -> str:
    """Next ``YX-<year>-<4 digits>``; safe under concurrency (the year's counter row is locked
    until the caller's transaction ends). Must run inside a transaction."""
    return f"YX-{year}-{number_next(kind=LEDGER_NUMBER_KIND, year=year):04d}"


def default_supervising_department(sector: Sector) -> Department:
    dept = sector.lead_departments.order_by("order", "pk").first()
    if dept is None:
        raise ValidationError({"sector": _("This sector has no lead department.")})
    return dept


def _locked(hazard: Hazard) -> Hazard:
    return Hazard.objects.select_for_update().get(pk=hazard.pk)


def _event(
    hazard: Hazard, actor, action: str, note: str = "", from_status: str = "", to_status: str = ""
) -> HazardEvent:
    return HazardEvent.objects.create(
        hazard=hazard,
        actor=actor,
        action=action,
        note=note,
        from_status=from_status,
        to_status=to_status,
    )


def _save(hazard: Hazard, actor, fields: Sequence[str] | None = None) -> None:
    hazard._history_user = actor
    if fields:
        hazard.save(update_fields=list(fields))
    else:
        hazard.save()


def _run_transition(
    hazard: Hazard,
    actor,
    name: str,
    *,
    action: str,
    note: str = "",
    extra_fields: Sequence[str] = (),
) -> Hazard:
    """Run transition ``name`` from the table: illegal → ValidationError, not allowed →
    PermissionDenied, conditions unmet → ValidationError. Saves and records the event."""
    method = getattr(hazard, name)
    meta = method._django_fsm
    before = hazard.status
    transition_ = meta.get_transition(before)
    if transition_ is None:
        raise ValidationError(
            _("This action is not possible while the hazard is “%(status)s”.")
            % {"status": hazard.get_status_display()},
            code="illegal_transition",
        )
    if not transition_.has_perm(hazard, actor):
        raise PermissionDenied(_("You may not do this on this hazard."))
    if not meta.conditions_met(hazard, before):
        raise ValidationError(_("The conditions for this step are not met."), code="conditions")
    method()
    _save(hazard, actor)
    _event(hazard, actor, action, note, before, hazard.status)
    return hazard


def _require_reason(reason: str, field: str = "reason") -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({field: _("Please give a reason.")})
    return reason


# Files stored by the service running now: deleted again if it fails (its rows roll back).
_stored_files: ContextVar[list | None] = ContextVar("hazard_stored_files", default=None)


def _removes_files_on_error(func):
    """Wrap a service that stores uploads: on an exception, delete the files it stored, so a
    refused upload leaves neither rows nor orphan files behind."""

    @wraps(func)
    def wrapper(*args, **kwargs):
        if _stored_files.get() is not None:  # nested: the outermost service cleans up
            return func(*args, **kwargs)
        token = _stored_files.set([])
        try:
            return func(*args, **kwargs)
        except BaseException:
            for storage, name in _stored_files.get():
                storage.delete(name)
            raise
        finally:
            _stored_files.reset(token)

    return wrapper


class NearDuplicatePhoto(ValidationError):
    """An after photo that is a before photo (re-uploaded, re-saved, resized, cropped,
    brightened or retouched). Carries what the refusal page shows side by side: the before
    photo (``before``, an Attachment) and the refused upload (``thumbnail``, a data: URI)."""

    def __init__(
        self, message, *, before: Attachment, upload_name: str, thumbnail: str, match: PhotoMatch
    ):
        super().__init__({"after_photos": [message]})
        self.before = before
        self.upload_name = upload_name
        self.thumbnail = thumbnail
        self.match = match


def _before_photos(hazard: Hazard) -> list[Attachment]:
    """Before photos of the hazard and of the reports merged into it, each with its
    perceptual hash (computed and stored now for photos uploaded before hashes existed)."""
    befores = list(
        Attachment.objects.filter(
            hazard__in=[hazard.pk, *hazard.merged_reports.values_list("pk", flat=True)],
            kind=Attachment.Kind.BEFORE_PHOTO,
        ).order_by("pk")
    )
    for att in befores:
        if not att.perceptual_hash:
            image = att.open_image()
            if image is not None:
                att.perceptual_hash = photo_perceptual_hash(image)
                att.save(update_fields=["perceptual_hash"])
    return [a for a in befores if a.perceptual_hash]


def after_photo_check(hazard: Hazard, image, perceptual_hash: str, upload_name: str) -> None:
    """Refuse an after photo (``image`` as stored, with its hash) that is one of the hazard's
    before photos, however re-encoded or edited (thresholds: :mod:`hazards.photos`). Raises
    :class:`NearDuplicatePhoto`."""
    before, match = photo_near_duplicate(image, perceptual_hash, _before_photos(hazard))
    if before is not None:
        raise NearDuplicatePhoto(
            _(
                "“%(name)s” is the before photo “%(before)s” again (re-saved, resized, cropped "
                "or retouched): an after photo must be a new photo of the rectified site."
            )
            % {"name": upload_name, "before": before.original_name},
            before=before,
            upload_name=upload_name,
            thumbnail=thumbnail_data_uri(image),
            match=match,
        )


def _add_files(hazard: Hazard, actor, kind: str, uploads: Iterable) -> list[Attachment]:
    made = []
    for upload in uploads:
        clean = clean_document(upload) if kind == Attachment.Kind.DOCUMENT else clean_photo(upload)
        phash = ""
        if kind != Attachment.Kind.DOCUMENT:
            image = cleaned_image(clean)
            phash = photo_perceptual_hash(image)
            if kind == Attachment.Kind.AFTER_PHOTO:
                after_photo_check(hazard, image, phash, upload.name)
        att = Attachment(
            hazard=hazard,
            kind=kind,
            original_name=clean.original_name,
            content_type=clean.content_type,
            content_hash=clean.content_hash,
            perceptual_hash=phash,
            uploaded_by=actor,
        )
        att.file.save(clean.name, clean.content, save=False)
        stored = _stored_files.get()
        if stored is not None:
            stored.append((att.file.storage, att.file.name))
        att.save()
        made.append(att)
    return made


# ---------------------------------------------------------------------------------------------
# Hazards: the lifecycle


def _check_criterion(
    criterion: HazardCriterion, *, sector: Sector, found_on: datetime.date
) -> None:
    if not criterion.applies_to(sector):
        raise ValidationError(
            {
                "criterion": _(
                    "%(clause)s is not a clause of a judgement standard for the sector “%(sector)s”."
                )
                % {"clause": criterion, "sector": sector.name}
            }
        )
    if not criterion.active:
        raise ValidationError(
            {"criterion": _("%(clause)s is no longer in use.") % {"clause": criterion}}
        )
    standard = criterion.standard
    if standard.effective_on and found_on < standard.effective_on:
        raise ValidationError(
            {
                "criterion": _(
                    "%(standard)s took effect on %(date)s, after the hazard was found: cite the "
                    "standard in force when the hazard was found."
                )
                % {"standard": standard.citation, "date": f"{standard.effective_on:%Y-%m-%d}"}
            }
        )
    if not standard.in_force_on(found_on):
        raise ValidationError(
            {
                "criterion": _(
                    "%(standard)s was replaced on %(date)s: cite the standard in force when the hazard "
                    "was found."
                )
                % {"standard": standard.citation, "date": f"{standard.superseded_on:%Y-%m-%d}"}
            }
        )


def major_criterion_required(*, sector: Sector, found_on: datetime.date) -> None:
    """A major hazard must cite the clause of a judgement standard it meets (判定依据) when its
    sector has clauses in force on ``found_on``; raises ValidationError on ``criterion``."""
    from .reference import criteria_for

    if criteria_for(sector, found_on).exists():
        raise ValidationError(
            {
                "criterion": _(
                    "A major hazard must cite the clause of a judgement standard it meets (判定依据): "
                    "choose one of the clauses for “%(sector)s”."
                )
                % {"sector": sector.name}
            },
            code="criterion_required",
        )


@_removes_files_on_error
@transaction.atomic
def hazard_report(
    *,
    actor,
    enterprise: Enterprise,
    source: str,
    found_on: datetime.date,
    found_by: str,
    location: str,
    description: str,
    level: str = Level.MAJOR,
    criterion: HazardCriterion | None = None,
    township: Township | None = None,
    sector: Sector | None = None,
    supervising_department: Department | None = None,
    supervision_reason: str = "",
    before_photos: Iterable = (),
    documents: Iterable = (),
    deadline: datetime.date | None = None,
    idempotency_key: uuid.UUID | None = None,
) -> Hazard:
    """Log a hazard (status ``reported``) with a fresh ledger number.

    township/sector default to the enterprise's (first sector); ``supervising_department``
    defaults to the sector's first lead department — another one needs ``supervision_reason``.
    ``deadline`` (optional) starts the rectification record. A major hazard cites
    ``criterion``, a clause of a standard for the sector in force on ``found_on`` (required
    when the sector has such clauses; a general hazard may cite one). Raises ValidationError /
    PermissionDenied. Source: 实施方案 task 16, issue 17.

    ``idempotency_key`` (幂等键, issue 18: the offline queue's retries, API clients): when
    ``actor`` already logged a hazard with this key, that hazard is returned unchanged and
    nothing else happens (the rest of the input is not compared); the actor's row is locked
    first, so two concurrent submissions with one key log one hazard. See
    :func:`hazards.selectors.hazard_by_idempotency_key` to tell a replay from a new report.
    """
    if not can_report(actor):
        raise PermissionDenied
    if idempotency_key is not None:
        list(get_user_model().objects.select_for_update().filter(pk=actor.pk).only("pk"))
        earlier = hazard_by_idempotency_key(actor=actor, key=idempotency_key)
        if earlier is not None:
            return earlier
    if len(description) > DESCRIPTION_MAX:
        raise ValidationError(
            {
                "description": _("The description is %(length)s characters long: at most %(max)s.")
                % {"length": len(description), "max": DESCRIPTION_MAX}
            }
        )
    township = township or enterprise.township
    if sector is None:
        sector = enterprise.sectors.order_by("order", "pk").first()
        if sector is None:
            raise ValidationError({"sector": _("Choose the sector of the hazard.")})
    default_dept = default_supervising_department(sector)
    if supervising_department is None:
        supervising_department = default_dept
    elif supervising_department != default_dept and not supervision_reason.strip():
        raise ValidationError(
            {
                "supervision_reason": _(
                    "Give a reason when the supervising department is not the sector's lead department."
                )
            }
        )
    if criterion is not None:
        _check_criterion(criterion, sector=sector, found_on=found_on)
    if found_on > timezone.localdate():
        raise ValidationError({"found_on": _("The date found cannot be in the future.")})
    if found_on < EARLIEST_FOUND_ON:
        raise ValidationError({"found_on": _("The date found cannot be before 2000-01-01.")})
    hazard = Hazard(
        ledger_number=ledger_number_allocate(found_on.year),
        enterprise=enterprise,
        township=township,
        sector=sector,
        supervising_department=supervising_department,
        supervision_reason=supervision_reason.strip(),
        level=level,
        criterion=criterion,
        source=source,
        found_on=found_on,
        found_by=found_by,
        location=location,
        description=description,
        reported_by=actor,
        idempotency_key=idempotency_key,
    )
    hazard.full_clean(exclude=["status"])
    # Scope: a reporter must be able to see what they log (no reporting for other units).
    _save(hazard, actor)
    if not Hazard.objects.visible_to(actor).filter(pk=hazard.pk).exists():
        raise PermissionDenied(_("You may only log hazards of your own township or sectors."))
    if level == Level.MAJOR and criterion is None:
        major_criterion_required(sector=sector, found_on=found_on)
    if deadline is not None:
        if deadline < found_on:
            raise ValidationError({"deadline": _("The deadline is before the date found.")})
        Rectification.objects.create(hazard=hazard, deadline=deadline)
    _add_files(hazard, actor, Attachment.Kind.BEFORE_PHOTO, before_photos)
    _add_files(hazard, actor, Attachment.Kind.DOCUMENT, documents)
    _event(hazard, actor, EventAction.REPORTED, "", "", hazard.status)
    _unit_notifications_create(hazard)
    return hazard


@transaction.atomic
def hazard_confirm(*, hazard: Hazard, actor, note: str = "") -> Hazard:
    """reported → confirmed. A major hazard's principal and actual controller are notified on
    every active channel after commit (task 16)."""
    hazard = _locked(hazard)
    _run_transition(hazard, actor, "confirm", action=EventAction.CONFIRMED, note=note)
    if hazard.level == Level.MAJOR:
        _notifications_create(hazard)
    return hazard


@transaction.atomic
def hazard_reject(*, hazard: Hazard, actor, reason: str) -> Hazard:
    """reported/confirmed → rejected (not a hazard, or a duplicate). Needs a reason."""
    reason = _require_reason(reason)
    hazard = _locked(hazard)
    return _run_transition(hazard, actor, "reject", action=EventAction.REJECTED, note=reason)


@transaction.atomic
def rectification_save(
    *,
    hazard: Hazard,
    actor,
    measures: str = "",
    responsible_unit: str = "",
    responsible_person: str = "",
    responsible_phone: str = "",
    funds: Decimal | None = None,
    deadline: datetime.date | None = None,
    contingency_plan: str = "",
) -> Rectification:
    """Enter or edit the five implementations (五落实) of a confirmed or rectifying hazard.
    ``funds`` in 元 (≥ 0); ``deadline`` not before the date found. Once rectification has
    started the deadline is fixed (extensions come through the supervision services)."""
    hazard = _locked(hazard)
    if not can_rectify(actor, hazard):
        raise PermissionDenied
    if hazard.status not in (Status.REPORTED, Status.CONFIRMED, Status.RECTIFYING):
        raise ValidationError(_("The rectification can no longer be changed."))
    # Not get_or_create: the first history row must name the user too.
    rect = Rectification.objects.filter(hazard=hazard).first() or Rectification(hazard=hazard)
    if (
        hazard.status == Status.RECTIFYING
        and rect.deadline
        and deadline
        and deadline != rect.deadline
    ):
        raise ValidationError(
            {"deadline": _("The deadline cannot be changed once rectification has started.")}
        )
    if funds is not None and funds < 0:
        raise ValidationError({"funds": _("Funds cannot be negative.")})
    if deadline is not None and deadline < hazard.found_on:
        raise ValidationError({"deadline": _("The deadline is before the date found.")})
    for name, value in {
        "measures": measures,
        "responsible_unit": responsible_unit,
        "responsible_person": responsible_person,
        "responsible_phone": responsible_phone,
        "funds": funds,
        "deadline": deadline,
        "contingency_plan": contingency_plan,
    }.items():
        setattr(rect, name, value)
    rect._history_user = actor
    rect.save()
    _event(hazard, actor, EventAction.RECTIFICATION_SAVED)
    return rect


@transaction.atomic
def hazard_start_rectification(*, hazard: Hazard, actor, note: str = "") -> Hazard:
    """confirmed → rectifying. A major hazard needs all five implementations first."""
    hazard = _locked(hazard)
    rect = Rectification.objects.filter(hazard=hazard).first()
    if (
        hazard.status == Status.CONFIRMED
        and hazard.level == Level.MAJOR
        and (rect is None or not rect.is_complete)
    ):
        missing = (
            rect.missing
            if rect
            else [str(Rectification._meta.get_field(f).verbose_name) for f in Rectification.FIVE]
        )
        raise ValidationError(
            _(
                "A major hazard cannot enter rectification without the five "
                "implementations. Missing: %(missing)s"
            )
            % {"missing": "、".join(missing)},
            code="five_implementations",
        )
    return _run_transition(
        hazard, actor, "start_rectification", action=EventAction.RECTIFICATION_STARTED, note=note
    )


@_removes_files_on_error
@transaction.atomic
def hazard_add_photos(*, hazard: Hazard, actor, kind: str, uploads: Iterable) -> list[Attachment]:
    """Add before/after photos or documents. An after photo that is a before photo, even
    re-encoded or edited, is refused (:func:`after_photo_check`); after photos only while
    rectifying."""
    hazard = _locked(hazard)
    if not can_rectify(actor, hazard):
        raise PermissionDenied
    if kind == Attachment.Kind.AFTER_PHOTO and hazard.status != Status.RECTIFYING:
        raise ValidationError(_("After photos are added while the hazard is being rectified."))
    if hazard.status in (Status.CLOSED, Status.REJECTED, Status.MERGED):
        raise ValidationError(_("This hazard can no longer be changed."))
    made = _add_files(hazard, actor, kind, uploads)
    if made:
        _event(
            hazard, actor, EventAction.PHOTOS_ADDED, f"{Attachment.Kind(kind).label} × {len(made)}"
        )
    return made


@_removes_files_on_error
@transaction.atomic
def hazard_submit_for_acceptance(
    *, hazard: Hazard, actor, note: str = "", after_photos: Iterable = ()
) -> Hazard:
    """rectifying → awaiting acceptance, with at least one after photo that is not a before
    photo (``after_photos`` may be uploaded here). The submitter may not accept or close."""
    hazard = _locked(hazard)
    if hazard.status == Status.RECTIFYING:
        if not can_rectify(actor, hazard):
            raise PermissionDenied
        made = _add_files(hazard, actor, Attachment.Kind.AFTER_PHOTO, after_photos)
        if made:
            _event(
                hazard,
                actor,
                EventAction.PHOTOS_ADDED,
                f"{Attachment.Kind.AFTER_PHOTO.label} × {len(made)}",
            )
        if not hazard.attachments.filter(kind=Attachment.Kind.AFTER_PHOTO).exists():
            raise ValidationError(
                {
                    "after_photos": _(
                        "Acceptance needs at least one after photo of the rectified site."
                    )
                }
            )
    _run_transition(hazard, actor, "submit_for_acceptance", action=EventAction.SUBMITTED, note=note)
    rect, _created = Rectification.objects.get_or_create(hazard=hazard)
    rect.submitted_by = actor
    rect.submitted_at = timezone.now()
    rect._history_user = actor
    rect.save(update_fields=["submitted_by", "submitted_at"])
    return hazard


@transaction.atomic
def hazard_fail_acceptance(*, hazard: Hazard, actor, reason: str) -> Hazard:
    """awaiting acceptance → rectifying (the check failed; reason required)."""
    reason = _require_reason(reason)
    hazard = _locked(hazard)
    return _run_transition(
        hazard, actor, "fail_acceptance", action=EventAction.ACCEPTANCE_FAILED, note=reason
    )


@transaction.atomic
def hazard_accept(*, hazard: Hazard, actor, note: str = "") -> Hazard:
    """awaiting acceptance → accepted, by a supervisor who did not submit it."""
    hazard = _locked(hazard)
    return _run_transition(hazard, actor, "accept", action=EventAction.ACCEPTED, note=note)


@transaction.atomic
def hazard_close(*, hazard: Hazard, actor, note: str = "") -> Hazard:
    """accepted → closed (销号), signed off by a supervising-department or safety-office user
    who did not submit the rectification."""
    hazard = _locked(hazard)
    # checks of the apps above (e.g. a listed hazard, 挂牌督办, needs the listing body's sign-off)
    run_checks("hazard.close", hazard=hazard, actor=actor)
    _run_transition(hazard, actor, "close", action=EventAction.CLOSED, note=note)
    hazard.closed_at = timezone.now()
    _save(hazard, actor, ["closed_at"])
    return hazard


# called only by enforcement.services.extension_approve (延期)
@transaction.atomic
def hazard_set_deadline(*, hazard: Hazard, deadline: datetime.date, actor, reason: str) -> Hazard:
    """Move the rectification deadline (an approved extension, 延期), recorded as a
    ``deadline_extended`` event with the old and new dates — never a silent edit. Rights are
    checked by the caller (the extension decision)."""
    reason = _require_reason(reason)
    hazard = _locked(hazard)
    rect = Rectification.objects.filter(hazard=hazard).first() or Rectification(hazard=hazard)
    before = rect.deadline
    rect.deadline = deadline
    rect._history_user = actor
    rect.save()
    _event(
        hazard,
        actor,
        EventAction.DEADLINE_EXTENDED,
        f"{before:%Y-%m-%d} → {deadline:%Y-%m-%d}：{reason}"
        if before
        else f"→ {deadline:%Y-%m-%d}：{reason}",
    )
    return hazard


@transaction.atomic
def hazard_set_supervision(*, hazard: Hazard, actor, department: Department, reason: str) -> Hazard:
    """Override the supervising department (行业监管) with a reason."""
    reason = _require_reason(reason, "supervision_reason")
    hazard = _locked(hazard)
    if not can_rectify(actor, hazard):
        raise PermissionDenied
    before = hazard.supervising_department
    hazard.supervising_department = department
    hazard.supervision_reason = reason
    _save(hazard, actor, ["supervising_department", "supervision_reason"])
    _event(hazard, actor, EventAction.SUPERVISION_CHANGED, f"{before} → {department}：{reason}")
    return hazard


@transaction.atomic
def hazards_merge(*, target: Hazard, reports: Sequence[Hazard], actor, reason: str) -> Hazard:
    """Merge other reports of the same hazard into ``target``. Each report keeps its own source
    and becomes ``merged`` (hidden from the ledger; the target counts under every source).
    Reversible with :func:`hazard_unmerge`."""
    reason = _require_reason(reason)
    pks = sorted({target.pk, *(r.pk for r in reports)})
    locked = {h.pk: h for h in Hazard.objects.select_for_update().filter(pk__in=pks).order_by("pk")}
    target = locked[target.pk]
    if target.status in (Status.MERGED, Status.REJECTED):
        raise ValidationError(_("Reports cannot be merged into a rejected or merged hazard."))
    if not reports:
        raise ValidationError(_("Choose the reports to merge."))
    for report in reports:
        report = locked[report.pk]
        if report.pk == target.pk:
            raise ValidationError(_("A hazard cannot be merged into itself."))
        if report.enterprise_id != target.enterprise_id:
            raise ValidationError(
                _("%(number)s belongs to another enterprise.") % {"number": report.ledger_number}
            )
        if report.merged_reports.exists():
            raise ValidationError(
                _("%(number)s has merged reports itself; unmerge them first.")
                % {"number": report.ledger_number}
            )
        if report.status not in MERGEABLE_STATUSES:
            raise ValidationError(
                _("%(number)s is “%(status)s” and cannot be merged.")
                % {"number": report.ledger_number, "status": report.get_status_display()}
            )
        report.status_before_merge = report.status
        report.merged_into = target
        _run_transition(
            report,
            actor,
            "merge",
            action=EventAction.MERGED,
            note=f"→ {target.ledger_number}：{reason}",
        )
        _event(
            target,
            actor,
            EventAction.REPORT_MERGED_IN,
            f"{report.ledger_number}（{report.get_source_display()}）：{reason}",
        )
    return target


@transaction.atomic
def hazard_unmerge(*, hazard: Hazard, actor, reason: str) -> Hazard:
    """Undo a merge: the report is a hazard of its own again, in its status before the merge."""
    reason = _require_reason(reason)
    hazard = _locked(hazard)
    target = hazard.merged_into
    _run_transition(hazard, actor, "unmerge", action=EventAction.UNMERGED, note=reason)
    hazard.merged_into = None
    hazard.status_before_merge = ""
    _save(hazard, actor, ["merged_into", "status_before_merge"])
    if target is not None:
        _event(target, actor, EventAction.UNMERGED, f"{hazard.ledger_number}：{reason}")
    return hazard


# ---------------------------------------------------------------------------------------------
# Notifications (task 16)


def _notifications_create(hazard: Hazard) -> list[HazardNotification]:
    enterprise = hazard.enterprise
    made = []
    for ch in hazard_channels():
        for recipient, name, email, phone in (
            (
                HazardNotification.Recipient.PRINCIPAL,
                enterprise.principal_name,
                enterprise.principal_email,
                enterprise.principal_phone,
            ),
            (
                HazardNotification.Recipient.CONTROLLER,
                enterprise.controller_name,
                enterprise.controller_email,
                enterprise.controller_phone,
            ),
        ):
            if not name:
                continue
            address = ch.address_of_person(email=email, phone=phone)
            note, _created = HazardNotification.objects.get_or_create(
                hazard=hazard,
                recipient=recipient,
                channel=ch.name,
                defaults={
                    "recipient_name": name,
                    "address": address,
                    "state": (
                        HazardNotification.State.PENDING
                        if address
                        else HazardNotification.State.NO_ADDRESS
                    ),
                },
            )
            made.append(note)
            if note.state == HazardNotification.State.PENDING:
                _enqueue(note.pk)
    return made


def _unit_notifications_create(hazard: Hazard) -> list[HazardNotification]:
    """Tell both units that follow the hazard (属地 township + 行业 supervising department):
    one notification per unit and channel, addressed to its active users."""
    from campaigns.models import Role, User

    units = (
        (
            HazardNotification.Recipient.TOWNSHIP,
            hazard.township.name,
            User.objects.filter(role=Role.TOWNSHIP_OFFICIAL, township=hazard.township_id),
        ),
        (
            HazardNotification.Recipient.DEPARTMENT,
            hazard.supervising_department.name,
            User.objects.filter(
                role=Role.DEPARTMENT_STAFF, department=hazard.supervising_department_id
            ),
        ),
    )
    made = []
    for ch in hazard_channels():
        for recipient, name, people in units:
            addresses = sorted(
                {a for a in (ch.address_of_user(u) for u in people.filter(is_active=True)) if a}
            )
            note, _created = HazardNotification.objects.get_or_create(
                hazard=hazard,
                recipient=recipient,
                channel=ch.name,
                defaults={
                    "recipient_name": name,
                    "address": ", ".join(addresses),
                    "state": (
                        HazardNotification.State.PENDING
                        if addresses
                        else HazardNotification.State.NO_ADDRESS
                    ),
                },
            )
            made.append(note)
            if note.state == HazardNotification.State.PENDING:
                _enqueue(note.pk)
    return made


def _enqueue(notification_id: int) -> None:
    """Through the outbox: kept in this transaction, handed to the broker after commit, and
    sent by the outbox flush if the broker is down now."""
    from .tasks import send_hazard_notification

    enqueue(send_hazard_notification, notification_id)


def _notification_text(note: HazardNotification, hazard: Hazard) -> tuple[str, str]:
    facts = {
        "name": note.recipient_name,
        "enterprise": hazard.enterprise.name,
        "number": hazard.ledger_number,
        "description": hazard.description,
        "location": hazard.location,
        "level": hazard.get_level_display(),
        "township": hazard.township.name,
        "sector": hazard.sector.name,
    }
    if note.recipient in (
        HazardNotification.Recipient.TOWNSHIP,
        HazardNotification.Recipient.DEPARTMENT,
    ):
        subject = _("New hazard %(number)s in the ledger") % facts
        body = (
            _(
                "%(name)s:\nA %(level)s hazard of %(enterprise)s (%(township)s, %(sector)s) was "
                "logged as %(number)s: %(description)s\nLocation: %(location)s\nYour unit follows "
                "it until it is closed.\n— Yi County Work Safety Committee Office"
            )
            % facts
        )
        return subject, body
    subject = _("Major accident hazard %(number)s confirmed") % facts
    body = (
        _(
            "%(name)s:\n%(enterprise)s has a confirmed major accident hazard (ledger number "
            "%(number)s): %(description)s\nLocation: %(location)s\nPlease organise its "
            "rectification with the five implementations without delay.\n— Yi County Work "
            "Safety Committee Office"
        )
        % facts
    )
    return subject, body


class NotificationRetry(Exception):
    """A delivery failed in a way worth retrying (network, gateway); the row stays pending."""


def notification_send(*, notification_id: int, final: bool = True) -> str:
    """Deliver a pending notification through its channel; idempotent. Returns the new state.

    A :class:`~campaigns.notifications.channels.ChannelError` (worth retrying) keeps the row
    pending with the error recorded and raises :class:`NotificationRetry`, unless ``final``
    (the last attempt), when the row is marked failed. Any other error marks it failed at once.
    """
    with transaction.atomic():
        note = (
            HazardNotification.objects.select_for_update(of=("self",))
            .select_related("hazard__enterprise", "hazard__township", "hazard__sector")
            .get(pk=notification_id)
        )
        if note.state != HazardNotification.State.PENDING:
            return note.state
        hazard = note.hazard
        subject, body = _notification_text(note, hazard)
        channel = channel_get(note.channel)
        retry = False
        try:
            if channel is None:
                raise ValueError(f"unknown channel {note.channel!r}")
            channel.deliver(address=note.address, subject=subject, body=body)
        except ChannelError as exc:
            note.error = str(exc)[:500]
            retry = not final
            if final:
                note.state = HazardNotification.State.FAILED
        except Exception as exc:  # recorded, visible on the hazard page
            note.state = HazardNotification.State.FAILED
            note.error = str(exc)[:500]
        else:
            note.state = HazardNotification.State.SENT
            note.sent_at = timezone.now()
        note.save(update_fields=["state", "error", "sent_at"])
    if retry:
        raise NotificationRetry(note.error)
    return note.state


# --- the figures summary (issue 19) ---------------------------------------------------------


def figures_token() -> tuple[int, int]:
    """(newest hazard history id, newest rectification history id): every write of a hazard or
    its rectification through the models adds a history row, so a larger pair than the stamp's
    means the summary is stale. Two index-only look-ups (the history tables' primary keys)."""
    from django.db.models import Max

    return (
        Hazard.history.model.objects.aggregate(m=Max("history_id"))["m"] or 0,
        Rectification.history.model.objects.aggregate(m=Max("history_id"))["m"] or 0,
    )


def _figure_groups(day: datetime.date):
    """The ledger grouped by every :class:`HazardFigure` dimension, the day-dependent flags as
    of ``day`` — the live definitions (``overdue_q``, ``CLOSED_ON_TIME_Q``, ``source_q``) in one
    grouped scan."""
    from zoneinfo import ZoneInfo

    from django.db.models import BooleanField, Count, ExpressionWrapper, F, Q, Sum
    from django.db.models.functions import ExtractYear, TruncDate

    from yixian_safety.db import DaysBetween

    from .models import CLOSED_ON_TIME_Q, Source, Status, overdue_q, source_q

    shanghai = ZoneInfo("Asia/Shanghai")

    def flag(q):
        return ExpressionWrapper(q, output_field=BooleanField())

    closed_on = TruncDate("closed_at", tzinfo=shanghai)
    year_ago = day - datetime.timedelta(days=365)
    annotations = {
        "f_found_year": ExtractYear("found_on"),
        "f_closed_year": ExtractYear(closed_on),
        **{f"f_src_{s.value}": flag(source_q(s.value)) for s in Source},
        "f_on_time": flag(CLOSED_ON_TIME_Q),
        "f_overdue": flag(overdue_q(day)),
        "f_in_time": flag(Q(rectification__isnull=True) | Q(rectification__deadline__gte=day)),
        "f_new": flag(Q(found_on__gte=day.replace(day=1), found_on__lte=day)),
        "f_recent": flag(
            Q(status=Status.CLOSED, closed_at__date__gt=year_ago, closed_at__date__lte=day)
        ),
        "f_took": DaysBetween(closed_on, F("found_on")),
    }
    dims = [
        "township_id",
        "sector_id",
        "supervising_department_id",
        "level",
        "status",
        "criterion_id",
        *(k for k in annotations if k != "f_took"),
    ]
    return (
        Hazard.objects.ledger()
        .annotate(**annotations)
        .order_by()
        .values(*dims)
        .annotate(n=Count("pk"), took=Sum("f_took"))
    )


def hazard_figures_refresh(*, force: bool = False, day: datetime.date | None = None):
    """Rebuild the figures summary (:class:`HazardFigure`) from the ledger as of ``day``
    (default today, Asia/Shanghai) unless it is already current (same day, no change-history
    row since; ``force`` rebuilds anyway). All rows are replaced in one transaction: readers see
    the old summary or the new one, never a mix. Returns the :class:`HazardFigureStamp`.

    One grouped scan of the ledger (≈ 10 s at 1,000,000 hazards under load) + the inserts of
    the groups (a few thousand). Run by beat every minute (``hazards.figures_refresh``) and, in
    the embedded mode without beat, on demand by the readers."""
    import time

    from yixian_safety.dates import today_local

    from .models import HazardFigure, HazardFigureStamp, Source

    day = day or today_local()
    token = figures_token()  # before the scan: a write during it leaves the stamp stale
    with transaction.atomic():
        stamp = HazardFigureStamp.objects.select_for_update().filter(pk=1).first()
        if (
            not force
            and stamp is not None
            and stamp.day == day
            and (stamp.hazard_history_id, stamp.rectification_history_id) == token
        ):
            return stamp
        start = time.monotonic()
        rows = [
            HazardFigure(
                township_id=g["township_id"],
                sector_id=g["sector_id"],
                department_id=g["supervising_department_id"],
                level=g["level"],
                status=g["status"],
                found_year=g["f_found_year"],
                closed_year=g["f_closed_year"],
                criterion_id=g["criterion_id"],
                on_time=bool(g["f_on_time"]),
                overdue=bool(g["f_overdue"]),
                in_time=bool(g["f_in_time"]),
                new_in_month=bool(g["f_new"]),
                closed_recent=bool(g["f_recent"]),
                n=g["n"],
                took_days=g["took"] or 0,
                **{f"src_{s.value}": bool(g[f"f_src_{s.value}"]) for s in Source},
            )
            for g in _figure_groups(day)
        ]
        HazardFigure.objects.all().delete()
        HazardFigure.objects.bulk_create(rows, batch_size=2000)
        stamp = stamp or HazardFigureStamp(pk=1)
        stamp.day = day
        stamp.refreshed_at = timezone.now()
        stamp.hazard_history_id, stamp.rectification_history_id = token
        stamp.seconds = time.monotonic() - start
        stamp.save()
    return stamp
