"""API of enforcement (``/api/v1/``): inspections (+ complete, cancel, raise_hazard,
assign_experts), draws (+ replay, publish), enforcement actions (+ refer), experts, conflict
ties, accidents, statistics.

Lists start from ``visible_to(user)`` (outside scope → 404); unknown query parameters → 400;
rights come from the services (→ 403); bad input → 400 with the field named.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from hazards.api import ModelRights
from hazards.models import Hazard
from yixian_safety.api import ServiceActions, StrictQueryParams, call_service
from yixian_safety.dates import today_local

from . import filters, selectors, services
from . import serializers as s
from .models import Accident, ConflictTie, Draw, EnforcementAction, Expert, Inspection


class _Create:
    """``create`` through a service: validate with ``create_serializer``, call
    ``create_service(actor=user, **data)``, answer the object re-read through the scope."""

    create_serializer = None

    def get_serializer_class(self):
        return self.create_serializer if self.action == "create" else self.serializer_class

    def prepare(self, values: dict) -> dict:
        return values

    def create(self, request, *args, **kwargs):
        data = self.create_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = self.prepare(dict(data.validated_data))
        obj = call_service(lambda: type(self).create_service(actor=request.user, **values))
        return Response(
            self.serializer_class(self.get_queryset().get(pk=obj.pk)).data,
            status=status.HTTP_201_CREATED,
        )


class InspectionViewSet(
    _Create, ServiceActions, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """执法检查 in scope. Filters: status, department, township, enterprise, method, draw,
    inspected_from/to, findings, zero_penalty. POST records an inspection carried out; POST
    ``complete`` / ``cancel`` a planned one; ``raise_hazard`` logs a ledger hazard (source
    督导检查发现) linked to it; ``assign_experts`` draws experts without a conflict."""

    serializer_class = s.InspectionSerializer
    create_serializer = s.InspectionCreateSerializer
    create_service = staticmethod(services.inspection_record)
    filterset_class = filters.InspectionFilter
    permission_classes = [ModelRights]
    rights_model = Inspection

    def get_queryset(self):
        return (
            Inspection.objects.visible_to(self.request.user)
            .for_list()
            .prefetch_related("hazards")
            .order_by("-inspected_on", "-pk")
        )

    @extend_schema(request=s.CompleteSerializer, responses=s.InspectionSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        return self.run_action(
            services.inspection_complete, s.CompleteSerializer, obj_arg="inspection"
        )

    @extend_schema(request=s.InspectionNoteSerializer, responses=s.InspectionSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self.run_action(
            services.inspection_cancel, s.InspectionNoteSerializer, obj_arg="inspection"
        )

    @extend_schema(request=s.RaiseHazardSerializer, responses=s.InspectionSerializer)
    @action(detail=True, methods=["post"])
    def raise_hazard(self, request, pk=None):
        return self.run_action(
            services.inspection_raise_hazard, s.RaiseHazardSerializer, obj_arg="inspection"
        )

    @extend_schema(request=s.AssignExpertsSerializer, responses=s.InspectionSerializer)
    @action(detail=True, methods=["post"])
    def assign_experts(self, request, pk=None):
        return self.run_action(
            services.inspection_assign_experts, s.AssignExpertsSerializer, obj_arg="inspection"
        )


class DrawViewSet(_Create, ServiceActions, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """双随机 draws in scope (task 26). POST draws (seed, pool, roster and ties frozen; planned
    inspections created); GET ``replay`` recomputes the result from the stored inputs
    (``matches``); POST ``publish`` gives it the public page (``public_url``)."""

    serializer_class = s.DrawSerializer
    create_serializer = s.DrawCreateSerializer
    create_service = staticmethod(services.draw_create)
    filterset_class = filters.DrawFilter
    permission_classes = [ModelRights]
    rights_model = Draw

    def get_queryset(self):
        return Draw.objects.visible_to(self.request.user).select_related("department")

    @extend_schema(responses=s.ReplaySerializer)
    @action(detail=True, methods=["get"])
    def replay(self, request, pk=None):
        draw = self.get_object()
        result = call_service(lambda: services.draw_replay(draw))
        return Response({"matches": result == draw.result, "result": result})

    @extend_schema(request=None, responses=s.DrawSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        return self.run_action(services.draw_publish, None, obj_arg="draw")


class ActionViewSet(
    _Create, ServiceActions, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """行政处罚 and related measures in scope. Filters: department, township, enterprise, kind,
    decided_from/to, referred, inspection. POST records one (amounts in 元 as decimal strings,
    bounded; ``hazards``: ledger numbers); POST ``refer`` — 行刑衔接."""

    serializer_class = s.EnforcementActionSerializer
    create_serializer = s.EnforcementActionCreateSerializer
    create_service = staticmethod(services.action_record)
    filterset_class = filters.ActionFilter
    permission_classes = [ModelRights]
    rights_model = EnforcementAction

    def get_queryset(self):
        return (
            EnforcementAction.objects.visible_to(self.request.user)
            .for_list()
            .prefetch_related("hazards")
        )

    def prepare(self, values):
        user = self.request.user
        if values.get("inspection") is not None:
            values["inspection"] = (
                Inspection.objects.visible_to(user).filter(pk=values["inspection"]).first()
            )
            if values["inspection"] is None:
                raise ValidationError({"inspection": [_("Unknown inspection.")]})
        numbers = [n.strip().upper() for n in values.get("hazards", [])]
        found = list(Hazard.objects.visible_to(user).filter(ledger_number__in=numbers))
        if len(found) != len(set(numbers)):
            raise ValidationError({"hazards": [_("Unknown ledger number.")]})
        values["hazards"] = found
        return values

    @extend_schema(request=s.ReferSerializer, responses=s.EnforcementActionSerializer)
    @action(detail=True, methods=["post"])
    def refer(self, request, pk=None):
        return self.run_action(services.action_refer, s.ReferSerializer, obj_arg="action")


class ExpertViewSet(viewsets.ReadOnlyModelViewSet):
    """专家库 (task 28). Filters: sector, available, name."""

    serializer_class = s.ExpertSerializer
    filterset_class = filters.ExpertFilter
    permission_classes = [ModelRights]
    rights_model = Expert

    def get_queryset(self):
        return Expert.objects.visible_to(self.request.user).prefetch_related("sectors")


class TieViewSet(_Create, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Conflict-of-interest ties in scope; POST records one (``person`` or ``expert``)."""

    serializer_class = s.TieSerializer
    create_serializer = s.TieCreateSerializer
    create_service = staticmethod(services.tie_record)
    filterset_class = filters.TieFilter
    permission_classes = [ModelRights]
    rights_model = ConflictTie

    def get_queryset(self):
        return ConflictTie.objects.visible_to(self.request.user)


