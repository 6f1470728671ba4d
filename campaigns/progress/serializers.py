"""Serializers of sub-plans and progress (``/api/v1/``). Status is never writable: state
changes are POST actions calling the services."""

from rest_framework import serializers

from campaigns.constants import Frequency
from campaigns.org.models import Township
from campaigns.org.serializers import UnitFields
from campaigns.plan.serializers import CampaignMilestoneField, CampaignTaskField
from campaigns.progress.models import MilestoneRecord, ProgressReport


class ProgressReportSerializer(UnitFields, serializers.ModelSerializer):
    """A progress report (read); ``task`` is the task number; ``on_time`` derived."""

    task = serializers.IntegerField(source="task.number", read_only=True)
    on_time = serializers.BooleanField(read_only=True)
    attachment = serializers.CharField(
        source="attachment_url", read_only=True, help_text="scoped download URL, empty if none"
    )

    class Meta:
        model = ProgressReport
        fields = [
            "id",
            "township",
            "department",
            "unit_name",
            "task",
            "period",
            "status",
            "text",
            "figures",
            "attachment",
            "due_on",
            "submitted_on",
            "on_time",
            "submitted_at",
        ]
        read_only_fields = fields


class ProgressReportCreateSerializer(serializers.Serializer):
    task = CampaignTaskField(help_text="task number in the campaign (``?campaign=``)")
    period = serializers.CharField(max_length=10)
    status = serializers.ChoiceField(choices=ProgressReport.Status.choices)
    text = serializers.CharField()
    figures = serializers.JSONField(required=False)
    attachment = serializers.FileField(required=False)


class MilestoneRecordSerializer(UnitFields, serializers.ModelSerializer):
    milestone = serializers.SlugRelatedField(slug_field="code", read_only=True)
    on_time = serializers.BooleanField(read_only=True)
    evidence = serializers.CharField(
        source="evidence_url", read_only=True, help_text="scoped download URL, empty if none"
    )

    class Meta:
        model = MilestoneRecord
        fields = [
            "id",
            "township",
            "department",
            "unit_name",
            "milestone",
            "met_on",
            "note",
            "evidence",
            "on_time",
            "recorded_at",
        ]
        read_only_fields = fields


class MilestoneRecordCreateSerializer(serializers.Serializer):
    milestone = CampaignMilestoneField(help_text="milestone code in the campaign (``?campaign=``)")
    met_on = serializers.DateField()
    note = serializers.CharField()
    evidence = serializers.FileField(required=False)


class UnitPeriodFields(serializers.Serializer):
    """The unit and the reporting period shared by the obligation periods and the
    not-submitted lists: ``unit_kind`` ("township" | "department"), ``unit_code``, ``unit_name``,
    ``period`` (key such as ``2026-Q4``), ``frequency``, ``starts_on``/``ends_on`` (dates,
    Asia/Shanghai). ``obj.unit`` is a Township or a Department, ``obj.period`` a Period."""

    unit_kind = serializers.SerializerMethodField()
    unit_code = serializers.CharField(source="unit.code")
    unit_name = serializers.CharField(source="unit.name")
    period = serializers.CharField(source="period.key")
    frequency = serializers.ChoiceField(source="period.frequency", choices=Frequency.choices)
    starts_on = serializers.DateField(source="period.start")
    ends_on = serializers.DateField(source="period.end")

    def get_unit_kind(self, obj) -> str:
        return "township" if isinstance(obj.unit, Township) else "department"


class ObligationPeriodSerializer(UnitPeriodFields):
    """One computed period of an obligation for one unit: met / pending / missed."""

    obligation = serializers.CharField(source="obligation.code")
    task = serializers.IntegerField(source="obligation.task.number")
    status = serializers.ChoiceField(choices=["met", "pending", "missed"])
    done_on = serializers.DateField(source="record.done_on", allow_null=True, default=None)


class NotSubmittedSerializer(UnitPeriodFields):
    """One progress report owed and not sent (``progress_not_submitted``): the task, the unit,
    the period (key, frequency, start/end dates) and the due date (period end + grace days);
    ``overdue`` when the due date is before today (Asia/Shanghai)."""

    task = serializers.IntegerField(source="task.number")
    task_title = serializers.CharField(source="task.title")
    due_on = serializers.DateField()
    overdue = serializers.SerializerMethodField()

    def get_overdue(self, obj) -> bool:
        return obj.due_on < self.context["today"]
