"""Pages of the hazard ledger and enterprises. Thin: parse → service → redirect.

Every lookup starts from ``visible_to(request.user)``: outside scope is 404; visible but not
allowed is 403 (PermissionDenied from the services or the checks here).
"""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaigns.audit.selectors import get_visible_or_404
from yixian_safety.api import KnownCountPaginator
from yixian_safety.dates import today_local
from yixian_safety.forms import service_errors_to_form, service_errors_to_messages
from yixian_safety.idempotency import key_from_request
from yixian_safety.xlsx import xlsx_response, xlsx_streaming_response

from . import exports, imports, permissions, services
from .filters import SORTS, EnterpriseFilter, HazardFilter
from .forms import (
    EnterpriseForm,
    HazardReportForm,
    ImportForm,
    MergeForm,
    NoteForm,
    PhotosForm,
    ReasonForm,
    RectificationForm,
    SubmitForm,
    SupervisionForm,
)
from .models import Attachment, Enterprise, Hazard, Level, Rectification, Status
from .selectors import (
    hazard_by_idempotency_key,
    hazard_history,
    hazard_statistics_for,
    ledger_count,
)

PAGE_SIZES = (20, 50, 100)


def _ledger(request):
    qs = Hazard.objects.visible_to(request.user).for_list()
    filterset = HazardFilter(request.GET or None, queryset=qs, request=request)
    result = filterset.qs if filterset.is_bound else qs.ledger()
    if filterset.is_bound and not filterset.is_valid():
        result = qs.none()
    sort = request.GET.get("sort", "-found_on")
    result = result.order_by(SORTS.get(sort, "-found_on"), "-pk")
    return filterset, result, sort


# --- ledger --------------------------------------------------------------------------------


@login_required
@permission_required("hazards.view_hazard", raise_exception=True)
def hazard_list(request):
    """Ledger: filters (see HazardFilter), ``sort``, ``page``, ``page_size`` (20/50/100).
    Query count does not depend on the page size."""
    filterset, qs, sort = _ledger(request)
    try:
        page_size = int(request.GET.get("page_size", 20))
    except ValueError:
        page_size = 20
    page_size = page_size if page_size in PAGE_SIZES else 20
    # unfiltered: the number of rows from the figures summary when current (issue 19)
    filtered = set(request.GET) - {"page", "page_size", "sort"}
    count = None if filtered else ledger_count(request.user)
    page = KnownCountPaginator(qs, page_size, count=count).get_page(request.GET.get("page"))
    return render(
        request,
        "hazards/hazard_list.html",
        {
            "filter": filterset,
            # set filters (hidden ones too), shown on the phone's 筛选 toggle
            "active_filters": sum(
                1 for name in filterset.form.fields if request.GET.get(name, "").strip()
            ),
            "page": page,
            "sort": sort,
            "today": today_local(),
            "can_report": permissions.can_report(request.user),
            "can_export": permissions.can_export(request.user),
            "can_import": permissions.can_import(request.user),
            "page_sizes": PAGE_SIZES,
            "page_size": page_size,
            "sorts": [
                ("-found_on", _("found on, newest")),
                ("found_on", _("found on, oldest")),
                ("-ledger_number", _("ledger number")),
                ("deadline", _("deadline")),
            ],
        },
    )


@login_required
@permission_required("hazards.export_hazard", raise_exception=True)
def hazard_export(request):
    """The currently filtered ledger as .xlsx (same filters as the page), streamed from a
    temporary file; invalid filters are a 400 naming the filter, not an empty file."""
    filterset, qs, _sort = _ledger(request)
    if filterset.is_bound and not filterset.is_valid():
        lines = [
            f"{filterset.form[name].label}：{e}" if name in filterset.form.fields else e
            for name, errs in filterset.form.errors.items()
            for e in errs
        ]
        return HttpResponseBadRequest(
            "\n".join([_("Invalid filters:"), *lines]), content_type="text/plain; charset=utf-8"
        )
    name = _("hazard-ledger") + f"-{today_local():%Y%m%d}.xlsx"
    return xlsx_streaming_response(name, exports.hazards_sheets(qs))


def _wants_json(request) -> bool:
    """The offline queue (static/js/offline.js) asks for JSON: it shows errors itself."""
    return "application/json" in request.headers.get("Accept", "")


def _report_answer(request, hazard: Hazard, *, created: bool):
    if _wants_json(request):
        return JsonResponse(
            {"url": hazard.get_absolute_url(), "ledger_number": hazard.ledger_number},
            status=201 if created else 200,
        )
    return redirect(hazard)


