"""Forms of the training pages. They only parse input (enterprises offered are those in the
user's scope); the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from campaigns.models import Department
from hazards.forms import DATE, BootstrapMixin, MultipleFileField
from hazards.models import Enterprise, Hazard
from yixian_safety.forms import PhotosField

from .constants import Audience, CertificateType, Flag
from .models import Attendance


class EnterpriseChoiceMixin:
    """``enterprise`` limited to the user's visible enterprises."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if "enterprise" in self.fields:
            self.fields["enterprise"].queryset = Enterprise.objects.visible_to(user).order_by(
                "name", "pk"
            )


class SessionForm(BootstrapMixin, forms.Form):
    title = forms.CharField(label=_("title"), max_length=120)
    audience = forms.ChoiceField(label=_("audience"), choices=Audience.choices)
    held_on = forms.DateField(label=_("held on"), widget=DATE)
    online = forms.BooleanField(
        label=_("online"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    venue = forms.CharField(label=_("venue or platform"), max_length=120, required=False)
    hours = forms.DecimalField(
        label=_("hours"),
        max_digits=4,
        decimal_places=1,
        min_value=0.5,
        max_value=99,
        required=False,
    )
    note = forms.CharField(
        label=_("note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class AttendanceForm(EnterpriseChoiceMixin, BootstrapMixin, forms.Form):
    person_name = forms.CharField(label=_("full name"), max_length=40)
    position = forms.CharField(label=_("position"), max_length=60, required=False)
    enterprise = forms.ModelChoiceField(
        label=_("enterprise"), queryset=Enterprise.objects.none(), required=False
    )
    department = forms.ModelChoiceField(
        label=_("department (enforcement staff)"), queryset=Department.objects.all(), required=False
    )
    responsible_person = forms.BooleanField(
        label=_("responsible person of the enterprise"),
        required=False,
        initial=True,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    result = forms.ChoiceField(
        label=_("assessment"), choices=Attendance.Result.choices, initial=Attendance.Result.PENDING
    )


class ResultForm(forms.Form):
    result = forms.ChoiceField(choices=Attendance.Result.choices)


class CertificateForm(EnterpriseChoiceMixin, BootstrapMixin, forms.Form):
    worker_name = forms.CharField(label=_("worker"), max_length=40)
    enterprise = forms.ModelChoiceField(label=_("enterprise"), queryset=Enterprise.objects.none())
    type = forms.ChoiceField(label=_("type of operation"), choices=CertificateType.choices)
    number = forms.CharField(label=_("certificate number"), max_length=40)
    issued_on = forms.DateField(label=_("issued on"), widget=DATE)
    valid_until = forms.DateField(label=_("valid until"), widget=DATE)
    review_due = forms.DateField(label=_("review due"), widget=DATE, required=False)


class DrillForm(EnterpriseChoiceMixin, BootstrapMixin, forms.Form):
    enterprise = forms.ModelChoiceField(label=_("enterprise"), queryset=Enterprise.objects.none())
    held_on = forms.DateField(label=_("held on"), widget=DATE)
    scenario = forms.CharField(label=_("scenario"), max_length=200)
    participants = forms.IntegerField(label=_("participants"), min_value=1, max_value=100_000)
    note = forms.CharField(
        label=_("note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    photos = PhotosField(
        label=_("photos"), required=False, help_text=_("JPG or PNG, at most 10 MB each")
    )
    documents = MultipleFileField(
        label=_("documents"), required=False, help_text=_("PDF, Word or Excel, at most 20 MB each")
    )


class EvidenceForm(BootstrapMixin, forms.Form):
    photos = PhotosField(label=_("photos"), required=False)
    documents = MultipleFileField(label=_("documents"), required=False)


class InspectionForm(EnterpriseChoiceMixin, BootstrapMixin, forms.Form):
    enterprise = forms.ModelChoiceField(label=_("enterprise"), queryset=Enterprise.objects.none())
    inspected_on = forms.DateField(label=_("inspected on"), widget=DATE)
    leader_name = forms.CharField(label=_("led by"), max_length=40)
    findings = forms.CharField(
        label=_("findings"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["hazards"] = forms.ModelMultipleChoiceField(
            label=_("hazards found (in the ledger)"),
            required=False,
            queryset=Hazard.objects.visible_to(user).ledger().select_related("enterprise"),
            widget=forms.SelectMultiple(attrs={"class": "form-select", "size": 5}),
            help_text=_(
                "Hazards of this enterprise already in the ledger; report new ones "
                "from the inspection page."
            ),
        )


class RescueTeamForm(EnterpriseChoiceMixin, BootstrapMixin, forms.Form):
    enterprise = forms.ModelChoiceField(label=_("enterprise"), queryset=Enterprise.objects.none())
    name = forms.CharField(label=_("team name"), max_length=120)
    members = forms.IntegerField(label=_("members"), min_value=1, max_value=10_000)
    agreement_with = forms.CharField(
        label=_("agreement with a professional team"), max_length=120, required=False
    )
    established_on = forms.DateField(label=_("established on"), widget=DATE, required=False)


class FlagForm(EnterpriseChoiceMixin, BootstrapMixin, forms.Form):
    enterprise = forms.ModelChoiceField(label=_("enterprise"), queryset=Enterprise.objects.none())
    flag = forms.ChoiceField(label=_("category"), choices=Flag.choices)
