"""Progress pages: report progress on a task, mark a milestone met, obligation periods with
their status (and recording one), the office's reporting cadence. Thin views over services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from campaigns.audit.selectors import get_visible_or_404
from campaigns.org.permissions import acting_unit
from campaigns.plan.models import Milestone, Obligation, Task
from campaigns.plan.selectors import campaign_for_request
from campaigns.progress.exports import not_submitted_xlsx
from campaigns.progress.forms import (
    CadenceForm,
    MilestoneMetForm,
    ObligationRecordForm,
    ProgressReportForm,
)
from campaigns.progress.models import MilestoneRecord, ProgressReport
from campaigns.progress.permissions import (
    can_record_milestone,
    can_record_obligation,
    can_report_progress,
)
from campaigns.progress.registry import task_figures
from campaigns.progress.selectors import (
    not_submitted_periods,
    not_submitted_visible,
    obligation_periods_for,
    pick_period,
    progress_not_submitted,
    report_periods,
    unit_answers_for_task,
)
from campaigns.progress.services import (
    cadence_set,
    milestone_mark_met,
    obligation_record,
    progress_report_submit,
)
from yixian_safety.dates import today_local
from yixian_safety.forms import service_errors_to_form, service_errors_to_messages
from yixian_safety.xlsx import xlsx_bytes, xlsx_response


@login_required
def progress_report_create(request, number: int):
    """A township or department reports its progress on task ``number`` (of the chosen
    campaign) for a period; beside the form, what the platform's records show for the unit and
    the newest period due."""
    task = get_object_or_404(
        Task.objects.select_related("campaign"),
        campaign=campaign_for_request(request),
        number=number,
    )
    unit = acting_unit(request.user)
    if not can_report_progress(request.user) or not unit_answers_for_task(unit, task):
        raise PermissionDenied
    form = ProgressReportForm(
        request.POST or None, request.FILES or None, periods=report_periods(task)
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            progress_report_submit(
                actor=request.user,
                task=task,
                period=d["period"],
                status=d["status"],
                text=d["text"],
                figures=d["figures"],
                attachment=d.get("attachment"),
            )
        except ValidationError as error:
            service_errors_to_form(form, error)
        else:
            messages.success(request, _("Progress reported."))
            return redirect(task)
    today = today_local()
    period = pick_period("", report_periods(task, today), today)
    return render(
        request,
        "campaigns/progress_form.html",
        {
            "form": form,
            "task": task,
            "unit": unit,
            "title": _("Report progress"),
            "figure_groups": task_figures(
                task.number,
                viewer=request.user,
                today=today,
                unit=unit,
                period=period,
                campaign_slug=task.campaign.slug,
            ),
            "figures_period": period,
        },
    )


@login_required
def milestone_met_create(request, pk: int):
    """A unit marks a milestone of one of its tasks met, with evidence."""
    milestone = get_object_or_404(
        Milestone.objects.select_related("task"), pk=pk, task__isnull=False
    )
    unit = acting_unit(request.user)
    if not can_record_milestone(request.user) or not unit_answers_for_task(unit, milestone.task):
        raise PermissionDenied
    form = MilestoneMetForm(
        request.POST or None, request.FILES or None, initial={"met_on": today_local()}
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            milestone_mark_met(
                actor=request.user,
                milestone=milestone,
                met_on=d["met_on"],
                note=d["note"],
                evidence=d.get("evidence"),
            )
        except ValidationError as error:
            service_errors_to_form(form, error)
        else:
            messages.success(request, _("Milestone marked met."))
            return redirect(milestone.task)
    return render(
        request,
        "campaigns/progress_form.html",
        {
            "form": form,
            "task": milestone.task,
            "unit": unit,
            "milestone": milestone,
            "title": _("Mark milestone met"),
        },
    )


@login_required
@require_POST
def cadence_update(request, number: int):
    """The office sets a task's reporting cadence (monthly / quarterly)."""
    task = get_object_or_404(Task, campaign=campaign_for_request(request), number=number)
    form = CadenceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose monthly or quarterly."))
        return redirect(task)
    try:
        cadence_set(actor=request.user, task=task, frequency=form.cleaned_data["frequency"])
    except ValidationError as error:
        service_errors_to_messages(request, error)
    else:
        messages.success(request, _("Reporting cadence saved."))
    return redirect(task)


def _obligation_rows(user, campaign=None):
    from campaigns.org.scoping import scope_for

    if scope_for(user).everything:
        return obligation_periods_for(campaign=campaign)
    unit = acting_unit(user)
    return obligation_periods_for(units=[unit], campaign=campaign) if unit else []


