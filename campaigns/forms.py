"""Forms of the sub-plan and progress pages. They only parse input; rules live in services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from campaigns.constants import Frequency
from campaigns.models import ProgressReport, Sector, Task

_TEXT = {"class": "form-control"}
_SELECT = {"class": "form-select"}
_DOC_ACCEPT = ".pdf,.doc,.docx,.wps"


class SubPlanCreateForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=200, widget=forms.TextInput(_TEXT))
    summary = forms.CharField(label=_("summary"), widget=forms.Textarea({**_TEXT, "rows": 4}))
    tasks = forms.ModelMultipleChoiceField(
        label=_("tasks covered"), queryset=Task.objects.all(), required=False,
        widget=forms.SelectMultiple({**_SELECT, "size": 8}))
    sector = forms.ModelChoiceField(
        label=_("sector"), queryset=Sector.objects.none(), required=False,
        help_text=_("Departments: choose a sector you lead for a sector sub-plan; leave empty "
                    "for your unit's campaign sub-plan."), widget=forms.Select(_SELECT))
    contact_name = forms.CharField(label=_("contact person"), max_length=40,
                                   widget=forms.TextInput(_TEXT))
    contact_phone = forms.CharField(label=_("contact phone"), max_length=30,
                                    widget=forms.TextInput(_TEXT))
    document = forms.FileField(
        label=_("document"), help_text=_("PDF, Word (.doc/.docx) or WPS (.wps), at most 20 MB."),
        widget=forms.ClearableFileInput({**_TEXT, "accept": _DOC_ACCEPT}))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None and user.department_id:
            self.fields["sector"].queryset = Sector.objects.filter(
                lead_departments=user.department_id)
        else:
            del self.fields["sector"]


class SubPlanSubmitForm(forms.Form):
    document = forms.FileField(
        label=_("revised document"), required=False,
        help_text=_("PDF, Word (.doc/.docx) or WPS (.wps), at most 20 MB. Required when "
                    "resubmitting."),
        widget=forms.ClearableFileInput({**_TEXT, "accept": _DOC_ACCEPT}))
    note = forms.CharField(label=_("note"), required=False, max_length=500,
                           widget=forms.TextInput(_TEXT))


class SubPlanReturnForm(forms.Form):
    comment = forms.CharField(label=_("comments for revision"),
                              widget=forms.Textarea({**_TEXT, "rows": 3}))


class SubPlanApproveForm(forms.Form):
    comment = forms.CharField(label=_("comment"), required=False,
                              widget=forms.TextInput(_TEXT))


def _figures_parse(text: str) -> dict:
    figures = {}
    for n, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        name, sep, value = line.replace("＝", "=").partition("=")
        if not sep or not name.strip():
            raise forms.ValidationError(
                _("Line %(n)s: write name=number, e.g. 整改隐患数=12.") % {"n": n})
        try:
            figures[name.strip()] = float(value.strip())
        except ValueError:
            raise forms.ValidationError(
                _("Line %(n)s: %(value)s is not a number.") % {"n": n, "value": value.strip()}
            ) from None
    return figures


class ProgressReportForm(forms.Form):
    period = forms.ChoiceField(label=_("period"), widget=forms.Select(_SELECT))
    status = forms.ChoiceField(label=_("status"), choices=ProgressReport.Status.choices,
                               widget=forms.Select(_SELECT))
    text = forms.CharField(label=_("what was done"), widget=forms.Textarea({**_TEXT, "rows": 4}))
    figures = forms.CharField(
        label=_("figures"), required=False,
        help_text=_("One per line: name=number, e.g. 排查企业数=35."),
        widget=forms.Textarea({**_TEXT, "rows": 2}))
    attachment = forms.FileField(label=_("attachment"), required=False,
                                 help_text=_("PDF, Word, WPS, PNG or JPEG, at most 20 MB."),
                                 widget=forms.ClearableFileInput(_TEXT))

    def __init__(self, *args, periods=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [(p.key, p.key) for p in periods]

    def clean_figures(self):
        return _figures_parse(self.cleaned_data.get("figures", ""))


class MilestoneMetForm(forms.Form):
    met_on = forms.DateField(label=_("met on"), widget=forms.DateInput({**_TEXT, "type": "date"}, format="%Y-%m-%d"))
    note = forms.CharField(label=_("evidence note"), widget=forms.Textarea({**_TEXT, "rows": 3}))
    evidence = forms.FileField(label=_("evidence file"), required=False,
                               help_text=_("PDF, Word, WPS, PNG or JPEG, at most 20 MB."),
                               widget=forms.ClearableFileInput(_TEXT))


class ObligationRecordForm(forms.Form):
    done_on = forms.DateField(label=_("done on"),
                              widget=forms.DateInput({**_TEXT, "type": "date"}, format="%Y-%m-%d"))
    count = forms.IntegerField(label=_("times done"), min_value=1, initial=1,
                               widget=forms.NumberInput(_TEXT))
    note = forms.CharField(label=_("note"), required=False, widget=forms.TextInput(_TEXT))


class CadenceForm(forms.Form):
    frequency = forms.ChoiceField(
        label=_("reporting cadence"),
        choices=[(Frequency.MONTHLY, Frequency.MONTHLY.label),
                 (Frequency.QUARTERLY, Frequency.QUARTERLY.label)],
        widget=forms.Select(_SELECT))


def service_errors_to_form(form: forms.Form, error) -> None:
    """Put a service's ``ValidationError`` on the form (field errors where named)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)
