"""Report pages: the archive (filtered, exportable), the request form, a report's page with its
build progress (htmx polling), downloads and versions. Thin: forms parse, services decide,
``visible_to`` scopes (404 outside; 403 when visible but not allowed to build)."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaigns.audit.selectors import get_visible_or_404
from campaigns.reports.exports import outcomes_xlsx, reports_list_xlsx
from campaigns.reports.filters import OutcomeFilter, ReportFilter
from campaigns.reports.forms import OutcomeForm, ReportRequestForm
from campaigns.reports.models import Report
from campaigns.reports.permissions import can_request_report, can_view_reports, scopes_for
from campaigns.reports.selectors import outcomes_for, report_versions, reports_for
from campaigns.reports.services import (
    outcome_record,
    report_download_record,
    report_request,
    report_retry,
    report_scope,
)
from yixian_safety.dates import today_local
from yixian_safety.forms import service_errors_to_form, service_errors_to_messages
from yixian_safety.xlsx import xlsx_response

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _archive_user(request) -> None:
    if not can_view_reports(request.user):
        raise PermissionDenied


def _filtered(request):
    qs = reports_for(request.user)
    filterset = ReportFilter(request.GET or None, queryset=qs)
    if filterset.is_bound and filterset.is_valid():
        qs = filterset.qs
    return filterset, qs


@login_required
def report_list(request):
    """The archive: every report the user may see (every version), filtered by kind, period,
    scope and status."""
    _archive_user(request)
    filterset, qs = _filtered(request)
    return render(
        request,
        "campaigns/reports/list.html",
        {
            "filter": filterset,
            "reports": qs[:500],
            "can_request": bool(scopes_for(request.user)),
            "query": request.GET.urlencode(),
        },
    )


@login_required
def report_list_export(request):
    """The archive list (same filters and scope as the page) as .xlsx."""
    _archive_user(request)
    _filterset, qs = _filtered(request)
    return xlsx_response(
        _("reports") + f"-{today_local():%Y%m%d}.xlsx", reports_list_xlsx(qs[:5000])
    )


@login_required
def report_request_view(request):
    """Ask for a build (quarterly for a unit the user may build for; the final report for the
    office); the build runs in the background and the report page shows its progress."""
    _archive_user(request)
    if not scopes_for(request.user):
        raise PermissionDenied
    form = ReportRequestForm(
        request.POST or None,
        user=request.user,
        initial={"kind": request.GET.get("kind", "quarterly")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            report = report_request(
                kind=form.cleaned_data["kind"],
                period_key=form.cleaned_data["period"] or "",
                scope_key=form.cleaned_data["scope"],
                actor=request.user,
            )
        except ValidationError as exc:
            service_errors_to_form(form, exc)
        else:
            messages.success(
                request, _("The report %(title)s was requested.") % {"title": report.title}
            )
            return redirect(report)
    return render(request, "campaigns/reports/request.html", {"form": form})


def _visible(request, pk: int) -> Report:
    return get_visible_or_404(reports_for(request.user), pk=pk)


@login_required
def report_detail(request, pk: int):
    """One report: 文号, status (polled while it builds), downloads, checksums, versions."""
    report = _visible(request, pk)
    return render(
        request,
        "campaigns/reports/detail.html",
        {
            "report": report,
            "versions": report_versions(report),
            "can_build": can_request_report(
                request.user, kind=report.kind, scope=report_scope(report)
            ),
        },
    )


@login_required
def report_status(request, pk: int):
    """The status box alone (htmx polls it every 2 s until the build is ready or failed)."""
    report = _visible(request, pk)
    return render(
        request,
        "campaigns/reports/_status.html",
        {
            "report": report,
            "can_build": can_request_report(
                request.user, kind=report.kind, scope=report_scope(report)
            ),
        },
    )


@login_required
@require_POST
def report_retry_view(request, pk: int):
    """Queue a failed build again (403 if the user may not build it)."""
    report = _visible(request, pk)
    try:
        report_retry(report=report, actor=request.user)
    except ValidationError as exc:
        service_errors_to_messages(request, exc)
    return redirect(report)


@login_required
@require_POST
def report_rebuild_view(request, pk: int):
    """Build the same report again: a new version (the old one is kept)."""
    report = _visible(request, pk)
    try:
        new = report_request(
            kind=report.kind,
            period_key=report.period,
            scope_key=report.scope_key,
            actor=request.user,
        )
    except ValidationError as exc:
        service_errors_to_messages(request, exc)
        return redirect(report)
    messages.success(request, _("Version %(version)s was requested.") % {"version": new.version})
    return redirect(new)


def attachment_response(handle, *, content_type: str, filename: str, ascii_name: str):
    """A download with the Chinese file name (``filename*=``) and an ASCII fallback."""
    response = FileResponse(handle, content_type=content_type)
    response.headers["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    )
    return response


@login_required
def report_download(request, pk: int, fmt: str):
    """The stored PDF or Excel of a ready report (404 outside the scope or before it is built);
    each download is counted."""
    report = _visible(request, pk)
    if fmt not in CONTENT_TYPES or report.status != Report.Status.READY:
        raise Http404
    stored = report.pdf if fmt == "pdf" else report.xlsx
    try:
        handle = stored.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    report_download_record(report=report)
    return attachment_response(
        handle,
        content_type=CONTENT_TYPES[fmt],
        filename=report.file_name(fmt),
        ascii_name=report.ascii_name(fmt),
    )


# --- 制度成果 ----------------------------------------------------------------------------------


@login_required
def outcome_list(request):
    """The 制度成果 the user may see, filtered by unit and year; a unit records its own here."""
    _archive_user(request)
    qs = outcomes_for(request.user)
    filterset = OutcomeFilter(request.GET or None, queryset=qs)
    if filterset.is_bound and filterset.is_valid():
        qs = filterset.qs
    can_record = bool(request.user.township_id or request.user.department_id)
    form = OutcomeForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not can_record:
            raise PermissionDenied
        if form.is_valid():
            try:
                outcome_record(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                service_errors_to_form(form, exc)
            else:
                messages.success(request, _("Outcome recorded."))
                return redirect("campaigns:outcomes")
    return render(
        request,
        "campaigns/reports/outcomes.html",
        {
            "filter": filterset,
            "outcomes": qs[:500],
            "form": form,
            "can_record": can_record,
            "query": request.GET.urlencode(),
        },
    )


@login_required
def outcome_export(request):
    """The 制度成果 list (same filters and scope) as .xlsx."""
    _archive_user(request)
    qs = outcomes_for(request.user)
    filterset = OutcomeFilter(request.GET or None, queryset=qs)
    if filterset.is_bound and filterset.is_valid():
        qs = filterset.qs
    return xlsx_response("制度成果" + f"-{today_local():%Y%m%d}.xlsx", outcomes_xlsx(qs[:5000]))


@login_required
def outcome_document(request, pk: int):
    """An outcome's document (404 outside the user's scope)."""
    outcome = get_visible_or_404(outcomes_for(request.user), pk=pk)
    if not outcome.document:
        raise Http404
    try:
        handle = outcome.document.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=outcome.document_name)
