"""Roles, units and scopes."""

import pytest
from django.db import IntegrityError, transaction

from campaigns.models import Role, Sector, Township, User
from campaigns.org.scoping import scope_for
from campaigns.org.services import user_assign_role

pytestmark = pytest.mark.django_db


def test_each_role_has_its_group(users):
    for user in users.values():
        assert list(user.groups.values_list("name", flat=True)) == [user.role]


def test_safety_office_and_admin_see_everything(users):
    assert scope_for(users["office"]).everything
    assert scope_for(users["admin"]).everything


def test_township_official_sees_only_own_township(users):
    scope = scope_for(users["township"])
    assert not scope.everything
    assert scope.township_ids == {users["township"].township_id}


def test_department_staff_see_sectors_their_department_leads(users):
    scope = scope_for(users["department"])
    names = set(Sector.objects.filter(pk__in=scope.sector_ids).values_list("name", flat=True))
    assert {"建筑施工安全", "燃气安全"} <= names
    assert "消防安全" not in names


def test_user_without_role_sees_nothing(plan):
    user = User.objects.create_user("nobody", password="x")
    assert scope_for(user).nothing


def test_role_needs_matching_unit(users):
    with pytest.raises(ValueError):
        user_assign_role(user=users["township"], role=Role.TOWNSHIP_OFFICIAL)


def test_database_refuses_township_official_without_township(plan):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="x", role=Role.TOWNSHIP_OFFICIAL)


def test_database_refuses_two_units(plan):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(
            username="y",
            role=Role.DEPARTMENT_STAFF,
            township=Township.objects.first(),
            department_id=1,
        )


def test_changing_role_keeps_named_person_groups(users):
    """A re-assigned role replaces the role group only; 举报受理人 stays (it dropped before)."""
    from django.contrib.auth.models import Group

    user = users["department"]
    receiver = Group.objects.get_or_create(name="举报受理人")[0]
    user.groups.add(receiver)
    user_assign_role(user=user, role=Role.SAFETY_OFFICE)
    names = set(user.groups.values_list("name", flat=True))
    assert names == {Role.SAFETY_OFFICE.value, "举报受理人"}
