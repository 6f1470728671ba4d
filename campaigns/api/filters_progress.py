"""Filters of the sub-plan and progress API lists (strict: unknown parameters → 400)."""

import django_filters

from campaigns.models import MilestoneRecord, ProgressReport, SubPlan


class _UnitFilter(django_filters.FilterSet):
    township = django_filters.CharFilter(field_name="township__code")
    department = django_filters.CharFilter(field_name="department__code")


class SubPlanFilter(_UnitFilter):
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


class ProgressReportFilter(_UnitFilter):
    """``?task=16``, ``?period=2026-Q3``, ``?status=at_risk``, ``?township=…``,
    ``?department=…``."""

    task = django_filters.NumberFilter(field_name="task__number")
    period = django_filters.CharFilter()
    status = django_filters.ChoiceFilter(choices=ProgressReport.Status.choices)

    class Meta:
        model = ProgressReport
        fields = ["task", "period", "status", "township", "department"]


class MilestoneRecordFilter(_UnitFilter):
    """``?milestone=<code>``, ``?task=16``, ``?township=…``, ``?department=…``."""

    milestone = django_filters.CharFilter(field_name="milestone__code")
    task = django_filters.NumberFilter(field_name="milestone__task__number")

    class Meta:
        model = MilestoneRecord
        fields = ["milestone", "task", "township", "department"]
