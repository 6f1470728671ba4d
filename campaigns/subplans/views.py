"""Sub-plan pages: list/board, create, detail with the workflow forms, version downloads,
board export. Thin: forms parse, services decide, ``visible_to`` scopes (404 outside)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaigns.audit.selectors import get_visible_or_404
from campaigns.plan.selectors import campaign_for_request
from campaigns.subplans.exports import subplan_board_xlsx
from campaigns.subplans.forms import (
    SubPlanApproveForm,
    SubPlanCreateForm,
    SubPlanReturnForm,
    SubPlanReviseForm,
    SubPlanSubmitForm,
)
from campaigns.subplans.models import SubPlan
from campaigns.subplans.permissions import (
    can_create_subplan,
    can_review_subplan,
    can_submit_subplan,
)
from campaigns.subplans.selectors import subplan_board, subplan_choices_open, subplans_for
from campaigns.subplans.services import (
    subplan_add_version,
    subplan_approve,
    subplan_create,
    subplan_return,
    subplan_revise,
    subplan_submit,
)
from yixian_safety.dates import today_local
from yixian_safety.forms import service_errors_to_form, service_errors_to_messages
from yixian_safety.xlsx import xlsx_response


@login_required
@permission_required("campaigns.view_subplan", raise_exception=True)
def subplan_list(request):
    """The board: every unit with its sub-plan status, days late and last action (the office
    sees all units; a township or department sees its own); below it, the progress reports not
    submitted for ``?period=`` (default: the newest period already due), per unit with the
    tasks missing — what the progress reminders name for that period; for the chosen campaign."""
    from campaigns.progress.selectors import (
        not_submitted_by_unit,
        not_submitted_periods,
        not_submitted_visible,
        pick_period,
        progress_not_submitted,
    )

    campaign = campaign_for_request(request)
    today = today_local()
    periods = not_submitted_periods(today, campaign=campaign)
    try:
        period = pick_period(request.GET.get("period", ""), periods, today)
    except ValueError:
        messages.error(
            request,
            _("Reporting period “%(key)s” is not one of the campaign's periods; showing %(shown)s.")
            % {"key": request.GET["period"][:20], "shown": periods[0].key if periods else "—"},
        )
        period = pick_period("", periods, today)
    rows = progress_not_submitted(period, campaign=campaign) if period else []
    return render(
        request,
        "campaigns/subplan_list.html",
        {
            "rows": subplan_board(request.user, campaign=campaign),
            "can_create": bool(subplan_choices_open(request.user, campaign=campaign))
            and not (campaign and campaign.ended_on(today)),
            "today": today,
            "ns_periods": periods,
            "ns_period": period,
            "not_submitted": not_submitted_by_unit(not_submitted_visible(rows, request.user)),
        },
    )


@login_required
@permission_required("campaigns.view_subplan", raise_exception=True)
def subplan_board_export(request):
    """The board as .xlsx (same scope as the page)."""
    content = subplan_board_xlsx(
        subplan_board(request.user, campaign=campaign_for_request(request))
    )
    return xlsx_response(_("sub-plan board") + f"-{today_local():%Y%m%d}.xlsx", content)


@login_required
def subplan_create_view(request):
    """A township or department drafts its sub-plan for the chosen campaign with the first
    document version (refused once the campaign ended)."""
    if not can_create_subplan(request.user):
        raise PermissionDenied
    campaign = campaign_for_request(request)
    open_choices = subplan_choices_open(request.user, campaign=campaign)
    if not open_choices:  # every sub-plan of the unit exists: revise it on its page instead
        messages.info(
            request,
            _("Your unit already has this sub-plan; upload a new version on its page instead."),
        )
        return redirect("campaigns:subplans")
    form = SubPlanCreateForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        campaign=campaign,
        open_choices=open_choices,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            sub_plan = subplan_create(
                actor=request.user,
                title=data["title"],
                summary=data["summary"],
                contact_name=data["contact_name"],
                contact_phone=data["contact_phone"],
                document=data["document"],
                tasks=list(data["tasks"]),
                sector=data.get("sector"),
                campaign=campaign,
            )
        except ValidationError as error:
            service_errors_to_form(form, error)
        else:
            messages.success(
                request, _("Draft saved. Check it, then submit it to the safety office.")
            )
            return redirect(sub_plan)
    return render(request, "campaigns/subplan_form.html", {"form": form})


def _visible(request, pk: int) -> SubPlan:
    return get_visible_or_404(subplans_for(request.user), pk=pk)


@login_required
@permission_required("campaigns.view_subplan", raise_exception=True)
def subplan_detail(request, pk: int):
    """A sub-plan: summary, tasks, every version (downloadable), the history with the office's
    comments, and the forms the user may use now."""
    sub_plan = _visible(request, pk)
    user = request.user
    open_ = not sub_plan.campaign.ended_on(today_local())
    can_submit = (
        open_
        and can_submit_subplan(user, sub_plan)
        and sub_plan.status
        in (
            SubPlan.Status.DRAFT,
            SubPlan.Status.RETURNED,
        )
    )
    can_review = open_ and can_review_subplan(user, sub_plan) and sub_plan.under_review
    can_revise = (
        open_ and can_submit_subplan(user, sub_plan) and sub_plan.status == SubPlan.Status.APPROVED
    )
    return render(
        request,
        "campaigns/subplan_detail.html",
        {
            "sub_plan": sub_plan,
            "versions": sub_plan.versions.select_related("uploaded_by"),
            "events": sub_plan.events.select_related("actor", "version"),
            "tasks": sub_plan.tasks.all(),
            "submit_form": SubPlanSubmitForm() if can_submit else None,
            "revise_form": SubPlanReviseForm() if can_revise else None,
            "return_form": SubPlanReturnForm() if can_review else None,
            "approve_form": SubPlanApproveForm() if can_review else None,
        },
    )


def _workflow_post(request, pk: int, form_class, call, success: str):
    sub_plan = _visible(request, pk)
    form = form_class(request.POST, request.FILES)
    if form.is_valid():
        try:
            call(sub_plan, form.cleaned_data)
        except ValidationError as error:
            service_errors_to_messages(request, error)
        else:
            messages.success(request, success)
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for e in errors:
                messages.error(request, f"{label}：{e}" if label else e)
    return redirect(sub_plan)


@login_required
@require_POST
def subplan_submit_view(request, pk: int):
    """Submit (draft) or resubmit (returned, with the revised document)."""
    return _workflow_post(
        request,
        pk,
        SubPlanSubmitForm,
        lambda sp, d: subplan_submit(
            sub_plan=sp, actor=request.user, document=d.get("document"), note=d.get("note", "")
        ),
        _("Submitted to the safety office."),
    )


@login_required
@require_POST
def subplan_revise_view(request, pk: int):
    """File a revised version (修订) of an approved sub-plan: reviewed again, the approved
    version staying in force until then."""
    return _workflow_post(
        request,
        pk,
        SubPlanReviseForm,
        lambda sp, d: subplan_revise(
            sub_plan=sp, actor=request.user, document=d["document"], note=d.get("note", "")
        ),
        _("Revision submitted to the safety office; the approved version stays in force."),
    )


@login_required
@require_POST
def subplan_version_add_view(request, pk: int):
    """Upload a new version without submitting (draft or returned sub-plans)."""

    def call(sp, d):
        if not d.get("document"):
            raise ValidationError(_("Choose a file."))
        subplan_add_version(
            sub_plan=sp, actor=request.user, document=d["document"], note=d.get("note", "")
        )

    return _workflow_post(request, pk, SubPlanSubmitForm, call, _("New version uploaded."))


@login_required
@require_POST
def subplan_return_view(request, pk: int):
    """The office returns the sub-plan with its comments."""
    return _workflow_post(
        request,
        pk,
        SubPlanReturnForm,
        lambda sp, d: subplan_return(sub_plan=sp, actor=request.user, comment=d["comment"]),
        _("Returned for revision."),
    )


@login_required
@require_POST
def subplan_approve_view(request, pk: int):
    """The office approves the sub-plan."""
    return _workflow_post(
        request,
        pk,
        SubPlanApproveForm,
        lambda sp, d: subplan_approve(
            sub_plan=sp, actor=request.user, comment=d.get("comment", "")
        ),
        _("Sub-plan approved."),
    )


@login_required
@permission_required("campaigns.view_subplanversion", raise_exception=True)
def subplan_version_download(request, pk: int, number: int):
    """Download one version's file (404 outside the user's scope)."""
    sub_plan = _visible(request, pk)
    version = get_object_or_404(sub_plan.versions, number=number)
    try:
        handle = version.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=version.original_name)
