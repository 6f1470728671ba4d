"""API of the training app (``/api/v1/``): sessions, attendance (+ ``result`` action),
certificates (``window`` filter), drills (multipart evidence), principal-led inspections,
rescue teams, and the computed figures ``training-coverage`` and ``training-duties``.

Lists start from ``visible_to(user)`` (outside scope → 404), filters as on the pages (unknown
query parameters → 400), rights from :mod:`training.permissions` (→ 403), writes through the
services (validation → 400)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from yixian_safety.api import StrictQueryParams, call_service
from yixian_safety.dates import today_local

from . import permissions as rights
from . import selectors, services
from . import serializers as s
from .filters import (
    AttendanceFilter,
    CertificateFilter,
    DrillFilter,
    InspectionFilter,
    RescueTeamFilter,
    SessionFilter,
    valid_year,
)
from .models import (
    Attendance,
    Certificate,
    Drill,
    EnterpriseFlag,
    PrincipalInspection,
    RescueTeam,
    TrainingSession,
)


class TrainingRights(permissions.BasePermission):
    """Read: any user with a role; write: :func:`training.permissions.can_record` (the services
    check the finer rules)."""

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return rights.can_view(request.user)
        return rights.can_record(request.user)


class _Base(viewsets.GenericViewSet):
    permission_classes = [TrainingRights]
    input_serializer = None
    output_serializer = None

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": today_local()}

    def _create(self, request, service, **extra):
        data = self.input_serializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        obj = call_service(lambda: service(actor=request.user, **data.validated_data, **extra))
        obj = self.get_queryset().get(pk=obj.pk)
        return Response(
            self.output_serializer(obj, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )


class SessionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _Base):
    """专题安全教育培训 sessions in the user's scope. Filters: year, audience, township, online,
    q. POST creates one organised by the user's unit (admins name it)."""

    serializer_class = s.SessionSerializer
    filterset_class = SessionFilter
    input_serializer = s.SessionInputSerializer
    output_serializer = s.SessionSerializer

    def get_queryset(self):
        return (
            TrainingSession.objects.visible_to(self.request.user)
            .select_related("organiser_township", "organiser_department")
            .annotate(
                n_attendees=Count("attendances"),
                n_passed=Count(
                    "attendances", filter=Q(attendances__result=Attendance.Result.PASSED)
                ),
            )
            .order_by("-held_on", "-pk")
        )

    @extend_schema(request=s.SessionInputSerializer, responses={201: s.SessionSerializer})
    def create(self, request):
        return self._create(request, services.session_create)


class AttendanceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _Base):
    """Attendees the user may see. Filters: session, enterprise, result, audience, year.
    POST adds one; ``POST …/{id}/result/`` records the assessment."""

    serializer_class = s.AttendanceSerializer
    filterset_class = AttendanceFilter
    input_serializer = s.AttendanceInputSerializer
    output_serializer = s.AttendanceSerializer

    def get_queryset(self):
        return Attendance.objects.visible_to(self.request.user).select_related("department")

    @extend_schema(request=s.AttendanceInputSerializer, responses={201: s.AttendanceSerializer})
    def create(self, request):
        data = s.AttendanceInputSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        session = get_object_or_404(
            TrainingSession.objects.visible_to(request.user), pk=values.pop("session")
        )
        obj = call_service(
            lambda: services.attendance_add(session=session, actor=request.user, **values)
        )
        return Response(s.AttendanceSerializer(obj).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.ResultSerializer, responses=s.AttendanceSerializer)
    @action(detail=True, methods=["post"])
    def result(self, request, pk=None):
        attendance = self.get_object()
        data = s.ResultSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        obj = call_service(
            lambda: services.attendance_set_result(
                attendance=attendance, actor=request.user, result=data.validated_data["result"]
            )
        )
        return Response(s.AttendanceSerializer(obj).data)


class CertificateViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _Base):
    """特种作业操作证. Filters: township, sector, enterprise, type, ``window`` (expired, 30, 60,
    90, review_overdue), q. POST records one; PUT changes one (e.g. renewed)."""

    serializer_class = s.CertificateSerializer
    filterset_class = CertificateFilter
    input_serializer = s.CertificateInputSerializer
    output_serializer = s.CertificateSerializer

    def get_queryset(self):
        return Certificate.objects.visible_to(self.request.user)

    @extend_schema(request=s.CertificateInputSerializer, responses={201: s.CertificateSerializer})
    def create(self, request):
        return self._create(request, services.certificate_create)

    @extend_schema(request=s.CertificateInputSerializer, responses=s.CertificateSerializer)
    def update(self, request, pk=None):
        cert = self.get_object()
        data = s.CertificateInputSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        data.is_valid(raise_exception=True)
        obj = call_service(
            lambda: services.certificate_update(
                certificate=cert, actor=request.user, **data.validated_data
            )
        )
        return Response(s.CertificateSerializer(obj, context=self.get_serializer_context()).data)


class DrillViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _Base):
    """疏散逃生演练. Filters: township, sector, enterprise, year, held_after/held_before, q.
    POST (JSON, or multipart with ``photos`` / ``documents``) records one."""

    serializer_class = s.DrillSerializer
    filterset_class = DrillFilter
    input_serializer = s.DrillInputSerializer
    output_serializer = s.DrillSerializer

    def get_queryset(self):
        return Drill.objects.visible_to(self.request.user).prefetch_related("evidence")

    @extend_schema(request=s.DrillInputSerializer, responses={201: s.DrillSerializer})
    def create(self, request):
        return self._create(
            request,
            services.drill_record,
            photos=request.FILES.getlist("photos"),
            documents=request.FILES.getlist("documents"),
        )


class InspectionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _Base):
    """主要负责人带队检查. Filters: township, sector, enterprise, year, q. POST records one
    (``hazards``: ids of ledger hazards of the same enterprise)."""

    serializer_class = s.InspectionSerializer
    filterset_class = InspectionFilter
    input_serializer = s.InspectionInputSerializer
    output_serializer = s.InspectionSerializer

    def get_queryset(self):
        return PrincipalInspection.objects.visible_to(self.request.user).prefetch_related("hazards")

    @extend_schema(request=s.InspectionInputSerializer, responses={201: s.InspectionSerializer})
    def create(self, request):
        return self._create(request, services.inspection_record)


class RescueTeamViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _Base):
    """应急救援队伍 of enterprises. Filters: township, sector, enterprise, q."""

    serializer_class = s.RescueTeamSerializer
    filterset_class = RescueTeamFilter
    input_serializer = s.RescueTeamInputSerializer
    output_serializer = s.RescueTeamSerializer

    def get_queryset(self):
        return RescueTeam.objects.visible_to(self.request.user)

    @extend_schema(request=s.RescueTeamInputSerializer, responses={201: s.RescueTeamSerializer})
    def create(self, request):
        return self._create(request, services.rescue_team_create)


class FlagViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _Base):
    """Enterprise categories (二级医院, 重点文物保护单位, 商业综合体) that make up task 3's focus
    groups. POST sets one, DELETE removes it (office, departments and admins)."""

    serializer_class = s.FlagSerializer
    filterset_fields = ["flag", "enterprise"]
    input_serializer = s.FlagInputSerializer
    output_serializer = s.FlagSerializer

    def get_queryset(self):
        return EnterpriseFlag.objects.visible_to(self.request.user).order_by("pk")

    @extend_schema(request=s.FlagInputSerializer, responses={201: s.FlagSerializer})
    def create(self, request):
        data = s.FlagInputSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        call_service(lambda: services.flag_set(actor=request.user, **data.validated_data))
        flag = self.get_queryset().get(**data.validated_data)
        return Response(s.FlagSerializer(flag).data, status=status.HTTP_201_CREATED)

    def destroy(self, request, pk=None):
        flag = self.get_object()
        call_service(
            lambda: services.flag_set(
                enterprise=flag.enterprise, flag=flag.flag, actor=request.user, on=False
            )
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


def _year_param(request) -> int:
    raw = request.query_params.get("year")
    year = valid_year(raw, today_local().year)
    if raw is not None and str(year) != raw:
        raise ValidationError({"year": [_("A year between 2000 and 2100.")]})
    return year


YEAR = OpenApiParameter("year", OpenApiTypes.INT, description="default: this year")


class CoverageViewSet(StrictQueryParams, viewsets.ViewSet):
    """Task 3 focus-group coverage of ``?year=`` in the user's scope."""

    permission_classes = [TrainingRights]
    extra_query_params = ["year"]

    @extend_schema(parameters=[YEAR], responses=s.CoverageSerializer(many=True))
    def list(self, request):
        year = _year_param(request)
        covs = selectors.focus_coverage(request.user, year=year, today=today_local())
        return Response(s.CoverageSerializer(covs, many=True).data)


class DutyViewSet(StrictQueryParams, viewsets.ViewSet):
    """Duty compliance (``?duty=drill|inspection``, ``?year=``): enterprise-periods started,
    met, pending, missed, rate — in total, by township and by sector."""

    permission_classes = [TrainingRights]
    extra_query_params = ["year", "duty"]

    @extend_schema(
        parameters=[YEAR, OpenApiParameter("duty", OpenApiTypes.STR, enum=list(selectors.DUTIES))],
        responses=s.DutySerializer,
    )
    def list(self, request):
        code = request.query_params.get("duty", "drill")
        if code not in selectors.DUTIES:
            raise ValidationError({"duty": [_("Choose drill or inspection.")]})
        year = _year_param(request)
        figs = selectors.duty_compliance(
            request.user, selectors.DUTIES[code], year=year, today=today_local()
        )
        return Response(s.DutySerializer({"duty": code, "year": year, **figs}).data)


# --- routes (collected by yixian_safety.urls) ---
router = DefaultRouter()
router.register("training-sessions", SessionViewSet, basename="training-session")
router.register("training-attendances", AttendanceViewSet, basename="training-attendance")
router.register("certificates", CertificateViewSet, basename="certificate")
router.register("drills", DrillViewSet, basename="drill")
router.register("principal-inspections", InspectionViewSet, basename="principal-inspection")
router.register("rescue-teams", RescueTeamViewSet, basename="rescue-team")
router.register("enterprise-categories", FlagViewSet, basename="enterprise-category")
router.register("training-coverage", CoverageViewSet, basename="training-coverage")
router.register("training-duties", DutyViewSet, basename="training-duties")
