"""Filters (django-filter) of the training lists, shared by the pages, the exports and the API.

Common: ``township`` and ``sector`` (codes; the enterprise's), ``enterprise`` (id), ``year``,
``q`` (search). Certificates add ``type`` and ``window`` (``expired``, ``30``/``60``/``90``:
still valid and expiring within that many days, ``review_overdue``; today in Asia/Shanghai).
"""

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from campaigns.models import Sector, Township
from hazards.filters import StyledFilterSet
from hazards.models import Enterprise
from yixian_safety.api import IdFilter
from yixian_safety.dates import today_local

from .constants import EXPIRY_WINDOWS, Audience, CertificateType
from .models import Attendance, Certificate, Drill, PrincipalInspection, RescueTeam, TrainingSession


class EnterpriseRecordFilter(StyledFilterSet):
    """Filters of records that belong to one enterprise."""

    township = django_filters.ModelChoiceFilter(
        queryset=Township.objects.all(),
        to_field_name="code",
        field_name="enterprise__township",
        label=_("township"),
    )
    sector = django_filters.ModelChoiceFilter(
        queryset=Sector.objects.all(),
        to_field_name="code",
        method="filter_sector",
        label=_("sector"),
    )
    enterprise = IdFilter(field_name="enterprise_id", label=_("enterprise"))
    q = django_filters.CharFilter(method="filter_q", label=_("search"))

    search_fields: tuple[str, ...] = ("enterprise__name",)

    def filter_sector(self, queryset, name, value: str):
        return queryset.filter(
            Exists(
                Enterprise.sectors.through.objects.filter(
                    enterprise_id=OuterRef("enterprise_id"), sector=value
                )
            )
        )

    def filter_q(self, queryset, name, value):
        value = value.strip()[:100]
        if not value:
            return queryset
        q = Q()
        for f in self.search_fields:
            q |= Q(**{f"{f}__icontains": value})
        return queryset.filter(q)


WINDOW_CHOICES = [
    ("expired", _("expired")),
    *[(str(d), _("expiring within %(d)s days") % {"d": d}) for d in sorted(EXPIRY_WINDOWS)],
    ("review_overdue", _("review overdue")),
]


class CertificateFilter(EnterpriseRecordFilter):
    type = django_filters.ChoiceFilter(
        choices=CertificateType.choices, label=_("type of operation")
    )
    window = django_filters.ChoiceFilter(
        choices=WINDOW_CHOICES, method="filter_window", label=_("validity")
    )
    search_fields = ("enterprise__name", "worker_name", "number")

    class Meta:
        model = Certificate
        fields: list[str] = []

    def filter_window(self, queryset, name, value):
        today = today_local()
        if value == "expired":
            return queryset.expired(today)
        if value == "review_overdue":
            return queryset.review_overdue(today)
        return queryset.expiring_within(today, int(value))


class DrillFilter(EnterpriseRecordFilter):
    year = django_filters.NumberFilter(
        field_name="held_on__year", label=_("year"), min_value=2000, max_value=2100
    )
    held_after = django_filters.DateFilter(
        field_name="held_on", lookup_expr="gte", label=_("held from")
    )
    held_before = django_filters.DateFilter(
        field_name="held_on", lookup_expr="lte", label=_("held until")
    )
    search_fields = ("enterprise__name", "scenario")

    class Meta:
        model = Drill
        fields: list[str] = []


class InspectionFilter(EnterpriseRecordFilter):
    year = django_filters.NumberFilter(
        field_name="inspected_on__year", label=_("year"), min_value=2000, max_value=2100
    )
    search_fields = ("enterprise__name", "leader_name", "findings")

    class Meta:
        model = PrincipalInspection
        fields: list[str] = []


class RescueTeamFilter(EnterpriseRecordFilter):
    search_fields = ("enterprise__name", "name")

    class Meta:
        model = RescueTeam
        fields: list[str] = []


class SessionFilter(StyledFilterSet):
    year = django_filters.NumberFilter(
        field_name="held_on__year", label=_("year"), min_value=2000, max_value=2100
    )
    audience = django_filters.ChoiceFilter(choices=Audience.choices, label=_("audience"))
    township = django_filters.ModelChoiceFilter(
        queryset=Township.objects.all(),
        to_field_name="code",
        field_name="organiser_township",
        label=_("organising township"),
    )
    online = django_filters.BooleanFilter(label=_("online"))
    q = django_filters.CharFilter(method="filter_q", label=_("search"))

    class Meta:
        model = TrainingSession
        fields: list[str] = []

    def filter_q(self, queryset, name, value):
        value = value.strip()[:100]
        return (
            queryset.filter(Q(title__icontains=value) | Q(venue__icontains=value))
            if value
            else queryset
        )


class AttendanceFilter(StyledFilterSet):
    session = IdFilter(field_name="session_id", label=_("session"))
    enterprise = IdFilter(field_name="enterprise_id", label=_("enterprise"))
    result = django_filters.ChoiceFilter(choices=Attendance.Result.choices, label=_("assessment"))
    audience = django_filters.ChoiceFilter(
        choices=Audience.choices, field_name="session__audience", label=_("audience")
    )
    year = django_filters.NumberFilter(
        field_name="session__held_on__year", label=_("year"), min_value=2000, max_value=2100
    )

    class Meta:
        model = Attendance
        fields: list[str] = []


def valid_year(value, default: int) -> int:
    """A year from a query parameter, bounded to 2000–2100 (anything else → ``default``)."""
    try:
        year = int(value)
    except (TypeError, ValueError):
        return default
    return year if 2000 <= year <= 2100 else default
