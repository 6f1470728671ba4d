"""Forms of the tip-off pages. They only parse input (bounded); the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from campaigns.models import Department, Sector, Township
from hazards.forms import CriterionChoiceField, criterion_choices
from hazards.models import Enterprise, Hazard, Level
from yixian_safety.forms import PhotosField

from . import constants as c
from .models import Outcome, Reward, TipOff

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class BootstrapMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs.setdefault("class", css)


class TipOffForm(BootstrapMixin, forms.Form):
    """The public form. ``website`` is a honeypot: hidden from people, filled by bots."""

    description = forms.CharField(
        label=_("What did you see?"),
        max_length=c.DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("The hazard or illegal activity, as precisely as you can."),
    )
    township = forms.ModelChoiceField(
        queryset=Township.objects.order_by("order", "pk"), label=_("township")
    )
    address = forms.CharField(
        label=_("Where exactly?"),
        max_length=c.ADDRESS_MAX,
        help_text=_("Village, street, house number or a landmark."),
    )
    enterprise_name = forms.CharField(
        label=_("Enterprise (if known)"), required=False, max_length=c.ENTERPRISE_NAME_MAX
    )
    observed_on = forms.DateField(label=_("When did you see it?"), widget=DATE)
    photos = PhotosField(
        max_bytes=c.MAX_PHOTO_BYTES,
        label=_("Photos (optional)"),
        required=False,
        help_text=_(
            "At most 5 photos of 8 MB each. Location, device and time data are removed "
            "from them before they are stored."
        ),
    )
    anonymous = forms.BooleanField(
        label=_("Report anonymously (you leave no name or contact details)"),
        required=False,
        initial=True,
    )
    reporter_name = forms.CharField(label=_("Your name"), required=False, max_length=40)
    reporter_phone = forms.CharField(
        label=_("Phone"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )
    reporter_email = forms.CharField(
        label=_("E-mail"), required=False, max_length=254, widget=forms.EmailInput()
    )
    reporter_id_number = forms.CharField(
        label=_("Resident ID number (optional)"), required=False, max_length=18
    )
    website = forms.CharField(
        required=False,
        max_length=200,
        label=_("Leave this field empty"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    IDENTITY = ("reporter_name", "reporter_phone", "reporter_email", "reporter_id_number")


class TrackForm(BootstrapMixin, forms.Form):
    code = forms.CharField(
        label=_("Tracking code"),
        max_length=c.TRACKING_CODE_MAX_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


# --- office forms ------------------------------------------------------------------------------


class NoteForm(BootstrapMixin, forms.Form):
    note = forms.CharField(
        label=_("note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReasonForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(
        label=_("reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReplyForm(BootstrapMixin, forms.Form):
    public_reply = forms.CharField(
        label=_("public reply (the reporter reads it)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AssignForm(BootstrapMixin, forms.Form):
    department = forms.ModelChoiceField(
        queryset=Department.objects.filter(is_lead=True).order_by("order", "pk"),
        label=_("department"),
    )
    note = forms.CharField(label=_("note"), required=False, max_length=2000)


class DismissForm(BootstrapMixin, forms.Form):
    outcome = forms.ChoiceField(
        label=_("outcome"),
        choices=[
            (Outcome.DUPLICATE, Outcome.DUPLICATE.label),
            (Outcome.OUT_OF_SCOPE, Outcome.OUT_OF_SCOPE.label),
        ],
    )
    duplicate_of = forms.CharField(label=_("duplicate of (number)"), required=False, max_length=20)
    public_reply = forms.CharField(
        label=_("public reply (the reporter reads it)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    note = forms.CharField(label=_("note"), required=False, max_length=2000)

    def __init__(self, *args, tipoffs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.tipoffs = tipoffs if tipoffs is not None else TipOff.objects.none()

    def clean_duplicate_of(self):
        number = self.cleaned_data["duplicate_of"].strip()
        if not number:
            return None
        found = self.tipoffs.filter(number=number).first()
        if found is None:
            raise forms.ValidationError(_("No tip-off with this number."))
        return found


class VerifyForm(BootstrapMixin, forms.Form):
    """查实: the enterprise (or the known hazard to merge into) and the hazard's facts."""

    enterprise = forms.ModelChoiceField(
        queryset=Enterprise.objects.none(), required=False, label=_("enterprise")
    )
    merge_into = forms.CharField(
        label=_("or merge into the known hazard (ledger number)"), required=False, max_length=20
    )
    sector = forms.ModelChoiceField(
        queryset=Sector.objects.all(), required=False, label=_("sector")
    )
    level = forms.ChoiceField(choices=Level.choices, label=_("level"), initial=Level.MAJOR)
    criterion = CriterionChoiceField(
        required=False,
        label=_("judgement criterion"),
        help_text=_(
            "Required for a major hazard: the clause of the national judgement "
            "standard the hazard meets (判定依据). Only the clauses of the hazard's "
            "sector are offered."
        ),
    )
    location = forms.CharField(label=_("location"), required=False, max_length=200)
    deadline = forms.DateField(label=_("rectification deadline"), required=False, widget=DATE)
    note = forms.CharField(label=_("note"), required=False, max_length=2000)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["criterion"].choices = [("", "---------"), *criterion_choices()]
        self.fields["enterprise"].queryset = Enterprise.objects.visible_to(user).order_by(
            "name", "pk"
        )

    def clean_merge_into(self):
        number = self.cleaned_data["merge_into"].strip()
        if not number:
            return None
        hazard = Hazard.objects.visible_to(self.user).filter(ledger_number=number).first()
        if hazard is None:
            raise forms.ValidationError(_("No hazard with this ledger number in your scope."))
        return hazard


class IdentityForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("reason for reading the identity"), max_length=200)


class RewardForm(BootstrapMixin, forms.Form):
    amount = forms.DecimalField(
        label=_("amount (yuan)"), max_digits=10, decimal_places=2, min_value=0
    )
    basis = forms.CharField(label=_("basis"), max_length=300)
    decided_on = forms.DateField(label=_("decided on"), widget=DATE)


class PaymentForm(BootstrapMixin, forms.Form):
    paid_on = forms.DateField(label=_("paid on"), widget=DATE)
    method = forms.ChoiceField(label=_("payment method"), choices=Reward.Method.choices)
    receipt = forms.CharField(label=_("receipt number"), max_length=60)


class ReportingSchemeForm(BootstrapMixin, forms.Form):
    has_scheme = forms.BooleanField(
        label=_("has an internal reporting reward scheme"), required=False
    )
    established_on = forms.DateField(label=_("established on"), required=False, widget=DATE)
    rewards_paid_count = forms.IntegerField(
        label=_("internal rewards paid (count)"), min_value=0, max_value=100_000, initial=0
    )
    rewards_paid_yuan = forms.DecimalField(
        label=_("internal rewards paid (yuan)"),
        max_digits=12,
        decimal_places=2,
        min_value=0,
        initial=0,
    )
    note = forms.CharField(label=_("note"), required=False, max_length=300)
