"""Read-only serializers of the plan (``/api/v1/``)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from campaigns.plan.models import Action, Campaign, Milestone, Obligation, Phase, Task
from campaigns.plan.selectors import campaign_current, campaign_for_request
from yixian_safety.dates import today_local


class CampaignSerializer(serializers.ModelSerializer):
    ended = serializers.SerializerMethodField(help_text="after its last day: archive, read-only")
    current = serializers.SerializerMethodField(help_text="the campaign pages default to")

    class Meta:
        model = Campaign
        fields = [
            "id",
            "slug",
            "name",
            "document_number",
            "issued_by",
            "issued_on",
            "starts_on",
            "ends_on",
            "ended",
            "current",
        ]

    def get_ended(self, obj) -> bool:
        return obj.ended_on(today_local())

    def get_current(self, obj) -> bool:
        if "current" not in self.context:
            self.context["current"] = campaign_current()
        return obj == self.context["current"]


def _request_campaign(field) -> Campaign | None:
    request = field.context.get("request")
    if request is None:
        return campaign_current()
    return campaign_for_request(request, remember=False)


@extend_schema_field(OpenApiTypes.INT)
class CampaignTaskField(serializers.SlugRelatedField):
    """A task by its number within the request's campaign (``?campaign=``, default the
    current one). Serializers using it need ``context={"request": request}``."""

    def __init__(self, **kwargs):
        super().__init__(slug_field="number", **kwargs)

    def get_queryset(self):
        return Task.objects.filter(campaign=_request_campaign(self)).select_related("campaign")


@extend_schema_field(OpenApiTypes.STR)
class CampaignMilestoneField(serializers.SlugRelatedField):
    """A milestone by its code within the request's campaign (see :class:`CampaignTaskField`)."""

    def __init__(self, **kwargs):
        super().__init__(slug_field="code", **kwargs)

    def get_queryset(self):
        return Milestone.objects.filter(campaign=_request_campaign(self)).select_related(
            "task", "campaign"
        )


class PhaseSerializer(serializers.ModelSerializer):
    class Meta:
        model = Phase
        fields = ["id", "code", "name", "order", "starts_on", "ends_on", "requirements", "note"]


class ActionSerializer(serializers.ModelSerializer):
    tasks = serializers.SlugRelatedField(slug_field="number", many=True, read_only=True)

    class Meta:
        model = Action
        fields = ["id", "number", "numeral", "title", "tasks"]


class MilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Milestone
        fields = ["id", "code", "title", "due_on", "kind", "quote"]


class ObligationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Obligation
        fields = [
            "id",
            "code",
            "title",
            "frequency",
            "high_risk_frequency",
            "minimum_count",
            "subject",
            "quote",
        ]


class TaskSerializer(serializers.ModelSerializer):
    """A task: ``action`` is the action number 1…8; departments and sectors by code."""

    action = serializers.IntegerField(source="action.number", read_only=True)
    lead_departments = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    participating_departments = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )
    sectors = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    milestones = MilestoneSerializer(many=True, read_only=True)
    obligations = ObligationSerializer(many=True, read_only=True)

    class Meta:
        model = Task
        fields = [
            "id",
            "number",
            "action",
            "title",
            "text",
            "lead_departments",
            "participating_departments",
            "sectors",
            "milestones",
            "obligations",
        ]
