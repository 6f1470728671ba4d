"""Pages of supervision and escalation. Thin: parse → service → redirect.

Every lookup starts from ``visible_to(request.user)``: outside scope is 404; visible but not
allowed is 403 (PermissionDenied from the services or the checks here). The public exposure
notice is the one page without login: it shows only what the approved notice says.
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaigns.audit.selectors import get_visible_or_404
from campaigns.calendar.selectors import fallback_notices, fallback_notices_for_ranges
from campaigns.models import Township
from hazards.models import Hazard
from yixian_safety.dates import today_local
from yixian_safety.forms import service_errors_to_form, service_errors_to_messages
from yixian_safety.periods import quarter_index, quarter_of_index
from yixian_safety.xlsx import xlsx_response

from . import exports, pdf, permissions, services
from .filters import EscalationFilter, ExtensionFilter, ListingFilter, page_filter
from .forms import ExtensionForm, ListingForm, NoteForm, ProgressForm, ReasonNoteForm
from .models import EscalationStep, ExtensionRequest, Listing
from .selectors import missed_quarters, slow_progress

PAGE_SIZE = 50


def _filter_errors(request, filterset) -> None:
    """A list filter's errors as messages naming the field (the list is then empty)."""
    for field, errors in filterset.errors.items():
        label = filterset.filters[field].label if field in filterset.filters else field
        for error in errors:
            messages.error(request, f"{label or field}: {error}")


def _pdf_response(content: bytes, filename: str, download: bool = False) -> HttpResponse:
    from django.utils.http import content_disposition_header

    response = HttpResponse(content, content_type="application/pdf")
    response.headers["Content-Disposition"] = content_disposition_header(
        as_attachment=download, filename=filename
    )
    return response


# --- listings (挂牌督办) -----------------------------------------------------------------------


def _listings(request):
    qs = (
        Listing.objects.visible_to(request.user)
        .for_list()
        .with_report_figures(today_local())
        .order_by("-listed_on", "-pk")
    )
    return page_filter(ListingFilter, request, qs)


@login_required
@permission_required("enforcement.view_listing", raise_exception=True)
def listing_list(request):
    """Listed hazards in scope. Filters: ``status`` (listed/delisted/all), ``township`` (code),
    ``missed=1`` (with a missed quarterly report)."""
    filterset, qs = _listings(request)
    _filter_errors(request, filterset)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "enforcement/listing_list.html",
        {
            "page": page,
            "filters": filterset.data,
            "townships": Township.objects.all(),
            "statuses": Listing.Status.choices,
            "can_list": permissions.can_list(request.user),
            "can_export": permissions.can_export(request.user),
            "today": today_local(),
        },
    )


@login_required
@permission_required("enforcement.export_listing", raise_exception=True)
def listing_export(request):
    _filterset, qs = _listings(request)
    return xlsx_response(
        _("listed-supervision") + f"-{today_local():%Y%m%d}.xlsx",
        exports.listings_xlsx(qs, today_local()),
    )


@login_required
def listing_create(request):
    """List a hazard (safety office). ``?hazard=<ledger number>`` pre-fills the form."""
    if not permissions.can_list(request.user):
        raise PermissionDenied
    hazards = Hazard.objects.visible_to(request.user).select_related("rectification")
    initial = {"listed_on": today_local(), "listing_body": "safety_office"}
    number = request.GET.get("hazard", "")
    hazard = hazards.filter(ledger_number=number).first() if number else None
    if hazard is not None:
        rect = getattr(hazard, "rectification", None)
        initial.update(
            hazard=hazard.ledger_number,
            required_completion=rect.deadline if rect else None,
            responsible_unit=rect.responsible_unit if rect else "",
        )
    form = ListingForm(request.POST or None, initial=initial, hazards=hazards)
    if request.method == "POST" and form.is_valid():
        try:
            listing = services.listing_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            service_errors_to_form(form, exc)
        else:
            messages.success(
                request,
                _("%(number)s listed for supervision: %(doc)s.")
                % {"number": listing.hazard.ledger_number, "doc": listing.document_number},
            )
            return redirect(listing)
    return render(request, "enforcement/listing_form.html", {"form": form})