@login_required
@permission_required("hazards.add_hazard", raise_exception=True)
def hazard_create(request):
    """Log a hazard (with before photos and documents).

    A POST may carry an idempotency key (幂等键: hidden field ``idempotency_key`` or header
    ``Idempotency-Key``, a UUID): a second POST of the same user with the same key logs nothing
    and answers the first one's hazard (a redirect, or JSON ``{"url", "ledger_number"}`` 200).
    With ``Accept: application/json`` (the offline queue) a new hazard is 201 JSON and errors
    are 400 ``{"errors": {field: [message, …]}}`` (``__all__``: not a field's); an invalid key
    is 400 on either path."""
    form = HazardReportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST":
        try:
            key = key_from_request(request)
        except ValidationError as exc:
            if _wants_json(request):
                return JsonResponse({"errors": exc.message_dict}, status=400)
            return HttpResponseBadRequest(
                "\n".join(exc.messages), content_type="text/plain; charset=utf-8"
            )
        earlier = hazard_by_idempotency_key(actor=request.user, key=key)
        if earlier is not None:
            messages.info(
                request,
                _("Hazard %(number)s was already logged from this draft: not logged again.")
                % {"number": earlier.ledger_number},
            )
            return _report_answer(request, earlier, created=False)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            hazard = services.hazard_report(
                actor=request.user,
                enterprise=data["enterprise"],
                township=data["township"],
                sector=data["sector"],
                level=data["level"],
                criterion=data["criterion"],
                source=data["source"],
                found_on=data["found_on"],
                found_by=data["found_by"],
                location=data["location"],
                description=data["description"],
                deadline=data["deadline"],
                before_photos=data["before_photos"],
                documents=data["documents"],
                idempotency_key=key,
            )
        except ValidationError as exc:
            service_errors_to_form(form, exc)
        except PermissionDenied as exc:  # e.g. a sector outside the user's scope
            form.add_error(None, str(exc) or _("You may not do this on this hazard."))
        else:
            messages.success(
                request, _("Hazard %(number)s logged.") % {"number": hazard.ledger_number}
            )
            return _report_answer(request, hazard, created=True)
    if request.method == "POST" and _wants_json(request):
        errors = {f: [e["message"] for e in es] for f, es in form.errors.get_json_data().items()}
        return JsonResponse({"errors": errors}, status=400)
    return render(request, "hazards/hazard_form.html", {"form": form})


def _visible_hazard(request, pk: int) -> Hazard:
    return get_visible_or_404(
        Hazard.objects.visible_to(request.user).select_related(
            "enterprise",
            "township",
            "sector",
            "supervising_department",
            "criterion__standard",
            "reported_by",
            "merged_into",
        ),
        pk=pk,
    )


@login_required
@permission_required("hazards.view_hazard", raise_exception=True)
def hazard_detail(request, pk: int):
    """Hazard page: facts, five implementations, photos, timeline, notifications, history and
    the actions the user may take now."""
    hazard = _visible_hazard(request, pk)
    rect = Rectification.objects.filter(hazard=hazard).select_related("submitted_by").first()
    user = request.user
    can_sign = permissions.can_sign_off(user, hazard)
    st = hazard.status
    here = hazard.transitions_here()  # the transition table (django-fsm), not restated here
    actions = {
        "confirm": "confirm" in here and permissions.can_confirm(user, hazard),
        "reject": "reject" in here and permissions.can_confirm(user, hazard),
        "rectification": st in (Status.REPORTED, Status.CONFIRMED, Status.RECTIFYING)
        and permissions.can_rectify(user, hazard),
        "start": "start_rectification" in here and permissions.can_rectify(user, hazard),
        "submit": "submit_for_acceptance" in here and permissions.can_rectify(user, hazard),
        "accept": "accept" in here and can_sign,
        "close": "close" in here and can_sign,
        # merge other reports into this one (it is the target, not the transition "merge")
        "merge": st not in (Status.MERGED, Status.REJECTED) and permissions.can_merge(user),
        "unmerge": "unmerge" in here and permissions.can_merge(user),
        "photos": st not in (Status.CLOSED, Status.REJECTED, Status.MERGED)
        and permissions.can_rectify(user, hazard),
    }
    attachments = list(hazard.attachments.select_related("uploaded_by"))
    return render(
        request,
        "hazards/hazard_detail.html",
        {
            "hazard": hazard,
            "rect": rect,
            "actions": actions,
            "today": today_local(),
            "before_photos": [a for a in attachments if a.kind == Attachment.Kind.BEFORE_PHOTO],
            "after_photos": [a for a in attachments if a.kind == Attachment.Kind.AFTER_PHOTO],
            "documents": [a for a in attachments if a.kind == Attachment.Kind.DOCUMENT],
            "events": hazard.events.select_related("actor"),
            "notifications": hazard.notifications.all(),
            "merged_reports": Hazard.objects.visible_to(user).filter(merged_into=hazard),
            "history": hazard_history(hazard),
            "rect_form": RectificationForm(initial=_rect_initial(rect)),
            "submit_form": SubmitForm(),
            "note_form": NoteForm(),
            "reason_form": ReasonForm(),
            "merge_form": MergeForm(),
            "photos_form": PhotosForm(),
            "supervision_form": SupervisionForm(
                initial={"department": hazard.supervising_department_id}
            ),
            "submitted_by_me": rect is not None and rect.submitted_by_id == user.pk,
        },
    )


