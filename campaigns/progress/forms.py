"""Forms of the sub-plan and progress pages. They only parse input; rules live in services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from campaigns.constants import Frequency
from campaigns.progress.models import ProgressReport
from yixian_safety.forms import SELECT_ATTRS, TEXT_ATTRS


def _figures_parse(text: str) -> dict:
    figures = {}
    for n, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        name, sep, value = line.replace("＝", "=").partition("=")
        if not sep or not name.strip():
            raise forms.ValidationError(
                _("Line %(n)s: write name=number, e.g. 整改隐患数=12.") % {"n": n}
            )
        try:
            figures[name.strip()] = float(value.strip())
        except ValueError:
            raise forms.ValidationError(
                _("Line %(n)s: %(value)s is not a number.") % {"n": n, "value": value.strip()}
            ) from None
    return figures


class ProgressReportForm(forms.Form):
    period = forms.ChoiceField(label=_("period"), widget=forms.Select(SELECT_ATTRS))
    status = forms.ChoiceField(
        label=_("status"), choices=ProgressReport.Status.choices, widget=forms.Select(SELECT_ATTRS)
    )
    text = forms.CharField(
        label=_("what was done"), widget=forms.Textarea({**TEXT_ATTRS, "rows": 4})
    )
    figures = forms.CharField(
        label=_("figures"),
        required=False,
        help_text=_("One per line: name=number, e.g. 排查企业数=35."),
        widget=forms.Textarea({**TEXT_ATTRS, "rows": 2}),
    )
    attachment = forms.FileField(
        label=_("attachment"),
        required=False,
        help_text=_("PDF, Word, WPS, PNG or JPEG, at most 20 MB."),
        widget=forms.ClearableFileInput(TEXT_ATTRS),
    )

    def __init__(self, *args, periods=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [(p.key, p.key) for p in periods]

    def clean_figures(self):
        return _figures_parse(self.cleaned_data.get("figures", ""))


class MilestoneMetForm(forms.Form):
    met_on = forms.DateField(
        label=_("met on"), widget=forms.DateInput({**TEXT_ATTRS, "type": "date"}, format="%Y-%m-%d")
    )
    note = forms.CharField(
        label=_("evidence note"), widget=forms.Textarea({**TEXT_ATTRS, "rows": 3})
    )
    evidence = forms.FileField(
        label=_("evidence file"),
        required=False,
        help_text=_("PDF, Word, WPS, PNG or JPEG, at most 20 MB."),
        widget=forms.ClearableFileInput(TEXT_ATTRS),
    )


class ObligationRecordForm(forms.Form):
    done_on = forms.DateField(
        label=_("done on"),
        widget=forms.DateInput({**TEXT_ATTRS, "type": "date"}, format="%Y-%m-%d"),
    )
    count = forms.IntegerField(
        label=_("times done"), min_value=1, initial=1, widget=forms.NumberInput(TEXT_ATTRS)
    )
    note = forms.CharField(label=_("note"), required=False, widget=forms.TextInput(TEXT_ATTRS))


class CadenceForm(forms.Form):
    frequency = forms.ChoiceField(
        label=_("reporting cadence"),
        choices=[
            (Frequency.MONTHLY, Frequency.MONTHLY.label),
            (Frequency.QUARTERLY, Frequency.QUARTERLY.label),
        ],
        widget=forms.Select(SELECT_ATTRS),
    )
