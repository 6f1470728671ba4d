"""Filters of supervision, shared by the list pages and the API (unknown parameters → 400 in the
API through StrictFilterBackend). ``status=all`` (or empty) means every status; the pages start
from :data:`PAGE_DEFAULTS` when the parameter is absent."""

import django_filters
from django.utils.translation import gettext_lazy as _
from django_filters.widgets import BooleanWidget

from .models import EscalationStep, ExtensionRequest, Listing, StepKind, TargetKind

ALL = ("all", _("all"))


def _status(qs, name, value):
    return qs if value in ("", "all") else qs.filter(status=value)


class ListingFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=[*Listing.Status.choices, ALL], method=_status)
    township = django_filters.CharFilter(field_name="hazard__township__code")
    sector = django_filters.CharFilter(field_name="hazard__sector__code")
    hazard = django_filters.CharFilter(field_name="hazard__ledger_number")
    batch = django_filters.CharFilter(lookup_expr="icontains")
    missed = django_filters.BooleanFilter(
        method="filter_missed",
        widget=BooleanWidget,
        help_text="with a missed quarterly report (1/true)",
    )
    listed_from = django_filters.DateFilter(
        field_name="listed_on", lookup_expr="gte", label=_("listed from")
    )
    listed_to = django_filters.DateFilter(
        field_name="listed_on", lookup_expr="lte", label=_("listed to")
    )

    class Meta:
        model = Listing
        fields = [
            "status",
            "township",
            "sector",
            "hazard",
            "batch",
            "missed",
            "listed_from",
            "listed_to",
        ]

    def filter_missed(self, qs, name, value):
        return qs.filter(missed_reports__gt=0) if value else qs.filter(missed_reports=0)


class ExtensionFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=[*ExtensionRequest.Status.choices, ALL], method=_status
    )
    hazard = django_filters.CharFilter(field_name="hazard__ledger_number")

    class Meta:
        model = ExtensionRequest
        fields = ["status", "hazard"]


class EscalationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=[*EscalationStep.Status.choices, ALL], method=_status
    )
    kind = django_filters.ChoiceFilter(choices=StepKind.choices)
    target_kind = django_filters.ChoiceFilter(choices=TargetKind.choices)

    class Meta:
        model = EscalationStep
        fields = ["status", "kind", "target_kind"]


# What a list page shows when the parameter is absent (the API has no defaults).
PAGE_DEFAULTS = {
    ListingFilter: {"status": Listing.Status.LISTED},
    EscalationFilter: {"status": EscalationStep.Status.PROPOSED},
}


def page_filter(filterset_class, request, queryset):
    """The list page's FilterSet over ``queryset`` (already scoped), with the page defaults;
    invalid parameters leave the list empty and the errors on ``filterset.errors``."""
    data = request.GET.copy()
    for key, value in PAGE_DEFAULTS.get(filterset_class, {}).items():
        data.setdefault(key, value)
    filterset = filterset_class(data, queryset=queryset, request=request)
    return filterset, (filterset.qs if filterset.is_valid() else queryset.none())
