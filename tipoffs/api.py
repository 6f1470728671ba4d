"""API of the tip-offs (``/api/v1/``, staff only: the public uses the pages). Lists start from
``visible_to(user)`` (outside scope → 404), filters as on the pages (unknown parameters → 400),
workflow steps are POST actions through the services (not allowed → 403). No endpoint returns
a reporter's identity."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from hazards.models import Enterprise, Hazard
from yixian_safety.api import ServiceActions, StrictQueryParams
from yixian_safety.dates import today_local

from . import serializers as s
from . import services
from .filters import RewardFilter, TipOffFilter
from .models import Reward, TipOff
from .selectors import tipoff_statistics


class CanView(permissions.BasePermission):
    def has_permission(self, request, view):
        return bool(request.user.is_authenticated and request.user.has_perm(view.view_perm))


class TipOffViewSet(ServiceActions, viewsets.ReadOnlyModelViewSet):
    """Tip-offs in the user's scope. Filters: see :class:`tipoffs.filters.TipOffFilter`;
    ``ordering``: received_at, step_due_on. Steps (POST): ``assign``, ``dismiss``,
    ``start_verification``, ``verify``, ``find_unverified``, ``close``, ``reply``,
    ``reward``, ``pay``; ``status`` is never writable."""

    filterset_class = TipOffFilter
    permission_classes = [CanView]
    view_perm = "tipoffs.view_tipoff"
    ordering_fields = ["received_at", "step_due_on"]

    def get_queryset(self):
        qs = TipOff.objects.visible_to(self.request.user).for_list()
        if self.action == "retrieve":
            qs = qs.prefetch_related("events__actor", "photos")
        return qs.order_by("-received_at", "-pk")

    def get_serializer_class(self):
        return s.TipOffDetailSerializer if self.action == "retrieve" else s.TipOffSerializer

    def _step(self, service, input_serializer, **extra):
        return self.run_action(
            service, input_serializer, obj_arg="tipoff", output=s.TipOffDetailSerializer, **extra
        )

    @extend_schema(request=s.AssignSerializer, responses=s.TipOffDetailSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        return self._step(services.tipoff_assign, s.AssignSerializer)

    @extend_schema(request=s.DismissSerializer, responses=s.TipOffDetailSerializer)
    @action(detail=True, methods=["post"])
    def dismiss(self, request, pk=None):
        self.get_object()  # out of scope → 404 before the body is judged (400 would reveal it)
        data = s.DismissSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        number = data.validated_data.get("duplicate_of", "").strip()
        duplicate = None
        if number:
            duplicate = TipOff.objects.visible_to(request.user).filter(number=number).first()
            if duplicate is None:
                raise ValidationError({"duplicate_of": [_("Unknown tip-off number.")]})
        values = {**data.validated_data, "duplicate_of": duplicate}
        return self._step(services.tipoff_dismiss, None, **values)

    @extend_schema(request=s.TipOffNoteSerializer, responses=s.TipOffDetailSerializer)
    @action(detail=True, methods=["post"])
    def start_verification(self, request, pk=None):
        return self._step(services.tipoff_start_verification, s.TipOffNoteSerializer)

    @extend_schema(request=s.VerifySerializer, responses=s.TipOffDetailSerializer)
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        """查实 into a hazard: ``enterprise`` (id) or ``merge_into`` (ledger number)."""
        self.get_object()  # out of scope → 404 before the body is judged
        data = s.VerifySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        enterprise = data.validated_data.get("enterprise")
        if (
            enterprise is not None
            and not Enterprise.objects.visible_to(request.user).filter(pk=enterprise.pk).exists()
        ):
            raise ValidationError({"enterprise": [_("Unknown enterprise.")]})
        number = data.validated_data.get("merge_into", "").strip()
        hazard = None
        if number:
            hazard = Hazard.objects.visible_to(request.user).filter(ledger_number=number).first()
            if hazard is None:
                raise ValidationError({"merge_into": [_("Unknown ledger number.")]})
        values = {**data.validated_data, "merge_into": hazard}
        return self._step(services.tipoff_verify, None, **values)

    @extend_schema(request=s.TipOffReasonSerializer, responses=s.TipOffDetailSerializer)
    @action(detail=True, methods=["post"])
    def find_unverified(self, request, pk=None):
        return self._step(services.tipoff_find_unverified, s.TipOffReasonSerializer)

    @extend_schema(request=s.TipOffReplySerializer, responses=s.TipOffDetailSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._step(services.tipoff_close, s.TipOffReplySerializer)

    @extend_schema(request=s.TipOffReplySerializer, responses=s.TipOffDetailSerializer)
    @action(detail=True, methods=["post"])
    def reply(self, request, pk=None):
        return self._step(services.tipoff_reply, s.TipOffReplySerializer)

    @extend_schema(request=s.RewardDecisionSerializer, responses=s.TipOffDetailSerializer)
    @action(detail=True, methods=["post"])
    def reward(self, request, pk=None):
        return self._step(services.reward_decide, s.RewardDecisionSerializer)

    @extend_schema(request=s.PaymentSerializer, responses=s.TipOffDetailSerializer)
    @action(detail=True, methods=["post"])
    def pay(self, request, pk=None):
        return self._step(services.reward_pay, s.PaymentSerializer)


class RewardViewSet(viewsets.ReadOnlyModelViewSet):
    """Rewards of visible tip-offs (``view_reward``). Filters: ``paid``, ``decided_year``."""

    serializer_class = s.RewardSerializer
    filterset_class = RewardFilter
    permission_classes = [CanView]
    view_perm = "tipoffs.view_reward"

    def get_queryset(self):
        return (
            Reward.objects.visible_to(self.request.user)
            .select_related("tipoff", "decided_by")
            .order_by("-decided_on", "-pk")
        )


class StatisticsViewSet(StrictQueryParams, viewsets.ViewSet):
    """Task 25 figures of the visible tip-offs (see :func:`tipoffs.selectors.tipoff_statistics`)."""

    permission_classes = [CanView]
    view_perm = "tipoffs.view_tipoff"

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def list(self, request):
        stats = tipoff_statistics(TipOff.objects.visible_to(request.user), today=today_local())
        return Response(vars(stats))


# --- routes (collected by yixian_safety.urls) ---
router = DefaultRouter()
router.register("tipoffs", TipOffViewSet, basename="tipoff")
router.register("tipoff-rewards", RewardViewSet, basename="tipoff-reward")
router.register("tipoff-statistics", StatisticsViewSet, basename="tipoff-statistics")