def _rect_initial(rect):
    if rect is None:
        return {}
    return {f: getattr(rect, f) for f in (*Rectification.FIVE, "responsible_phone")}


TRANSITIONS = {
    # action → (service, form class, keyword the form field maps to, success message)
    "confirm": (services.hazard_confirm, NoteForm, "note"),
    "reject": (services.hazard_reject, ReasonForm, "reason"),
    "start": (services.hazard_start_rectification, NoteForm, "note"),
    "accept": (services.hazard_accept, NoteForm, "note"),
    "fail": (services.hazard_fail_acceptance, ReasonForm, "reason"),
    "close": (services.hazard_close, NoteForm, "note"),
    "unmerge": (services.hazard_unmerge, ReasonForm, "reason"),
}


@login_required
@require_POST
def hazard_transition(request, pk: int, action: str):
    """POST a lifecycle step (confirm, reject, start, accept, fail, close, unmerge)."""
    hazard = _visible_hazard(request, pk)
    if action not in TRANSITIONS:
        raise Http404
    service, form_class, key = TRANSITIONS[action]
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please give a reason."))
        return redirect(hazard)
    try:
        service(hazard=hazard, actor=request.user, **{key: form.cleaned_data[key]})
    except ValidationError as exc:
        service_errors_to_messages(request, exc)
    else:
        messages.success(
            request,
            _("Done: %(number)s is now “%(status)s”.")
            % {
                "number": hazard.ledger_number,
                "status": Hazard.objects.get(pk=hazard.pk).get_status_display(),
            },
        )
    return redirect(hazard)


