"""Filters for the plan's API lists."""

import django_filters

from campaigns.plan.models import Task


class TaskFilter(django_filters.FilterSet):
    """``?action=3`` (number 1…8), ``?department=housing`` (lead or participating, by code),
    ``?lead_department=housing``, ``?sector=gas``."""

    action = django_filters.NumberFilter(field_name="action__number")
    lead_department = django_filters.CharFilter(field_name="lead_departments__code")
    department = django_filters.CharFilter(method="filter_department")
    sector = django_filters.CharFilter(field_name="sectors__code")

    class Meta:
        model = Task
        fields = ["action", "lead_department", "department", "sector"]

    def filter_department(self, queryset, name, value):
        from django.db.models import Q

        return queryset.filter(
            Q(lead_departments__code=value) | Q(participating_departments__code=value)
        ).distinct()
