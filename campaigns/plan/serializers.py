"""Read-only serializers of the plan (``/api/v1/``)."""

from rest_framework import serializers

from campaigns.plan.models import Action, Milestone, Obligation, Phase, Task


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
