"""Shared form helpers: widget attributes, and the one way a service's ``ValidationError``
reaches the user — on the form (:func:`service_errors_to_form`) or as page messages
(:func:`service_errors_to_messages`). Forms only parse input; rules live in services."""

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


def error_messages(error) -> list[str]:
    """Every message of a Django ``ValidationError`` (field errors included), in order."""
    if hasattr(error, "error_dict"):
        return [m for messages in error.message_dict.values() for m in messages]
    return list(error.messages)


def service_errors_to_messages(request, error) -> None:
    """Show a service's ``ValidationError`` as error messages on the next page."""
    from django.contrib import messages

    for message in error_messages(error):
        messages.error(request, message)
