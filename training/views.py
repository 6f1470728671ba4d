"""Pages of training, certificates, drills, principal-led inspections and rescue teams.

Thin: parse → service → redirect. Every lookup starts from ``visible_to(request.user)``:
outside scope is 404; visible but not allowed is 403 (``training.permissions``).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from campaigns.audit.selectors import get_visible_or_404
from campaigns.models import Sector, Township
from hazards.models import Enterprise
from yixian_safety.dates import today_local
from yixian_safety.xlsx import xlsx_response

from . import exports, permissions, selectors, services
from .constants import CAMPAIGN_YEARS, EXPIRY_WINDOWS, FOCUS_GROUPS, Audience
from .filters import (
    CertificateFilter,
    DrillFilter,
    InspectionFilter,
    SessionFilter,
    valid_year,
)
from .forms import (
    AttendanceForm,
    CertificateForm,
    DrillForm,
    EvidenceForm,
    FlagForm,
    InspectionForm,
    RescueTeamForm,
    ResultForm,
    SessionForm,
)
from .models import (
    Attendance,
    Certificate,
    Drill,
    DrillEvidence,
    EnterpriseFlag,
    PrincipalInspection,
    TrainingSession,
)

PAGE_SIZE = 50


def _viewer(request) -> None:
    if not permissions.can_view(request.user):
        raise PermissionDenied


def _filtered(request, filter_class, qs):
    filterset = filter_class(request.GET or None, queryset=qs, request=request)
    if filterset.is_bound:
        result = filterset.qs if filterset.is_valid() else qs.none()
    else:
        result = qs
    return filterset, result


def _querystring(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def _page(request, qs):
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errs in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errs)
    else:
        form.add_error(None, exc.messages)


def _save(request, form, call, success: str):
    """Run the service ``call(data)`` for a valid bound form; the saved object or None."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        obj = call(form.cleaned_data)
    except ValidationError as exc:
        _add_errors(form, exc)
    except PermissionDenied as exc:
        form.add_error(None, str(exc) or _("You may not do this."))
    else:
        messages.success(request, success)
        return obj
    return None


def _year(request) -> int:
    """``?year=`` among the campaign's years (else this year, or the campaign's last)."""
    today = today_local()
    default = today.year if today.year in CAMPAIGN_YEARS else CAMPAIGN_YEARS[-1]
    year = valid_year(request.GET.get("year"), default)
    return year if year in CAMPAIGN_YEARS else default


def _xlsx(name: str, content: bytes):
    return xlsx_response(f"{name}-{today_local():%Y%m%d}.xlsx", content)


# --- overview -------------------------------------------------------------------------------


@login_required
def overview(request):
    """Training and drills at a glance: this year's focus coverage, certificates expiring and
    expired, drill and inspection compliance, rescue teams — each figure links to its rows."""
    _viewer(request)
    today, year = today_local(), _year(request)
    user = request.user
    rescue = selectors.rescue_coverage(user).order_by()
    return render(
        request,
        "training/overview.html",
        {
            "year": year,
            "years": CAMPAIGN_YEARS,
            "today": today,
            "coverage": selectors.focus_coverage(user, year=year, today=today),
            "certificates": selectors.certificate_counts(user, today),
            "windows": sorted(EXPIRY_WINDOWS),
            "drills": selectors.duty_compliance(
                user, selectors.DRILL_DUTY, year=year, today=today, breakdown=False
            )["total"],
            "inspections": selectors.duty_compliance(
                user, selectors.INSPECTION_DUTY, year=year, today=today, breakdown=False
            )["total"],
            "rescue_total": rescue.count(),
            "rescue_with": rescue.filter(has_team=True).count(),
        },
    )


# --- sessions and attendance ----------------------------------------------------------------


def _sessions(request):
    qs = TrainingSession.objects.visible_to(request.user).select_related(
        "organiser_township", "organiser_department"
    )
    return _filtered(request, SessionFilter, qs)


@login_required
def session_list(request):
    _viewer(request)
    filterset, qs = _sessions(request)
    return render(
        request,
        "training/session_list.html",
        {
            "filter": filterset,
            "page": _page(request, qs),
            "querystring": _querystring(request),
            "can_add": permissions.can_organise(request.user),
        },
    )


@login_required
def session_export(request):
    _viewer(request)
    _filterset, qs = _sessions(request)
    return _xlsx(_("training-sessions"), exports.sessions_xlsx(qs))


