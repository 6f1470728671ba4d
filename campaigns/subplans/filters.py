"""Filters of the sub-plan and progress API lists (strict: unknown parameters → 400)."""

import django_filters

from campaigns.org.filters import UnitFilter
from campaigns.subplans.models import SubPlan


class SubPlanFilter(UnitFilter):
    """``?status=returned``, ``?township=biyang``, ``?department=housing``, ``?sector=gas``,
    ``?late=true`` (first submitted after the due date)."""

    status = django_filters.ChoiceFilter(choices=SubPlan.Status.choices)
    sector = django_filters.CharFilter(field_name="sector__code")
    late = django_filters.BooleanFilter(method="filter_late")

    class Meta:
        model = SubPlan
        fields = ["status", "township", "department", "sector", "late"]

    def filter_late(self, queryset, name, value):
        from django.db.models import F

        late = queryset.filter(first_submitted_on__gt=F("due_on"))
        return late if value else queryset.exclude(pk__in=late.values("pk"))
