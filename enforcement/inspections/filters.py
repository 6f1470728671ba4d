"""Filters of the enforcement lists, shared by the pages and the API (unknown parameters → 400
in the API through StrictFilterBackend). Dates are ``YYYY-MM-DD``; booleans ``1/0/true/false``.
The statistics page links to these lists with exactly the filters behind each figure."""

import django_filters
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from django_filters.widgets import BooleanWidget

from campaigns.models import Department, Sector, Township
from yixian_safety.api import IdFilter

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
    status = django_filters.ChoiceFilter(
        choices=[*Inspection.Status.choices, ALL], method=_status, label=_("status")
    )
    department = django_filters.ModelChoiceFilter(
        field_name="department",
        to_field_name="code",
        queryset=Department.objects.all(),
        label=_("department"),
    )
    township = django_filters.ModelChoiceFilter(
        field_name="enterprise__township",
        to_field_name="code",
        queryset=Township.objects.all(),
        label=_("township"),
    )
    enterprise = IdFilter(field_name="enterprise_id", label=_("enterprise (id)"))
    method = django_filters.ChoiceFilter(choices=Method.choices, label=_("method"))
    draw = IdFilter(field_name="draw_id", label=_("draw (id)"))
    inspected_from = django_filters.DateFilter(
        field_name="inspected_on", lookup_expr="gte", label=_("inspected from")
    )
    inspected_to = django_filters.DateFilter(
        field_name="inspected_on", lookup_expr="lte", label=_("inspected to")
    )
    findings = django_filters.BooleanFilter(
        field_name="has_findings", widget=BooleanWidget, label=_("problems found")
    )
    zero_penalty = django_filters.BooleanFilter(
        method="filter_zero_penalty",
        widget=BooleanWidget,
        label=_("zero penalty"),
        help_text="with findings and no enforcement action (1/true)",
    )

    class Meta:
        model = Inspection
        fields = [
            "status",
            "department",
            "township",
            "enterprise",
            "method",
            "draw",
            "inspected_from",
            "inspected_to",
            "findings",
            "zero_penalty",
        ]

    def filter_zero_penalty(self, qs, name, value):
        acted = Exists(EnforcementAction.objects.filter(inspection=OuterRef("pk")))
        if value:
            return qs.filter(status=Inspection.Status.DONE, has_findings=True).exclude(acted)
        return qs.filter(acted)


class ActionFilter(django_filters.FilterSet):
    department = django_filters.ModelChoiceFilter(
        field_name="department",
        to_field_name="code",
        queryset=Department.objects.all(),
        label=_("department"),
    )
    township = django_filters.ModelChoiceFilter(
        field_name="enterprise__township",
        to_field_name="code",
        queryset=Township.objects.all(),
        label=_("township"),
    )
    enterprise = IdFilter(field_name="enterprise_id", label=_("enterprise (id)"))
    kind = django_filters.ChoiceFilter(choices=ActionKind.choices, label=_("measure"))
    decided_from = django_filters.DateFilter(
        field_name="decided_on", lookup_expr="gte", label=_("decided from")
    )
    decided_to = django_filters.DateFilter(
        field_name="decided_on", lookup_expr="lte", label=_("decided to")
    )
    referred = django_filters.BooleanFilter(
        field_name="referred_for_prosecution",
        widget=BooleanWidget,
        label=_("referred for prosecution"),
    )
    inspection = IdFilter(field_name="inspection_id", label=_("inspection (id)"))

    class Meta:
        model = EnforcementAction
        fields = [
            "department",
            "township",
            "enterprise",
            "kind",
            "decided_from",
            "decided_to",
            "referred",
            "inspection",
        ]


class DrawFilter(django_filters.FilterSet):
    department = django_filters.ModelChoiceFilter(
        field_name="department",
        to_field_name="code",
        queryset=Department.objects.all(),
        label=_("department"),
    )
    published = django_filters.BooleanFilter(
        field_name="published_at",
        lookup_expr="isnull",
        exclude=True,
        widget=BooleanWidget,
        label=_("published"),
    )

    class Meta:
        model = Draw
        fields = ["department", "published"]


class ExpertFilter(django_filters.FilterSet):
    sector = django_filters.ModelChoiceFilter(
        field_name="sectors",
        to_field_name="code",
        queryset=Sector.objects.all(),
        label=_("sector"),
        distinct=True,
    )
    available = django_filters.BooleanFilter(widget=BooleanWidget, label=_("available"))
    name = django_filters.CharFilter(lookup_expr="icontains", label=_("name"))

    class Meta:
        model = Expert
        fields = ["sector", "available", "name"]


class TieFilter(django_filters.FilterSet):
    enterprise = IdFilter(field_name="enterprise_id", label=_("enterprise (id)"))
    kind = django_filters.ChoiceFilter(
        choices=[("person", _("inspector")), ("expert", _("expert"))],
        method="filter_kind",
        label=_("kind"),
    )

    class Meta:
        model = ConflictTie
        fields = ["enterprise", "kind"]

    def filter_kind(self, qs, name, value):
        return qs.filter(**{f"{value}__isnull": False})


class AccidentFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(
        field_name="occurred_on__year", min_value=2000, max_value=2100, label=_("year")
    )
    township = django_filters.ModelChoiceFilter(
        field_name="township",
        to_field_name="code",
        queryset=Township.objects.all(),
        label=_("township"),
    )
    sector = django_filters.ModelChoiceFilter(
        field_name="sector", to_field_name="code", queryset=Sector.objects.all(), label=_("sector")
    )
    grade = django_filters.ChoiceFilter(choices=AccidentGrade.choices, label=_("grade"))
    fatal = django_filters.BooleanFilter(
        widget=BooleanWidget, method="filter_fatal", label=_("with deaths")
    )
    investigation = django_filters.ChoiceFilter(
        field_name="investigation_status",
        choices=Accident.Investigation.choices,
        label=_("investigation"),
    )

    class Meta:
        model = Accident
        fields = ["year", "township", "sector", "grade", "fatal", "investigation"]

    def filter_fatal(self, qs, name, value):
        return qs.filter(deaths__gt=0) if value else qs.filter(deaths=0)


def page_filter(filterset_class, request, queryset):
    """The page's FilterSet over ``queryset`` (scoped); invalid parameters leave it empty."""
    filterset = filterset_class(request.GET, queryset=queryset, request=request)
    return filterset, (filterset.qs if filterset.is_valid() else queryset.none())