@login_required
def session_edit(request, pk: int | None = None):
    """Create (pk None) or change a session."""
    _viewer(request)
    session = None
    if pk is not None:
        session = get_visible_or_404(TrainingSession.objects.visible_to(request.user), pk=pk)
        if not permissions.can_change_session(request.user, session):
            raise PermissionDenied
        initial = {
            f: getattr(session, f)
            for f in ("title", "audience", "held_on", "online", "venue", "hours", "note")
        }
    else:
        if not permissions.can_organise(request.user):
            raise PermissionDenied
        initial = {"audience": request.GET.get("audience", "")}
    form = SessionForm(request.POST or None, initial=initial)

    def call(data):
        if session is None:
            return services.session_create(actor=request.user, **data)
        return services.session_update(session=session, actor=request.user, **data)

    saved = _save(request, form, call, _("Training session saved."))
    if saved:
        return redirect(saved)
    return render(
        request,
        "training/form.html",
        {
            "form": form,
            "title": session or _("New training session"),
            "back": reverse("training:session_list"),
            "back_label": _("Training sessions"),
        },
    )


@login_required
def session_detail(request, pk: int):
    """A session with its attendees (those the user may see) and the form to add one."""
    _viewer(request)
    session = get_visible_or_404(
        TrainingSession.objects.visible_to(request.user).select_related(
            "organiser_township", "organiser_department", "created_by"
        ),
        pk=pk,
    )
    form = AttendanceForm(request.POST or None, user=request.user)
    if request.method == "POST" and not permissions.can_record(request.user):
        raise PermissionDenied
    saved = _save(
        request,
        form,
        lambda d: services.attendance_add(session=session, actor=request.user, **d),
        _("Attendee recorded."),
    )
    if saved:
        return redirect(session)
    attendances = (
        Attendance.objects.visible_to(request.user)
        .filter(session=session)
        .select_related("enterprise", "enterprise__township", "department")
    )
    return render(
        request,
        "training/session_detail.html",
        {
            "session": session,
            "attendances": attendances,
            "form": form,
            "results": Attendance.Result.choices,
            "can_record": permissions.can_record(request.user),
            "can_change": permissions.can_change_session(request.user, session),
        },
    )


@login_required
@require_POST
def attendance_result(request, pk: int):
    """Set one attendee's assessment result (passed / failed / not assessed)."""
    _viewer(request)
    attendance = get_visible_or_404(Attendance.objects.visible_to(request.user), pk=pk)
    form = ResultForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose an assessment result."))
    else:
        try:
            services.attendance_set_result(
                attendance=attendance, actor=request.user, result=form.cleaned_data["result"]
            )
        except ValidationError as exc:
            for m in exc.messages:
                messages.error(request, m)
        else:
            messages.success(request, _("Assessment result saved."))
    return redirect(attendance.session)


@login_required
def attendance_export(request, pk: int):
    _viewer(request)
    session = get_visible_or_404(TrainingSession.objects.visible_to(request.user), pk=pk)
    qs = Attendance.objects.visible_to(request.user).filter(session=session)
    return _xlsx(_("attendance"), exports.attendances_xlsx(qs))


# --- coverage (task 3) ----------------------------------------------------------------------


def _focus(request):
    year = _year(request)
    audiences = FOCUS_GROUPS.get(year, ())
    audience = request.GET.get("audience") or (audiences[0] if audiences else "")
    if audience not in audiences:
        raise Http404
    trained = {"true": True, "false": False}.get(request.GET.get("trained", "false"))
    qs = selectors.focus_enterprises(
        request.user, audience=audience, year=year, today=today_local(), trained=trained
    )
    return year, audience, trained, _unit_filter(request, qs)


def _unit_filter(request, qs):
    """Enterprises of ``?township=`` / ``?department=`` (codes; an unknown code: none), as
    the computed progress of one unit links to them."""
    from campaigns.models import Department

    if request.GET.get("township"):
        qs = qs.filter(township__code=request.GET["township"])
    if request.GET.get("department"):
        department = Department.objects.filter(code=request.GET["department"]).first()
        qs = selectors.of_unit(qs, department=department) if department else qs.none()
    return qs


@login_required
def coverage(request):
    """Coverage of a year's focus groups by township; the enterprises not yet trained (or
    trained, ``?trained=true``; all: ``?trained=all``)."""
    _viewer(request)
    year, audience, trained, qs = _focus(request)
    return render(
        request,
        "training/coverage.html",
        {
            "year": year,
            "years": CAMPAIGN_YEARS,
            "audience": audience,
            "audience_label": Audience(audience).label,
            "trained": trained,
            "coverage": selectors.focus_coverage(
                request.user, year=year, today=today_local(), by_township=True
            ),
            "page": _page(request, qs),
            "querystring": _querystring(request),
            "can_flag": permissions.can_flag(request.user),
        },
    )


