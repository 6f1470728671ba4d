"""API of sub-plans, progress, milestones, obligation periods and the league table.

``/api/v1/subplans/`` (+ POST ``{id}/submit/``, ``{id}/return/``, ``{id}/approve/``),
``/api/v1/subplan-versions/``, ``/api/v1/progress-reports/``, ``/api/v1/milestone-records/``,
``/api/v1/obligation-periods/`` (computed, read), ``/api/v1/league/`` (read). Everything is
scoped by ``visible_to`` (404 outside); refused actions are 403; bad input 400 with Chinese
messages.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from yixian_safety.api import call_service

from campaigns.league import DEPARTMENTS, KINDS, TOWNSHIPS, league_table
from campaigns.models import (
    Department,
    MilestoneRecord,
    Obligation,
    ProgressReport,
    SubPlanVersion,
    Township,
)
from campaigns.permissions import acting_unit
from campaigns.scoping import scope_for
from campaigns.selectors import today_local
from campaigns.selectors_progress import obligation_periods_for
from campaigns.selectors_subplans import subplans_for
from campaigns.services.progress import milestone_mark_met, progress_report_submit
from campaigns.services.subplans import subplan_approve, subplan_create, subplan_return, subplan_submit
from campaigns.api import serializers_progress as s
from campaigns.api.filters_progress import MilestoneRecordFilter, ProgressReportFilter, SubPlanFilter


class SubPlanViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Sub-plans the caller may see, with versions and history. POST creates a draft of the
    caller's unit (multipart with ``document``); transitions are the POST actions."""

    serializer_class = s.SubPlanSerializer
    filterset_class = SubPlanFilter
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    ordering_fields = ["first_submitted_on", "status"]

    def get_queryset(self):
        return subplans_for(self.request.user).prefetch_related(
            "tasks", "versions__uploaded_by", "events__actor")

    @extend_schema(request=s.SubPlanCreateSerializer, responses=s.SubPlanSerializer)
    def create(self, request, *args, **kwargs):
        data = s.SubPlanCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        sub_plan = call_service(lambda: subplan_create(
            actor=request.user, title=d["title"], summary=d["summary"],
            contact_name=d["contact_name"], contact_phone=d["contact_phone"],
            document=d["document"], tasks=d.get("tasks"), sector=d.get("sector")))
        return Response(self.get_serializer(self.get_queryset().get(pk=sub_plan.pk)).data,
                        status=status.HTTP_201_CREATED)

    def _transition(self, request, serializer_class, call):
        sub_plan = self.get_object()
        data = serializer_class(data=request.data)
        data.is_valid(raise_exception=True)
        call_service(lambda: call(sub_plan, data.validated_data))
        return Response(self.get_serializer(self.get_queryset().get(pk=sub_plan.pk)).data)

    @extend_schema(request=s.SubPlanSubmitSerializer, responses=s.SubPlanSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Submit a draft, or resubmit a returned sub-plan (with ``document``)."""
        return self._transition(request, s.SubPlanSubmitSerializer, lambda sp, d: subplan_submit(
            sub_plan=sp, actor=request.user, document=d.get("document"), note=d.get("note", "")))

    @extend_schema(request=s.SubPlanReturnSerializer, responses=s.SubPlanSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        """The safety office returns it for revision with ``comment``."""
        return self._transition(request, s.SubPlanReturnSerializer, lambda sp, d: subplan_return(
            sub_plan=sp, actor=request.user, comment=d["comment"]))

    @extend_schema(request=s.SubPlanApproveSerializer, responses=s.SubPlanSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """The safety office approves it."""
        return self._transition(request, s.SubPlanApproveSerializer,
                                lambda sp, d: subplan_approve(sub_plan=sp, actor=request.user,
                                                              comment=d.get("comment", "")))


class SubPlanVersionViewSet(viewsets.ReadOnlyModelViewSet):
    """Every kept version of the sub-plans the caller may see; ``?sub_plan=<id>``."""

    serializer_class = s.SubPlanVersionSerializer
    filterset_fields = ["sub_plan", "kind"]

    def get_queryset(self):
        return (SubPlanVersion.objects.filter(sub_plan__in=subplans_for(self.request.user)
                                              .values("pk"))
                .select_related("uploaded_by"))


class ProgressReportViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Progress reports the caller may see (own unit; the office all). POST reports the
    caller's unit's progress for one task and period."""

    serializer_class = s.ProgressReportSerializer
    filterset_class = ProgressReportFilter
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    ordering_fields = ["period", "submitted_on"]

    def get_queryset(self):
        return ProgressReport.objects.visible_to(self.request.user).select_related(
            "task", "township", "department")

    @extend_schema(request=s.ProgressReportCreateSerializer, responses=s.ProgressReportSerializer)
    def create(self, request, *args, **kwargs):
        data = s.ProgressReportCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        report = call_service(lambda: progress_report_submit(
            actor=request.user, task=d["task"], period=d["period"], status=d["status"],
            text=d["text"], figures=d.get("figures"), attachment=d.get("attachment")))
        return Response(self.get_serializer(report).data, status=status.HTTP_201_CREATED)


class MilestoneRecordViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Milestones marked met (own unit; the office all). POST marks one met with evidence."""

    serializer_class = s.MilestoneRecordSerializer
    filterset_class = MilestoneRecordFilter
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    def get_queryset(self):
        return MilestoneRecord.objects.visible_to(self.request.user).select_related(
            "milestone", "township", "department")

    @extend_schema(request=s.MilestoneRecordCreateSerializer,
                   responses=s.MilestoneRecordSerializer)
    def create(self, request, *args, **kwargs):
        data = s.MilestoneRecordCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        record = call_service(lambda: milestone_mark_met(
            actor=request.user, milestone=d["milestone"], met_on=d["met_on"], note=d["note"],
            evidence=d.get("evidence")))
        return Response(self.get_serializer(record).data, status=status.HTTP_201_CREATED)


_PERIOD_PARAMS = {"obligation", "status", "township", "department", "page", "page_size",
                  "format"}


class ObligationPeriodViewSet(viewsets.GenericViewSet):
    """Computed periods of the recurring obligations since the campaign start, per unit:
    met / pending / missed. Units see their own; the office all. Filters: ``?obligation=
    <code>``, ``?status=missed``, ``?township=<code>``, ``?department=<code>``."""

    serializer_class = s.ObligationPeriodSerializer
    filter_backends: list = []

    @extend_schema(parameters=[OpenApiParameter(n, OpenApiTypes.STR) for n in
                               ("obligation", "status", "township", "department")])
    def list(self, request):
        params = request.query_params
        unknown = sorted(set(params) - _PERIOD_PARAMS)
        if unknown:
            raise ValidationError({n: ["Unknown query parameter. Allowed: "
                                       + ", ".join(sorted(_PERIOD_PARAMS))] for n in unknown})
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
        obligations = None
        if "obligation" in params:
            obligations = [get_object_or_404(Obligation.objects.select_related("task"),
                                             code=params["obligation"])]
        if "status" in params and params["status"] not in ("met", "pending", "missed"):
            raise ValidationError({"status": ["met, pending or missed"]})
        rows = [] if units == [] else obligation_periods_for(units=units, obligations=obligations)
        if "status" in params:
            rows = [r for r in rows if r.status == params["status"]]
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class LeagueViewSet(viewsets.GenericViewSet):
    """The league table (“赛马”): ``?kind=townships`` or ``departments`` (default both), each
    unit's rank, score (0–100) and its metrics (achieved, owed, value, weight, points)."""

    serializer_class = s.LeagueRowSerializer
    filter_backends: list = []
    pagination_class = None

    @extend_schema(parameters=[OpenApiParameter("kind", OpenApiTypes.STR,
                                                enum=[TOWNSHIPS, DEPARTMENTS])])
    def list(self, request):
        unknown = sorted(set(request.query_params) - {"kind", "format"})
        if unknown:
            raise ValidationError({n: ["Unknown query parameter. Allowed: format, kind"]
                                   for n in unknown})
        kind = request.query_params.get("kind")
        if kind is not None and kind not in KINDS:
            raise ValidationError({"kind": [f"{TOWNSHIPS} or {DEPARTMENTS}"]})
        today = today_local()
        rows = []
        for k in ([kind] if kind else [TOWNSHIPS, DEPARTMENTS]):
            for row in league_table(k, today=today):
                row.kind = k
                rows.append(row)
        return Response(self.get_serializer(rows, many=True).data)
