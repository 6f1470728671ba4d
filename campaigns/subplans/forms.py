"""Forms of the sub-plan and progress pages. They only parse input; rules live in services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from campaigns.org.models import Sector
from campaigns.plan.models import Task
from yixian_safety.forms import SELECT_ATTRS, TEXT_ATTRS

_DOC_ACCEPT = ".pdf,.doc,.docx,.wps"


class SubPlanCreateForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=200, widget=forms.TextInput(TEXT_ATTRS))
    summary = forms.CharField(label=_("summary"), widget=forms.Textarea({**TEXT_ATTRS, "rows": 4}))
    tasks = forms.ModelMultipleChoiceField(
        label=_("tasks covered"),
        queryset=Task.objects.all(),
        required=False,
        widget=forms.SelectMultiple({**SELECT_ATTRS, "size": 8}),
    )
    sector = forms.ModelChoiceField(
        label=_("sector"),
        queryset=Sector.objects.none(),
        required=False,
        help_text=_(
            "Departments: choose a sector you lead for a sector sub-plan; leave empty "
            "for your unit's campaign sub-plan."
        ),
        widget=forms.Select(SELECT_ATTRS),
    )
    contact_name = forms.CharField(
        label=_("contact person"), max_length=40, widget=forms.TextInput(TEXT_ATTRS)
    )
    contact_phone = forms.CharField(
        label=_("contact phone"), max_length=30, widget=forms.TextInput(TEXT_ATTRS)
    )
    document = forms.FileField(
        label=_("document"),
        help_text=_("PDF, Word (.doc/.docx) or WPS (.wps), at most 20 MB."),
        widget=forms.ClearableFileInput({**TEXT_ATTRS, "accept": _DOC_ACCEPT}),
    )

    def __init__(self, *args, user=None, campaign=None, open_choices=None, **kwargs):
        """``campaign``: the tasks offered are its own. ``open_choices``: the sub-plans the
        unit may still create (``None`` = its campaign sub-plan, or sectors;
        :func:`campaigns.subplans.selectors.subplan_choices_open`)."""
        super().__init__(*args, **kwargs)
        if campaign is not None:
            self.fields["tasks"].queryset = Task.objects.filter(campaign=campaign)
        sectors = [c for c in open_choices or [] if c is not None]
        if user is not None and user.department_id and sectors:
            field = self.fields["sector"]
            field.queryset = Sector.objects.filter(pk__in=[s.pk for s in sectors])
            # no empty choice once the campaign sub-plan exists
            field.required = None not in (open_choices or [None])
            if field.required:
                field.empty_label = None
        else:
            del self.fields["sector"]


class SubPlanSubmitForm(forms.Form):
    document = forms.FileField(
        label=_("revised document"),
        required=False,
        help_text=_(
            "PDF, Word (.doc/.docx) or WPS (.wps), at most 20 MB. Required when resubmitting."
        ),
        widget=forms.ClearableFileInput({**TEXT_ATTRS, "accept": _DOC_ACCEPT}),
    )
    note = forms.CharField(
        label=_("note"), required=False, max_length=500, widget=forms.TextInput(TEXT_ATTRS)
    )


class SubPlanReviseForm(forms.Form):
    """A revised version (修订) of an approved sub-plan."""

    document = forms.FileField(
        label=_("revised document"),
        help_text=_("PDF, Word (.doc/.docx) or WPS (.wps), at most 20 MB."),
        widget=forms.ClearableFileInput({**TEXT_ATTRS, "accept": _DOC_ACCEPT}),
    )
    note = forms.CharField(
        label=_("what changes"), required=False, max_length=500, widget=forms.TextInput(TEXT_ATTRS)
    )


class SubPlanReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("comments for revision"), widget=forms.Textarea({**TEXT_ATTRS, "rows": 3})
    )


class SubPlanApproveForm(forms.Form):
    comment = forms.CharField(
        label=_("comment"), required=False, widget=forms.TextInput(TEXT_ATTRS)
    )