@login_required
def coverage_export(request):
    _viewer(request)
    year, audience, _trained, qs = _focus(request)
    return _xlsx(
        _("training-coverage") + f"-{year}",
        exports.focus_xlsx(qs, audience_label=str(Audience(audience).label)),
    )


@login_required
def flags(request):
    """Enterprise categories (二级医院, 重点文物保护单位, 商业综合体) that decide the focus groups."""
    _viewer(request)
    form = FlagForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if not permissions.can_flag(request.user):
            raise PermissionDenied
        if "remove" in request.POST:
            flag = get_visible_or_404(
                EnterpriseFlag.objects.visible_to(request.user), pk=request.POST.get("remove") or 0
            )
            services.flag_set(
                enterprise=flag.enterprise, flag=flag.flag, actor=request.user, on=False
            )
            messages.success(request, _("Category removed."))
            return redirect("training:flags")
        if _save(
            request,
            form,
            lambda d: services.flag_set(actor=request.user, **d),
            _("Category saved."),
        ):
            return redirect("training:flags")
    qs = EnterpriseFlag.objects.visible_to(request.user).select_related(
        "enterprise", "enterprise__township"
    )
    return render(
        request,
        "training/flags.html",
        {
            "form": form,
            "page": _page(request, qs),
            "querystring": _querystring(request),
            "can_flag": permissions.can_flag(request.user),
        },
    )


# --- certificates (task 20) -----------------------------------------------------------------


def _certificates(request):
    return _filtered(
        request, CertificateFilter, Certificate.objects.visible_to(request.user).for_list()
    )


@login_required
def certificate_list(request):
    """Certificates; ``window`` = expired / 30 / 60 / 90 / review_overdue."""
    _viewer(request)
    filterset, qs = _certificates(request)
    today = today_local()
    return render(
        request,
        "training/certificate_list.html",
        {
            "filter": filterset,
            "page": _page(request, qs),
            "querystring": _querystring(request),
            "today": today,
            "counts": selectors.certificate_counts(request.user, today),
            "windows": sorted(EXPIRY_WINDOWS),
            "can_add": permissions.can_record(request.user),
        },
    )


@login_required
def certificate_export(request):
    _viewer(request)
    _filterset, qs = _certificates(request)
    return _xlsx(_("certificates"), exports.certificates_xlsx(qs, today_local()))


@login_required
def certificate_edit(request, pk: int | None = None):
    _viewer(request)
    cert = None
    initial = {"enterprise": request.GET.get("enterprise")}
    if pk is not None:
        cert = get_visible_or_404(Certificate.objects.visible_to(request.user), pk=pk)
        initial = {
            f: getattr(cert, f)
            for f in (
                "worker_name",
                "enterprise",
                "type",
                "number",
                "issued_on",
                "valid_until",
                "review_due",
            )
        }
    if not permissions.can_record(request.user):
        raise PermissionDenied
    form = CertificateForm(request.POST or None, initial=initial, user=request.user)

    def call(data):
        if cert is None:
            return services.certificate_create(actor=request.user, **data)
        return services.certificate_update(certificate=cert, actor=request.user, **data)

    if _save(request, form, call, _("Certificate saved.")):
        return redirect("training:certificate_list")
    return render(
        request,
        "training/form.html",
        {
            "form": form,
            "title": cert or _("New certificate"),
            "back": reverse("training:certificate_list"),
            "back_label": _("Special-operations certificates"),
        },
    )


# --- drills (task 22) -----------------------------------------------------------------------


def _drills(request):
    return _filtered(request, DrillFilter, Drill.objects.visible_to(request.user).for_list())


@login_required
def drill_list(request):
    _viewer(request)
    filterset, qs = _drills(request)
    return render(
        request,
        "training/drill_list.html",
        {
            "filter": filterset,
            "page": _page(request, qs),
            "querystring": _querystring(request),
            "can_add": permissions.can_record(request.user),
        },
    )


@login_required
def drill_export(request):
    _viewer(request)
    _filterset, qs = _drills(request)
    return _xlsx(_("evacuation-drills"), exports.drills_xlsx(qs))