def _visible_listing(request, pk: int) -> Listing:
    return get_visible_or_404(
        Listing.objects.visible_to(request.user).select_related(
            "hazard__enterprise",
            "hazard__township",
            "hazard__sector",
            "hazard__supervising_department",
            "hazard__rectification",
            "listed_by",
            "signed_off_by",
            "delisted_by",
        ),
        pk=pk,
    )


@login_required
@permission_required("enforcement.view_listing", raise_exception=True)
def listing_detail(request, pk: int):
    """A listing: notice, quarterly reports with missed quarters flagged, extensions, sign-off
    and delisting."""
    listing = _visible_listing(request, pk)
    user, today = request.user, today_local()
    reports = {(r.year, r.quarter): r for r in listing.reports.select_related("reported_by")}
    missed = set(missed_quarters(listing, today))
    quarters = [
        (y, q, reports.get((y, q)), (y, q) in missed) for y, q in listing.past_quarters(today)
    ]
    current = quarter_of_index(quarter_index(today))
    hazard = listing.hazard
    extensions = list(
        ExtensionRequest.objects.visible_to(user)
        .filter(hazard=hazard)
        .select_related("requested_by", "decided_by")
    )
    return render(
        request,
        "enforcement/listing_detail.html",
        {
            "listing": listing,
            "hazard": hazard,
            "quarters": quarters,
            "today": today,
            "current_quarter": current,
            "current_report": reports.get(current),
            "extensions": extensions,
            "calendar_notices": _counted_notices(extensions),
            "escalations": EscalationStep.objects.visible_to(user).filter(hazards=hazard),
            "can_report": listing.is_active and permissions.can_report_progress(user, listing),
            "can_sign_off": listing.is_active
            and permissions.acts_for_listing_body(user)
            and hazard.status == "accepted"
            and listing.signed_off_at is None,
            "can_delist": listing.is_active
            and permissions.acts_for_listing_body(user)
            and hazard.status == "closed",
            "can_request_extension": listing.is_active
            and hazard.is_open
            and permissions.can_request_extension(user, hazard),
            "progress_form": ProgressForm(),
            "note_form": NoteForm(),
        },
    )


@login_required
@require_POST
def listing_action(request, pk: int, action: str):
    """POST ``report`` (quarterly progress), ``sign_off`` or ``delist``."""
    listing = _visible_listing(request, pk)
    try:
        if action == "report":
            form = ProgressForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Describe the progress of the rectification."))
            services.listing_report_progress(
                listing=listing, actor=request.user, progress=form.cleaned_data["progress"]
            )
            messages.success(request, _("Quarterly progress reported."))
        elif action == "sign_off":
            services.listing_sign_off(listing=listing, actor=request.user)
            messages.success(request, _("Closure signed off for the listing body."))
        elif action == "delist":
            form = NoteForm(request.POST)
            form.is_valid()
            listing = services.listing_delist(
                listing=listing, actor=request.user, note=form.cleaned_data.get("note", "")
            )
            messages.success(
                request, _("Delisted: %(doc)s.") % {"doc": listing.delisting_document_number}
            )
        else:
            raise Http404
    except ValidationError as exc:
        service_errors_to_messages(request, exc)
    return redirect(listing)


@login_required
@permission_required("enforcement.view_listing", raise_exception=True)
def listing_notice(request, pk: int):
    """督办通知书 (PDF)."""
    listing = _visible_listing(request, pk)
    return _pdf_response(pdf.listing_notice_pdf(listing), f"{listing.document_number}.pdf")


@login_required
@permission_required("enforcement.view_listing", raise_exception=True)
def delisting_notice(request, pk: int):
    """摘牌通知 (PDF); 404 before delisting."""
    listing = _visible_listing(request, pk)
    if not listing.delisting_document_number:
        raise Http404
    return _pdf_response(
        pdf.delisting_notice_pdf(listing), f"{listing.delisting_document_number}.pdf"
    )


# --- extensions (延期) -------------------------------------------------------------------------


def _counted_notices(extensions) -> list[str]:
    """The weekends-only notices of the years the rows' working-day counts span."""
    return fallback_notices_for_ranges(
        (e.filed_on, e.current_deadline - datetime.timedelta(days=1))
        for e in extensions
        if e.filed_on < e.current_deadline
    )


