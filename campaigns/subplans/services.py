"""Sub-plan workflow (子实施方案): draft → submitted → returned → resubmitted → approved, and
revision (修订) of an approved one: approved → revision submitted → (returned → resubmitted →)
approved, the approved version staying in force meanwhile.

The transition table is on :class:`campaigns.models.SubPlan` (django-fsm); these services check
rights, lock the row, apply the transition and record an event (who, when, why). Errors:
``PermissionDenied`` (403) when the user may see but not do it; ``ValidationError`` with a
Chinese message for an illegal transition, a missing comment or a bad file.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django_fsm import TransitionNotAllowed

from campaigns.constants import SUBPLAN_DUE_FALLBACK, SUBPLAN_DUE_MILESTONE_KIND, SUBPLAN_MAX_BYTES
from campaigns.org.models import Sector
from campaigns.org.permissions import acting_unit
from campaigns.plan.models import Campaign, Milestone, Task
from campaigns.plan.selectors import campaign_current
from campaigns.plan.services import campaign_ensure_open
from campaigns.subplans.models import SubPlan, SubPlanEvent, SubPlanVersion
from campaigns.subplans.permissions import (
    can_create_subplan,
    can_review_subplan,
    can_submit_subplan,
)
from yixian_safety.dates import today_local
from yixian_safety.uploads import document_check


def subplan_due_on(campaign: Campaign) -> datetime.date:
    """The sub-plans' due date: the plan's phase-deadline milestone (2024-03-15)."""
    milestone = (
        Milestone.objects.filter(campaign=campaign, kind=SUBPLAN_DUE_MILESTONE_KIND)
        .order_by("due_on")
        .first()
    )
    return milestone.due_on if milestone else SUBPLAN_DUE_FALLBACK


def _add_version(*, sub_plan: SubPlan, actor, upload, note: str = "") -> SubPlanVersion:
    checked = document_check(upload, max_bytes=SUBPLAN_MAX_BYTES)
    last = sub_plan.versions.aggregate(n=Max("number"))["n"] or 0
    version = SubPlanVersion(
        sub_plan=sub_plan,
        number=last + 1,
        original_name=upload.name[-200:],
        kind=checked.kind,
        size=checked.size,
        sha256=checked.sha256,
        note=note,
        uploaded_by=actor,
    )
    version.file.save(upload.name, upload, save=False)
    version.save()
    return version


def _event(sub_plan, actor, action, *, from_status="", comment="", version=None):
    return SubPlanEvent.objects.create(
        sub_plan=sub_plan,
        actor=actor,
        action=action,
        from_status=from_status,
        to_status=sub_plan.status,
        comment=comment,
        version=version,
    )


@transaction.atomic
def subplan_create(
    *,
    actor,
    title: str,
    summary: str,
    contact_name: str,
    contact_phone: str,
    document,
    tasks: list[Task] | None = None,
    sector: Sector | None = None,
    campaign: Campaign | None = None,
) -> SubPlan:
    """Create a draft sub-plan of the actor's unit with its first version (``document``: an
    uploaded PDF/Word/WPS file). ``sector``: a sector the actor's department leads (sector
    sub-plan), else the unit's campaign sub-plan. One per unit and sector."""
    if not can_create_subplan(actor):
        raise PermissionDenied
    unit = acting_unit(actor)
    campaign = campaign or campaign_current()
    if campaign is None:
        raise ValidationError(_("The plan has not been loaded yet (manage.py load_plan)."))
    campaign_ensure_open(campaign)
    if tasks and any(t.campaign_id != campaign.pk for t in tasks):
        raise ValidationError({"tasks": _("Choose tasks of this campaign.")})
    if sector is not None and not (
        actor.department_id and sector.lead_departments.filter(pk=actor.department_id).exists()
    ):
        raise ValidationError({"sector": _("Your department does not lead this sector.")})
    existing = SubPlan.objects.of_unit(unit).filter(campaign=campaign, sector=sector)
    if existing.exists():
        raise ValidationError(
            _("Your unit already has this sub-plan; upload a new version on its page instead.")
        )
    sub_plan = SubPlan(
        campaign=campaign,
        sector=sector,
        title=title,
        summary=summary,
        contact_name=contact_name,
        contact_phone=contact_phone,
        due_on=subplan_due_on(campaign),
        created_by=actor,
    )
    sub_plan.set_unit(unit)
    try:
        with transaction.atomic():
            sub_plan.save()
    except IntegrityError:  # a concurrent create won the unique constraint
        raise ValidationError(
            _("Your unit already has this sub-plan; upload a new version on its page instead.")
        ) from None
    if tasks:
        sub_plan.tasks.set(tasks)
    version = _add_version(sub_plan=sub_plan, actor=actor, upload=document)
    _event(sub_plan, actor, SubPlanEvent.Action.CREATED, version=version)
    return sub_plan


def _locked(sub_plan: SubPlan) -> SubPlan:
    return SubPlan.objects.select_for_update().get(pk=sub_plan.pk)


