"""Organisation units and people: townships, departments, sectors, users and their roles.

Every user belongs to at most one unit and has exactly one :class:`Role`; every app scopes its
querysets through :func:`campaigns.scoping.scope_for`.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _


class Township(models.Model):
    """One of the 8 乡镇 of 黟县. ``code``: stable ASCII key from plan.yaml."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=40, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("township")
        verbose_name_plural = _("townships")

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    """A county department named in the plan (县安委会办公室 and the 16 lead departments …).

    ``is_lead``: one of the 16 lead departments of 保障措施（二）.
    """

    SAFETY_OFFICE_CODE = "safety_office"

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=60, unique=True)
    short_name = models.CharField(_("short name"), max_length=20, blank=True)
    is_lead = models.BooleanField(_("lead department"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self) -> str:
        return self.name


class Sector(models.Model):
    """行业领域 with its lead department(s) (source: 保障措施（二）).

    ``high_risk``: 高危行业领域 (危化品、金属冶炼、烟花爆竹、民爆), which doubles the frequency
    of some obligations (tasks 3 and 22).
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=60, unique=True)
    high_risk = models.BooleanField(_("high-risk sector"), default=False)
    lead_departments = models.ManyToManyField(
        Department, related_name="led_sectors", verbose_name=_("lead departments")
    )
    note = models.TextField(_("note"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    """A user's one role; each has a Django auth Group of the same name holding its permissions."""

    DEPARTMENT_STAFF = "department_staff", _("department staff")
    TOWNSHIP_OFFICIAL = "township_official", _("township official")
    SAFETY_OFFICE = "safety_office", _("safety office")
    ADMIN = "admin", _("administrator")


class User(AbstractUser):
    """A person using the platform: one role, and the organisation unit that role needs.

    township official → ``township``; department staff and safety office → ``department``;
    admin → none required. Enforced by a database check constraint.
    """

    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    township = models.ForeignKey(
        Township,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("township"),
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("department"),
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    must_change_password = models.BooleanField(
        _("must change password"),
        default=False,
        help_text=_(
            "Set for an account an administrator created or whose password an administrator "
            "set: the person must choose a new password before using any page."
        ),
    )
    # Mixed into the session auth hash: a new value ends every session of the user
    # ("log out everywhere"); empty = Django's own hash (sessions from before the field stay).
    session_salt = models.CharField(max_length=32, blank=True, editable=False)

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                name="user_unit_matches_role",
                condition=(
                    Q(role=Role.TOWNSHIP_OFFICIAL, township__isnull=False, department__isnull=True)
                    | Q(
                        role__in=[Role.DEPARTMENT_STAFF, Role.SAFETY_OFFICE],
                        department__isnull=False,
                        township__isnull=True,
                    )
                    | Q(role=Role.ADMIN, township__isnull=True)
                    | Q(role="", township__isnull=True, department__isnull=True)
                ),
            )
        ]

    _SESSION_HASH_SALT = "campaigns.User.get_session_auth_hash"

    def _session_hash(self, secret=None) -> str:
        return salted_hmac(
            self._SESSION_HASH_SALT,
            f"{self.password}:{self.session_salt}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    def get_session_auth_hash(self) -> str:
        """The hash a session keeps to stay valid: changes with the password and with
        :attr:`session_salt` (see ``campaigns.accounts.services.user_sessions_end``)."""
        if not self.session_salt:
            return super().get_session_auth_hash()
        return self._session_hash()

    def get_session_auth_fallback_hash(self):
        if not self.session_salt:
            yield from super().get_session_auth_fallback_hash()
            return
        from django.conf import settings

        for secret in settings.SECRET_KEY_FALLBACKS:
            yield self._session_hash(secret)

    @property
    def unit(self) -> Township | Department | None:
        """The organisation unit the user belongs to (or ``None`` for admins)."""
        return self.township or self.department

    def has_role(self, *roles: str) -> bool:
        return self.is_active and self.role in roles


# --- records owned by exactly one unit (a township or a department) ---


class UnitOwnedQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A unit sees only its own records; the safety office and admins see all (404 else)."""
        from campaigns.org.scoping import scope_for  # scoping imports the models

        scope = scope_for(user)
        if scope.everything:
            return self
        if scope.nothing:
            return self.none()
        # Department staff see their own department's records here, not their sectors'.
        own_departments = {user.department_id} if user.department_id else set()
        return self.filter(
            Q(township_id__in=scope.township_ids)
            | Q(department_id__in=own_departments & set(scope.department_ids))
        )

    def of_unit(self, unit):
        """Records of ``unit`` (a Township or a Department)."""
        if isinstance(unit, Township):
            return self.filter(township=unit)
        return self.filter(department=unit)


class UnitOwned(models.Model):
    """Abstract: ``township`` XOR ``department`` (database check constraint)."""

    township = models.ForeignKey(
        Township,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("township"),
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_exactly_one_unit",
                condition=(
                    Q(township__isnull=False, department__isnull=True)
                    | Q(township__isnull=True, department__isnull=False)
                ),
            )
        ]

    @property
    def unit(self) -> Township | Department:
        return self.township or self.department

    def set_unit(self, unit) -> None:
        if isinstance(unit, Township):
            self.township, self.department = unit, None
        elif isinstance(unit, Department):
            self.township, self.department = None, unit
        else:
            raise ValueError("unit must be a Township or a Department")
