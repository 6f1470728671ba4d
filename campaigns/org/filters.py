"""Filters of the sub-plan and progress API lists (strict: unknown parameters → 400)."""

import django_filters


class UnitFilter(django_filters.FilterSet):
    township = django_filters.CharFilter(field_name="township__code")
    department = django_filters.CharFilter(field_name="department__code")
