"""The request form of a report: kind, quarter and scope (choices limited to what the user may
build; the service decides)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from campaigns.org.scoping import scope_for
from campaigns.reports.models import Report
from campaigns.reports.permissions import scopes_for
from campaigns.reports.services import quarter_just_ended
from yixian_safety.dates import today_local
from yixian_safety.forms import SELECT_ATTRS, TEXT_ATTRS


def quarter_choices(today) -> list[tuple[str, str]]:
    """Every quarter of the campaign begun by ``today``, newest first."""
    from campaigns.reports.registry import CAMPAIGN_END, CAMPAIGN_START
    from yixian_safety.periods import periods_between

    quarters = periods_between(CAMPAIGN_START, min(today, CAMPAIGN_END), "quarterly")
    return [(p.key, p.key) for p in reversed(quarters)]


class ReportRequestForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("kind"), choices=Report.Kind.choices, widget=forms.Select(attrs=SELECT_ATTRS)
    )
    period = forms.ChoiceField(
        label=_("quarter"),
        required=False,
        widget=forms.Select(attrs=SELECT_ATTRS),
        help_text=_("Ignored for the final report (2024-01-01 to 2026-12-31)."),
    )
    scope = forms.ChoiceField(label=_("scope"), widget=forms.Select(attrs=SELECT_ATTRS))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        today = today_local()
        self.fields["period"].choices = quarter_choices(today)
        self.fields["period"].initial = quarter_just_ended(today).key
        self.fields["scope"].choices = scopes_for(user)
        if not scope_for(user).everything:  # the final report is the office's to build
            self.fields["kind"].choices = [(Report.Kind.QUARTERLY, Report.Kind.QUARTERLY.label)]


class OutcomeForm(forms.Form):
    """A 制度成果 of the user's unit (the service checks the date and the file)."""

    title = forms.CharField(
        label=_("title"), max_length=200, widget=forms.TextInput(attrs=TEXT_ATTRS)
    )
    adopted_on = forms.DateField(
        label=_("adopted on"),
        widget=forms.DateInput({**TEXT_ATTRS, "type": "date"}, format="%Y-%m-%d"),
    )
    fixes = forms.CharField(
        label=_("what it fixes"), max_length=200, widget=forms.TextInput(attrs=TEXT_ATTRS)
    )
    document = forms.FileField(
        label=_("document"), required=False, widget=forms.ClearableFileInput(attrs=TEXT_ATTRS)
    )
