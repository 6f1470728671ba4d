"""API filters of supervision (unknown parameters → 400 through StrictFilterBackend)."""

import django_filters

from .models import EscalationStep, ExtensionRequest, Listing, StepKind, TargetKind


class ListingFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Listing.Status.choices)
    township = django_filters.CharFilter(field_name="hazard__township__code")
    sector = django_filters.CharFilter(field_name="hazard__sector__code")
    hazard = django_filters.CharFilter(field_name="hazard__ledger_number")
    batch = django_filters.CharFilter(lookup_expr="icontains")
    missed = django_filters.BooleanFilter(method="filter_missed",
                                          help_text="with a missed quarterly report")

    class Meta:
        model = Listing
        fields = ["status", "township", "sector", "hazard", "batch", "missed"]

    def filter_missed(self, qs, name, value):
        return qs.filter(missed_reports__gt=0) if value else qs.filter(missed_reports=0)


class ExtensionFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ExtensionRequest.Status.choices)
    hazard = django_filters.CharFilter(field_name="hazard__ledger_number")

    class Meta:
        model = ExtensionRequest
        fields = ["status", "hazard"]


class EscalationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=EscalationStep.Status.choices)
    kind = django_filters.ChoiceFilter(choices=StepKind.choices)
    target_kind = django_filters.ChoiceFilter(choices=TargetKind.choices)

    class Meta:
        model = EscalationStep
        fields = ["status", "kind", "target_kind"]
