"""Writes of the training app: typed, keyword-only, atomic ``<entity>_<verb>`` functions.

Every service checks the actor's right (:mod:`training.permissions`, → ``PermissionDenied``)
and that the enterprise is in the actor's scope (→ ``PermissionDenied``: views look records up
through ``visible_to`` first, so a user only reaches this with a forged id), validates with
Chinese messages naming the field (→ ``ValidationError``), and saves all or nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from campaigns.constants import EARLIEST_FOUND_ON
from campaigns.models import Department, Role, Township
from hazards.models import Enterprise, Hazard
from yixian_safety.dates import today_local
from yixian_safety.uploads import clean_document, clean_photo

from . import permissions
from .constants import MAX_ATTENDEES_PER_SESSION, MAX_EVIDENCE_FILES, Audience, Flag
from .models import (
    Attendance,
    Certificate,
    Drill,
    DrillEvidence,
    EnterpriseFlag,
    PrincipalInspection,
    RescueTeam,
    TrainingSession,
)

LATEST_DATE = datetime.date(2100, 12, 31)


def _require(ok: bool) -> None:
    if not ok:
        raise PermissionDenied(_("You may not do this."))


def _in_scope(actor, enterprise: Enterprise | None) -> None:
    if (
        enterprise is not None
        and not Enterprise.objects.visible_to(actor).filter(pk=enterprise.pk).exists()
    ):
        raise PermissionDenied(_("Outside your township or sectors."))


def _check_date(
    field: str, value: datetime.date | None, *, not_future: bool = False, required: bool = True
) -> None:
    if value is None:
        if required:
            raise ValidationError({field: _("This date is required.")})
        return
    if value < EARLIEST_FOUND_ON or value > LATEST_DATE:
        raise ValidationError(
            {field: _("The date %(date)s is out of range (2000–2100).") % {"date": value}}
        )
    if not_future and value > today_local():
        raise ValidationError({field: _("The date %(date)s is in the future.") % {"date": value}})


def _check_text(field: str, value: str, *, max_length: int, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: _("This field is required.")})
    if len(value) > max_length:
        raise ValidationError({field: _("At most %(n)s characters.") % {"n": max_length}})
    return value


# --- enterprise categories -----------------------------------------------------------------


@transaction.atomic
def flag_set(*, enterprise: Enterprise, flag: str, actor, on: bool = True) -> bool:
    """Put ``enterprise`` in (``on``) or out of category ``flag`` (a :class:`Flag`); returns
    whether it is in the category afterwards. Idempotent."""
    _require(permissions.can_flag(actor))
    _in_scope(actor, enterprise)
    if flag not in Flag.values:
        raise ValidationError({"flag": _("Unknown category %(flag)s.") % {"flag": flag}})
    if on:
        EnterpriseFlag.objects.get_or_create(
            enterprise=enterprise, flag=flag, defaults={"set_by": actor}
        )
    else:
        EnterpriseFlag.objects.filter(enterprise=enterprise, flag=flag).delete()
    return on


# --- training sessions ----------------------------------------------------------------------


def _organiser_of(actor, township: Township | None, department: Department | None):
    """A township official organises for its township, department staff/office for their
    department; admins must name the organiser."""
    if township is None and department is None:
        township, department = actor.township, actor.department
    if (township is None) == (department is None):
        raise ValidationError(
            {
                "organiser_township": _(
                    "Name exactly one organising unit: a township or a department."
                )
            }
        )
    if actor.role == Role.TOWNSHIP_OFFICIAL and township != actor.township:
        raise PermissionDenied(_("A township organises sessions only for itself."))
    if actor.role == Role.DEPARTMENT_STAFF and department != actor.department:
        raise PermissionDenied(_("A department organises sessions only for itself."))
    return township, department


def _session_fields(*, title, audience, held_on, venue, hours, note) -> dict:
    if audience not in Audience.values:
        raise ValidationError({"audience": _("Unknown audience %(a)s.") % {"a": audience}})
    _check_date("held_on", held_on)
    if hours is not None and not (Decimal("0") < Decimal(hours) <= Decimal("99")):
        raise ValidationError({"hours": _("Hours must be between 0 and 99.")})
    return {
        "title": _check_text("title", title, max_length=120),
        "venue": _check_text("venue", venue, max_length=120, required=False),
        "note": _check_text("note", note, max_length=2000, required=False),
        "audience": audience,
        "held_on": held_on,
        "hours": hours,
    }


@transaction.atomic
def session_create(
    *,
    actor,
    title: str,
    audience: str,
    held_on: datetime.date,
    online: bool = False,
    venue: str = "",
    hours: Decimal | None = None,
    note: str = "",
    organiser_township: Township | None = None,
    organiser_department: Department | None = None,
) -> TrainingSession:
    """Create a 专题安全教育培训 session organised by the actor's unit (or the given one)."""
    _require(permissions.can_organise(actor))
    township, department = _organiser_of(actor, organiser_township, organiser_department)
    fields = _session_fields(
        title=title, audience=audience, held_on=held_on, venue=venue, hours=hours, note=note
    )
    return TrainingSession.objects.create(
        organiser_township=township,
        organiser_department=department,
        online=online,
        created_by=actor,
        **fields,
    )


