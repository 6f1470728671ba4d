"""Pages of the tip-off system: the two public pages (no account) and the office's pages.

Public: ``report`` (the form; answers with the tracking code) and ``track`` (status by code).
Both are rate-limited per client address — and ``track`` per code — through django-ratelimit on
the database cache (``CACHES["ratelimit"]``: still counting when Redis is down); a refusal is the
Chinese 429 page, an oversized body the 413 page, never a 500. Identity fields are
``sensitive_post_parameters`` (kept out of error reports and logs).

Office: every lookup starts from ``TipOff.objects.visible_to(request.user)`` (outside → 404);
visible but not allowed → 403. The identity is shown only by :func:`identity`, a POST that writes
the audit row first.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import DatabaseError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_POST
from django_ratelimit.core import is_ratelimited

from campaigns.audit.selectors import get_visible_or_404
from yixian_safety.dates import today_local
from yixian_safety.forms import error_messages, service_errors_to_form
from yixian_safety.xlsx import xlsx_response

from . import constants as c
from . import exports, permissions, services
from .filters import SORTS, RewardFilter, TipOffFilter
from .forms import (
    AssignForm,
    DismissForm,
    IdentityForm,
    NoteForm,
    PaymentForm,
    ReasonForm,
    ReplyForm,
    RewardForm,
    TipOffForm,
    TrackForm,
    VerifyForm,
)
from .models import Channel, IdentityAccess, Reward, TipOff, TipOffPhoto, code_digest
from .selectors import reward_totals, tipoff_statistics

PAGE_SIZE = 50


def _limited(request, group: str, rate: str, key="ip") -> bool:
    """Count this request against ``rate`` for ``key``; True when over the limit. A counter
    that cannot be read refuses (fail closed) instead of failing the page."""
    try:
        return is_ratelimited(
            request, group=group, key=key, rate=rate, method="POST", increment=True
        )
    except DatabaseError:
        return True


def _refused(request, status: int, message: str):
    response = render(request, "tipoffs/public_refused.html", {"message": message}, status=status)
    if status == 429:
        response.headers["Retry-After"] = "3600"
    return response


def _client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


def _no_store(response):
    response.headers["Cache-Control"] = "no-store"
    return response


# --- the public pages --------------------------------------------------------------------------


@never_cache
@sensitive_variables("data")
@sensitive_post_parameters(*TipOffForm.IDENTITY)
def report(request):
    """举报: the public form (no login). POST answers with the tracking code on the page itself
    (never in a URL), 429 when the address sent too many, 413 when the body is too large."""
    if request.method != "POST":
        return render(request, "tipoffs/public_report.html", {"form": TipOffForm()})
    try:
        size = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        size = 0
    if size > c.MAX_SUBMISSION_BYTES:
        return _refused(
            request, 413, _("The submission is too large: at most 5 photos of 8 MB each.")
        )
    if _limited(request, "tipoffs.submit.burst", c.SUBMIT_BURST_PER_IP) or _limited(
        request, "tipoffs.submit", c.SUBMIT_RATE_PER_IP
    ):
        return _refused(
            request,
            429,
            _(
                "Too many tip-offs were sent from your network in a "
                "short time. Please try again in an hour, or call the "
                "12350 hotline."
            ),
        )
    form = TipOffForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        if data["website"]:
            return _refused(request, 400, _("The submission could not be accepted."))
        try:
            tipoff, code = services.tipoff_submit(
                description=data["description"],
                township=data["township"],
                address=data["address"],
                enterprise_name=data["enterprise_name"],
                observed_on=data["observed_on"],
                anonymous=data["anonymous"],
                reporter_name=data["reporter_name"],
                reporter_phone=data["reporter_phone"],
                reporter_email=data["reporter_email"],
                reporter_id_number=data["reporter_id_number"],
                ip=_client_ip(request),
                photos=data["photos"],
            )
        except ValidationError as exc:
            service_errors_to_form(form, exc)
        else:
            return _no_store(
                render(
                    request,
                    "tipoffs/public_done.html",
                    {"code": code, "tipoff": tipoff},
                    status=201,
                )
            )
    return render(request, "tipoffs/public_report.html", {"form": form}, status=400)


@never_cache
@sensitive_post_parameters("code")
def track(request):
    """查询: status and the office's public reply (and a reward) by tracking code — nothing
    else about the case. POST only carries the code (it stays out of URLs and logs)."""
    form = TrackForm(request.POST or None)
    tipoff = None
    if request.method == "POST":
        if _limited(request, "tipoffs.track", c.STATUS_RATE_PER_IP):
            return _refused(
                request, 429, _("Too many look-ups from your network. Please try again in an hour.")
            )
        if form.is_valid():
            code = form.cleaned_data["code"].strip()
            digest = code_digest(code)
            if _limited(
                request, "tipoffs.track.code", c.STATUS_RATE_PER_CODE, key=lambda group, req: digest
            ):
                return _refused(
                    request,
                    429,
                    _("This code was looked up too often. Please try again in an hour."),
                )
            tipoff = services.tipoff_for_code(code)
            if tipoff is not None:
                form = TrackForm()  # the code is not echoed back onto the screen
            else:
                form.add_error(
                    "code",
                    _(
                        "No tip-off has this code. Check it character by "
                        "character (letters are case-sensitive)."
                    ),
                )
    reward = getattr(tipoff, "reward", None) if tipoff else None
    return _no_store(
        render(
            request,
            "tipoffs/public_track.html",
            {"form": form, "tipoff": tipoff, "reward": reward},
            status=200 if request.method != "POST" or tipoff else 400,
        )
    )


# --- the office's pages ----------------------------------------------------------------------


def _visible(request, pk: int) -> TipOff:
    return get_visible_or_404(TipOff.objects.visible_to(request.user).for_list(), pk=pk)


def _filtered(request):
    qs = TipOff.objects.visible_to(request.user).for_list()
    filterset = TipOffFilter(request.GET or None, queryset=qs, request=request)
    result = filterset.qs if filterset.is_bound else qs
    if filterset.is_bound and not filterset.is_valid():
        result = qs.none()
    sort = request.GET.get("sort", "-received_at")
    return filterset, result.order_by(SORTS.get(sort, "-received_at"), "-pk"), sort


@login_required
@permission_required("tipoffs.view_tipoff", raise_exception=True)
def tipoff_list(request):
    """Tip-offs in the user's scope: filters (TipOffFilter), ``sort``, ``page``. The identity
    appears only as 匿名 / 实名（已保护）."""
    filterset, qs, sort = _filtered(request)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "tipoffs/tipoff_list.html",
        {
            "filter": filterset,
            "page": page,
            "sort": sort,
            "today": today_local(),
            "can_export": permissions.can_export(request.user),
            "can_rewards": request.user.has_perm("tipoffs.view_reward"),
            "sorts": [
                ("-received_at", _("received, newest")),
                ("received_at", _("received, oldest")),
                ("step_due_on", _("step deadline")),
            ],
        },
    )


@login_required
@permission_required("tipoffs.export_tipoff", raise_exception=True)
def tipoff_export(request):
    """The filtered list as .xlsx — without any identity."""
    _filterset, qs, _sort = _filtered(request)
    return xlsx_response(
        _("tip-offs") + f"-{today_local():%Y%m%d}.xlsx",
        exports.tipoffs_xlsx(qs, today=today_local()),
    )


@login_required
@permission_required("tipoffs.view_tipoff", raise_exception=True)
def tipoff_detail(request, pk: int):
    """The case: facts, photos, timeline, reward and the steps the user may take now."""
    tipoff = _visible(request, pk)
    user = request.user
    here = tipoff.transitions_here()
    triage = permissions.can_triage(user)
    verify = permissions.can_verify(user, tipoff)
    reward = getattr(tipoff, "reward", None)
    actions = {
        "assign": "assign" in here and triage,
        "dismiss": "dismiss" in here and triage,
        "start": "start_verification" in here and verify,
        "verify": "verify" in here and verify,
        "unverified": "find_unverified" in here and verify,
        "close": "close" in here and triage,
        "reply": triage,
        "reward": permissions.can_decide_reward(user)
        and tipoff.outcome == "verified"
        and not (reward and reward.is_paid),
        "pay": permissions.can_decide_reward(user) and reward is not None and not reward.is_paid,
    }
    return render(
        request,
        "tipoffs/tipoff_detail.html",
        {
            "tipoff": tipoff,
            "actions": actions,
            "today": today_local(),
            "reward": reward,
            "photos": tipoff.photos.all(),
            "events": tipoff.events.select_related("actor"),
            "can_identity": permissions.can_view_identity(user) and tipoff.has_identity,
            "assign_form": AssignForm(initial={"department": tipoff.department_id}),
            "dismiss_form": DismissForm(),
            "note_form": NoteForm(),
            "reason_form": ReasonForm(),
            "reply_form": ReplyForm(initial={"public_reply": tipoff.public_reply}),
            "verify_form": VerifyForm(user=user, initial={"location": tipoff.address}),
            "reward_form": RewardForm(
                initial={
                    "decided_on": today_local(),
                    **({"amount": reward.amount, "basis": reward.basis} if reward else {}),
                }
            ),
            "payment_form": PaymentForm(initial={"paid_on": today_local()}),
            "identity_form": IdentityForm(),
        },
    )


def _form_for(action: str, request):
    if action == "dismiss":
        return DismissForm(request.POST, tipoffs=TipOff.objects.visible_to(request.user))
    if action == "verify":
        return VerifyForm(request.POST, user=request.user)
    return ACTIONS[action][1](request.POST)


ACTIONS = {
    # action → (service, form, success message)
    "assign": (services.tipoff_assign, AssignForm, gettext_noop("Tip-off assigned.")),
    "dismiss": (services.tipoff_dismiss, DismissForm, gettext_noop("Tip-off closed at triage.")),
    "start": (services.tipoff_start_verification, NoteForm, gettext_noop("Verification started.")),
    "verify": (
        services.tipoff_verify,
        VerifyForm,
        gettext_noop("Tip-off verified: it is in the ledger."),
    ),
    "unverified": (
        services.tipoff_find_unverified,
        ReasonForm,
        gettext_noop("Tip-off not verified."),
    ),
    "close": (services.tipoff_close, ReplyForm, gettext_noop("Tip-off closed.")),
    "reply": (services.tipoff_reply, ReplyForm, gettext_noop("Public reply saved.")),
    "reward": (services.reward_decide, RewardForm, gettext_noop("Reward decided.")),
    "pay": (services.reward_pay, PaymentForm, gettext_noop("Payment recorded.")),
}


@login_required
@require_POST
def tipoff_action(request, pk: int, action: str):
    """POST one step (assign, dismiss, start, verify, unverified, close, reply, reward, pay)."""
    tipoff = _visible(request, pk)
    if action not in ACTIONS:
        raise Http404
    service, _form_class, done = ACTIONS[action]
    form = _form_for(action, request)
    if not form.is_valid():
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else ""
            for e in errors:
                messages.error(request, f"{label}：{e}" if label else e)
        return redirect(tipoff)
    try:
        service(tipoff=tipoff, actor=request.user, **form.cleaned_data)
    except ValidationError as exc:
        for message in error_messages(exc):
            messages.error(request, message)
    else:
        messages.success(request, _(done))
    return redirect(tipoff)


@never_cache
@login_required
@require_POST
@sensitive_variables("identity")
def identity(request, pk: int):
    """The one page that shows a reporter's identity: for the named role only (403 otherwise),
    after writing the audit row (who, when, from where, why)."""
    tipoff = _visible(request, pk)
    if not permissions.can_view_identity(request.user):
        raise PermissionDenied
    form = IdentityForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for reading the identity."))
        return redirect(tipoff)
    try:
        identity = services.identity_reveal(
            tipoff=tipoff,
            actor=request.user,
            ip=_client_ip(request) or None,
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as exc:
        for message in error_messages(exc):
            messages.error(request, message)
        return redirect(tipoff)
    response = render(request, "tipoffs/identity.html", {"tipoff": tipoff, "identity": identity})
    return _no_store(response)


@login_required
@permission_required("tipoffs.view_tipoff", raise_exception=True)
def photo(request, pk: int):
    """A tip-off photo (re-encoded, no metadata) if its tip-off is visible (else 404)."""
    item = get_visible_or_404(
        TipOffPhoto.objects.filter(tipoff__in=TipOff.objects.visible_to(request.user)), pk=pk
    )
    response = FileResponse(item.file.open("rb"), content_type="image/jpeg")
    response.headers["Cache-Control"] = "private, max-age=600"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _rewards(request):
    qs = Reward.objects.visible_to(request.user).select_related("tipoff", "decided_by")
    filterset = RewardFilter(request.GET or None, queryset=qs, request=request)
    result = filterset.qs if filterset.is_bound else qs
    if filterset.is_bound and not filterset.is_valid():
        result = qs.none()
    return filterset, result.order_by("-decided_on", "-pk")


@login_required
@permission_required("tipoffs.view_reward", raise_exception=True)
def reward_list(request):
    """Rewards (奖励) with yearly totals; never who received them."""
    filterset, qs = _rewards(request)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "tipoffs/reward_list.html",
        {"filter": filterset, "page": page, "totals": reward_totals(qs)},
    )


@login_required
@permission_required("tipoffs.view_reward", raise_exception=True)
def reward_export(request):
    _filterset, qs = _rewards(request)
    return xlsx_response(
        _("tip-off-rewards") + f"-{today_local():%Y%m%d}.xlsx", exports.rewards_xlsx(qs)
    )


@login_required
def access_log(request):
    """The identity audit trail, for holders of ``view_identityaccess`` (auditors, admins)."""
    if not request.user.has_perm("tipoffs.view_identityaccess"):
        raise PermissionDenied
    qs = IdentityAccess.objects.select_related("tipoff", "who").order_by("-when", "-pk")
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            _("identity-access-log") + f"-{today_local():%Y%m%d}.xlsx", exports.access_log_xlsx(qs)
        )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "tipoffs/access_log.html", {"page": page})


@login_required
@permission_required("tipoffs.view_tipoff", raise_exception=True)
def statistics(request):
    """Tip-offs by channel, township, sector; verified rate, days to verify, rewards per year."""
    stats = tipoff_statistics(TipOff.objects.visible_to(request.user), today=today_local())
    channels = dict(Channel.choices)
    for row in stats.by_channel:
        row["label"] = channels.get(row["label"], row["label"])
    return render(request, "tipoffs/statistics.html", {"stats": stats})


@login_required
@require_POST
def reporting_scheme(request, pk: int):
    """Record an enterprise's internal reporting reward scheme (from the enterprise page)."""
    from hazards.models import Enterprise

    from .forms import ReportingSchemeForm

    enterprise = get_visible_or_404(Enterprise.objects.visible_to(request.user), pk=pk)
    form = ReportingSchemeForm(request.POST)
    if not form.is_valid():
        for name, errors in form.errors.items():
            for e in errors:
                messages.error(
                    request, f"{form.fields[name].label}：{e}" if name in form.fields else e
                )
        return redirect(enterprise)
    try:
        services.reporting_scheme_save(
            enterprise=enterprise, actor=request.user, **form.cleaned_data
        )
    except ValidationError as exc:
        for message in error_messages(exc):
            messages.error(request, message)
    else:
        messages.success(request, _("Saved."))
    return redirect(enterprise)
