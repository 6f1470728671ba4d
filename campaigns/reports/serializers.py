"""Serializers of the report archive API: one for reading a report, one for a build request."""

from __future__ import annotations

from django.urls import reverse
from rest_framework import serializers

from campaigns.reports.models import Report


class ReportSerializer(serializers.ModelSerializer):
    """A report as stored: never writable (builds are requested with POST)."""

    title = serializers.CharField(read_only=True)
    scope_label = serializers.CharField(read_only=True)
    pdf_url = serializers.SerializerMethodField()
    xlsx_url = serializers.SerializerMethodField()

    class Meta:
        model = Report
        fields = ["id", "kind", "period", "scope_kind", "scope_key", "scope_label", "title",
                  "version", "document_number", "status", "sections_done", "sections_total",
                  "error", "requested_by", "requested_at", "started_at", "built_at",
                  "pdf_sha256", "xlsx_sha256", "downloads", "pdf_url", "xlsx_url"]
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