@login_required
def drill_create(request):
    _viewer(request)
    if not permissions.can_record(request.user):
        raise PermissionDenied
    form = DrillForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        initial={"enterprise": request.GET.get("enterprise")},
    )
    saved = _save(
        request,
        form,
        lambda d: services.drill_record(actor=request.user, **d),
        _("Drill recorded."),
    )
    if saved:
        return redirect(saved)
    return render(
        request,
        "training/form.html",
        {
            "form": form,
            "title": _("Record an evacuation drill"),
            "multipart": True,
            "back": reverse("training:drill_list"),
            "back_label": _("Evacuation drills"),
        },
    )


@login_required
def drill_detail(request, pk: int):
    _viewer(request)
    drill = get_visible_or_404(Drill.objects.visible_to(request.user).for_list(), pk=pk)
    form = EvidenceForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not permissions.can_record(request.user):
            raise PermissionDenied
        if _save(
            request,
            form,
            lambda d: services.drill_add_evidence(drill=drill, actor=request.user, **d),
            _("Files added."),
        ):
            return redirect(drill)
    return render(
        request,
        "training/drill_detail.html",
        {
            "drill": drill,
            "evidence": drill.evidence.all(),
            "form": form,
            "can_record": permissions.can_record(request.user),
        },
    )


@login_required
def evidence_download(request, pk: int):
    """A drill's evidence file, only for users who may see the drill."""
    _viewer(request)
    ev = get_visible_or_404(DrillEvidence.objects.visible_to(request.user), pk=pk)
    try:
        handle = ev.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(
        handle,
        content_type=ev.content_type,
        filename=ev.original_name,
        as_attachment=ev.kind == DrillEvidence.Kind.DOCUMENT,
    )


# --- principal-led inspections (task 3) -----------------------------------------------------


def _inspections(request):
    return _filtered(
        request, InspectionFilter, PrincipalInspection.objects.visible_to(request.user).for_list()
    )


@login_required
def inspection_list(request):
    _viewer(request)
    filterset, qs = _inspections(request)
    return render(
        request,
        "training/inspection_list.html",
        {
            "filter": filterset,
            "page": _page(request, qs),
            "querystring": _querystring(request),
            "can_add": permissions.can_record(request.user),
        },
    )


@login_required
def inspection_export(request):
    _viewer(request)
    _filterset, qs = _inspections(request)
    return _xlsx(_("principal-inspections"), exports.inspections_xlsx(qs))


@login_required
def inspection_create(request):
    _viewer(request)
    if not permissions.can_record(request.user):
        raise PermissionDenied
    form = InspectionForm(
        request.POST or None,
        user=request.user,
        initial={"enterprise": request.GET.get("enterprise")},
    )
    saved = _save(
        request,
        form,
        lambda d: services.inspection_record(actor=request.user, **d),
        _("Inspection recorded."),
    )
    if saved:
        return redirect(saved)
    return render(
        request,
        "training/form.html",
        {
            "form": form,
            "title": _("Record a principal-led inspection"),
            "back": reverse("training:inspection_list"),
            "back_label": _("Principal-led inspections"),
        },
    )


@login_required
def inspection_detail(request, pk: int):
    """An inspection with its hazards; "report a hazard" opens the ledger's form for this
    enterprise and links the new hazard back (``?link=<hazard id>``)."""
    _viewer(request)
    inspection = get_visible_or_404(
        PrincipalInspection.objects.visible_to(request.user).for_list(), pk=pk
    )
    if request.method == "POST" and "link" in request.POST:
        from hazards.models import Hazard

        if not permissions.can_record(request.user):
            raise PermissionDenied
        hazard = get_visible_or_404(
            Hazard.objects.visible_to(request.user), pk=request.POST.get("link") or 0
        )
        try:
            services.inspection_link_hazard(
                inspection=inspection, hazard=hazard, actor=request.user
            )
        except ValidationError as exc:
            for m in exc.messages:
                messages.error(request, m)
        else:
            messages.success(request, _("Hazard linked."))
        return redirect(inspection)
    from hazards.models import Hazard

    candidates = (
        Hazard.objects.visible_to(request.user)
        .ledger()
        .filter(enterprise=inspection.enterprise)
        .exclude(pk__in=inspection.hazards.values("pk"))
    )
    return render(
        request,
        "training/inspection_detail.html",
        {
            "inspection": inspection,
            "hazards": inspection.hazards.visible_to(request.user).ledger(),
            "candidates": candidates,
            "can_record": permissions.can_record(request.user),
            "can_report": request.user.has_perm("hazards.add_hazard"),
        },
    )


