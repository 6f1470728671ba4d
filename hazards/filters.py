"""Ledger and enterprise filters (django-filter), shared by the pages, the export and the API.

Hazard filters: ``township``, ``sector``, ``department`` (supervising department or a lead
department of the sector, by code), ``level``, ``status``, ``source`` (own or a merged report's),
``overdue`` (true/false, today in Asia/Shanghai), ``stock`` (true = found ≤ 2023-12-31),
``found_year``, ``found_after``/``found_before`` (inclusive), ``enterprise`` (id), ``q`` (ledger
number, enterprise, credit code, location, description). Statistics links use exactly these.
"""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from campaigns.constants import EARLIEST_FOUND_ON, STOCK_CUTOFF
from campaigns.models import Department, Sector, Township
from yixian_safety.api import IdFilter
from yixian_safety.dates import today_local

from .constants import LATEST_DATE
from .models import Enterprise, Hazard, Level, Source, Status, source_q


class YesNo(django_filters.widgets.BooleanWidget):
    """A select with “all / yes / no” (django-filter's default shows “unknown”)."""

    def __init__(self, attrs=None):
        from django_filters.conf import settings as filter_settings

        forms.Select.__init__(
            self,
            attrs,
            choices=[
                ("", filter_settings.EMPTY_CHOICE_LABEL),
                ("true", _("yes")),
                ("false", _("no")),
            ],
        )


def yes_no(**kwargs):
    return django_filters.BooleanFilter(widget=YesNo, **kwargs)


class YearFilter(django_filters.NumberFilter):
    """A whole year between 2000 and 2100 (``?found_year=0`` or ``1e-05`` is a form error, not a
    date computed out of range)."""

    field_class = forms.IntegerField

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", EARLIEST_FOUND_ON.year)
        kwargs.setdefault("max_value", LATEST_DATE.year)
        super().__init__(**kwargs)


class StyledFilterSet(django_filters.FilterSet):
    """Bootstrap classes on the filter form's widgets (the pages render it field by field)."""

    @property
    def form(self):
        form = super().form
        for field in form.fields.values():
            small = (
                "form-select form-select-sm"
                if isinstance(field.widget, forms.Select)
                else "form-control form-control-sm"
            )
            field.widget.attrs.setdefault("class", small)
        return form


# A keyword matching at most this many enterprises filters the ledger by their ids (an index
# scan); beyond it, by a subquery.
ENTERPRISE_IDS_MAX = 500

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

SORTS = {
    "found_on": "found_on",
    "-found_on": "-found_on",
    "ledger_number": "ledger_number",
    "-ledger_number": "-ledger_number",
    "deadline": "rectification__deadline",
    "-deadline": "-rectification__deadline",
    "status": "status",
    "township": "township__order",
}