@login_required
def hazard_rectification(request, pk: int):
    """Enter the five implementations (GET form, POST save)."""
    hazard = _visible_hazard(request, pk)
    if not permissions.can_rectify(request.user, hazard):
        raise PermissionDenied
    rect = Rectification.objects.filter(hazard=hazard).first()
    form = RectificationForm(request.POST or None, initial=_rect_initial(rect))
    if request.method == "POST" and form.is_valid():
        try:
            services.rectification_save(hazard=hazard, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            service_errors_to_form(form, exc)
        else:
            messages.success(request, _("Five implementations saved."))
            return redirect(hazard)
    return render(request, "hazards/rectification_form.html", {"hazard": hazard, "form": form})


@login_required
@require_POST
def hazard_submit(request, pk: int):
    """Upload after photos and submit for acceptance."""
    hazard = _visible_hazard(request, pk)
    form = SubmitForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.hazard_submit_for_acceptance(
                hazard=hazard,
                actor=request.user,
                note=form.cleaned_data["note"],
                after_photos=form.cleaned_data["after_photos"],
            )
        except services.NearDuplicatePhoto as exc:
            # Show the refused upload (not kept) beside the before photo it repeats.
            return render(
                request,
                "hazards/after_photo_refused.html",
                {
                    "hazard": hazard,
                    "error": exc,
                    "message": exc.messages[0],
                    "note": form.cleaned_data["note"],
                },
                status=400,
            )
        except ValidationError as exc:
            service_errors_to_messages(request, exc)
        else:
            messages.success(request, _("Submitted for acceptance."))
    else:
        messages.error(request, _("Please check the files."))
    return redirect(hazard)


@login_required
@require_POST
def hazard_photos(request, pk: int, kind: str):
    """Add before photos or documents (after photos go with the submission)."""
    hazard = _visible_hazard(request, pk)
    if kind not in (Attachment.Kind.BEFORE_PHOTO, Attachment.Kind.DOCUMENT):
        raise Http404
    form = PhotosForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.hazard_add_photos(
                hazard=hazard, actor=request.user, kind=kind, uploads=form.cleaned_data["photos"]
            )
        except ValidationError as exc:
            service_errors_to_messages(request, exc)
        else:
            messages.success(request, _("Files added."))
    else:
        messages.error(request, _("Please choose a file."))
    return redirect(hazard)


@login_required
@require_POST
def hazard_merge(request, pk: int):
    """Merge other reports (by ledger number, in the user's scope) into this hazard."""
    hazard = _visible_hazard(request, pk)
    if not permissions.can_merge(request.user):
        raise PermissionDenied
    form = MergeForm(request.POST)
    if form.is_valid():
        numbers = form.ledger_numbers()
        reports = list(Hazard.objects.visible_to(request.user).filter(ledger_number__in=numbers))
        unknown = sorted(set(numbers) - {r.ledger_number for r in reports})
        if unknown:
            messages.error(
                request, _("No hazard %(numbers)s in your scope.") % {"numbers": "、".join(unknown)}
            )
            return redirect(hazard)
        try:
            services.hazards_merge(
                target=hazard,
                reports=reports,
                actor=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            service_errors_to_messages(request, exc)
        else:
            messages.success(request, _("Reports merged."))
    else:
        messages.error(request, _("Give the ledger numbers and a reason."))
    return redirect(hazard)


@login_required
@require_POST
def hazard_supervision(request, pk: int):
    """Change the supervising department (with a reason)."""
    hazard = _visible_hazard(request, pk)
    form = SupervisionForm(request.POST)
    if form.is_valid():
        try:
            services.hazard_set_supervision(
                hazard=hazard,
                actor=request.user,
                department=form.cleaned_data["department"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            service_errors_to_messages(request, exc)
        else:
            messages.success(request, _("Supervising department changed."))
    else:
        messages.error(request, _("Please give a reason."))
    return redirect(hazard)


@login_required
def attachment_download(request, pk: int):
    """A photo or document, only if its hazard is visible to the user (else 404)."""
    attachment = get_visible_or_404(
        Attachment.objects.filter(hazard__in=Hazard.objects.visible_to(request.user)), pk=pk
    )
    response = FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.content_type,
        as_attachment=attachment.kind == Attachment.Kind.DOCUMENT,
        filename=attachment.original_name,
    )
    response.headers["Cache-Control"] = "private, max-age=600"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _stat_level(request) -> str:
    level = request.GET.get("level", "")
    return level if level in Level.values else ""


@login_required
@permission_required("hazards.view_hazard", raise_exception=True)
def statistics_criteria_export(request):
    """The statistics by clause ("which clauses are met most often") as Excel, for what the
    user sees (``?level=`` as on the page)."""
    stats = hazard_statistics_for(request.user, level=_stat_level(request))
    return xlsx_response(
        _("hazards-by-clause") + f"-{today_local():%Y%m%d}.xlsx",
        exports.criterion_statistics_xlsx(stats.by_criterion),
    )


@login_required
@permission_required("hazards.view_hazard", raise_exception=True)
def statistics(request):
    """By township, sector, township × sector, year (stock vs increment) and source; each figure
    links to the ledger filtered to exactly it. ``?level=major|general``."""
    level = _stat_level(request)
    stats = hazard_statistics_for(request.user, level=level)
    # The chart's figures for hazards/statistics.js (passed with json_script: no inline script,
    # Content-Security-Policy). statuses[5] is the "closed" column of STAT_STATUSES.
    chart = {
        "series": {"open": _("open"), "closed": _("closed"), "overdue": _("overdue")},
        "rows": [
            {
                "name": str(r.label),
                "open": r.open.value,
                "closed": r.statuses[5].value,
                "overdue": r.overdue.value,
            }
            for r in stats.by_township
            if r.label != "total"
        ],
    }
    return render(
        request,
        "hazards/statistics.html",
        {"stats": stats, "level": level, "levels": Level.choices, "chart": chart},
    )


# --- enterprises ---------------------------------------------------------------------------


@login_required
@permission_required("hazards.view_enterprise", raise_exception=True)
def enterprise_list(request):
    qs = (
        Enterprise.objects.visible_to(request.user)
        .select_related("township")
        .prefetch_related("sectors")
        .with_high_risk()
    )
    filterset = EnterpriseFilter(request.GET or None, queryset=qs)
    result = filterset.qs if filterset.is_bound and filterset.is_valid() else qs
    page = Paginator(result, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "hazards/enterprise_list.html",
        {
            "filter": filterset,
            "page": page,
            "can_add": request.user.has_perm("hazards.add_enterprise"),
            "can_import": permissions.can_import(request.user),
        },
    )


@login_required
@permission_required("hazards.view_enterprise", raise_exception=True)
def enterprise_export(request):
    qs = Enterprise.objects.visible_to(request.user)
    filterset = EnterpriseFilter(request.GET or None, queryset=qs)
    result = filterset.qs if filterset.is_bound and filterset.is_valid() else qs
    return xlsx_response(
        _("enterprises") + f"-{today_local():%Y%m%d}.xlsx", exports.enterprises_xlsx(result)
    )


@login_required
@permission_required("hazards.view_enterprise", raise_exception=True)
def enterprise_detail(request, pk: int):
    enterprise = get_visible_or_404(
        Enterprise.objects.visible_to(request.user).select_related("township").with_high_risk(),
        pk=pk,
    )
    hazards = Hazard.objects.visible_to(request.user).filter(enterprise=enterprise).for_list()
    return render(
        request,
        "hazards/enterprise_detail.html",
        {
            "enterprise": enterprise,
            "hazards": hazards,
            "today": today_local(),
            "history": enterprise.history.select_related("history_user")[:50],
            "can_change": request.user.has_perm("hazards.change_enterprise"),
        },
    )


@login_required
def enterprise_edit(request, pk: int | None = None):
    """Register (pk None) or change an enterprise."""
    enterprise = None
    if pk is not None:
        enterprise = get_visible_or_404(Enterprise.objects.visible_to(request.user), pk=pk)
        if not request.user.has_perm("hazards.change_enterprise"):
            raise PermissionDenied
    elif not request.user.has_perm("hazards.add_enterprise"):
        raise PermissionDenied
    form = EnterpriseForm(request.POST or None, instance=enterprise)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        sectors = data.pop("sectors")
        try:
            if enterprise is None:
                enterprise = services.enterprise_create(actor=request.user, sectors=sectors, **data)
            else:
                enterprise = services.enterprise_update(
                    enterprise=enterprise, actor=request.user, sectors=sectors, **data
                )
        except ValidationError as exc:
            service_errors_to_form(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or _("Outside your township or sectors."))
        else:
            messages.success(request, _("Enterprise saved."))
            return redirect(enterprise)
    return render(request, "hazards/enterprise_form.html", {"form": form, "enterprise": enterprise})


# --- import --------------------------------------------------------------------------------


def _import_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


@login_required
def import_template(request, kind: str):
    if kind not in imports.KINDS:
        raise Http404
    return xlsx_response(f"{kind}-template.xlsx", imports.template_xlsx(kind))


@login_required
def import_page(request, kind: str):
    """Upload → dry-run preview with row/column errors → confirm (all rows or nothing)."""
    if kind not in imports.KINDS:
        raise Http404
    if not permissions.can_import(request.user):
        raise PermissionDenied
    session_key = f"hazards-import-{kind}"
    result = None
    form = ImportForm()
    if request.method == "POST" and "confirm" in request.POST:
        token = request.session.get(session_key)
        path = _import_dir() / f"{token}.xlsx" if token else None
        if not path or not path.exists():
            messages.error(request, _("The uploaded file has expired; upload it again."))
            return redirect("hazards:import", kind=kind)
        result = imports.import_rows(
            kind=kind, content=path.read_bytes(), user=request.user, commit=True
        )
        if result.saved:
            path.unlink(missing_ok=True)
            request.session.pop(session_key, None)
            messages.success(request, _("%(n)s rows imported.") % {"n": result.saved})
            return redirect("hazards:list" if kind == "hazards" else "hazards:enterprise_list")
    elif request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            content = form.cleaned_data["file"].read()
            result = imports.import_rows(kind=kind, content=content, user=request.user)
            if result.ok:
                token = uuid.uuid4().hex
                (_import_dir() / f"{token}.xlsx").write_bytes(content)
                request.session[session_key] = token
    return render(request, "hazards/import.html", {"form": form, "result": result, "kind": kind})
