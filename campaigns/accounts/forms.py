"""Forms of the account pages: the one-time code and "log out everywhere"."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _


class TokenForm(forms.Form):
    """A 6-digit code shown by the authenticator app (spaces ignored)."""

    token = forms.CharField(
        label=_("One-time code"),
        max_length=10,
        widget=forms.TextInput(
            attrs={
                "class": "form-control",
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "autofocus": True,
            }
        ),
    )

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].replace(" ", "")
        if not re.fullmatch(r"\d{6}", token):
            raise forms.ValidationError(_("Enter the 6 digits your authenticator shows."))
        return token


class SecondFactorForm(TokenForm):
    """The login's second step: the authenticator's 6 digits, or one 8-character recovery
    code (letters a–z and digits 2–7, as issued by ``recovery_codes_issue``)."""

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].replace(" ", "").replace("-", "").lower()
        if not (re.fullmatch(r"\d{6}", token) or re.fullmatch(r"[a-z2-7]{8}", token)):
            raise forms.ValidationError(
                _("Enter the 6 digits your authenticator shows, or one 8-character recovery code.")
            )
        return token


class SessionsEndForm(forms.Form):
    """退出所有设备, optionally revoking the API token too."""

    revoke_tokens = forms.BooleanField(
        label=_("Also revoke my API token (programs using it must get a new one)"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
