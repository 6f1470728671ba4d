"""Tip-off and reward filters (django-filter), shared by the pages, the exports and the API.

Tip-offs: ``status``, ``open`` (true/false), ``overdue`` (the current step past its deadline,
today in Asia/Shanghai), ``township`` / ``department`` (codes), ``channel``, ``outcome``,
``received_after`` / ``received_before`` (inclusive local dates), ``q`` (number, address,
enterprise named, description). Never by anything of the reporter's identity.
"""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from campaigns.models import Department, Township
from hazards.filters import DATE_INPUT, StyledFilterSet, YearFilter, yes_no
from yixian_safety.dates import today_local

from .models import Channel, Outcome, Reward, Status, TipOff

SORTS = {
    "-received_at": "-received_at",
    "received_at": "received_at",
    "step_due_on": "step_due_on",
    "number": "number",
    "-number": "-number",
}


class TipOffFilter(StyledFilterSet):
    status = django_filters.ChoiceFilter(choices=Status.choices, label=_("status"))
    open = yes_no(method="filter_open", label=_("open"))
    overdue = yes_no(method="filter_overdue", label=_("step overdue"))
    township = django_filters.ModelChoiceFilter(
        queryset=Township.objects.all(), to_field_name="code", label=_("township")
    )
    department = django_filters.ModelChoiceFilter(
        queryset=Department.objects.all(), to_field_name="code", label=_("department")
    )
    channel = django_filters.ChoiceFilter(choices=Channel.choices, label=_("channel"))
    outcome = django_filters.ChoiceFilter(choices=Outcome.choices, label=_("outcome"))
    received_after = django_filters.DateFilter(
        field_name="received_at",
        lookup_expr="date__gte",
        label=_("received from"),
        widget=DATE_INPUT,
    )
    received_before = django_filters.DateFilter(
        field_name="received_at",
        lookup_expr="date__lte",
        label=_("received until"),
        widget=DATE_INPUT,
    )
    q = django_filters.CharFilter(method="filter_q", label=_("search"), max_length=100)

    class Meta:
        model = TipOff
        fields: list[str] = []

    def filter_open(self, queryset, name, value):
        return queryset.open() if value else queryset.exclude(pk__in=queryset.open().values("pk"))

    def filter_overdue(self, queryset, name, value):
        late = queryset.step_overdue(today_local())
        return late if value else queryset.exclude(pk__in=late.values("pk"))

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(number__iexact=value)
            | Q(address__icontains=value)
            | Q(enterprise_name__icontains=value)
            | Q(description__icontains=value)
        )


class RewardFilter(StyledFilterSet):
    paid = yes_no(field_name="paid_on", lookup_expr="isnull", exclude=True, label=_("paid"))
    decided_year = YearFilter(field_name="decided_on__year", label=_("year decided"))

    class Meta:
        model = Reward
        fields: list[str] = []