@login_required
@permission_required("campaigns.view_obligationrecord", raise_exception=True)
def obligation_list(request):
    """Recurring obligations (频次要求): each period since the campaign start, per unit, met /
    pending / missed. Units see their own; the office sees all."""
    campaign = campaign_for_request(request)
    all_rows = _obligation_rows(request.user, campaign)
    counts = {s: 0 for s in ("met", "pending", "missed")}
    for r in all_rows:
        counts[r.status] += 1
    status = request.GET.get("status", "")
    rows = [r for r in all_rows if r.status == status] if status in counts else all_rows
    return render(
        request,
        "campaigns/obligation_list.html",
        {
            "rows": rows,
            "counts": counts,
            "status": status,
            "can_record": can_record_obligation(request.user)
            and not (campaign and campaign.ended_on(today_local())),
            "form": ObligationRecordForm(),
            "unit": acting_unit(request.user),
        },
    )


@login_required
@permission_required("campaigns.view_obligationrecord", raise_exception=True)
def obligation_export(request):
    """The obligation periods page as .xlsx (same scope)."""
    labels = {
        "met": _("met"),
        "pending": pgettext("obligation period", "pending"),
        "missed": _("missed"),
    }
    data = [
        [
            r.obligation.task.number,
            r.obligation.title,
            str(r.unit),
            r.period.key,
            r.period.start,
            r.period.end,
            labels[r.status],
            r.record.done_on if r.record else None,
        ]
        for r in _obligation_rows(request.user, campaign_for_request(request))
    ]
    headers = [
        _("Task"),
        _("Obligation"),
        _("Unit"),
        _("period"),
        _("From"),
        _("To"),
        _("status"),
        _("done on"),
    ]
    return xlsx_response(
        _("obligations") + f"-{today_local():%Y%m%d}.xlsx",
        xlsx_bytes([(_("Obligations"), headers, data)]),
    )


@login_required
@require_POST
def obligation_record_create(request, pk: int, period: str):
    """The acting unit records an obligation done for one period."""
    obligation = get_object_or_404(Obligation, pk=pk)
    form = ObligationRecordForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            obligation_record(
                actor=request.user,
                obligation=obligation,
                period=period,
                done_on=d["done_on"],
                count=d["count"],
                note=d["note"],
            )
        except ValidationError as error:
            service_errors_to_messages(request, error)
        else:
            messages.success(request, _("Recorded."))
    else:
        for field, errors in form.errors.items():
            for e in errors:
                messages.error(request, f"{form.fields[field].label}：{e}")
    return redirect("campaigns:obligations")


def _not_submitted_response(request, periods, task=None, campaign=None):
    from django.http import Http404

    today = today_local()
    try:
        period = pick_period(request.GET.get("period", ""), periods, today)
    except ValueError:
        raise Http404 from None
    rows = progress_not_submitted(period, task, campaign) if period else []
    rows = not_submitted_visible(rows, request.user)
    name = _("not submitted") + (f"-{task.number}" if task else "")
    return xlsx_response(
        f"{name}-{period.key if period else ''}.xlsx", not_submitted_xlsx(rows, today=today)
    )


@login_required
def task_not_submitted_export(request, number: int):
    """The task page's not-submitted list for ``?period=`` (default: the newest period already
    due) as .xlsx — the units the user may see that owe task ``number``'s progress report for
    that period and have not sent it. 404 for a period not among the task's."""
    task = get_object_or_404(Task, campaign=campaign_for_request(request), number=number)
    return _not_submitted_response(request, report_periods(task), task)


@login_required
@permission_required("campaigns.view_subplan", raise_exception=True)
def not_submitted_export(request):
    """The sub-plan board's not-submitted list (every task) for ``?period=`` as .xlsx."""
    campaign = campaign_for_request(request)
    return _not_submitted_response(
        request, not_submitted_periods(campaign=campaign), campaign=campaign
    )


def _file_response(field_file):
    from django.http import FileResponse, Http404

    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=field_file.name.rsplit("/", 1)[-1])


@login_required
def progress_attachment_download(request, pk: int):
    """A progress report's attachment (404 outside the user's scope)."""
    report = get_visible_or_404(ProgressReport.objects.visible_to(request.user), pk=pk)
    return _file_response(report.attachment)


@login_required
def milestone_evidence_download(request, pk: int):
    """A milestone record's evidence file (404 outside the user's scope)."""
    record = get_visible_or_404(MilestoneRecord.objects.visible_to(request.user), pk=pk)
    return _file_response(record.evidence)
