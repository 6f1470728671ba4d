"""Forms of the enforcement pages. They only parse input (choices already scoped to the user);
the services decide. Every text input is bounded."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from campaigns.models import Department, Role, Sector, Township, User
from hazards.forms import DATE, BootstrapMixin, CriterionChoiceField, criterion_choices
from hazards.models import Enterprise, Hazard, Level

from ..constants import AMOUNT_MAX, AMOUNT_MIN, DRAW_MAX_ENTERPRISES, DRAW_MAX_INSPECTORS
from .models import Accident, AccidentGrade, ActionKind, Expert, Inspection, Method, RiskFilter


class UserChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        unit = obj.department.short_name or obj.department.name if obj.department else ""
        return f"{obj.get_full_name() or obj.username}（{unit}）"


def _amount(label):
    return forms.DecimalField(
        label=label,
        required=False,
        max_digits=11,
        decimal_places=2,
        min_value=Decimal(AMOUNT_MIN),
        max_value=Decimal(AMOUNT_MAX),
    )


def _departments(user):
    if user.department_id and user.role == Role.DEPARTMENT_STAFF:
        return Department.objects.filter(pk=user.department_id)
    return Department.objects.all()


def _inspectors(user):
    qs = User.objects.filter(
        is_active=True,
        role__in=[Role.DEPARTMENT_STAFF, Role.SAFETY_OFFICE],
        department__isnull=False,
    ).select_related("department")
    if user.role == Role.DEPARTMENT_STAFF:
        qs = qs.filter(department_id=user.department_id)
    return qs.order_by("department__order", "last_name", "username")


class InspectionForm(BootstrapMixin, forms.Form):
    department = forms.ModelChoiceField(queryset=Department.objects.none(), label=_("department"))
    enterprise = forms.ModelChoiceField(queryset=Enterprise.objects.none(), label=_("enterprise"))
    inspected_on = forms.DateField(label=_("inspection date"), widget=DATE)
    method = forms.ChoiceField(label=_("method"), choices=Method.choices)
    inspectors = UserChoice(
        queryset=User.objects.none(),
        label=_("inspectors"),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    has_findings = forms.BooleanField(label=_("problems found"), required=False)
    findings = forms.CharField(
        label=_("findings"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = _departments(user)
        self.fields["enterprise"].queryset = Enterprise.objects.visible_to(user)
        self.fields["inspectors"].queryset = _inspectors(user)
        self.fields["has_findings"].widget.attrs["class"] = "form-check-input"


class CompleteForm(BootstrapMixin, forms.Form):
    inspected_on = forms.DateField(label=_("inspection date"), widget=DATE)
    has_findings = forms.BooleanField(label=_("problems found"), required=False)
    findings = forms.CharField(
        label=_("findings"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class NoteForm(BootstrapMixin, forms.Form):
    note = forms.CharField(
        label=_("reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class RaiseHazardForm(BootstrapMixin, forms.Form):
    location = forms.CharField(label=_("location"), max_length=200)
    description = forms.CharField(
        label=_("description"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    level = forms.ChoiceField(label=_("level"), choices=Level.choices)
    criterion = CriterionChoiceField(
        required=False,
        label=_("judgement criterion"),
        help_text=_(
            "Required for a major hazard: the clause of the national judgement "
            "standard the hazard meets (判定依据). Only the clauses of the hazard's "
            "sector are offered."
        ),
    )
    deadline = forms.DateField(label=_("rectification deadline"), widget=DATE, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criterion"].choices = [("", "---------"), *criterion_choices()]


class AssignExpertsForm(BootstrapMixin, forms.Form):
    count = forms.IntegerField(
        label=_("experts to draw"), min_value=1, max_value=DRAW_MAX_INSPECTORS, initial=1
    )


class DrawForm(BootstrapMixin, forms.Form):
    department = forms.ModelChoiceField(queryset=Department.objects.none(), label=_("department"))
    title = forms.CharField(label=_("title"), max_length=120)
    township = forms.ModelChoiceField(
        queryset=Township.objects.all(), required=False, label=_("township filter")
    )
    sector = forms.ModelChoiceField(
        queryset=Sector.objects.all(), required=False, label=_("sector filter")
    )
    risk = forms.ChoiceField(label=_("risk filter"), choices=RiskFilter.choices)
    enterprise_count = forms.IntegerField(
        label=_("enterprises to draw"), min_value=1, max_value=DRAW_MAX_ENTERPRISES
    )
    inspector_count = forms.IntegerField(
        label=_("inspectors per enterprise"), min_value=1, max_value=DRAW_MAX_INSPECTORS, initial=2
    )
    method = forms.ChoiceField(
        label=_("method"), choices=Method.choices, initial=Method.DOUBLE_RANDOM
    )
    planned_on = forms.DateField(label=_("planned inspection date"), widget=DATE)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = _departments(user)


class ActionForm(BootstrapMixin, forms.Form):
    department = forms.ModelChoiceField(queryset=Department.objects.none(), label=_("department"))
    enterprise = forms.ModelChoiceField(queryset=Enterprise.objects.none(), label=_("enterprise"))
    inspection = forms.ModelChoiceField(
        queryset=Inspection.objects.none(), required=False, label=_("inspection")
    )
    kind = forms.ChoiceField(label=_("measure"), choices=ActionKind.choices)
    fine_amount = _amount(_("fine on the enterprise (yuan)"))
    responsible_person = forms.CharField(
        label=_("responsible person"), max_length=40, required=False
    )
    person_fine_amount = _amount(_("fine on the responsible person (yuan)"))
    confiscated_amount = _amount(_("illegal gains confiscated (yuan)"))
    legal_basis = forms.CharField(label=_("legal basis"), max_length=300)
    decision_number = forms.CharField(label=_("decision number"), max_length=60)
    decided_on = forms.DateField(label=_("decision date"), widget=DATE)
    facts = forms.CharField(
        label=_("facts"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    hazards = forms.CharField(
        label=_("hazards (ledger numbers)"),
        required=False,
        max_length=400,
        help_text=_("comma-separated, e.g. YX-2026-0001"),
    )
    referred_for_prosecution = forms.BooleanField(
        label=_("referred for prosecution"), required=False
    )
    referred_on = forms.DateField(label=_("referred on"), widget=DATE, required=False)
    referral_note = forms.CharField(label=_("referral note"), max_length=300, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["department"].queryset = _departments(user)
        self.fields["enterprise"].queryset = Enterprise.objects.visible_to(user)
        self.fields["inspection"].queryset = (
            Inspection.objects.visible_to(user).done().select_related("enterprise")
        )
        for name in ("referred_for_prosecution",):
            self.fields[name].widget.attrs["class"] = "form-check-input"

    def clean_hazards(self):
        numbers = [
            n.strip().upper()
            for n in self.cleaned_data["hazards"].replace("，", ",").split(",")
            if n.strip()
        ]
        found = list(Hazard.objects.visible_to(self.user).filter(ledger_number__in=numbers))
        missing = sorted(set(numbers) - {h.ledger_number for h in found})
        if missing:
            raise forms.ValidationError(
                _("No hazard %(number)s in your scope."), params={"number": "、".join(missing)}
            )
        return found


class ReferForm(BootstrapMixin, forms.Form):
    referred_on = forms.DateField(label=_("referred on"), widget=DATE)
    referral_note = forms.CharField(label=_("referral note"), max_length=300)


class TieForm(BootstrapMixin, forms.Form):
    enterprise = forms.ModelChoiceField(queryset=Enterprise.objects.none(), label=_("enterprise"))
    person = forms.ModelChoiceField(
        queryset=User.objects.none(), required=False, label=_("inspector")
    )
    expert = forms.ModelChoiceField(
        queryset=Expert.objects.all(), required=False, label=_("expert")
    )
    reason = forms.CharField(label=_("reason"), max_length=200)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = Enterprise.objects.visible_to(user)
        self.fields["person"].queryset = _inspectors(user)


class ExpertForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=_("name"), max_length=40)
    title = forms.CharField(label=_("professional title"), max_length=60, required=False)
    specialities = forms.CharField(label=_("specialities"), max_length=200)
    sectors = forms.ModelMultipleChoiceField(
        queryset=Sector.objects.all(),
        label=_("sectors"),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    employer = forms.ModelChoiceField(
        queryset=Enterprise.objects.all(), required=False, label=_("employer (enterprise)")
    )
    employer_name = forms.CharField(label=_("employer"), max_length=120, required=False)
    phone = forms.CharField(label=_("phone"), max_length=30, required=False)
    available = forms.BooleanField(label=_("available"), required=False, initial=True)


class AccidentForm(BootstrapMixin, forms.Form):
    occurred_on = forms.DateField(label=_("date of the accident"), widget=DATE)
    township = forms.ModelChoiceField(queryset=Township.objects.all(), label=_("township"))
    sector = forms.ModelChoiceField(queryset=Sector.objects.all(), label=_("sector"))
    enterprise = forms.ModelChoiceField(
        queryset=Enterprise.objects.none(), required=False, label=_("enterprise")
    )
    summary = forms.CharField(label=_("summary"), max_length=200)
    deaths = forms.IntegerField(label=_("deaths"), min_value=0, max_value=10000, initial=0)
    serious_injuries = forms.IntegerField(
        label=_("serious injuries"), min_value=0, max_value=10000, initial=0
    )
    direct_loss = forms.DecimalField(
        label=_("direct economic loss (yuan)"),
        min_value=0,
        max_value=Decimal("10000000000"),
        max_digits=13,
        decimal_places=2,
        initial=0,
    )
    grade = forms.ChoiceField(
        label=_("grade"),
        required=False,
        choices=[("", _("derive from the figures")), *AccidentGrade.choices],
        help_text=_(
            "Checked against the thresholds of the Regulations "
            "on Reporting, Investigation and Handling of Work "
            "Safety Accidents."
        ),
    )
    investigation_status = forms.ChoiceField(
        label=_("investigation"), choices=Accident.Investigation.choices
    )
    report = forms.CharField(
        label=_("investigation report"),
        required=False,
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = Enterprise.objects.visible_to(user)
