"""API of the ledger (``/api/v1/``): enterprises, hazards (+ lifecycle POST actions), criteria,
statistics. Lists start from ``visible_to(user)`` (outside scope → 404), filters as on the
pages (unknown query parameters → 400), lifecycle rights from the services (→ 403)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from yixian_safety import idempotency
from yixian_safety.api import ServiceActions, StrictQueryParams, call_service
from yixian_safety.dates import today_local

from . import serializers as s
from . import services
from .filters import EnterpriseFilter, HazardFilter
from .models import Enterprise, Hazard, HazardCriterion, JudgementStandard, Level
from .selectors import (
    hazard_by_idempotency_key,
    hazard_statistics_for,
    ledger_count,
)


class ModelRights(permissions.BasePermission):
    """``view_<model>`` to read, ``add_<model>`` to create, ``change_<model>`` to change."""

    def has_permission(self, request, view):
        model = view.rights_model
        verb = {
            "GET": "view",
            "HEAD": "view",
            "OPTIONS": "view",
            "POST": "add",
            "PUT": "change",
            "PATCH": "change",
        }.get(request.method)
        if view.action and view.action not in (
            "list",
            "retrieve",
            "create",
            "update",
            "partial_update",
        ):
            verb = "view"  # lifecycle actions: the services check the rights
        return bool(
            verb
            and request.user.is_authenticated
            and request.user.has_perm(f"{model._meta.app_label}.{verb}_{model._meta.model_name}")
        )


class EnterpriseViewSet(
    mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """生产经营单位 in the user's scope. Filters: township, sector (codes), high_risk, q.
    POST/PATCH validate the 统一社会信用代码 check digit."""

    serializer_class = s.EnterpriseSerializer
    filterset_class = EnterpriseFilter
    permission_classes = [ModelRights]
    rights_model = Enterprise
    ordering_fields = ["name", "credit_code"]

    def get_queryset(self):
        return (
            Enterprise.objects.visible_to(self.request.user)
            .select_related("township")
            .prefetch_related("sectors")
            .with_high_risk()
            .order_by("name", "pk")
        )

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        sectors = data.pop("sectors")
        serializer.instance = call_service(
            lambda: services.enterprise_create(actor=self.request.user, sectors=sectors, **data)
        )
        serializer.instance.is_high_risk = serializer.instance.high_risk

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        sectors = data.pop("sectors", None)
        serializer.instance = call_service(
            lambda: services.enterprise_update(
                enterprise=serializer.instance, actor=self.request.user, sectors=sectors, **data
            )
        )
        serializer.instance.is_high_risk = serializer.instance.high_risk


class HazardViewSet(ServiceActions, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """The ledger. Filters: see :class:`hazards.filters.HazardFilter`; ``ordering``:
    found_on, ledger_number. POST creates a report; lifecycle steps are POST actions
    (``confirm``, ``reject``, ``rectification``, ``start_rectification``,
    ``submit_for_acceptance``, ``fail_acceptance``, ``accept``, ``close``, ``merge``,
    ``unmerge``); ``status`` is never writable."""

    filterset_class = HazardFilter
    permission_classes = [ModelRights]
    rights_model = Hazard
    ordering_fields = ["found_on", "ledger_number"]

    def get_queryset(self):
        qs = Hazard.objects.visible_to(self.request.user).for_list()
        if self.action == "retrieve":
            qs = qs.prefetch_related("events__actor", "attachments", "merged_reports")
        return qs.order_by("-found_on", "-pk")

    def filter_queryset(self, queryset):
        if self.action != "list":  # merged reports stay reachable by id
            return queryset
        return super().filter_queryset(queryset)

    def known_count(self, request) -> int | None:
        """The unfiltered list's length from the figures summary when it is current
        (:func:`hazards.selectors.ledger_count`), for the pager instead of ``count(*)``."""
        if set(request.query_params) - {"page", "page_size", "ordering", "format"}:
            return None
        return ledger_count(request.user)

    def get_serializer_class(self):
        if self.action == "retrieve":
            return s.HazardDetailSerializer
        if self.action == "create":
            return s.HazardReportSerializer
        return s.HazardSerializer

    def get_serializer(self, *args, **kwargs):
        if self.action == "create":
            kwargs["enterprises"] = Enterprise.objects.visible_to(self.request.user)
        return super().get_serializer(*args, **kwargs)

    @extend_schema(
        request=s.HazardReportSerializer,
        parameters=[
            OpenApiParameter(
                idempotency.HEADER,
                OpenApiTypes.UUID,
                OpenApiParameter.HEADER,
                required=False,
                description="幂等键 (idempotency key): a UUID the client makes for this report "
                "and sends again on a retry. A second POST by the same user with the same key "
                "logs nothing and answers the first one's hazard with 200.",
            )
        ],
        responses={201: s.HazardSerializer, 200: s.HazardSerializer},
    )
    def create(self, request, *args, **kwargs):
        """Log a report (JSON, or multipart with ``before_photos`` / ``documents`` files).
        201 with the new hazard; 200 with the earlier one for a repeated ``Idempotency-Key``;
        an invalid key is 400 ``{"idempotency_key": [message]}``."""
        key = call_service(lambda: idempotency.parse_key(request.headers.get(idempotency.HEADER)))
        earlier = hazard_by_idempotency_key(actor=request.user, key=key)
        if earlier is not None:
            return Response(s.HazardSerializer(earlier).data, status=status.HTTP_200_OK)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        hazard = call_service(
            lambda: services.hazard_report(
                actor=request.user,
                before_photos=request.FILES.getlist("before_photos"),
                documents=request.FILES.getlist("documents"),
                idempotency_key=key,
                **serializer.validated_data,
            )
        )
        return Response(s.HazardSerializer(hazard).data, status=status.HTTP_201_CREATED)

    def _step(self, service, input_serializer, **extra):
        return self.run_action(
            service, input_serializer, obj_arg="hazard", output=s.HazardDetailSerializer, **extra
        )

    @extend_schema(request=s.NoteSerializer, responses=s.HazardDetailSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        return self._step(services.hazard_confirm, s.NoteSerializer)

    @extend_schema(request=s.ReasonSerializer, responses=s.HazardDetailSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._step(services.hazard_reject, s.ReasonSerializer)

    @extend_schema(request=s.FiveImplementationsSerializer, responses=s.HazardDetailSerializer)
    @action(detail=True, methods=["post"])
    def rectification(self, request, pk=None):
        """Enter the five implementations (五落实)."""
        hazard = self.get_object()
        data = s.FiveImplementationsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        call_service(
            lambda: services.rectification_save(
                hazard=hazard, actor=request.user, **data.validated_data
            )
        )
        return Response(s.HazardDetailSerializer(self.get_queryset().get(pk=hazard.pk)).data)

    @extend_schema(request=s.NoteSerializer, responses=s.HazardDetailSerializer)
    @action(detail=True, methods=["post"])
    def start_rectification(self, request, pk=None):
        return self._step(services.hazard_start_rectification, s.NoteSerializer)

    @extend_schema(request=s.NoteSerializer, responses=s.HazardDetailSerializer)
    @action(detail=True, methods=["post"])
    def submit_for_acceptance(self, request, pk=None):
        """Multipart: ``after_photos`` (files) + ``note``. An after photo that is a before
        photo (even re-saved, resized, cropped or brightened) is a 400 whose body also has
        ``before_photo`` (the scoped URL of the matching before photo)."""
        try:
            return self._step(
                services.hazard_submit_for_acceptance,
                s.NoteSerializer,
                after_photos=request.FILES.getlist("after_photos"),
            )
        except ValidationError as exc:
            cause = exc.__cause__
            if isinstance(cause, services.NearDuplicatePhoto):
                raise ValidationError(
                    {**exc.detail, "before_photo": cause.before.get_absolute_url()}
                ) from cause
            raise

    @extend_schema(request=s.ReasonSerializer, responses=s.HazardDetailSerializer)
    @action(detail=True, methods=["post"])
    def fail_acceptance(self, request, pk=None):
        return self._step(services.hazard_fail_acceptance, s.ReasonSerializer)

    @extend_schema(request=s.NoteSerializer, responses=s.HazardDetailSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._step(services.hazard_accept, s.NoteSerializer)

    @extend_schema(request=s.NoteSerializer, responses=s.HazardDetailSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._step(services.hazard_close, s.NoteSerializer)

    @extend_schema(request=s.ReasonSerializer, responses=s.HazardDetailSerializer)
    @action(detail=True, methods=["post"])
    def unmerge(self, request, pk=None):
        return self._step(services.hazard_unmerge, s.ReasonSerializer)

    @extend_schema(request=s.MergeSerializer, responses=s.HazardDetailSerializer)
    @action(detail=True, methods=["post"])
    def merge(self, request, pk=None):
        """Merge the reports (ledger numbers in the user's scope) into this hazard."""
        target = self.get_object()
        data = s.MergeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        numbers = data.validated_data["reports"]
        reports = list(Hazard.objects.visible_to(request.user).filter(ledger_number__in=numbers))
        if len(reports) != len(set(numbers)):
            raise ValidationError({"reports": [_("Unknown ledger number.")]})
        call_service(
            lambda: services.hazards_merge(
                target=target,
                reports=reports,
                actor=request.user,
                reason=data.validated_data["reason"],
            )
        )
        return Response(s.HazardDetailSerializer(self.get_queryset().get(pk=target.pk)).data)


class CriterionViewSet(viewsets.ReadOnlyModelViewSet):
    """National judgement-standard clauses per sector (kept by admins). ``?sector=<code>``."""

    serializer_class = s.CriterionSerializer
    permission_classes = [permissions.IsAuthenticated]
    filterset_fields = ["active"]
    extra_query_params = ["sector", "standard"]

    def get_queryset(self):
        qs = HazardCriterion.objects.select_related(
            "standard", "standard__superseded_by"
        ).prefetch_related("sector_links")
        if self.request.query_params.get("sector"):
            qs = qs.for_sector(self.request.query_params["sector"][:40])
        if self.request.query_params.get("standard"):
            qs = qs.filter(standard__code=self.request.query_params["standard"][:40])
        return qs


class StandardViewSet(viewsets.ReadOnlyModelViewSet):
    """The national judgement standards: document number, dates, source, verification."""

    serializer_class = s.StandardSerializer
    permission_classes = [permissions.IsAuthenticated]
    lookup_field = "code"
    queryset = JudgementStandard.objects.select_related("superseded_by")


class StatisticsViewSet(StrictQueryParams, viewsets.ViewSet):
    """Task 15 figures for the user's scope; each figure has ``url`` = the ledger behind it.
    ``?level=major|general``."""

    permission_classes = [ModelRights]
    rights_model = Hazard
    extra_query_params = ["level"]

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def list(self, request):
        level = request.query_params.get("level", "")
        if level and level not in Level.values:
            raise ValidationError({"level": [_("Choose major or general.")]})
        stats = hazard_statistics_for(request.user, level=level, today=today_local())

        def row(r):
            return {
                "label": r.label,
                "total": vars(r.total),
                "open": vars(r.open),
                "overdue": vars(r.overdue),
                "closure_rate": r.closure_rate,
                "statuses": {
                    st.value: vars(c) for st, c in zip(stats.statuses, r.statuses, strict=True)
                },
            }

        return Response(
            {
                "today": stats.today,
                "figures_at": stats.figures_at,
                "total": row(stats.total),
                "by_township": [row(r) for r in stats.by_township],
                "by_sector": [row(r) for r in stats.by_sector],
                "by_year": [row(r) for r in stats.by_year],
                "stock_vs_increment": [row(r) for r in stats.stock_vs_increment],
                "by_source": [row(r) for r in stats.by_source],
                "by_criterion": [
                    {
                        "criterion": r.criterion.pk,
                        "standard": r.criterion.standard.code,
                        "clause": r.criterion.clause,
                        "text": r.criterion.text,
                        **row(r.row),
                    }
                    for r in stats.by_criterion
                ],
                "major_without_criterion": vars(stats.major_without_criterion),
            }
        )


# --- routes (collected by yixian_safety.urls) ---
router = DefaultRouter()
router.register("enterprises", EnterpriseViewSet, basename="enterprise")
router.register("hazards", HazardViewSet, basename="hazard")
router.register("hazard-criteria", CriterionViewSet, basename="hazardcriterion")
router.register("judgement-standards", StandardViewSet, basename="judgementstandard")
router.register("hazard-statistics", StatisticsViewSet, basename="hazard-statistics")