class AccidentViewSet(_Create, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """生产安全事故 in scope. Filters: year, township, sector, grade, fatal, investigation. POST
    records one; the grade is derived (a ``grade`` given that differs → 400)."""

    serializer_class = s.AccidentSerializer
    create_serializer = s.AccidentCreateSerializer
    create_service = staticmethod(services.accident_record)
    filterset_class = filters.AccidentFilter
    permission_classes = [ModelRights]
    rights_model = Accident

    def get_queryset(self):
        return Accident.objects.visible_to(self.request.user).for_list()


class StatisticsViewSet(StrictQueryParams, viewsets.ViewSet):
    """Per department for ``year`` (default: this year, Asia/Shanghai) and ``quarter``: inspections, enterprises, findings,
    hazards, zero-penalty inspections, actions, fines (元), ``flagged`` (只检查不处罚)."""

    permission_classes = [ModelRights]
    rights_model = Inspection
    extra_query_params = ["year", "quarter"]

    @extend_schema(
        parameters=[OpenApiParameter("year", int), OpenApiParameter("quarter", int)],
        responses={200: dict},
    )
    def list(self, request):
        try:
            year = int(request.query_params.get("year") or today_local().year)
            quarter = request.query_params.get("quarter")
            quarter = int(quarter) if quarter else None
        except ValueError:
            year = quarter = 0
        if not 2000 <= year <= 2100 or quarter not in (None, 1, 2, 3, 4):
            raise ValidationError({"year": [_("year: a year 2000–2100; quarter: 1–4.")]})
        stats = selectors.department_statistics(request.user, year=year, quarter=quarter)
        return Response(
            {
                "start": stats.start,
                "end": stats.end,
                "rows": [
                    {
                        "department": r.department.code,
                        "inspections": r.inspections,
                        "enterprises": r.enterprises,
                        "with_findings": r.with_findings,
                        "hazards": r.hazards,
                        "zero_penalty": r.zero_penalty,
                        "actions": r.actions,
                        "fines": str(r.fines),
                        "flagged": r.flagged,
                        "urls": r.urls,
                    }
                    for r in stats.rows
                ],
            }
        )


# --- routes (merged by yixian_safety.urls) ---
router = DefaultRouter()
router.register("inspections", InspectionViewSet, basename="inspection")
router.register("draws", DrawViewSet, basename="draw")
router.register("enforcement-actions", ActionViewSet, basename="enforcement-action")
router.register("experts", ExpertViewSet, basename="expert")
router.register("conflict-ties", TieViewSet, basename="conflict-tie")
router.register("accidents", AccidentViewSet, basename="accident")
router.register("enforcement-statistics", StatisticsViewSet, basename="enforcement-statistics")