@login_required
def inspection_report_hazard(request, pk: int):
    """Report a hazard found in this inspection: the ledger's form, pre-filled; the new hazard
    is linked to the inspection."""
    from hazards.forms import HazardReportForm
    from hazards.models import Source

    _viewer(request)
    inspection = get_visible_or_404(
        PrincipalInspection.objects.visible_to(request.user).for_list(), pk=pk
    )
    if not (permissions.can_record(request.user) and request.user.has_perm("hazards.add_hazard")):
        raise PermissionDenied
    form = HazardReportForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        initial={
            "enterprise": inspection.enterprise_id,
            "source": Source.SELF_REPORT,
            "found_on": inspection.inspected_on,
            "found_by": inspection.leader_name,
        },
    )
    form.fields["enterprise"].queryset = form.fields["enterprise"].queryset.filter(
        pk=inspection.enterprise_id
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("enterprise")
        try:
            hazard = services.inspection_report_hazard(
                inspection=inspection, actor=request.user, **data
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or _("You may not do this."))
        else:
            messages.success(
                request, _("Hazard %(number)s logged.") % {"number": hazard.ledger_number}
            )
            return redirect(inspection)
    return render(
        request,
        "training/form.html",
        {
            "form": form,
            "multipart": True,
            "title": _("Report a hazard found in this inspection"),
            "back": inspection.get_absolute_url(),
            "back_label": str(inspection),
        },
    )


# --- duties: compliance by township and sector ----------------------------------------------


def _duty(code: str):
    duty = selectors.DUTIES.get(code)
    if duty is None:
        raise Http404
    return duty


def _duty_rows(request, duty) -> dict:
    """The rows behind a figure: ``?year``, ``township`` / ``sector`` / ``department`` (codes),
    ``status`` (met / pending / missed)."""
    from campaigns.models import Department

    today, year = today_local(), _year(request)
    found = {"township": None, "sector": None, "department": None}
    for name, model in (("township", Township), ("sector", Sector), ("department", Department)):
        if request.GET.get(name):
            found[name] = get_object_or_404(model, code=request.GET[name])
    status = request.GET.get("status") or None
    if status not in (None, selectors.MET, selectors.PENDING, selectors.MISSED):
        raise Http404
    qs = selectors.duty_enterprises(
        request.user, duty, year=year, today=today, status=status, **found
    )
    return {"year": year, "today": today, "status": status, "qs": qs, **found}


DUTY_TITLES = {
    "drill": gettext_lazy("Evacuation drill duty (task 22)"),
    "inspection": gettext_lazy("Principal-led inspection duty (task 3)"),
}


@login_required
def compliance(request, duty: str):
    """A duty's figures for a year: by township and by sector (periods met / pending / missed,
    rate); each figure links to the enterprises behind it."""
    _viewer(request)
    d = _duty(duty)
    today, year = today_local(), _year(request)
    return render(
        request,
        "training/compliance.html",
        {
            "duty": d,
            "title": DUTY_TITLES[d.code],
            "year": year,
            "years": CAMPAIGN_YEARS,
            "figures": selectors.duty_compliance(request.user, d, year=year, today=today),
        },
    )


@login_required
def compliance_rows(request, duty: str):
    """The enterprises behind a figure, each with its periods of the year."""
    _viewer(request)
    d = _duty(duty)
    rows = _duty_rows(request, d)
    page = _page(request, rows["qs"])
    periods = selectors.duty_periods(page.object_list, d, year=rows["year"], today=rows["today"])
    return render(
        request,
        "training/compliance_rows.html",
        {
            **rows,
            "duty": d,
            "title": DUTY_TITLES[d.code],
            "page": page,
            "rows": [(e, periods[e.pk]) for e in page.object_list],
            "querystring": _querystring(request),
        },
    )


@login_required
def compliance_export(request, duty: str):
    _viewer(request)
    d = _duty(duty)
    rows = _duty_rows(request, d)
    figures = selectors.duty_compliance(request.user, d, year=rows["year"], today=rows["today"])
    return _xlsx(
        f"{d.code}-{rows['year']}",
        exports.duty_xlsx(rows["qs"], figures, title=DUTY_TITLES[d.code]),
    )


# --- rescue teams (task 22) -----------------------------------------------------------------


def _rescue(request):
    has = {"true": True, "false": False}.get(request.GET.get("has_team", ""))
    qs = selectors.rescue_coverage(request.user, has_team=has)
    return has, _unit_filter(request, qs)


@login_required
def rescue_list(request):
    """High-risk enterprises and whether they have a rescue team (``has_team`` filter)."""
    _viewer(request)
    has, qs = _rescue(request)
    base = selectors.rescue_coverage(request.user).order_by()
    return render(
        request,
        "training/rescue_list.html",
        {
            "page": _page(request, qs.prefetch_related("rescue_teams")),
            "has_team": has,
            "querystring": _querystring(request),
            "total": base.count(),
            "with_team": base.filter(has_team=True).count(),
            "can_add": permissions.can_record(request.user),
        },
    )


@login_required
def rescue_export(request):
    _viewer(request)
    _has, qs = _rescue(request)
    return _xlsx(_("rescue-teams"), exports.rescue_xlsx(qs))


@login_required
def rescue_create(request):
    _viewer(request)
    if not permissions.can_record(request.user):
        raise PermissionDenied
    form = RescueTeamForm(
        request.POST or None,
        user=request.user,
        initial={"enterprise": request.GET.get("enterprise")},
    )
    if _save(
        request,
        form,
        lambda d: services.rescue_team_create(actor=request.user, **d),
        _("Rescue team saved."),
    ):
        return redirect("training:rescue_list")
    return render(
        request,
        "training/form.html",
        {
            "form": form,
            "title": _("Record a rescue team"),
            "back": reverse("training:rescue_list"),
            "back_label": _("Rescue teams"),
        },
    )


# --- one enterprise -------------------------------------------------------------------------


@login_required
def enterprise_training(request, pk: int):
    """An enterprise's training, certificates, drills, inspections and duty periods."""
    _viewer(request)
    enterprise = get_visible_or_404(
        Enterprise.objects.visible_to(request.user).select_related("township"), pk=pk
    )
    return render(
        request,
        "training/enterprise.html",
        {
            "enterprise": enterprise,
            **selectors.enterprise_summary(request.user, enterprise, today=today_local()),
        },
    )


# --- Excel import (attendance of a session, certificates) ------------------------------------


def _import_dir():
    from pathlib import Path

    from django.conf import settings

    path = Path(settings.MEDIA_ROOT) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


@login_required
def import_template(request, kind: str):
    from . import imports

    _viewer(request)
    if kind not in imports.KINDS:
        raise Http404
    return xlsx_response(f"{kind}-template.xlsx", imports.template_xlsx(kind))


def _import(request, *, kind: str, session=None, done_url: str):
    """Upload → dry run with row/column errors → confirm (all rows or nothing)."""
    import uuid

    from hazards.forms import ImportForm

    from . import imports

    if not permissions.can_import(request.user):
        raise PermissionDenied
    key = f"training-import-{kind}-{session.pk if session else 0}"
    result, form = None, ImportForm()
    if request.method == "POST" and "confirm" in request.POST:
        token = request.session.get(key)
        path = _import_dir() / f"{token}.xlsx" if token else None
        if not path or not path.exists():
            messages.error(request, _("The uploaded file has expired; upload it again."))
            return redirect(request.path)
        result = imports.import_rows(
            kind=kind, content=path.read_bytes(), user=request.user, session=session, commit=True
        )
        if result.saved:
            path.unlink(missing_ok=True)
            request.session.pop(key, None)
            messages.success(request, _("%(n)s rows imported.") % {"n": result.saved})
            return redirect(done_url)
    elif request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            content = form.cleaned_data["file"].read()
            result = imports.import_rows(
                kind=kind, content=content, user=request.user, session=session
            )
            if result.ok:
                token = uuid.uuid4().hex
                (_import_dir() / f"{token}.xlsx").write_bytes(content)
                request.session[key] = token
    title = (
        _("Import attendance from Excel")
        if kind == "attendance"
        else _("Import certificates from Excel")
    )
    return render(
        request,
        "training/import.html",
        {
            "form": form,
            "result": result,
            "kind": kind,
            "title": title,
            "back": done_url,
            "back_label": str(session) if session else _("Special-operations certificates"),
        },
    )


@login_required
def attendance_import(request, pk: int):
    _viewer(request)
    session = get_visible_or_404(TrainingSession.objects.visible_to(request.user), pk=pk)
    return _import(request, kind="attendance", session=session, done_url=session.get_absolute_url())


@login_required
def certificate_import(request):
    _viewer(request)
    return _import(request, kind="certificates", done_url=reverse("training:certificate_list"))
