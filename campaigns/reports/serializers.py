"""Serializers of the report archive API: one for reading a report, one for a build request."""

from __future__ import annotations

from django.urls import reverse
from rest_framework import serializers

from campaigns.reports.models import Outcome, Report


class ReportSerializer(serializers.ModelSerializer):
    """A report as stored: never writable (builds are requested with POST)."""

    title = serializers.CharField(read_only=True)
    scope_label = serializers.CharField(read_only=True)
    pdf_url = serializers.SerializerMethodField()
    xlsx_url = serializers.SerializerMethodField()

    class Meta:
        model = Report
        fields = [
            "id",
            "kind",
            "period",
            "scope_kind",
            "scope_key",
            "scope_label",
            "title",
            "version",
            "document_number",
            "status",
            "sections_done",
            "sections_total",
            "error",
            "requested_by",
            "requested_at",
            "started_at",
            "built_at",
            "pdf_sha256",
            "xlsx_sha256",
            "downloads",
            "pdf_url",
            "xlsx_url",
        ]
        read_only_fields = fields

    def _url(self, obj: Report, fmt: str) -> str | None:
        if obj.status != Report.Status.READY:
            return None
        return reverse("campaigns:report_download", args=[obj.pk, fmt])

    def get_pdf_url(self, obj: Report) -> str | None:
        return self._url(obj, "pdf")

    def get_xlsx_url(self, obj: Report) -> str | None:
        return self._url(obj, "xlsx")


class ReportRequestSerializer(serializers.Serializer):
    """POST body of a build: ``kind`` quarterly/final, ``period`` "2026-Q3" (quarterly only),
    ``scope`` county / township:<code> / department:<code>."""

    kind = serializers.ChoiceField(choices=Report.Kind.choices)
    period = serializers.CharField(max_length=10, required=False, allow_blank=True, default="")
    scope = serializers.CharField(max_length=60, required=False, default="county")


class OutcomeSerializer(serializers.ModelSerializer):
    """A 制度成果 as stored; ``document_url`` is the scoped download."""

    unit = serializers.SerializerMethodField()
    document_url = serializers.SerializerMethodField()

    class Meta:
        model = Outcome
        fields = [
            "id",
            "title",
            "township",
            "department",
            "unit",
            "adopted_on",
            "fixes",
            "document_name",
            "document_url",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = fields

    def get_unit(self, obj: Outcome) -> str:
        return str(obj.unit)

    def get_document_url(self, obj: Outcome) -> str | None:
        return reverse("campaigns:outcome_document", args=[obj.pk]) if obj.document else None


class OutcomeCreateSerializer(serializers.Serializer):
    """POST body (multipart for a ``document``): of the caller's own unit."""

    title = serializers.CharField(max_length=200)
    adopted_on = serializers.DateField()
    fixes = serializers.CharField(max_length=200)
    document = serializers.FileField(required=False, allow_null=True)
