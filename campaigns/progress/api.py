"""API of sub-plans, progress, milestones, obligation periods and the league table.

``/api/v1/subplans/`` (+ POST ``{id}/submit/``, ``{id}/return/``, ``{id}/approve/``),
``/api/v1/subplan-versions/``, ``/api/v1/progress-reports/``, ``/api/v1/milestone-records/``,
``/api/v1/obligation-periods/`` (computed, read), ``/api/v1/league/`` (read). Everything is
scoped by ``visible_to`` (404 outside); refused actions are 403; bad input 400 with Chinese
messages.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from campaigns.org.models import Department, Township
from campaigns.org.permissions import acting_unit
from campaigns.org.scoping import scope_for
from campaigns.plan.api import CampaignScoped
from campaigns.plan.models import Obligation, Task
from campaigns.progress import serializers as s
from campaigns.progress.filters import MilestoneRecordFilter, ProgressReportFilter
from campaigns.progress.models import MilestoneRecord, ProgressReport
from campaigns.progress.selectors import (
    not_submitted_periods,
    not_submitted_visible,
    obligation_periods_for,
    pick_period,
    progress_not_submitted,
    report_periods,
)
from campaigns.progress.services import milestone_mark_met, progress_report_submit
from yixian_safety.api import call_service, reject_unknown_params
from yixian_safety.dates import today_local


class ProgressReportViewSet(CampaignScoped, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Progress reports the caller may see (own unit; the office all) on the tasks of the
    campaign (``?campaign=``, default the current one). POST reports the caller's unit's
    progress for one task (its number in that campaign) and period."""

    campaign_field = "task__campaign"

    serializer_class = s.ProgressReportSerializer
    filterset_class = ProgressReportFilter
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    ordering_fields = ["period", "submitted_on"]

    def get_queryset(self):
        return self.scope_to_campaign(
            ProgressReport.objects.visible_to(self.request.user).select_related(
                "task", "township", "department"
            )
        )

    @extend_schema(request=s.ProgressReportCreateSerializer, responses=s.ProgressReportSerializer)
    def create(self, request, *args, **kwargs):
        data = s.ProgressReportCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        d = data.validated_data
        report = call_service(
            lambda: progress_report_submit(
                actor=request.user,
                task=d["task"],
                period=d["period"],
                status=d["status"],
                text=d["text"],
                figures=d.get("figures"),
                attachment=d.get("attachment"),
            )
        )
        return Response(self.get_serializer(report).data, status=status.HTTP_201_CREATED)


class MilestoneRecordViewSet(
    CampaignScoped, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """Milestones of the campaign (``?campaign=``, default the current one) marked met (own
    unit; the office all). POST marks one met with evidence (milestone code in that campaign)."""

    campaign_field = "milestone__campaign"

    serializer_class = s.MilestoneRecordSerializer
    filterset_class = MilestoneRecordFilter
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    def get_queryset(self):
        return self.scope_to_campaign(
            MilestoneRecord.objects.visible_to(self.request.user).select_related(
                "milestone", "township", "department"
            )
        )

    @extend_schema(request=s.MilestoneRecordCreateSerializer, responses=s.MilestoneRecordSerializer)
    def create(self, request, *args, **kwargs):
        data = s.MilestoneRecordCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        d = data.validated_data
        record = call_service(
            lambda: milestone_mark_met(
                actor=request.user,
                milestone=d["milestone"],
                met_on=d["met_on"],
                note=d["note"],
                evidence=d.get("evidence"),
            )
        )
        return Response(self.get_serializer(record).data, status=status.HTTP_201_CREATED)


_PERIOD_PARAMS = {
    "obligation",
    "status",
    "township",
    "department",
    "campaign",
    "page",
    "page_size",
    "format",
}


class ObligationPeriodViewSet(CampaignScoped, viewsets.GenericViewSet):
    """Computed periods of the recurring obligations since the campaign start, per unit:
    met / pending / missed. Units see their own; the office all. Filters: ``?obligation=
    <code>``, ``?status=missed``, ``?township=<code>``, ``?department=<code>``."""

    serializer_class = s.ObligationPeriodSerializer
    filter_backends: list = []

    @extend_schema(
        parameters=[
            OpenApiParameter(n, OpenApiTypes.STR)
            for n in ("obligation", "status", "township", "department", "campaign")
        ]
    )
    def list(self, request):
        params = request.query_params
        reject_unknown_params(request, _PERIOD_PARAMS)
        user = request.user
        if scope_for(user).everything:
            units = None
        else:
            unit = acting_unit(user)
            units = [unit] if unit else []
        if "township" in params:
            unit = get_object_or_404(Township, code=params["township"])
            units = [unit] if units is None or unit in units else []
        if "department" in params:
            unit = get_object_or_404(Department, code=params["department"])
            units = [unit] if units is None or unit in units else []
        campaign = self.campaign()
        obligations = None
        if "obligation" in params:
            obligations = [
                get_object_or_404(
                    Obligation.objects.select_related("task"),
                    campaign=campaign,
                    code=params["obligation"],
                )
            ]
        if "status" in params and params["status"] not in ("met", "pending", "missed"):
            raise ValidationError({"status": [_("Choose met, pending or missed.")]})
        rows = (
            []
            if units == []
            else obligation_periods_for(units=units, obligations=obligations, campaign=campaign)
        )
        if "status" in params:
            rows = [r for r in rows if r.status == params["status"]]
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


_NOT_SUBMITTED_PARAMS = {"campaign", "period", "task", "page", "page_size", "format"}


class NotSubmittedViewSet(CampaignScoped, viewsets.GenericViewSet):
    """Progress reports owed and not sent for one reporting period — the same rows as the task
    page's and the sub-plan board's not-submitted lists and the units the progress reminders
    name. ``?period=2026-Q3`` (default: the newest period already due; a key that is not a
    campaign reporting period → 400), ``?task=14`` (one task; default all). Scoped: the office
    sees every unit, a township or department its own rows."""

    serializer_class = s.NotSubmittedSerializer
    filter_backends: list = []

    @extend_schema(
        parameters=[
            OpenApiParameter("period", OpenApiTypes.STR, description="2026-Q3, 2026-11 …"),
            OpenApiParameter("task", OpenApiTypes.INT, description="task number 1–30"),
            OpenApiParameter(
                "campaign", OpenApiTypes.STR, description="campaign slug or id (default current)"
            ),
        ]
    )
    def list(self, request):
        params = request.query_params
        reject_unknown_params(request, _NOT_SUBMITTED_PARAMS)
        today = today_local()
        task = None
        if "task" in params:
            number = params["task"]
            if not number.isdigit() or not 1 <= int(number) <= 999:
                raise ValidationError({"task": [_("A task number is a whole number, 1–30.")]})
            task = get_object_or_404(Task, campaign=self.campaign(), number=int(number))
        campaign = self.campaign()
        periods = (
            report_periods(task, today) if task else not_submitted_periods(today, campaign=campaign)
        )
        try:
            period = pick_period(params.get("period", ""), periods, today)
        except ValueError:
            raise ValidationError(
                {
                    "period": [
                        _("“%(key)s” is not a reporting period of the campaign (e.g. 2026-Q3).")
                        % {"key": params["period"][:20]}
                    ]
                }
            ) from None
        rows = progress_not_submitted(period, task, campaign) if period else []
        rows = not_submitted_visible(rows, request.user)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(
            self.get_serializer(page, many=True, context={"today": today}).data
        )