@transaction.atomic
def session_update(
    *,
    session: TrainingSession,
    actor,
    title: str,
    audience: str,
    held_on: datetime.date,
    online: bool = False,
    venue: str = "",
    hours: Decimal | None = None,
    note: str = "",
) -> TrainingSession:
    """Change a session's facts (not its organiser)."""
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    _require(permissions.can_change_session(actor, session))
    fields = _session_fields(
        title=title, audience=audience, held_on=held_on, venue=venue, hours=hours, note=note
    )
    for name, value in fields.items():
        setattr(session, name, value)
    session.online = online
    session.save()
    return session


@transaction.atomic
def attendance_add(
    *,
    session: TrainingSession,
    actor,
    person_name: str,
    position: str = "",
    enterprise: Enterprise | None = None,
    department: Department | None = None,
    responsible_person: bool = True,
    result: str = Attendance.Result.PENDING,
) -> Attendance:
    """Record one attendee: from an enterprise in the actor's scope, or (enforcement staff,
    task 28) from a department. A result other than ``pending`` needs the session held."""
    _require(permissions.can_record(actor))
    if enterprise is None and department is None:
        raise ValidationError(
            {
                "enterprise": _(
                    "Name the attendee's enterprise (or department for enforcement staff)."
                )
            }
        )
    _in_scope(actor, enterprise)
    if enterprise is not None:
        department = None
    else:
        responsible_person = False
    if result not in Attendance.Result.values:
        raise ValidationError({"result": _("Unknown assessment result.")})
    if result != Attendance.Result.PENDING and session.held_on > today_local():
        raise ValidationError(
            {
                "result": _(
                    "The session has not been held yet: no assessment result can be recorded."
                )
            }
        )
    if session.attendances.count() >= MAX_ATTENDEES_PER_SESSION:
        raise ValidationError(
            {
                "person_name": _("At most %(n)s attendees per session.")
                % {"n": MAX_ATTENDEES_PER_SESSION}
            }
        )
    name = _check_text("person_name", person_name, max_length=40)
    if Attendance.objects.filter(session=session, person_name=name, enterprise=enterprise).exists():
        raise ValidationError(
            {"person_name": _("%(name)s is already recorded at this session.") % {"name": name}}
        )
    return Attendance.objects.create(
        session=session,
        person_name=name,
        position=_check_text("position", position, max_length=60, required=False),
        enterprise=enterprise,
        department=department,
        responsible_person=responsible_person,
        result=result,
        recorded_by=actor,
    )


@transaction.atomic
def attendance_set_result(*, attendance: Attendance, actor, result: str) -> Attendance:
    """Record the assessment result (passed / failed / pending) of one attendee."""
    _require(permissions.can_record(actor))
    attendance = (
        Attendance.objects.select_for_update().select_related("session").get(pk=attendance.pk)
    )
    if result not in Attendance.Result.values:
        raise ValidationError({"result": _("Unknown assessment result.")})
    if result != Attendance.Result.PENDING and attendance.session.held_on > today_local():
        raise ValidationError(
            {
                "result": _(
                    "The session has not been held yet: no assessment result can be recorded."
                )
            }
        )
    attendance.result = result
    attendance.save(update_fields=["result"])
    return attendance


@transaction.atomic
def attendance_remove(*, attendance: Attendance, actor) -> None:
    _require(permissions.can_record(actor))
    attendance.delete()


# --- certificates ---------------------------------------------------------------------------


def _certificate_fields(*, worker_name, type, number, issued_on, valid_until, review_due) -> dict:
    from .constants import CertificateType

    if type not in CertificateType.values:
        raise ValidationError({"type": _("Unknown type of operation %(t)s.") % {"t": type}})
    _check_date("issued_on", issued_on, not_future=True)
    _check_date("valid_until", valid_until)
    _check_date("review_due", review_due, required=False)
    if valid_until < issued_on:
        raise ValidationError({"valid_until": _("Valid until is before the issue date.")})
    if review_due is not None and review_due < issued_on:
        raise ValidationError({"review_due": _("The review is due before the issue date.")})
    return {
        "worker_name": _check_text("worker_name", worker_name, max_length=40),
        "number": _check_text("number", number, max_length=40),
        "type": type,
        "issued_on": issued_on,
        "valid_until": valid_until,
        "review_due": review_due,
    }


