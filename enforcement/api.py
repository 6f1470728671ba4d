"""API of supervision (``/api/v1/``): listings (+ report_progress, sign_off, delist),
extensions (+ approve, refuse), escalations (+ approve, dismiss, evaluate), slow progress.

Lists start from ``visible_to(user)`` (outside scope → 404); unknown query parameters → 400;
rights come from the services (→ 403); bad input → 400 with the field named.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from hazards.api import ModelRights
from hazards.models import Hazard
from yixian_safety.api import ServiceActions, StrictQueryParams, call_service
from yixian_safety.dates import today_local

from . import filters, services
from . import serializers as s
from .models import EscalationStep, ExtensionRequest, Listing
from .selectors import slow_progress


def _hazard(user, number: str) -> Hazard:
    hazard = Hazard.objects.visible_to(user).filter(ledger_number=number.strip().upper()).first()
    if hazard is None:
        raise ValidationError({"hazard": [_("Unknown ledger number.")]})
    return hazard


class ListingViewSet(ServiceActions, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """挂牌督办 in the user's scope. Filters: status, township, sector (codes), hazard (ledger
    number), batch, missed (true: with a missed quarterly report). POST (safety office) lists a
    hazard and numbers its notice; POST actions ``report_progress`` (this quarter),
    ``sign_off`` (listing body agrees to closure), ``delist`` (after closure)."""

    filterset_class = filters.ListingFilter
    permission_classes = [ModelRights]
    rights_model = Listing
    ordering_fields = ["listed_on", "required_completion"]

    def get_queryset(self):
        qs = (
            Listing.objects.visible_to(self.request.user)
            .for_list()
            .with_report_figures(today_local())
        )
        if self.action == "retrieve":
            qs = qs.prefetch_related("reports")
        return qs.order_by("-listed_on", "-pk")

    def get_serializer_class(self):
        if self.action == "create":
            return s.ListingCreateSerializer
        if self.action == "list":
            return s.ListingSerializer
        return s.ListingDetailSerializer

    def create(self, request, *args, **kwargs):
        data = s.ListingCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values["hazard"] = _hazard(request.user, values["hazard"])
        listing = call_service(lambda: services.listing_create(actor=request.user, **values))
        return Response(
            s.ListingDetailSerializer(self.get_queryset().get(pk=listing.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=s.ProgressSerializer, responses=s.ListingDetailSerializer)
    @action(detail=True, methods=["post"])
    def report_progress(self, request, pk=None):
        return self.run_action(
            services.listing_report_progress, s.ProgressSerializer, obj_arg="listing"
        )

    @extend_schema(request=None, responses=s.ListingDetailSerializer)
    @action(detail=True, methods=["post"])
    def sign_off(self, request, pk=None):
        return self.run_action(services.listing_sign_off, None, obj_arg="listing")

    @extend_schema(request=s.DecisionNoteSerializer, responses=s.ListingDetailSerializer)
    @action(detail=True, methods=["post"])
    def delist(self, request, pk=None):
        return self.run_action(services.listing_delist, s.DecisionNoteSerializer, obj_arg="listing")


class ExtensionViewSet(ServiceActions, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """延期 requests in scope. Filters: status, hazard (ledger number). POST files a request
    (201; a request filed later than N Chinese working days before the deadline comes back
    already ``refused`` with the count in ``decision_note``); POST ``approve`` / ``refuse``."""

    serializer_class = s.ExtensionSerializer
    filterset_class = filters.ExtensionFilter
    permission_classes = [ModelRights]
    rights_model = ExtensionRequest
    ordering_fields = ["requested_at", "filed_on"]

    def get_queryset(self):
        return ExtensionRequest.objects.visible_to(self.request.user).for_list()

    def get_serializer_class(self):
        return s.ExtensionCreateSerializer if self.action == "create" else s.ExtensionSerializer

    def create(self, request, *args, **kwargs):
        data = s.ExtensionCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values["hazard"] = _hazard(request.user, values["hazard"])
        ext = call_service(lambda: services.extension_request(actor=request.user, **values))
        return Response(s.ExtensionSerializer(ext).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.DecisionNoteSerializer, responses=s.ExtensionSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self.run_action(
            services.extension_approve, s.DecisionNoteSerializer, obj_arg="extension"
        )

    @extend_schema(request=s.RequiredDecisionNoteSerializer, responses=s.ExtensionSerializer)
    @action(detail=True, methods=["post"])
    def refuse(self, request, pk=None):
        return self.run_action(
            services.extension_refuse, s.RequiredDecisionNoteSerializer, obj_arg="extension"
        )


class EscalationViewSet(ServiceActions, viewsets.ReadOnlyModelViewSet):
    """函告 / 通报 / 约谈 / 曝光 steps concerning the user's units. Filters: status, kind,
    target_kind. POST ``approve`` (allocates the 文号; 曝光 gets ``public_url``), ``dismiss``
    (note required); POST ``/escalations/evaluate/`` runs the rules (safety office)."""

    serializer_class = s.EscalationSerializer
    filterset_class = filters.EscalationFilter
    permission_classes = [ModelRights]
    rights_model = EscalationStep
    ordering_fields = ["proposed_at", "issued_on"]

    def get_queryset(self):
        return (
            EscalationStep.objects.visible_to(self.request.user)
            .select_related("township", "department", "enterprise")
            .prefetch_related("hazards")
            .order_by("-proposed_at", "-pk")
        )

    @extend_schema(request=s.DecisionNoteSerializer, responses=s.EscalationSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self.run_action(
            services.escalation_approve, s.DecisionNoteSerializer, obj_arg="step"
        )

    @extend_schema(request=s.RequiredDecisionNoteSerializer, responses=s.EscalationSerializer)
    @action(detail=True, methods=["post"])
    def dismiss(self, request, pk=None):
        return self.run_action(
            services.escalation_dismiss, s.RequiredDecisionNoteSerializer, obj_arg="step"
        )

    @extend_schema(request=None, responses=s.EscalationSerializer(many=True))
    @action(detail=False, methods=["post"], pagination_class=None)  # a plain list, not a page
    def evaluate(self, request):
        from django.core.exceptions import PermissionDenied

        from .permissions import can_evaluate_escalation

        if not can_evaluate_escalation(request.user):
            raise PermissionDenied
        made = services.escalation_evaluate()
        return Response(s.EscalationSerializer(made, many=True).data)


class SlowProgressViewSet(StrictQueryParams, viewsets.ViewSet):
    """Task 15: townships and sectors with overdue major hazards or missed quarterly reports
    (overdue count, days overdue max/avg, past-deadline count, missed reports), user's scope."""

    permission_classes = [ModelRights]
    rights_model = Listing

    @extend_schema(responses=s.SlowProgressSerializer)
    def list(self, request):
        stats = slow_progress(Hazard.objects.visible_to(request.user))

        def rows(items):
            return [
                {
                    "unit": r.label,
                    "code": getattr(r.unit, "code", ""),
                    "open": r.open,
                    "overdue": r.overdue,
                    "max_days_overdue": r.max_days_overdue,
                    "avg_days_overdue": r.avg_days_overdue,
                    "past_deadline": r.past_deadline,
                    "missed_reports": r.missed_reports,
                    "url": r.url,
                }
                for r in items
            ]

        return Response(
            {
                "today": stats.today,
                "by_township": rows(stats.by_township),
                "by_sector": rows(stats.by_sector),
            }
        )


# --- routes (collected by yixian_safety.urls) ---
router = DefaultRouter()
router.register("listings", ListingViewSet, basename="listing")
router.register("extensions", ExtensionViewSet, basename="extension")
router.register("escalations", EscalationViewSet, basename="escalation")
router.register("slow-progress", SlowProgressViewSet, basename="slow-progress")