def _form_notices(form, hazards) -> list[str]:
    """The extension form counts from today to the hazard's current deadline (known once a
    ledger number is given; else the next 90 days, where the filing rule can bite)."""
    today = today_local()
    number = str(form.data.get("hazard") or form.initial.get("hazard") or "").strip().upper()
    hazard = (
        hazards.filter(ledger_number=number).select_related("rectification").first()
        if number
        else None
    )
    rect = getattr(hazard, "rectification", None)
    deadline = rect.deadline if rect is not None and rect.deadline else None
    if deadline is None or deadline <= today:
        deadline = today + datetime.timedelta(days=90)
    return fallback_notices(today, deadline - datetime.timedelta(days=1))


def _extensions(request):
    return page_filter(
        ExtensionFilter, request, ExtensionRequest.objects.visible_to(request.user).for_list()
    )


@login_required
@permission_required("enforcement.view_extensionrequest", raise_exception=True)
def extension_list(request):
    """Extension requests in scope; ``status`` filter."""
    filterset, qs = _extensions(request)
    _filter_errors(request, filterset)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "enforcement/extension_list.html",
        {
            "page": page,
            "status": filterset.data.get("status", ""),
            "statuses": ExtensionRequest.Status.choices,
            "calendar_notices": _counted_notices(page.object_list),
            "can_request": request.user.has_perm("enforcement.add_extensionrequest"),
            "can_export": permissions.can_export(request.user),
        },
    )


@login_required
@permission_required("enforcement.export_listing", raise_exception=True)
def extension_export(request):
    _filterset, qs = _extensions(request)
    return xlsx_response(
        _("deadline-extensions") + f"-{today_local():%Y%m%d}.xlsx", exports.extensions_xlsx(qs)
    )


@login_required
@permission_required("enforcement.add_extensionrequest", raise_exception=True)
def extension_create(request):
    """Request an extension; ``?hazard=<ledger number>`` pre-fills."""
    hazards = Hazard.objects.visible_to(request.user)
    form = ExtensionForm(
        request.POST or None, hazards=hazards, initial={"hazard": request.GET.get("hazard", "")}
    )
    if request.method == "POST" and form.is_valid():
        try:
            ext = services.extension_request(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            service_errors_to_form(form, exc)
        else:
            if ext.status == ExtensionRequest.Status.REFUSED:
                messages.error(request, ext.decision_note)
            else:
                messages.success(request, _("Extension requested."))
            return redirect(ext)
    return render(
        request,
        "enforcement/extension_form.html",
        {"form": form, "calendar_notices": _form_notices(form, hazards)},
    )


def _visible_extension(request, pk: int) -> ExtensionRequest:
    return get_visible_or_404(
        ExtensionRequest.objects.visible_to(request.user)
        .for_list()
        .select_related("hazard__rectification", "hazard__sector"),
        pk=pk,
    )


@login_required
@permission_required("enforcement.view_extensionrequest", raise_exception=True)
def extension_detail(request, pk: int):
    ext = _visible_extension(request, pk)
    can_decide = (
        ext.status == ExtensionRequest.Status.REQUESTED
        and permissions.can_decide_extension(request.user, ext)
    )
    return render(
        request,
        "enforcement/extension_detail.html",
        {
            "ext": ext,
            "can_decide": can_decide,
            "note_form": NoteForm(),
            "calendar_notices": _counted_notices([ext]),
            "reason_form": ReasonNoteForm(),
        },
    )


@login_required
@require_POST
def extension_decide(request, pk: int, action: str):
    """POST ``approve`` (note optional) or ``refuse`` (reason required)."""
    ext = _visible_extension(request, pk)
    note = request.POST.get("note", "")
    try:
        if action == "approve":
            services.extension_approve(extension=ext, actor=request.user, note=note)
            messages.success(
                request,
                _("Extension approved: the deadline is now %(date)s.")
                % {"date": ext.requested_deadline.isoformat()},
            )
        elif action == "refuse":
            services.extension_refuse(extension=ext, actor=request.user, note=note)
            messages.success(request, _("Extension refused."))
        else:
            raise Http404
    except ValidationError as exc:
        service_errors_to_messages(request, exc)
    return redirect(ext)


# --- escalation ladder -------------------------------------------------------------------------


def _escalations(request):
    return page_filter(
        EscalationFilter, request, EscalationStep.objects.visible_to(request.user).for_list()
    )


@login_required
@permission_required("enforcement.view_escalationstep", raise_exception=True)
def escalation_list(request):
    """The office's worklist of proposed steps (``status=proposed``, default) and the record of
    approved / dismissed ones."""
    filterset, qs = _escalations(request)
    _filter_errors(request, filterset)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "enforcement/escalation_list.html",
        {
            "page": page,
            "status": filterset.data.get("status", ""),
            "statuses": EscalationStep.Status.choices,
            "can_decide": permissions.can_decide_escalation(request.user),
            "can_export": permissions.can_export(request.user),
        },
    )


