"""Forms of the sub-plan and progress pages. They only parse input; rules live in services."""

from __future__ import annotations

from django import forms

TEXT_ATTRS = {"class": "form-control"}


SELECT_ATTRS = {"class": "form-select"}


def service_errors_to_form(form: forms.Form, error) -> None:
    """Put a service's ``ValidationError`` on the form (field errors where named)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)
