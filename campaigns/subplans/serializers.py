"""Serializers of sub-plans and progress (``/api/v1/``). Status is never writable: state
changes are POST actions calling the services."""

from rest_framework import serializers

from campaigns.org.models import Sector
from campaigns.org.serializers import UnitFields
from campaigns.plan.serializers import CampaignTaskField
from campaigns.subplans.models import SubPlan, SubPlanEvent, SubPlanVersion


class SubPlanVersionSerializer(serializers.ModelSerializer):
    """One kept document version; ``download_url`` is scoped like the sub-plan."""

    download_url = serializers.SerializerMethodField()
    uploaded_by = serializers.CharField(source="uploaded_by.username", read_only=True)

    class Meta:
        model = SubPlanVersion
        fields = [
            "id",
            "sub_plan",
            "number",
            "original_name",
            "kind",
            "size",
            "sha256",
            "note",
            "uploaded_by",
            "uploaded_at",
            "download_url",
        ]

    def get_download_url(self, obj) -> str:
        request = self.context.get("request")
        url = obj.get_absolute_url()
        return request.build_absolute_uri(url) if request else url


class SubPlanEventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", read_only=True)

    class Meta:
        model = SubPlanEvent
        fields = ["action", "from_status", "to_status", "comment", "actor", "at"]


class SubPlanSerializer(UnitFields, serializers.ModelSerializer):
    """A sub-plan (read). ``days_late``: 0 on time; ``tasks``: task numbers;
    ``approved_version``: number of the version in force (null until first approved)."""

    sector = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    tasks = serializers.SlugRelatedField(slug_field="number", many=True, read_only=True)
    days_late = serializers.IntegerField(read_only=True)
    versions = SubPlanVersionSerializer(many=True, read_only=True)
    events = SubPlanEventSerializer(many=True, read_only=True)
    approved_version = serializers.SlugRelatedField(
        slug_field="number", read_only=True, allow_null=True
    )

    class Meta:
        model = SubPlan
        fields = [
            "id",
            "township",
            "department",
            "unit_name",
            "sector",
            "title",
            "summary",
            "tasks",
            "contact_name",
            "contact_phone",
            "status",
            "due_on",
            "first_submitted_on",
            "approved_version",
            "days_late",
            "versions",
            "events",
            "created_at",
        ]
        read_only_fields = fields


class SubPlanCreateSerializer(serializers.Serializer):
    """Create a draft of the caller's unit (multipart: ``document`` is the file)."""

    title = serializers.CharField(max_length=200)
    summary = serializers.CharField()
    contact_name = serializers.CharField(max_length=40)
    contact_phone = serializers.CharField(max_length=30)
    tasks = CampaignTaskField(many=True, required=False)
    sector = serializers.SlugRelatedField(
        slug_field="code", required=False, allow_null=True, queryset=Sector.objects.all()
    )
    document = serializers.FileField()


class SubPlanSubmitSerializer(serializers.Serializer):
    document = serializers.FileField(required=False)
    note = serializers.CharField(required=False, allow_blank=True, max_length=500)


class SubPlanReviseSerializer(serializers.Serializer):
    document = serializers.FileField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=500)


class SubPlanReturnSerializer(serializers.Serializer):
    comment = serializers.CharField()


class SubPlanApproveSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True)
