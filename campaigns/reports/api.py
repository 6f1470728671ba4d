"""API of the report archive: ``/api/v1/reports/`` (list, retrieve; ``?kind=``, ``?period=``,
``?scope_kind=``, ``?status=``, ``?latest=true``), POST to request a build (201, the queued
report), POST ``{id}/retry/`` for a failed build, GET ``{id}/download/pdf|xlsx/`` for the stored
files; ``/api/v1/outcomes/`` (制度成果: list, retrieve, POST). Scoped by ``visible_to`` (404 outside); not allowed to build → 403; bad input → 400."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from campaigns.reports import serializers as s
from campaigns.reports.filters import OutcomeFilter, ReportFilter
from campaigns.reports.models import Report
from campaigns.reports.permissions import can_view_reports
from campaigns.reports.selectors import outcomes_for, reports_for
from campaigns.reports.services import (
    outcome_record,
    report_download_record,
    report_request,
    report_retry,
)
from yixian_safety.api import ServiceActions, call_service


class ReportViewSet(ServiceActions, viewsets.ReadOnlyModelViewSet):
    """Reports the caller may see, every version, newest first."""

    serializer_class = s.ReportSerializer
    filterset_class = ReportFilter

    def get_queryset(self):
        return reports_for(self.request.user)

    @extend_schema(request=s.ReportRequestSerializer, responses={201: s.ReportSerializer})
    def create(self, request, *args, **kwargs):
        """Request a build; it runs in the background (poll the report's ``status``)."""
        if not can_view_reports(request.user):
            raise Http404
        data = s.ReportRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        report = call_service(
            lambda: report_request(
                kind=d["kind"], period_key=d["period"], scope_key=d["scope"], actor=request.user
            )
        )
        return Response(
            self.get_serializer(self.get_queryset().get(pk=report.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=None, responses=s.ReportSerializer)
    @action(detail=True, methods=["post"])
    def retry(self, request, pk=None):
        """Queue a failed build again."""
        return self.run_action(report_retry, obj_arg="report")

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], url_path=r"download/(?P<fmt>pdf|xlsx)")
    def download(self, request, pk=None, fmt="pdf"):
        """The stored PDF or Excel (404 until the report is ready)."""
        from campaigns.reports.views import CONTENT_TYPES, attachment_response

        report = self.get_object()
        if report.status != Report.Status.READY:
            raise Http404
        stored = report.pdf if fmt == "pdf" else report.xlsx
        try:
            handle = stored.open("rb")
        except (FileNotFoundError, ValueError):
            raise Http404 from None
        report_download_record(report=report)
        return attachment_response(
            handle,
            content_type=CONTENT_TYPES[fmt],
            filename=report.file_name(fmt),
            ascii_name=report.ascii_name(fmt),
        )


class OutcomeViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """制度成果 the caller may see (``?township=``, ``?department=``, ``?year=``); POST records
    one of the caller's unit (multipart with ``document``)."""

    serializer_class = s.OutcomeSerializer
    filterset_class = OutcomeFilter
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    def get_queryset(self):
        return outcomes_for(self.request.user)

    @extend_schema(request=s.OutcomeCreateSerializer, responses={201: s.OutcomeSerializer})
    def create(self, request, *args, **kwargs):
        data = s.OutcomeCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        outcome = call_service(lambda: outcome_record(actor=request.user, **data.validated_data))
        return Response(
            self.get_serializer(self.get_queryset().get(pk=outcome.pk)).data,
            status=status.HTTP_201_CREATED,
        )
