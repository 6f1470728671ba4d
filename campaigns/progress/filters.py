"""Filters of the sub-plan and progress API lists (strict: unknown parameters → 400)."""

import django_filters

from campaigns.org.filters import UnitFilter
from campaigns.progress.models import MilestoneRecord, ProgressReport


class ProgressReportFilter(UnitFilter):
    """``?task=16``, ``?period=2026-Q3``, ``?status=at_risk``, ``?township=…``,
    ``?department=…``."""

    task = django_filters.NumberFilter(field_name="task__number")
    period = django_filters.CharFilter()
    status = django_filters.ChoiceFilter(choices=ProgressReport.Status.choices)

    class Meta:
        model = ProgressReport
        fields = ["task", "period", "status", "township", "department"]


class MilestoneRecordFilter(UnitFilter):
    """``?milestone=<code>``, ``?task=16``, ``?township=…``, ``?department=…``."""

    milestone = django_filters.CharFilter(field_name="milestone__code")
    task = django_filters.NumberFilter(field_name="milestone__task__number")

    class Meta:
        model = MilestoneRecord
        fields = ["milestone", "task", "township", "department"]