def _save_certificate(cert: Certificate) -> Certificate:
    if Certificate.objects.filter(type=cert.type, number=cert.number).exclude(pk=cert.pk).exists():
        raise ValidationError(
            {
                "number": _("Certificate number %(n)s of this type is already recorded.")
                % {"n": cert.number}
            }
        )
    try:
        with transaction.atomic():
            cert.save()
    except IntegrityError as exc:  # a concurrent insert of the same number
        raise ValidationError(
            {
                "number": _("Certificate number %(n)s of this type is already recorded.")
                % {"n": cert.number}
            }
        ) from exc
    return cert


@transaction.atomic
def certificate_create(
    *,
    actor,
    enterprise: Enterprise,
    worker_name: str,
    type: str,
    number: str,
    issued_on: datetime.date,
    valid_until: datetime.date,
    review_due: datetime.date | None = None,
) -> Certificate:
    """Record a 特种作业操作证 (task 20) of a worker of ``enterprise``."""
    _require(permissions.can_record(actor))
    _in_scope(actor, enterprise)
    fields = _certificate_fields(
        worker_name=worker_name,
        type=type,
        number=number,
        issued_on=issued_on,
        valid_until=valid_until,
        review_due=review_due,
    )
    return _save_certificate(Certificate(enterprise=enterprise, created_by=actor, **fields))


@transaction.atomic
def certificate_update(
    *,
    certificate: Certificate,
    actor,
    enterprise: Enterprise,
    worker_name: str,
    type: str,
    number: str,
    issued_on: datetime.date,
    valid_until: datetime.date,
    review_due: datetime.date | None = None,
) -> Certificate:
    """Change a certificate (e.g. renewed: new ``valid_until`` and ``review_due``)."""
    _require(permissions.can_record(actor))
    _in_scope(actor, certificate.enterprise)
    _in_scope(actor, enterprise)
    cert = Certificate.objects.select_for_update().get(pk=certificate.pk)
    fields = _certificate_fields(
        worker_name=worker_name,
        type=type,
        number=number,
        issued_on=issued_on,
        valid_until=valid_until,
        review_due=review_due,
    )
    for name, value in fields.items():
        setattr(cert, name, value)
    cert.enterprise = enterprise
    return _save_certificate(cert)


# --- drills ---------------------------------------------------------------------------------


def _clean_evidence(photos: Iterable, documents: Iterable):
    photos, documents = list(photos), list(documents)
    if len(photos) + len(documents) > MAX_EVIDENCE_FILES:
        raise ValidationError(
            {"photos": _("At most %(n)s files per drill.") % {"n": MAX_EVIDENCE_FILES}}
        )
    cleaned = []
    for field, uploads, clean, kind in (
        ("photos", photos, clean_photo, DrillEvidence.Kind.PHOTO),
        ("documents", documents, clean_document, DrillEvidence.Kind.DOCUMENT),
    ):
        for upload in uploads:
            try:
                cleaned.append((kind, clean(upload)))
            except ValidationError as exc:
                raise ValidationError({field: exc.messages}) from exc
    return cleaned


def _store_evidence(drill: Drill, actor, cleaned) -> None:
    """Write the files; if anything fails, delete what was written (nothing half-saved)."""
    stored = []
    try:
        for kind, clean in cleaned:
            ev = DrillEvidence(
                drill=drill,
                kind=kind,
                original_name=clean.original_name,
                content_type=clean.content_type,
                content_hash=clean.content_hash,
                uploaded_by=actor,
            )
            ev.file.save(clean.name, clean.content, save=False)
            stored.append(ev.file)
            ev.save()
    except BaseException:
        for f in stored:
            f.storage.delete(f.name)
        raise


@transaction.atomic
def drill_record(
    *,
    actor,
    enterprise: Enterprise,
    held_on: datetime.date,
    scenario: str,
    participants: int,
    note: str = "",
    photos: Iterable = (),
    documents: Iterable = (),
) -> Drill:
    """Record a 疏散逃生演练 (task 22) with its evidence (photos re-encoded, documents by
    extension and size — the shared policy of :mod:`yixian_safety.uploads`). ``held_on`` not in the
    future; 1 ≤ participants ≤ 100000."""
    _require(permissions.can_record(actor))
    _in_scope(actor, enterprise)
    _check_date("held_on", held_on, not_future=True)
    if participants is None or not (1 <= int(participants) <= 100_000):
        raise ValidationError({"participants": _("Participants must be between 1 and 100000.")})
    cleaned = _clean_evidence(photos, documents)
    drill = Drill.objects.create(
        enterprise=enterprise,
        held_on=held_on,
        scenario=_check_text("scenario", scenario, max_length=200),
        participants=int(participants),
        note=_check_text("note", note, max_length=2000, required=False),
        created_by=actor,
    )
    _store_evidence(drill, actor, cleaned)
    return drill


