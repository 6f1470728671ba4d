"""Forms of the supervision pages. They only parse input; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from hazards.forms import DATE, BootstrapMixin

from .constants import NOTICE_TEXT_MAX
from .models import ListingBody


class LedgerNumberField(forms.CharField):
    """A hazard by ledger number, resolved in the user's scope by the form."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("ledger number"))
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("help_text", _("e.g. YX-2025-0042"))
        super().__init__(**kwargs)


class _HazardByNumberForm(BootstrapMixin, forms.Form):
    def __init__(self, *args, hazards, **kwargs):
        self.hazards = hazards
        super().__init__(*args, **kwargs)

    def clean_hazard(self):
        number = self.cleaned_data["hazard"].strip().upper()
        hazard = self.hazards.filter(ledger_number=number).first()
        if hazard is None:
            raise forms.ValidationError(
                _("No hazard %(number)s in your scope."), params={"number": number}
            )
        return hazard


class ListingForm(_HazardByNumberForm):
    hazard = LedgerNumberField()
    listing_body = forms.ChoiceField(label=_("listing body"), choices=ListingBody.choices)
    batch = forms.CharField(
        label=_("listing batch"),
        max_length=120,
        required=False,
        help_text=_("e.g. 2026 typical major fire hazards (task 5)"),
    )
    listed_on = forms.DateField(label=_("listed on"), widget=DATE)
    required_completion = forms.DateField(label=_("required completion date"), widget=DATE)
    responsible_unit = forms.CharField(label=_("responsible unit"), max_length=120)
    requirements = forms.CharField(
        label=_("supervision requirements"),
        required=False,
        max_length=NOTICE_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ProgressForm(BootstrapMixin, forms.Form):
    progress = forms.CharField(label=_("progress"), widget=forms.Textarea(attrs={"rows": 3}))


class NoteForm(BootstrapMixin, forms.Form):
    note = forms.CharField(
        label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReasonNoteForm(BootstrapMixin, forms.Form):
    note = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 2}))


class ExtensionForm(_HazardByNumberForm):
    hazard = LedgerNumberField()
    requested_deadline = forms.DateField(label=_("requested new deadline"), widget=DATE)
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 3}))