class HazardFilter(StyledFilterSet):
    township = django_filters.ModelChoiceFilter(
        queryset=Township.objects.all(), to_field_name="code", label=_("township")
    )
    sector = django_filters.ModelChoiceFilter(
        queryset=Sector.objects.all(), to_field_name="code", label=_("sector")
    )
    department = django_filters.ModelChoiceFilter(
        queryset=Department.objects.filter(is_lead=True),
        to_field_name="code",
        method="filter_department",
        label=_("department"),
    )
    level = django_filters.ChoiceFilter(choices=Level.choices, label=_("level"))
    status = django_filters.ChoiceFilter(
        choices=Status.choices, method="filter_status", label=_("status")
    )
    open = yes_no(method="filter_open", label=_("open"))
    source = django_filters.ChoiceFilter(
        choices=Source.choices, method="filter_source", label=_("source")
    )
    overdue = yes_no(method="filter_overdue", label=_("overdue"))
    closed_on_time = yes_no(method="filter_closed_on_time", label=_("closed on time"))
    stock = yes_no(method="filter_stock", label=_("stock (found ≤ 2023)"))
    found_year = YearFilter(field_name="found_on__year", label=_("year found"))
    found_after = django_filters.DateFilter(
        field_name="found_on", lookup_expr="gte", label=_("found from"), widget=DATE_INPUT
    )
    found_before = django_filters.DateFilter(
        field_name="found_on", lookup_expr="lte", label=_("found until"), widget=DATE_INPUT
    )
    enterprise = IdFilter(field_name="enterprise_id", label=_("enterprise"))
    closed_after = django_filters.DateFilter(
        field_name="closed_at", lookup_expr="date__gte", label=_("closed from"), widget=DATE_INPUT
    )
    closed_before = django_filters.DateFilter(
        field_name="closed_at", lookup_expr="date__lte", label=_("closed until"), widget=DATE_INPUT
    )
    q = django_filters.CharFilter(method="filter_q", label=_("search"))
    criterion = IdFilter(field_name="criterion_id", label=_("judgement criterion"))
    standard = django_filters.CharFilter(
        field_name="criterion__standard__code", label=_("judgement standard")
    )
    criterion_missing = yes_no(
        field_name="criterion", lookup_expr="isnull", label=_("cites no clause")
    )

    class Meta:
        model = Hazard
        fields: list[str] = []

    def filter_department(self, queryset, name, value: str):
        """Hazards the department follows: it supervises them or leads their sector."""
        led = Sector.lead_departments.through.objects.filter(
            sector_id=OuterRef("sector_id"), department=value
        )
        return queryset.filter(Q(supervising_department=value) | Q(Exists(led)))

    def filter_status(self, queryset, name, value):
        return queryset.filter(status=value)

    def filter_open(self, queryset, name, value):
        return queryset.open() if value else queryset.exclude(pk__in=queryset.open().values("pk"))

    def filter_source(self, queryset, name, value):
        return queryset.filter(source_q(value))

    def filter_overdue(self, queryset, name, value):
        overdue = queryset.overdue(today_local())
        return overdue if value else queryset.exclude(pk__in=overdue.values("pk"))

    def filter_closed_on_time(self, queryset, name, value):
        on_time = queryset.closed_on_time()
        return on_time if value else queryset.exclude(pk__in=on_time.values("pk"))

    def filter_stock(self, queryset, name, value):
        return (
            queryset.filter(found_on__lte=STOCK_CUTOFF)
            if value
            else queryset.filter(found_on__gt=STOCK_CUTOFF)
        )

    def filter_q(self, queryset, name, value):
        """Ledger number, location or description containing ``value``, or an enterprise whose
        name contains it or whose credit code it is. Every part is a condition on the hazard
        table itself, so PostgreSQL answers with one BitmapOr over the trigram indexes
        (migration 0008) and the enterprise index; a condition across the join (the
        enterprise's name) forced a sequential scan of the whole ledger (issue 19). The
        matching enterprises are looked up first (one query, at most ENTERPRISE_IDS_MAX ids;
        more than that stays a subquery)."""
        value = value.strip()
        if not value:
            return queryset
        enterprises = Enterprise.objects.filter(
            Q(name__icontains=value) | Q(credit_code__iexact=value)
        ).values_list("pk", flat=True)
        ids = list(enterprises[: ENTERPRISE_IDS_MAX + 1])
        by_enterprise = (
            Q(enterprise_id__in=ids)
            if len(ids) <= ENTERPRISE_IDS_MAX
            else Q(enterprise__in=enterprises)
        )
        return queryset.filter(
            Q(ledger_number__icontains=value)
            | Q(location__icontains=value)
            | Q(description__icontains=value)
            | by_enterprise
        )

    @property
    def qs(self):
        qs = super().qs
        # Merged reports live on their hazard; only an explicit status=merged lists them.
        if self.form.cleaned_data.get("status") != Status.MERGED:
            qs = qs.ledger()
        return qs


class EnterpriseFilter(StyledFilterSet):
    township = django_filters.ModelChoiceFilter(
        queryset=Township.objects.all(), to_field_name="code", label=_("township")
    )
    sector = django_filters.ModelChoiceFilter(
        queryset=Sector.objects.all(),
        to_field_name="code",
        method="filter_sector",
        label=_("sector"),
    )
    high_risk = yes_no(method="filter_high_risk", label=_("high-risk"))
    q = django_filters.CharFilter(method="filter_q", label=_("search"))

    class Meta:
        model = Enterprise
        fields: list[str] = []

    def filter_sector(self, queryset, name, value: str):
        return queryset.filter(
            Exists(
                Enterprise.sectors.through.objects.filter(
                    enterprise_id=OuterRef("pk"), sector=value
                )
            )
        )

    def filter_high_risk(self, queryset, name, value):
        high = Exists(
            Enterprise.sectors.through.objects.filter(
                enterprise_id=OuterRef("pk"), sector__high_risk=True
            )
        )
        return queryset.filter(high if value else ~high)

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return (
            queryset.filter(
                Q(name__icontains=value)
                | Q(credit_code__iexact=value)
                | Q(principal_name__icontains=value)
            )
            if value
            else queryset
        )
