"""Serializers of sub-plans and progress (``/api/v1/``). Status is never writable: state
changes are POST actions calling the services."""

from rest_framework import serializers

from campaigns.constants import Frequency
from campaigns.models import (
    Milestone,
    MilestoneRecord,
    ProgressReport,
    Sector,
    SubPlan,
    SubPlanEvent,
    SubPlanVersion,
    Task,
)


class _UnitFields(serializers.Serializer):
    township = serializers.SlugRelatedField(slug_field="code", read_only=True)
    department = serializers.SlugRelatedField(slug_field="code", read_only=True)
    unit_name = serializers.SerializerMethodField()

    def get_unit_name(self, obj) -> str:
        return str(obj.unit)


class SubPlanVersionSerializer(serializers.ModelSerializer):
    """One kept document version; ``download_url`` is scoped like the sub-plan."""

    download_url = serializers.SerializerMethodField()
    uploaded_by = serializers.CharField(source="uploaded_by.username", read_only=True)

    class Meta:
        model = SubPlanVersion
        fields = ["id", "sub_plan", "number", "original_name", "kind", "size", "sha256", "note",
                  "uploaded_by", "uploaded_at", "download_url"]

    def get_download_url(self, obj) -> str:
        request = self.context.get("request")
        url = obj.get_absolute_url()
        return request.build_absolute_uri(url) if request else url


class SubPlanEventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", read_only=True)

    class Meta:
        model = SubPlanEvent
        fields = ["action", "from_status", "to_status", "comment", "actor", "at"]


class SubPlanSerializer(_UnitFields, serializers.ModelSerializer):
    """A sub-plan (read). ``days_late``: 0 on time; ``tasks``: task numbers."""

    sector = serializers.SlugRelatedField(slug_field="code", read_only=True)
    tasks = serializers.SlugRelatedField(slug_field="number", many=True, read_only=True)
    days_late = serializers.IntegerField(read_only=True)
    versions = SubPlanVersionSerializer(many=True, read_only=True)
    events = SubPlanEventSerializer(many=True, read_only=True)

    class Meta:
        model = SubPlan
        fields = ["id", "township", "department", "unit_name", "sector", "title", "summary",
                  "tasks", "contact_name", "contact_phone", "status", "due_on",
                  "first_submitted_on", "days_late", "versions", "events", "created_at"]
        read_only_fields = fields


class SubPlanCreateSerializer(serializers.Serializer):
    """Create a draft of the caller's unit (multipart: ``document`` is the file)."""

    title = serializers.CharField(max_length=200)
    summary = serializers.CharField()
    contact_name = serializers.CharField(max_length=40)
    contact_phone = serializers.CharField(max_length=30)
    tasks = serializers.SlugRelatedField(slug_field="number", many=True, required=False,
                                         queryset=Task.objects.all())
    sector = serializers.SlugRelatedField(slug_field="code", required=False, allow_null=True,
                                          queryset=Sector.objects.all())
    document = serializers.FileField()


class SubPlanSubmitSerializer(serializers.Serializer):
    document = serializers.FileField(required=False)
    note = serializers.CharField(required=False, allow_blank=True, max_length=500)


class SubPlanReturnSerializer(serializers.Serializer):
    comment = serializers.CharField()


class SubPlanApproveSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True)


class ProgressReportSerializer(_UnitFields, serializers.ModelSerializer):
    """A progress report (read); ``task`` is the task number; ``on_time`` derived."""

    task = serializers.IntegerField(source="task.number", read_only=True)
    on_time = serializers.BooleanField(read_only=True)
    attachment = serializers.CharField(source="attachment_url", read_only=True,
                                       help_text="scoped download URL, empty if none")

    class Meta:
        model = ProgressReport
        fields = ["id", "township", "department", "unit_name", "task", "period", "status",
                  "text", "figures", "attachment", "due_on", "submitted_on", "on_time",
                  "submitted_at"]
        read_only_fields = fields


class ProgressReportCreateSerializer(serializers.Serializer):
    task = serializers.SlugRelatedField(slug_field="number", queryset=Task.objects.all())
    period = serializers.CharField(max_length=10)
    status = serializers.ChoiceField(choices=ProgressReport.Status.choices)
    text = serializers.CharField()
    figures = serializers.JSONField(required=False)
    attachment = serializers.FileField(required=False)


class MilestoneRecordSerializer(_UnitFields, serializers.ModelSerializer):
    milestone = serializers.SlugRelatedField(slug_field="code", read_only=True)
    on_time = serializers.BooleanField(read_only=True)
    evidence = serializers.CharField(source="evidence_url", read_only=True,
                                     help_text="scoped download URL, empty if none")

    class Meta:
        model = MilestoneRecord
        fields = ["id", "township", "department", "unit_name", "milestone", "met_on", "note",
                  "evidence", "on_time", "recorded_at"]
        read_only_fields = fields


class MilestoneRecordCreateSerializer(serializers.Serializer):
    milestone = serializers.SlugRelatedField(slug_field="code", queryset=Milestone.objects.all())
    met_on = serializers.DateField()
    note = serializers.CharField()
    evidence = serializers.FileField(required=False)


class ObligationPeriodSerializer(serializers.Serializer):
    """One computed period of an obligation for one unit: met / pending / missed."""

    obligation = serializers.CharField(source="obligation.code")
    task = serializers.IntegerField(source="obligation.task.number")
    unit_kind = serializers.SerializerMethodField()
    unit_code = serializers.CharField(source="unit.code")
    unit_name = serializers.CharField(source="unit.name")
    period = serializers.CharField(source="period.key")
    frequency = serializers.ChoiceField(source="period.frequency", choices=Frequency.choices)
    starts_on = serializers.DateField(source="period.start")
    ends_on = serializers.DateField(source="period.end")
    status = serializers.ChoiceField(choices=["met", "pending", "missed"])
    done_on = serializers.DateField(source="record.done_on", allow_null=True, default=None)

    def get_unit_kind(self, obj) -> str:
        return "township" if obj.unit.__class__.__name__ == "Township" else "department"


class LeagueMetricSerializer(serializers.Serializer):
    code = serializers.CharField(source="metric.code")
    label = serializers.CharField(source="metric.label")
    available = serializers.BooleanField()
    weight = serializers.DecimalField(max_digits=5, decimal_places=2)
    achieved = serializers.FloatField(source="num", allow_null=True)
    owed = serializers.FloatField(source="den", allow_null=True)
    value = serializers.FloatField(allow_null=True)
    points = serializers.FloatField()


class LeagueRowSerializer(serializers.Serializer):
    """One ranked unit with its score (0–100) and how it was made."""

    kind = serializers.CharField()
    rank = serializers.IntegerField()
    unit_code = serializers.CharField(source="unit.code")
    unit_name = serializers.CharField(source="unit.name")
    score = serializers.FloatField()
    metrics = LeagueMetricSerializer(many=True)
