"""API of sub-plans, progress, milestones, obligation periods and the league table.

``/api/v1/subplans/`` (+ POST ``{id}/submit/``, ``{id}/return/``, ``{id}/approve/``),
``/api/v1/subplan-versions/``, ``/api/v1/progress-reports/``, ``/api/v1/milestone-records/``,
``/api/v1/obligation-periods/`` (computed, read), ``/api/v1/league/`` (read). Everything is
scoped by ``visible_to`` (404 outside); refused actions are 403; bad input 400 with Chinese
messages.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from campaigns.plan.api import CampaignScoped
from campaigns.subplans import serializers as s
from campaigns.subplans.filters import SubPlanFilter
from campaigns.subplans.models import SubPlanVersion
from campaigns.subplans.selectors import subplans_for
from campaigns.subplans.services import (
    subplan_approve,
    subplan_create,
    subplan_return,
    subplan_revise,
    subplan_submit,
)
from yixian_safety.api import ServiceActions, call_service


class SubPlanViewSet(
    CampaignScoped, ServiceActions, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """Sub-plans the caller may see, with versions and history; the list is of the campaign
    (``?campaign=``, default the current one). POST creates a draft of the caller's unit
    for that campaign (multipart with ``document``); transitions are the POST actions (an
    ended campaign's sub-plans refuse them: archive, read-only)."""

    serializer_class = s.SubPlanSerializer
    filterset_class = SubPlanFilter
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    ordering_fields = ["first_submitted_on", "status"]

    def get_queryset(self):
        return self.scope_to_campaign(
            subplans_for(self.request.user).prefetch_related(
                "tasks", "versions__uploaded_by", "events__actor"
            )
        )

    @extend_schema(request=s.SubPlanCreateSerializer, responses=s.SubPlanSerializer)
    def create(self, request, *args, **kwargs):
        data = s.SubPlanCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        d = data.validated_data
        sub_plan = call_service(
            lambda: subplan_create(
                actor=request.user,
                title=d["title"],
                summary=d["summary"],
                contact_name=d["contact_name"],
                contact_phone=d["contact_phone"],
                document=d["document"],
                tasks=d.get("tasks"),
                sector=d.get("sector"),
                campaign=self.campaign(),
            )
        )
        return Response(
            self.get_serializer(self.get_queryset().get(pk=sub_plan.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=s.SubPlanSubmitSerializer, responses=s.SubPlanSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Submit a draft, or resubmit a returned sub-plan (with ``document``)."""
        return self.run_action(subplan_submit, s.SubPlanSubmitSerializer, obj_arg="sub_plan")

    @extend_schema(request=s.SubPlanReviseSerializer, responses=s.SubPlanSerializer)
    @action(detail=True, methods=["post"])
    def revise(self, request, pk=None):
        """File a revised version (修订) of an approved sub-plan (multipart ``document``): it is
        reviewed again while the approved version stays in force."""
        return self.run_action(subplan_revise, s.SubPlanReviseSerializer, obj_arg="sub_plan")

    @extend_schema(request=s.SubPlanReturnSerializer, responses=s.SubPlanSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        """The safety office returns it for revision with ``comment``."""
        return self.run_action(subplan_return, s.SubPlanReturnSerializer, obj_arg="sub_plan")

    @extend_schema(request=s.SubPlanApproveSerializer, responses=s.SubPlanSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """The safety office approves it."""
        return self.run_action(subplan_approve, s.SubPlanApproveSerializer, obj_arg="sub_plan")


class SubPlanVersionViewSet(viewsets.ReadOnlyModelViewSet):
    """Every kept version of the sub-plans the caller may see; ``?sub_plan=<id>``."""

    serializer_class = s.SubPlanVersionSerializer
    filterset_fields = ["sub_plan", "kind"]

    def get_queryset(self):
        return SubPlanVersion.objects.filter(
            sub_plan__in=subplans_for(self.request.user).values("pk")
        ).select_related("uploaded_by")
