"""Pages of enforcement: inspections, 双随机 draws (with the public result page), enforcement
actions, the expert pool, conflict ties, accidents and the statistics with the 零处罚 flag.

Thin: parse → service → redirect. Every lookup starts from ``visible_to(request.user)``:
outside scope is 404, visible but not allowed is 403. Every list has an Excel export of exactly
what the list shows (same FilterSet, same columns). The published draw page needs no login
and shows no personal data.
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaigns.audit.selectors import get_visible_or_404
from campaigns.models import Department
from hazards.models import Enterprise
from yixian_safety.dates import today_local
from yixian_safety.forms import service_errors_to_form, service_errors_to_messages
from yixian_safety.xlsx import xlsx_response

from ..models import StepKind
from . import exports, permissions, selectors, services
from . import filters as f
from . import forms as fm
from .models import Accident, ConflictTie, Draw, EnforcementAction, Expert, Inspection

PAGE_SIZE = 50


def _filter_errors(request, filterset) -> None:
    for field, errors in filterset.errors.items():
        label = filterset.filters[field].label if field in filterset.filters else field
        for error in errors:
            messages.error(request, f"{label or field}: {error}")


# One entry per list: (queryset builder, FilterSet, columns, title, link, export filename).
LISTS = {
    "inspection": (
        lambda u: Inspection.objects.visible_to(u).for_list(),
        f.InspectionFilter,
        exports.INSPECTION_COLUMNS,
        "Inspections",
        "inspections",
    ),
    "draw": (
        lambda u: Draw.objects.visible_to(u).select_related("department", "drawn_by"),
        f.DrawFilter,
        exports.DRAW_COLUMNS,
        "Double-random draws",
        "draws",
    ),
    "action": (
        lambda u: EnforcementAction.objects.visible_to(u).for_list(),
        f.ActionFilter,
        exports.ACTION_COLUMNS,
        "Enforcement actions",
        "enforcement-actions",
    ),
    "expert": (
        lambda u: Expert.objects.visible_to(u).prefetch_related("sectors"),
        f.ExpertFilter,
        exports.EXPERT_COLUMNS,
        "Expert pool",
        "experts",
    ),
    "tie": (
        lambda u: ConflictTie.objects.visible_to(u).select_related(
            "person", "expert", "enterprise", "recorded_by"
        ),
        f.TieFilter,
        exports.TIE_COLUMNS,
        "Conflict-of-interest ties",
        "conflict-ties",
    ),
    "accident": (
        lambda u: Accident.objects.visible_to(u).for_list(),
        f.AccidentFilter,
        exports.ACCIDENT_COLUMNS,
        "Accidents",
        "accidents",
    ),
}
NEW = {
    "inspection": (
        "enforcement:inspection_create",
        "Record an inspection",
        lambda u: u.has_perm("enforcement.add_inspection"),
    ),
    "draw": (
        "enforcement:draw_create",
        "Make a draw",
        lambda u: u.has_perm("enforcement.add_draw"),
    ),
    "action": (
        "enforcement:action_create",
        "Record an enforcement action",
        lambda u: u.has_perm("enforcement.add_enforcementaction"),
    ),
    "expert": ("enforcement:expert_create", "Add an expert", permissions.can_manage_experts),
    "tie": ("enforcement:tie_create", "Record a tie", permissions.can_record_tie),
    "accident": (
        "enforcement:accident_create",
        "Record an accident",
        permissions.can_record_accident,
    ),
}
DETAIL_LINKS = {"inspection", "draw", "action", "accident"}


def _filtered(request, key):
    build, filterset_class, *_rest = LISTS[key]
    return f.page_filter(filterset_class, request, build(request.user))


def _list_page(request, key):
    _build, _fs, columns, title, _file = LISTS[key]
    filterset, qs = _filtered(request, key)
    _filter_errors(request, filterset)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        (obj.get_absolute_url() if key in DETAIL_LINKS else "", [fn(obj) for _h, fn in columns])
        for obj in page
    ]
    new_url, new_label, allowed = NEW[key]
    return render(
        request,
        "enforcement/inspections/list.html",
        {
            "title": _(title),
            "key": key,
            "filterset": filterset,
            "page": page,
            "rows": rows,
            "headers": [h for h, _f in columns],
            "export_url": f"enforcement:{key}_export",
            "can_export": permissions.can_export(request.user),
            "new_url": new_url if allowed(request.user) else "",
            "new_label": _(new_label),
        },
    )


def _export(request, key):
    if not permissions.can_export(request.user):
        raise PermissionDenied
    _build, _fs, columns, title, filename = LISTS[key]
    _filterset, qs = _filtered(request, key)
    return xlsx_response(
        f"{filename}-{today_local():%Y%m%d}.xlsx", exports.rows_xlsx(_(title), columns, qs)
    )


def _list_view(key, perm):
    @login_required
    @permission_required(perm, raise_exception=True)
    def view(request):
        return _list_page(request, key)

    @login_required
    @permission_required(perm, raise_exception=True)
    def export(request):
        return _export(request, key)

    view.__doc__ = f"The {key} list in the user's scope (filters: the FilterSet's fields)."
    export.__doc__ = f"The {key} list as .xlsx (same filters)."
    return view, export


inspection_list, inspection_export = _list_view("inspection", "enforcement.view_inspection")
draw_list, draw_export = _list_view("draw", "enforcement.view_draw")
action_list, action_export = _list_view("action", "enforcement.view_enforcementaction")
expert_list, expert_export = _list_view("expert", "enforcement.view_expert")
tie_list, tie_export = _list_view("tie", "enforcement.view_conflicttie")
accident_list, accident_export = _list_view("accident", "enforcement.view_accident")


def _form_page(request, form, call, *, title, back, success):
    """Render ``form``; on a valid POST run ``call(cleaned_data)`` (a service) and redirect to
    what it returns; its ValidationError lands on the form."""
    if request.method == "POST" and form.is_valid():
        try:
            obj = call(form.cleaned_data)
        except ValidationError as exc:
            service_errors_to_form(form, exc)
        else:
            messages.success(request, success)
            return redirect(obj)
    return render(
        request, "enforcement/inspections/form.html", {"form": form, "title": title, "back": back}
    )


# --- inspections ------------------------------------------------------------------------------


@login_required
@permission_required("enforcement.add_inspection", raise_exception=True)
def inspection_create(request):
    """Record an inspection carried out (with or without findings)."""
    initial = {"inspected_on": today_local(), "department": request.user.department_id}
    if request.GET.get("enterprise", "").isdigit():
        initial["enterprise"] = int(request.GET["enterprise"])
    form = fm.InspectionForm(request.POST or None, user=request.user, initial=initial)
    return _form_page(
        request,
        form,
        lambda d: services.inspection_record(actor=request.user, **d),
        title=_("Record an inspection"),
        back="enforcement:inspection_list",
        success=_("Inspection recorded."),
    )


def _visible_inspection(request, pk) -> Inspection:
    return get_visible_or_404(
        Inspection.objects.visible_to(request.user).select_related(
            "department", "enterprise__township", "draw", "recorded_by"
        ),
        pk=pk,
    )


@login_required
@permission_required("enforcement.view_inspection", raise_exception=True)
def inspection_detail(request, pk: int):
    """An inspection: inspectors, experts, findings, hazards raised, enforcement actions."""
    inspection = _visible_inspection(request, pk)
    can_change = permissions.can_change_inspection(request.user, inspection)
    return render(
        request,
        "enforcement/inspections/inspection_detail.html",
        {
            "inspection": inspection,
            "can_change": can_change,
            "hazards": inspection.hazards.select_related("township"),
            "actions": EnforcementAction.objects.visible_to(request.user).filter(
                inspection=inspection
            ),
            "can_act": permissions.can_record_action(request.user, inspection.department),
            "complete_form": fm.CompleteForm(initial={"inspected_on": today_local()}),
            "note_form": fm.NoteForm(),
            "hazard_form": fm.RaiseHazardForm(),
            "experts_form": fm.AssignExpertsForm(),
        },
    )


@login_required
@require_POST
def inspection_action(request, pk: int, action: str):
    """POST ``complete``, ``cancel``, ``raise_hazard`` or ``assign_experts``."""
    inspection = _visible_inspection(request, pk)
    forms = {
        "complete": fm.CompleteForm,
        "cancel": fm.NoteForm,
        "raise_hazard": fm.RaiseHazardForm,
        "assign_experts": fm.AssignExpertsForm,
    }
    if action not in forms:
        raise Http404
    form = forms[action](request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for e in errors:
                messages.error(request, f"{label}：{e}" if label else e)
        return redirect(inspection)
    d, user = form.cleaned_data, request.user
    try:
        if action == "complete":
            services.inspection_complete(inspection=inspection, actor=user, **d)
            messages.success(request, _("Inspection completed."))
        elif action == "cancel":
            services.inspection_cancel(inspection=inspection, actor=user, note=d["note"])
            messages.success(request, _("Inspection cancelled."))
        elif action == "raise_hazard":
            hazard = services.inspection_raise_hazard(inspection=inspection, actor=user, **d)
            messages.success(
                request,
                _("Hazard %(number)s logged in the ledger.") % {"number": hazard.ledger_number},
            )
        else:
            chosen = services.inspection_assign_experts(
                inspection=inspection, actor=user, count=d["count"]
            )
            messages.success(
                request,
                _("Experts assigned: %(names)s.") % {"names": "、".join(e.name for e in chosen)},
            )
    except ValidationError as exc:
        service_errors_to_messages(request, exc)
    return redirect(inspection)


# --- draws ------------------------------------------------------------------------------------


@login_required
@permission_required("enforcement.add_draw", raise_exception=True)
def draw_create(request):
    """Make a 双随机 draw: filters of the pool, counts, planned date."""
    initial = {
        "department": request.user.department_id,
        "planned_on": today_local() + datetime.timedelta(days=7),
    }
    form = fm.DrawForm(request.POST or None, user=request.user, initial=initial)
    return _form_page(
        request,
        form,
        lambda d: services.draw_create(actor=request.user, **d),
        title=_("Make a double-random draw"),
        back="enforcement:draw_list",
        success=_("Drawn; the planned inspections are created."),
    )


def _visible_draw(request, pk) -> Draw:
    return get_visible_or_404(
        Draw.objects.visible_to(request.user).select_related(
            "department", "township", "sector", "drawn_by"
        ),
        pk=pk,
    )


def _result_rows(draw: Draw, *, with_people: bool):
    enterprises = Enterprise.objects.select_related("township").in_bulk(
        [r["enterprise"] for r in draw.result]
    )
    people = {}
    if with_people:
        from campaigns.models import User

        people = User.objects.in_bulk([p for r in draw.result for p in r["inspectors"]])
    return [
        {
            "enterprise": enterprises.get(r["enterprise"]),
            "inspectors": [people.get(p) for p in r["inspectors"]],
        }
        for r in draw.result
    ]


@login_required
@permission_required("enforcement.view_draw", raise_exception=True)
def draw_detail(request, pk: int):
    """A draw: its frozen inputs, the result, the replay check and the planned inspections."""
    draw = _visible_draw(request, pk)
    try:
        replayed = services.draw_replay(draw)
    except ValidationError:
        replayed = None
    return render(
        request,
        "enforcement/inspections/draw_detail.html",
        {
            "draw": draw,
            "rows": _result_rows(draw, with_people=True),
            "replay_matches": replayed == draw.result,
            "inspections": Inspection.objects.visible_to(request.user).filter(draw=draw).for_list(),
            "can_publish": permissions.can_publish_draw(request.user, draw),
        },
    )


@login_required
@require_POST
def draw_publish(request, pk: int):
    draw = _visible_draw(request, pk)
    services.draw_publish(draw=draw, actor=request.user)
    messages.success(request, _("Published."))
    return redirect(draw)


def draw_public(request, slug):
    """公开: the published result — enterprises, planned date, method, seed and pool size; no
    inspector names, no personal data. No login."""
    draw = get_object_or_404(
        Draw.objects.select_related("department"), public_slug=slug, published_at__isnull=False
    )
    return render(
        request,
        "enforcement/inspections/draw_public.html",
        {"draw": draw, "rows": _result_rows(draw, with_people=False)},
    )


# --- enforcement actions ----------------------------------------------------------------------


@login_required
@permission_required("enforcement.add_enforcementaction", raise_exception=True)
def action_create(request):
    """Record an enforcement action; ``?inspection=<pk>`` pre-fills from the inspection."""
    initial = {"decided_on": today_local(), "department": request.user.department_id}
    pk = request.GET.get("inspection", "")
    if pk.isdigit():
        insp = Inspection.objects.visible_to(request.user).filter(pk=int(pk)).first()
        if insp is not None:
            initial.update(
                inspection=insp.pk,
                enterprise=insp.enterprise_id,
                department=insp.department_id,
                hazards=", ".join(insp.hazards.values_list("ledger_number", flat=True)),
            )
    form = fm.ActionForm(request.POST or None, user=request.user, initial=initial)
    return _form_page(
        request,
        form,
        lambda d: services.action_record(actor=request.user, **d),
        title=_("Record an enforcement action"),
        back="enforcement:action_list",
        success=_("Enforcement action recorded."),
    )


def _visible_action(request, pk) -> EnforcementAction:
    return get_visible_or_404(
        EnforcementAction.objects.visible_to(request.user).for_list().select_related("recorded_by"),
        pk=pk,
    )


@login_required
@permission_required("enforcement.view_enforcementaction", raise_exception=True)
def action_detail(request, pk: int):
    action = _visible_action(request, pk)
    return render(
        request,
        "enforcement/inspections/action_detail.html",
        {
            "action": action,
            "hazards": action.hazards.all(),
            "can_refer": not action.referred_for_prosecution
            and permissions.can_refer(request.user, action),
            "refer_form": fm.ReferForm(initial={"referred_on": today_local()}),
        },
    )


@login_required
@require_POST
def action_refer(request, pk: int):
    """行刑衔接: refer the case for prosecution."""
    action = _visible_action(request, pk)
    form = fm.ReferForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the date and a note of the referral."))
        return redirect(action)
    try:
        services.action_refer(action=action, actor=request.user, **form.cleaned_data)
        messages.success(request, _("Referred for prosecution."))
    except ValidationError as exc:
        service_errors_to_messages(request, exc)
    return redirect(action)


# --- experts and ties -------------------------------------------------------------------------


@login_required
def expert_create(request):
    if not permissions.can_manage_experts(request.user):
        raise PermissionDenied
    form = fm.ExpertForm(request.POST or None)

    def call(d):
        services.expert_create(actor=request.user, **d)
        return "enforcement:expert_list"

    return _form_page(
        request,
        form,
        call,
        title=_("Add an expert"),
        back="enforcement:expert_list",
        success=_("Expert added."),
    )


@login_required
def tie_create(request):
    if not permissions.can_record_tie(request.user):
        raise PermissionDenied
    form = fm.TieForm(request.POST or None, user=request.user)

    def call(d):
        services.tie_record(actor=request.user, **d)
        return "enforcement:tie_list"

    return _form_page(
        request,
        form,
        call,
        title=_("Record a conflict-of-interest tie"),
        back="enforcement:tie_list",
        success=_("Tie recorded."),
    )


# --- accidents --------------------------------------------------------------------------------


@login_required
def accident_create(request):
    if not permissions.can_record_accident(request.user):
        raise PermissionDenied
    form = fm.AccidentForm(
        request.POST or None, user=request.user, initial={"occurred_on": today_local()}
    )
    return _form_page(
        request,
        form,
        lambda d: services.accident_record(actor=request.user, **d),
        title=_("Record an accident"),
        back="enforcement:accident_list",
        success=_("Accident recorded."),
    )


@login_required
@permission_required("enforcement.view_accident", raise_exception=True)
def accident_detail(request, pk: int):
    accident = get_visible_or_404(
        Accident.objects.visible_to(request.user).for_list().select_related("recorded_by"), pk=pk
    )
    return render(request, "enforcement/inspections/accident_detail.html", {"accident": accident})


# --- statistics -------------------------------------------------------------------------------


def _period(request) -> tuple[int, int | None]:
    today = today_local()
    try:
        year = int(request.GET.get("year", today.year))
        quarter = request.GET.get("quarter", str((today.month - 1) // 3 + 1))
        quarter = int(quarter) if quarter not in ("", "all") else None
    except ValueError:
        raise Http404 from None
    if not 2000 <= year <= 2100 or quarter not in (None, 1, 2, 3, 4):
        raise Http404
    return year, quarter


@login_required
@permission_required("enforcement.view_inspection", raise_exception=True)
def statistics(request):
    """Per department per quarter (``?year=&quarter=``, ``quarter=all`` for the year):
    inspections, enterprises, findings, hazards, 零处罚, actions, fines; departments inspecting
    without penalising are flagged; the "双下降" accident figures by year."""
    year, quarter = _period(request)
    stats = selectors.department_statistics(request.user, year=year, quarter=quarter)
    today = today_local()
    years = tuple(range(min(year, today.year) - 2, min(year, today.year) + 1))
    covered, missing = selectors.expert_pool_coverage()
    return render(
        request,
        "enforcement/inspections/statistics.html",
        {
            "stats": stats,
            "year": year,
            "quarter": quarter,
            "quarters": [1, 2, 3, 4],
            "accidents": selectors.double_decline(request.user, years=years),
            "pool_covered": covered,
            "pool_missing": missing,
            "can_propose": permissions.can_propose_zero_penalty_step(request.user),
            "can_export": permissions.can_export(request.user),
        },
    )


@login_required
@permission_required("enforcement.view_inspection", raise_exception=True)
def statistics_export(request):
    if not permissions.can_export(request.user):
        raise PermissionDenied
    year, quarter = _period(request)
    stats = selectors.department_statistics(request.user, year=year, quarter=quarter)
    return xlsx_response(
        f"enforcement-statistics-{year}-{quarter or 'year'}.xlsx", exports.statistics_xlsx(stats)
    )


@login_required
@require_POST
def zero_penalty_propose(request):
    """Propose a 约谈 (or 通报) step against a flagged department (safety office)."""
    year, quarter = _period(request)
    if not permissions.can_propose_zero_penalty_step(request.user):
        raise PermissionDenied
    department = get_object_or_404(Department, code=request.POST.get("department", ""))
    stats = selectors.department_statistics(request.user, year=year, quarter=quarter)
    row = next((r for r in stats.flagged if r.department.pk == department.pk), None)
    if row is None:
        messages.error(
            request,
            _("%(department)s is not flagged for this period.") % {"department": department},
        )
        return redirect(request.get_full_path().replace("propose/", ""))
    kind = request.POST.get("kind", StepKind.SUMMONS_INTERVIEW)
    try:
        step = services.zero_penalty_propose(
            actor=request.user,
            department=department,
            year=year,
            quarter=quarter or 0,
            inspections=row.inspections,
            with_findings=row.with_findings,
            kind=kind,
        )
    except ValidationError as exc:
        service_errors_to_messages(request, exc)
        return redirect(request.get_full_path().replace("propose/", ""))
    messages.success(request, _("Proposed; the safety office decides it on the escalation page."))
    return redirect(step)
