"""Filter of the report archive, shared by its page and its API (strict in the API: unknown
parameters → 400)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from campaigns.org.filters import UnitFilter
from campaigns.reports.models import Outcome, Report


class ReportFilter(django_filters.FilterSet):
    """``?kind=quarterly``, ``?period=2026-Q3``, ``?scope_kind=township``,
    ``?township=biyang``, ``?department=housing``, ``?status=ready``, ``?latest=true`` (newest
    version of each report only)."""

    kind = django_filters.ChoiceFilter(choices=Report.Kind.choices, empty_label=_("all"))
    period = django_filters.CharFilter(max_length=10)
    scope_kind = django_filters.ChoiceFilter(choices=Report.ScopeKind.choices, empty_label=_("all"))
    township = django_filters.CharFilter(field_name="township__code", max_length=40)
    department = django_filters.CharFilter(field_name="department__code", max_length=40)
    status = django_filters.ChoiceFilter(choices=Report.Status.choices, empty_label=_("all"))
    latest = django_filters.BooleanFilter(method="filter_latest", label=_("latest version only"))

    class Meta:
        model = Report
        fields = ["kind", "period", "scope_kind", "township", "department", "status", "latest"]

    def filter_latest(self, queryset, name, value):
        return queryset.latest_versions() if value else queryset


class OutcomeFilter(UnitFilter):
    """``?township=biyang``, ``?department=housing``, ``?year=2025`` (adopted that year)."""

    year = django_filters.NumberFilter(
        field_name="adopted_on__year", min_value=2024, max_value=2026, label=_("year")
    )

    class Meta:
        model = Outcome
        fields = ["township", "department", "year"]
