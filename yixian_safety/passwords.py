"""Password policy (issue 15, 等保 2.0 level 3): the validators of ``AUTH_PASSWORD_VALIDATORS``.

- :class:`MinimumLengthValidator` — at least ``min_length`` characters (10 in settings).
- :class:`CharacterClassesValidator` — at least ``min_classes`` (3) of the four classes upper-case
  letter, lower-case letter, digit, symbol (any other character: punctuation, space, a Chinese
  character …).
- :class:`UserAttributeSimilarityValidator` — not too similar to the user name, full name or
  e-mail; :class:`CommonPasswordValidator` — not one of Django's 20,000 common passwords.

Django's own classes carry the rules; ours only give the messages our own msgids, because
Django 5.2 changed the length message and its Chinese catalogue no longer translates it (the
admin's "add user" form showed it in English). Every message is translated in
``locale/zh_Hans``.
"""

from __future__ import annotations

from django.contrib.auth import password_validation as django_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class MinimumLengthValidator(django_validation.MinimumLengthValidator):
    """At least ``min_length`` characters (code ``password_too_short``)."""

    def get_error_message(self) -> str:
        return ngettext(
            "This password is too short: it must have at least %(min_length)d character.",
            "This password is too short: it must have at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}

    def get_help_text(self) -> str:
        return ngettext(
            "At least %(min_length)d character.",
            "At least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}


def character_classes(password: str) -> set[str]:
    """The classes present in ``password``: a subset of {"upper", "lower", "digit", "symbol"}.

    Letters are upper/lower by ``str.isupper``/``islower`` (so accented Latin letters count);
    digits by ``str.isdigit``; everything else (punctuation, spaces, CJK) is a symbol.
    """
    found = set()
    for char in password:
        if char.isupper():
            found.add("upper")
        elif char.islower():
            found.add("lower")
        elif char.isdigit():
            found.add("digit")
        else:
            found.add("symbol")
    return found


class CharacterClassesValidator:
    """At least ``min_classes`` of upper-case, lower-case, digit, symbol (code
    ``password_too_few_classes``)."""

    def __init__(self, min_classes: int = 3):
        if not 1 <= min_classes <= 4:
            raise ValueError("min_classes must be between 1 and 4")
        self.min_classes = min_classes

    def validate(self, password: str, user=None) -> None:
        if len(character_classes(password)) < self.min_classes:
            raise ValidationError(
                self.get_error_message(),
                code="password_too_few_classes",
                params={"min_classes": self.min_classes},
            )

    def get_error_message(self) -> str:
        return _(
            "This password must mix at least %(min_classes)d of: upper-case letters, "
            "lower-case letters, digits and symbols."
        ) % {"min_classes": self.min_classes}

    def get_help_text(self) -> str:
        return _(
            "At least %(min_classes)d of: upper-case letters, lower-case letters, digits, symbols."
        ) % {"min_classes": self.min_classes}


class UserAttributeSimilarityValidator(django_validation.UserAttributeSimilarityValidator):
    """Not too similar to the user's name, full name or e-mail (code
    ``password_too_similar``)."""

    def get_error_message(self) -> str:
        # %(verbose_name)s: the field's verbose name (用户名, 名字, 电子邮件地址 …)
        return _("This password is too similar to your %(verbose_name)s.")

    def get_help_text(self) -> str:
        return _("Not similar to your user name, name or e-mail address.")


class CommonPasswordValidator(django_validation.CommonPasswordValidator):
    """Not one of the common passwords of Django's list (code ``password_too_common``)."""

    def get_error_message(self) -> str:
        return _("This password is too common: it is on the list of widely used passwords.")

    def get_help_text(self) -> str:
        return _("Not a commonly used password.")