@transaction.atomic
def subplan_add_version(*, sub_plan: SubPlan, actor, document, note: str = "") -> SubPlanVersion:
    """Upload a new version (draft or returned sub-plans only; earlier files stay)."""
    sub_plan = _locked(sub_plan)
    if not can_submit_subplan(actor, sub_plan):
        raise PermissionDenied
    campaign_ensure_open(sub_plan.campaign)
    if sub_plan.status not in (SubPlan.Status.DRAFT, SubPlan.Status.RETURNED):
        raise ValidationError(
            _("A new version can only be uploaded to a draft or returned sub-plan.")
        )
    version = _add_version(sub_plan=sub_plan, actor=actor, upload=document, note=note)
    _event(
        sub_plan,
        actor,
        SubPlanEvent.Action.VERSION_ADDED,
        from_status=sub_plan.status,
        version=version,
    )
    return version


@transaction.atomic
def subplan_submit(
    *, sub_plan: SubPlan, actor, document=None, note: str = "", today: datetime.date | None = None
) -> SubPlan:
    """Submit a draft, or resubmit a returned sub-plan (a resubmission needs a new version:
    ``document`` or one uploaded since it was returned). The first submission date is kept;
    after ``due_on`` it is marked late (days late), never refused."""
    sub_plan = _locked(sub_plan)
    if not can_submit_subplan(actor, sub_plan):
        raise PermissionDenied
    campaign_ensure_open(sub_plan.campaign)
    from_status = sub_plan.status
    version = None
    if from_status not in (SubPlan.Status.DRAFT, SubPlan.Status.RETURNED):
        raise ValidationError(
            _("This sub-plan cannot be submitted in its current status (%(status)s).")
            % {"status": sub_plan.get_status_display()}
        ) from None
    if document is not None:
        version = _add_version(sub_plan=sub_plan, actor=actor, upload=document, note=note)
    if from_status == SubPlan.Status.RETURNED:
        returned_at = (
            sub_plan.events.filter(action=SubPlanEvent.Action.RETURNED)
            .order_by("-at")
            .values_list("at", flat=True)
            .first()
        )
        if version is None and not sub_plan.versions.filter(uploaded_at__gt=returned_at).exists():
            raise ValidationError({"document": _("Upload the revised document to resubmit.")})
        sub_plan.resubmit()
        action = SubPlanEvent.Action.RESUBMITTED
    else:
        sub_plan.submit()
        action = SubPlanEvent.Action.SUBMITTED
        if sub_plan.first_submitted_on is None:
            sub_plan.first_submitted_on = today or today_local()
    sub_plan.save()
    _event(sub_plan, actor, action, from_status=from_status, comment=note, version=version)
    return sub_plan


@transaction.atomic
def subplan_revise(*, sub_plan: SubPlan, actor, document, note: str = "") -> SubPlan:
    """File a revised version (修订) of an approved sub-plan: the new ``document`` goes to the
    safety office for review again; the approved version (``approved_version``) stays in
    force until the revision is approved. Only the owning unit; only when approved."""
    sub_plan = _locked(sub_plan)
    if not can_submit_subplan(actor, sub_plan):
        raise PermissionDenied
    campaign_ensure_open(sub_plan.campaign)
    if sub_plan.status != SubPlan.Status.APPROVED:
        raise ValidationError(
            _("Only an approved sub-plan can be revised (now: %(status)s).")
            % {"status": sub_plan.get_status_display()}
        )
    if document is None:
        raise ValidationError({"document": _("Upload the revised document to resubmit.")})
    from_status = sub_plan.status
    version = _add_version(sub_plan=sub_plan, actor=actor, upload=document, note=note)
    sub_plan.revise()
    sub_plan.save()
    _event(
        sub_plan,
        actor,
        SubPlanEvent.Action.REVISED,
        from_status=from_status,
        comment=note,
        version=version,
    )
    return sub_plan


def _review(sub_plan, actor, transition_name, action, comment) -> SubPlan:
    sub_plan = _locked(sub_plan)
    if not can_review_subplan(actor, sub_plan):
        raise PermissionDenied
    campaign_ensure_open(sub_plan.campaign)
    from_status = sub_plan.status
    try:
        getattr(sub_plan, transition_name)()
    except TransitionNotAllowed:
        raise ValidationError(
            _("This sub-plan cannot be reviewed in its current status (%(status)s).")
            % {"status": sub_plan.get_status_display()}
        ) from None
    version = None
    if sub_plan.status == SubPlan.Status.APPROVED:  # the latest version comes into force
        version = sub_plan.versions.order_by("-number").first()
        sub_plan.approved_version = version
    sub_plan.save()
    _event(sub_plan, actor, action, from_status=from_status, comment=comment, version=version)
    return sub_plan


@transaction.atomic
def subplan_return(*, sub_plan: SubPlan, actor, comment: str) -> SubPlan:
    """The office returns a submitted/resubmitted sub-plan for revision; ``comment`` required."""
    if not (comment or "").strip():
        raise ValidationError({"comment": _("Say what must be revised.")})
    return _review(
        sub_plan, actor, "return_for_revision", SubPlanEvent.Action.RETURNED, comment.strip()
    )


@transaction.atomic
def subplan_approve(*, sub_plan: SubPlan, actor, comment: str = "") -> SubPlan:
    """The office approves a submitted/resubmitted sub-plan or a revision; its latest version
    comes into force (``approved_version``)."""
    return _review(sub_plan, actor, "approve", SubPlanEvent.Action.APPROVED, comment.strip())
