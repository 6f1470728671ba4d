"""Serializers of ``/api/v1/enterprises/``, ``/api/v1/hazards/``, ``/api/v1/hazard-criteria/``.
``status`` is read-only everywhere: transitions are POST actions."""

from rest_framework import serializers

from campaigns.models import Department, Sector, Township

from .constants import DESCRIPTION_MAX
from .models import (
    Attachment,
    Enterprise,
    Hazard,
    HazardCriterion,
    HazardEvent,
    JudgementStandard,
    Level,
    Rectification,
    Source,
)


class StandardSerializer(serializers.ModelSerializer):
    """A judgement standard: document facts (dates YYYY-MM-DD or null when not known), where
    the official text is published, and whether those facts were verified."""

    superseded_by = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    source_url = serializers.CharField(
        read_only=True, help_text="URL of the published text; empty string when not known"
    )

    class Meta:
        model = JudgementStandard
        fields = [
            "code",
            "title",
            "short_name",
            "document_number",
            "issued_by",
            "issued_on",
            "effective_on",
            "superseded_on",
            "superseded_by",
            "source",
            "source_url",
            "verified",
            "note",
        ]
        read_only_fields = fields


class CriterionSerializer(serializers.ModelSerializer):
    """A clause: ``clause`` is the citation label (``article`` + ``item``), ``sectors`` the plan
    sector codes it applies to, ``verified`` whether number and wording were checked."""

    standard = StandardSerializer(read_only=True)
    sectors = serializers.ListField(
        source="sector_codes", child=serializers.CharField(), read_only=True
    )
    document = serializers.CharField(read_only=True)
    document_number = serializers.CharField(read_only=True)
    citation = serializers.CharField(read_only=True)

    class Meta:
        model = HazardCriterion
        fields = [
            "id",
            "standard",
            "document",
            "document_number",
            "article",
            "item",
            "clause",
            "topic",
            "text",
            "short_title",
            "citation",
            "sectors",
            "verified",
            "note",
            "active",
        ]
        read_only_fields = fields


class EnterpriseSerializer(serializers.ModelSerializer):
    township = serializers.SlugRelatedField(slug_field="code", queryset=Township.objects.all())
    sectors = serializers.SlugRelatedField(
        slug_field="code", many=True, queryset=Sector.objects.all()
    )
    high_risk = serializers.BooleanField(source="is_high_risk", read_only=True)

    class Meta:
        model = Enterprise
        fields = [
            "id",
            "name",
            "credit_code",
            "township",
            "sectors",
            "high_risk",
            "address",
            "principal_name",
            "principal_phone",
            "principal_email",
            "controller_name",
            "controller_phone",
            "controller_email",
        ]
        extra_kwargs = {"credit_code": {"validators": []}}


class RectificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Rectification
        fields = [
            "measures",
            "responsible_unit",
            "responsible_person",
            "responsible_phone",
            "funds",
            "deadline",
            "contingency_plan",
            "submitted_by",
            "submitted_at",
        ]
        read_only_fields = ["submitted_by", "submitted_at"]


class EventSerializer(serializers.ModelSerializer):
    actor = serializers.StringRelatedField(allow_null=True)
    from_status = serializers.CharField(read_only=True)
    to_status = serializers.CharField(read_only=True)

    class Meta:
        model = HazardEvent
        fields = ["action", "from_status", "to_status", "actor", "at", "note"]


class HazardSerializer(serializers.ModelSerializer):
    """A hazard as listed: ids for enterprise, codes for township/sector/department."""

    township = serializers.SlugRelatedField(slug_field="code", read_only=True)
    sector = serializers.SlugRelatedField(slug_field="code", read_only=True)
    supervising_department = serializers.SlugRelatedField(slug_field="code", read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    deadline = serializers.DateField(
        source="rectification.deadline", read_only=True, default=None, allow_null=True
    )
    merged_into = serializers.SlugRelatedField(
        slug_field="ledger_number", read_only=True, allow_null=True
    )
    criterion_citation = serializers.CharField(
        source="criterion.citation", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = Hazard
        fields = [
            "id",
            "ledger_number",
            "enterprise",
            "enterprise_name",
            "township",
            "sector",
            "supervising_department",
            "supervision_reason",
            "level",
            "criterion",
            "criterion_citation",
            "source",
            "found_on",
            "found_by",
            "location",
            "description",
            "status",
            "deadline",
            "merged_into",
            "reported_at",
            "closed_at",
        ]
        read_only_fields = fields


class AttachmentSerializer(serializers.ModelSerializer):
    """``url``: the scoped download (404 for users who cannot see the hazard)."""

    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Attachment
        fields = ["id", "kind", "original_name", "content_type", "uploaded_at", "url"]


class HazardDetailSerializer(HazardSerializer):
    rectification = RectificationSerializer(read_only=True)
    events = EventSerializer(many=True, read_only=True)
    attachments = AttachmentSerializer(many=True, read_only=True)
    merged_reports = serializers.SlugRelatedField(
        slug_field="ledger_number", many=True, read_only=True
    )

    class Meta(HazardSerializer.Meta):
        fields = [
            *HazardSerializer.Meta.fields,
            "rectification",
            "events",
            "attachments",
            "merged_reports",
        ]
        read_only_fields = fields


class HazardReportSerializer(serializers.Serializer):
    """Input of POST /hazards/: the service fills township/sector/department defaults."""

    enterprise = serializers.PrimaryKeyRelatedField(queryset=Enterprise.objects.none())
    township = serializers.SlugRelatedField(
        slug_field="code", queryset=Township.objects.all(), required=False, allow_null=True
    )
    sector = serializers.SlugRelatedField(
        slug_field="code", queryset=Sector.objects.all(), required=False, allow_null=True
    )
    supervising_department = serializers.SlugRelatedField(
        slug_field="code", queryset=Department.objects.all(), required=False, allow_null=True
    )
    supervision_reason = serializers.CharField(required=False, allow_blank=True, default="")
    level = serializers.ChoiceField(choices=Level.choices, default=Level.MAJOR)
    criterion = serializers.PrimaryKeyRelatedField(
        queryset=HazardCriterion.objects.select_related("standard"),
        required=False,
        allow_null=True,
        help_text="id of the clause the hazard meets (/api/v1/hazard-criteria/"
        "?sector=<code>); required for a major hazard when its sector has clauses",
    )
    source = serializers.ChoiceField(choices=Source.choices)
    found_on = serializers.DateField()
    found_by = serializers.CharField(max_length=80)
    location = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=DESCRIPTION_MAX)
    deadline = serializers.DateField(required=False, allow_null=True)

    def __init__(self, *args, enterprises=None, **kwargs):
        super().__init__(*args, **kwargs)
        if enterprises is not None:
            self.fields["enterprise"].queryset = enterprises


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField()


class MergeSerializer(serializers.Serializer):
    reports = serializers.ListField(
        child=serializers.CharField(), min_length=1, help_text="ledger numbers"
    )
    reason = serializers.CharField()


class FiveImplementationsSerializer(serializers.Serializer):
    measures = serializers.CharField()
    responsible_unit = serializers.CharField(max_length=120)
    responsible_person = serializers.CharField(max_length=40)
    responsible_phone = serializers.CharField(
        max_length=30, required=False, allow_blank=True, default=""
    )
    funds = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)
    deadline = serializers.DateField()
    contingency_plan = serializers.CharField()
