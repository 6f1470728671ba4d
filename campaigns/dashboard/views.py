"""The dashboard page (安委办 每日看板): every role sees it scoped to what it may see."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from campaigns.dashboard.selectors import dashboard_for
from campaigns.plan.selectors import campaign_for_request
from yixian_safety.dates import today_local

# Okabe–Ito colour-blind-safe palette (used by the charts, in this order).
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442", "#000000"]


class AsOfForm(forms.Form):
    """``?as_of=YYYY-MM-DD``: look at a past day (not before the campaign, not after today)."""

    as_of = forms.DateField(
        label=_("As of"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean_as_of(self):
        import datetime

        value = self.cleaned_data["as_of"]
        if value and value > today_local():
            raise forms.ValidationError(_("The date cannot be in the future."))
        if value and value < datetime.date(2024, 1, 1):
            raise forms.ValidationError(_("The campaign began on 2024-01-01."))
        return value


@login_required
def dashboard(request):
    """Targets, phase and milestones, hazards by township and sector, supervision, progress,
    sub-plan board and league table; ``?as_of=`` shows a past day from the records' history."""
    form = AsOfForm(request.GET or None)
    as_of = None
    if form.is_bound:
        if form.is_valid():
            as_of = form.cleaned_data["as_of"]
        else:
            for error in form.errors.get("as_of", []):
                messages.error(request, _("As of: %(error)s") % {"error": error})
    data = dashboard_for(request.user, as_of=as_of, campaign=campaign_for_request(request))
    chart = data.targets.chart if data.targets else {}
    return render(
        request,
        "campaigns/dashboard.html",
        {
            "form": form,
            "d": data,
            "chart": {
                **chart,
                "palette": PALETTE,
                "labels": {"found": str(_("found")), "closed": str(_("closed"))},
            },
        },
    )
