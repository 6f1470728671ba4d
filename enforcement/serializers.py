"""API shapes of supervision. Read serializers are read-only; state changes go through small
input serializers on POST actions that call the services (``status`` is never writable)."""

import datetime

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from campaigns.calendar.selectors import all_year_sources, notices_from_sources

from .constants import NOTICE_TEXT_MAX
from .models import EscalationStep, ExtensionRequest, Listing, ListingBody, ListingProgressReport


class ListingReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = ListingProgressReport
        fields = ["year", "quarter", "progress", "reported_on"]
        read_only_fields = fields


class ListingSerializer(serializers.ModelSerializer):
    hazard = serializers.SlugRelatedField(slug_field="ledger_number", read_only=True)
    enterprise = serializers.CharField(source="hazard.enterprise.name", read_only=True)
    township = serializers.CharField(source="hazard.township.code", read_only=True)
    hazard_status = serializers.CharField(source="hazard.status", read_only=True)
    missed_reports = serializers.IntegerField(
        read_only=True, help_text="past quarters without a report"
    )

    class Meta:
        model = Listing
        fields = [
            "id",
            "document_number",
            "hazard",
            "enterprise",
            "township",
            "hazard_status",
            "batch",
            "listing_body",
            "listed_on",
            "required_completion",
            "responsible_unit",
            "requirements",
            "status",
            "missed_reports",
            "signed_off_at",
            "delisted_on",
            "delisting_document_number",
        ]
        read_only_fields = fields


class ListingDetailSerializer(ListingSerializer):
    reports = ListingReportSerializer(many=True, read_only=True)

    class Meta(ListingSerializer.Meta):
        fields = [*ListingSerializer.Meta.fields, "reports"]
        read_only_fields = fields


class ListingCreateSerializer(serializers.Serializer):
    hazard = serializers.CharField(help_text="ledger number, e.g. YX-2025-0042")
    listing_body = serializers.ChoiceField(choices=ListingBody.choices)
    listed_on = serializers.DateField()
    required_completion = serializers.DateField()
    responsible_unit = serializers.CharField(max_length=120)
    batch = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    requirements = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=NOTICE_TEXT_MAX
    )


class ProgressSerializer(serializers.Serializer):
    progress = serializers.CharField()


class DecisionNoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class RequiredDecisionNoteSerializer(serializers.Serializer):
    note = serializers.CharField()


class ExtensionSerializer(serializers.ModelSerializer):
    hazard = serializers.SlugRelatedField(slug_field="ledger_number", read_only=True)
    listing = serializers.SlugRelatedField(slug_field="document_number", read_only=True)
    calendar_notices = serializers.SerializerMethodField(
        help_text="weekends-only notices of the years ``working_days_before`` spans that have "
        "no holiday schedule yet (recounted once entered); [] if none"
    )

    class Meta:
        model = ExtensionRequest
        fields = [
            "id",
            "hazard",
            "listing",
            "current_deadline",
            "requested_deadline",
            "reason",
            "filed_on",
            "working_days_before",
            "calendar_notices",
            "status",
            "requested_at",
            "decided_at",
            "decision_note",
        ]
        read_only_fields = fields

    def get_calendar_notices(self, obj) -> list[str]:
        # one query per response (the context is shared by the rows of a list)
        sources = self.context.get("_calendar_sources")
        if sources is None:
            sources = self.context["_calendar_sources"] = all_year_sources()
        if obj.filed_on >= obj.current_deadline:
            return []
        return notices_from_sources(
            sources, obj.filed_on, obj.current_deadline - datetime.timedelta(days=1)
        )


class ExtensionCreateSerializer(serializers.Serializer):
    hazard = serializers.CharField(help_text="ledger number")
    requested_deadline = serializers.DateField()
    reason = serializers.CharField()


class EscalationSerializer(serializers.ModelSerializer):
    target = serializers.CharField(read_only=True, source="target.__str__")
    hazards = serializers.SlugRelatedField(slug_field="ledger_number", many=True, read_only=True)
    public_url = serializers.CharField(read_only=True)

    class Meta:
        model = EscalationStep
        fields = [
            "id",
            "kind",
            "target_kind",
            "target",
            "grounds",
            "hazards",
            "status",
            "proposed_at",
            "decided_at",
            "decision_note",
            "issued_on",
            "document_number",
            "public_url",
        ]
        read_only_fields = fields


class SlowProgressRowSerializer(serializers.Serializer):
    unit = serializers.CharField()
    code = serializers.CharField(help_text="township/sector code")
    open = serializers.IntegerField(help_text="open major hazards")
    overdue = serializers.IntegerField()
    max_days_overdue = serializers.IntegerField()
    avg_days_overdue = serializers.FloatField(allow_null=True)
    past_deadline = serializers.IntegerField(help_text="overdue now or closed after the deadline")
    missed_reports = serializers.IntegerField()
    url = serializers.CharField(help_text="ledger page listing the overdue hazards")


@extend_schema_serializer(many=False)  # one object, though served by a ViewSet ``list``
class SlowProgressSerializer(serializers.Serializer):
    today = serializers.DateField()
    by_township = SlowProgressRowSerializer(many=True)
    by_sector = SlowProgressRowSerializer(many=True)