@login_required
@permission_required("enforcement.export_listing", raise_exception=True)
def escalation_export(request):
    _filterset, qs = _escalations(request)
    return xlsx_response(
        _("escalation-steps") + f"-{today_local():%Y%m%d}.xlsx", exports.escalations_xlsx(qs)
    )


@login_required
@require_POST
def escalation_evaluate(request):
    """Run the rules now (the daily task does the same)."""
    if not permissions.can_evaluate_escalation(request.user):
        raise PermissionDenied
    made = services.escalation_evaluate()
    messages.success(request, _("%(n)s new step(s) proposed.") % {"n": len(made)})
    return redirect("enforcement:escalation_list")


def _visible_step(request, pk: int) -> EscalationStep:
    return get_visible_or_404(
        EscalationStep.objects.visible_to(request.user).select_related(
            "township", "department", "enterprise", "rule", "decided_by"
        ),
        pk=pk,
    )


@login_required
@permission_required("enforcement.view_escalationstep", raise_exception=True)
def escalation_detail(request, pk: int):
    step = _visible_step(request, pk)
    return render(
        request,
        "enforcement/escalation_detail.html",
        {
            "step": step,
            "hazards": step.hazards.visible_to(request.user).select_related(
                "enterprise", "township", "rectification"
            ),
            "can_decide": step.status == EscalationStep.Status.PROPOSED
            and permissions.can_decide_escalation(request.user),
            "doc": pdf.escalation_context(step) if step.document_number else None,
            "today": today_local(),
        },
    )


@login_required
@require_POST
def escalation_decide(request, pk: int, action: str):
    """POST ``approve`` (note optional) or ``dismiss`` (reason required)."""
    step = _visible_step(request, pk)
    note = request.POST.get("note", "")
    try:
        if action == "approve":
            step = services.escalation_approve(step=step, actor=request.user, note=note)
            messages.success(request, _("Approved: %(doc)s.") % {"doc": step.document_number})
        elif action == "dismiss":
            services.escalation_dismiss(step=step, actor=request.user, note=note)
            messages.success(request, _("Proposal dismissed."))
        else:
            raise Http404
    except ValidationError as exc:
        service_errors_to_messages(request, exc)
    return redirect(step)


@login_required
@permission_required("enforcement.view_escalationstep", raise_exception=True)
def escalation_document(request, pk: int):
    """The approved step's document (PDF); 404 before approval."""
    step = _visible_step(request, pk)
    if not step.document_number:
        raise Http404
    return _pdf_response(pdf.escalation_pdf(step), f"{step.document_number}.pdf")


def public_exposure(request, slug):
    """Public notice of an approved 曝光 (no login): only what the notice says."""
    step = get_object_or_404(
        EscalationStep,
        public_slug=slug,
        status=EscalationStep.Status.APPROVED,
        kind="public_exposure",
    )
    return render(request, "enforcement/public_exposure.html", pdf.escalation_context(step))


# --- statistics (task 15) ---------------------------------------------------------------------


@login_required
@permission_required("enforcement.view_listing", raise_exception=True)
def slow_progress_page(request):
    """Units with slow progress by township and by sector (task 15), in the user's scope."""
    stats = slow_progress(Hazard.objects.visible_to(request.user))
    return render(
        request,
        "enforcement/slow_progress.html",
        {"stats": stats, "can_export": permissions.can_export(request.user)},
    )


@login_required
@permission_required("enforcement.export_listing", raise_exception=True)
def slow_progress_export(request):
    stats = slow_progress(Hazard.objects.visible_to(request.user))
    return xlsx_response(
        _("slow-progress") + f"-{stats.today:%Y%m%d}.xlsx", exports.slow_progress_xlsx(stats)
    )
