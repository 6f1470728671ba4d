"""Shared form helpers: widget attributes, and the one way a service's ``ValidationError``
reaches the user — on the form (:func:`service_errors_to_form`) or as page messages
(:func:`service_errors_to_messages`). Forms only parse input; rules live in services."""

from __future__ import annotations

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yixian_safety.uploads import MAX_PHOTO_BYTES, megabytes, photo_check

TEXT_ATTRS = {"class": "form-control"}
SELECT_ATTRS = {"class": "form-select"}


def photo_limit_text(max_bytes: int = MAX_PHOTO_BYTES):
    """The limit a photo field states before upload (images only, N MB each); lazy."""
    return format_lazy(
        gettext_lazy("Images only (JPG, PNG …), at most {limit} each."), limit=megabytes(max_bytes)
    )


class MultiplePhotoInput(forms.ClearableFileInput):
    """Several photos in one input: the camera on a phone (``capture="environment"``), images
    only, and — through ``js/app.js`` (``data-photo-input``) — a preview of the chosen photos
    and the size/type error shown at the field before anything is uploaded."""

    allow_multiple_selected = True

    def __init__(self, attrs=None, *, max_bytes: int = MAX_PHOTO_BYTES):
        self.max_bytes = max_bytes
        super().__init__(attrs)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        widget_attrs.setdefault("class", "form-control")
        widget_attrs.update(
            {
                "accept": "image/*",
                "capture": "environment",
                "data-photo-input": "",
                "data-max-bytes": str(self.max_bytes),
                "data-error-size": _("“{name}” is larger than %(limit)s.")
                % {"limit": megabytes(self.max_bytes)},
                "data-error-type": _("“{name}” is not an image."),
            }
        )
        return context


class PhotosField(forms.FileField):
    """Several photos (images only, at most ``max_bytes`` each, 10 MB by default). Each file's
    size and image header are checked here (:func:`yixian_safety.uploads.photo_check`), so a
    refusal shows at the field; the service still cleans every photo (``clean_photo``).
    Cleans to a list of uploads (empty when none)."""

    def __init__(self, *args, max_bytes: int = MAX_PHOTO_BYTES, **kwargs):
        self.max_bytes = max_bytes
        kwargs.setdefault("widget", MultiplePhotoInput(max_bytes=max_bytes))
        kwargs.setdefault("help_text", photo_limit_text(max_bytes))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        uploads = [single(d, initial) for d in data] if isinstance(data, list | tuple) else []
        if not isinstance(data, list | tuple) and data:
            uploads = [single(data, initial)]
        errors = []
        for upload in uploads:
            try:
                photo_check(upload, max_bytes=self.max_bytes)
            except forms.ValidationError as exc:
                errors.extend(exc.messages)
        if errors:
            raise forms.ValidationError(errors)
        return uploads


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
