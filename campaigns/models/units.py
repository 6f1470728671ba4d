"""Records owned by exactly one organisation unit (a township or a department)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from campaigns.models.org import Department, Township


class UnitOwnedQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A unit sees only its own records; the safety office and admins see all (404 else)."""
        from campaigns.scoping import scope_for  # scoping imports the models

        scope = scope_for(user)
        if scope.everything:
            return self
        if scope.nothing:
            return self.none()
        # Department staff see their own department's records here, not their sectors'.
        own_departments = {user.department_id} if user.department_id else set()
        return self.filter(Q(township_id__in=scope.township_ids)
                           | Q(department_id__in=own_departments & set(scope.department_ids)))

    def of_unit(self, unit):
        """Records of ``unit`` (a Township or a Department)."""
        if isinstance(unit, Township):
            return self.filter(township=unit)
        return self.filter(department=unit)


class UnitOwned(models.Model):
    """Abstract: ``township`` XOR ``department`` (database check constraint)."""

    township = models.ForeignKey(Township, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name=_("township"))
    department = models.ForeignKey(Department, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("department"))

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_exactly_one_unit",
                condition=(Q(township__isnull=False, department__isnull=True)
                           | Q(township__isnull=True, department__isnull=False)),
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


def user_unit(user) -> Township | Department | None:
    """The unit a township official or department staff acts for (None for office/admin)."""
    from campaigns.models.org import Role

    if user.role == Role.TOWNSHIP_OFFICIAL:
        return user.township
    if user.role == Role.DEPARTMENT_STAFF:
        return user.department
    if user.role == Role.SAFETY_OFFICE:
        return user.department
    return None
