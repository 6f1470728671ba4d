"""Filters of the enforcement lists, shared by the pages and the API (unknown parameters → 400
in the API through StrictFilterBackend). Dates are ``YYYY-MM-DD``; booleans ``1/0/true/false``.
The statistics page links to these lists with exactly the filters behind each figure."""

import django_filters
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from django_filters.widgets import BooleanWidget

from .models import (
    Accident,
    AccidentGrade,
    ActionKind,
    ConflictTie,
    Draw,
    EnforcementAction,
    Expert,
    Inspection,
    Method,
)

ALL = ("all", _("all"))


def _status(qs, name, value):
    return qs if value in ("", "all") else qs.filter(status=value)


class InspectionFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=[*Inspection.Status.choices, ALL],
                                         method=_status)
    department = django_filters.CharFilter(field_name="department__code")
    township = django_filters.CharFilter(field_name="enterprise__township__code")
    enterprise = django_filters.NumberFilter(field_name="enterprise_id")
    method = django_filters.ChoiceFilter(choices=Method.choices)
    draw = django_filters.NumberFilter(field_name="draw_id")
    inspected_from = django_filters.DateFilter(field_name="inspected_on", lookup_expr="gte")
    inspected_to = django_filters.DateFilter(field_name="inspected_on", lookup_expr="lte")
    findings = django_filters.BooleanFilter(field_name="has_findings", widget=BooleanWidget)
    zero_penalty = django_filters.BooleanFilter(
        method="filter_zero_penalty", widget=BooleanWidget,
        help_text="with findings and no enforcement action (1/true)")

    class Meta:
        model = Inspection
        fields = ["status", "department", "township", "enterprise", "method", "draw",
                  "inspected_from", "inspected_to", "findings", "zero_penalty"]

    def filter_zero_penalty(self, qs, name, value):
        acted = Exists(EnforcementAction.objects.filter(inspection=OuterRef("pk")))
        if value:
            return qs.filter(status=Inspection.Status.DONE, has_findings=True).exclude(acted)
        return qs.filter(acted)


class ActionFilter(django_filters.FilterSet):
    department = django_filters.CharFilter(field_name="department__code")
    township = django_filters.CharFilter(field_name="enterprise__township__code")
    enterprise = django_filters.NumberFilter(field_name="enterprise_id")
    kind = django_filters.ChoiceFilter(choices=ActionKind.choices)
    decided_from = django_filters.DateFilter(field_name="decided_on", lookup_expr="gte")
    decided_to = django_filters.DateFilter(field_name="decided_on", lookup_expr="lte")
    referred = django_filters.BooleanFilter(field_name="referred_for_prosecution",
                                            widget=BooleanWidget)
    inspection = django_filters.NumberFilter(field_name="inspection_id")

    class Meta:
        model = EnforcementAction
        fields = ["department", "township", "enterprise", "kind", "decided_from", "decided_to",
                  "referred", "inspection"]


class DrawFilter(django_filters.FilterSet):
    department = django_filters.CharFilter(field_name="department__code")
    published = django_filters.BooleanFilter(field_name="published_at", lookup_expr="isnull",
                                             exclude=True, widget=BooleanWidget)

    class Meta:
        model = Draw
        fields = ["department", "published"]


class ExpertFilter(django_filters.FilterSet):
    sector = django_filters.CharFilter(field_name="sectors__code", distinct=True)
    available = django_filters.BooleanFilter(widget=BooleanWidget)
    name = django_filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = Expert
        fields = ["sector", "available", "name"]


class TieFilter(django_filters.FilterSet):
    enterprise = django_filters.NumberFilter(field_name="enterprise_id")
    kind = django_filters.ChoiceFilter(choices=[("person", _("inspector")),
                                                ("expert", _("expert"))],
                                       method="filter_kind")

    class Meta:
        model = ConflictTie
        fields = ["enterprise", "kind"]

    def filter_kind(self, qs, name, value):
        return qs.filter(**{f"{value}__isnull": False})


class AccidentFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(field_name="occurred_on__year", min_value=2000,
                                       max_value=2100)
    township = django_filters.CharFilter(field_name="township__code")
    sector = django_filters.CharFilter(field_name="sector__code")
    grade = django_filters.ChoiceFilter(choices=AccidentGrade.choices)
    fatal = django_filters.BooleanFilter(field_name="deaths", lookup_expr="gt", widget=BooleanWidget,
                                         method="filter_fatal")
    investigation = django_filters.ChoiceFilter(field_name="investigation_status",
                                                choices=Accident.Investigation.choices)

    class Meta:
        model = Accident
        fields = ["year", "township", "sector", "grade", "fatal", "investigation"]

    def filter_fatal(self, qs, name, value):
        return qs.filter(deaths__gt=0) if value else qs.filter(deaths=0)


def page_filter(filterset_class, request, queryset):
    """The page's FilterSet over ``queryset`` (scoped); invalid parameters leave it empty."""
    filterset = filterset_class(request.GET, queryset=queryset, request=request)
    return filterset, (filterset.qs if filterset.is_valid() else queryset.none())