@transaction.atomic
def drill_add_evidence(
    *, drill: Drill, actor, photos: Iterable = (), documents: Iterable = ()
) -> list[DrillEvidence]:
    """Add evidence files to a recorded drill."""
    _require(permissions.can_record(actor))
    _in_scope(actor, drill.enterprise)
    cleaned = _clean_evidence(photos, documents)
    if drill.evidence.count() + len(cleaned) > MAX_EVIDENCE_FILES:
        raise ValidationError(
            {"photos": _("At most %(n)s files per drill.") % {"n": MAX_EVIDENCE_FILES}}
        )
    if not cleaned:
        raise ValidationError({"photos": _("Choose at least one file.")})
    _store_evidence(drill, actor, cleaned)
    return list(drill.evidence.all())


# --- principal-led inspections --------------------------------------------------------------


@transaction.atomic
def inspection_record(
    *,
    actor,
    enterprise: Enterprise,
    inspected_on: datetime.date,
    leader_name: str,
    findings: str = "",
    hazards: Iterable[Hazard] = (),
) -> PrincipalInspection:
    """Record a 主要负责人带队检查 (task 3). ``hazards``: ledger hazards of this enterprise
    the inspection found (others are refused)."""
    _require(permissions.can_record(actor))
    _in_scope(actor, enterprise)
    _check_date("inspected_on", inspected_on, not_future=True)
    hazards = list(hazards)
    if any(h.enterprise_id != enterprise.pk for h in hazards):
        raise ValidationError({"hazards": _("Only hazards of this enterprise can be linked.")})
    inspection = PrincipalInspection.objects.create(
        enterprise=enterprise,
        inspected_on=inspected_on,
        leader_name=_check_text("leader_name", leader_name, max_length=40),
        findings=_check_text("findings", findings, max_length=4000, required=False),
        created_by=actor,
    )
    inspection.hazards.set(hazards)
    return inspection


@transaction.atomic
def inspection_link_hazard(
    *, inspection: PrincipalInspection, hazard: Hazard, actor
) -> PrincipalInspection:
    """Link a (newly reported) ledger hazard of the same enterprise to the inspection."""
    _require(permissions.can_record(actor))
    _in_scope(actor, inspection.enterprise)
    if hazard.enterprise_id != inspection.enterprise_id:
        raise ValidationError({"hazards": _("Only hazards of this enterprise can be linked.")})
    inspection.hazards.add(hazard)
    return inspection


# --- rescue teams ---------------------------------------------------------------------------


@transaction.atomic
def rescue_team_create(
    *,
    actor,
    enterprise: Enterprise,
    name: str,
    members: int,
    agreement_with: str = "",
    established_on: datetime.date | None = None,
) -> RescueTeam:
    """Record an enterprise's 应急救援队伍 (task 22) — its own, or an agreement."""
    _require(permissions.can_record(actor))
    _in_scope(actor, enterprise)
    _check_date("established_on", established_on, not_future=True, required=False)
    if members is None or not (1 <= int(members) <= 10_000):
        raise ValidationError({"members": _("Members must be between 1 and 10000.")})
    return RescueTeam.objects.create(
        enterprise=enterprise,
        name=_check_text("name", name, max_length=120),
        members=int(members),
        agreement_with=_check_text(
            "agreement_with", agreement_with, max_length=120, required=False
        ),
        established_on=established_on,
        created_by=actor,
    )


@transaction.atomic
def inspection_report_hazard(*, inspection: PrincipalInspection, actor, **hazard_fields) -> Hazard:
    """Report a hazard found in a principal-led inspection into the ledger
    (:func:`hazards.services.hazard_report`, same rules and rights) and link it to the
    inspection; both or neither are saved. ``hazard_fields``: hazard_report's keywords
    except ``enterprise`` (the inspection's)."""
    from hazards import services as hazard_services

    _require(permissions.can_record(actor))
    _in_scope(actor, inspection.enterprise)
    hazard = hazard_services.hazard_report(
        actor=actor, enterprise=inspection.enterprise, **hazard_fields
    )
    inspection.hazards.add(hazard)
    return hazard
