"""API shapes of tip-offs (staff side). No serializer has a field of the reporter's identity:
``reporter`` is 匿名 / 实名（已保护）."""

from rest_framework import serializers

from campaigns.models import Department, Sector
from hazards.models import Enterprise, HazardCriterion, Level

from .models import Outcome, Reward, TipOff, TipOffEvent


class RewardSerializer(serializers.ModelSerializer):
    tipoff = serializers.CharField(source="tipoff.number", read_only=True)
    decided_by = serializers.CharField(source="decided_by.username", read_only=True)

    class Meta:
        model = Reward
        fields = [
            "id",
            "tipoff",
            "amount",
            "basis",
            "decided_by",
            "decided_on",
            "paid_on",
            "method",
            "receipt",
        ]
        read_only_fields = fields


class TipOffSerializer(serializers.ModelSerializer):
    township = serializers.CharField(source="township.code", read_only=True)
    department = serializers.CharField(
        source="department.code", read_only=True, default=None, allow_null=True
    )
    hazard = serializers.CharField(
        source="hazard.ledger_number", read_only=True, default=None, allow_null=True
    )
    reporter = serializers.CharField(source="identity_label", read_only=True)
    reward = serializers.DecimalField(
        source="reward.amount",
        max_digits=10,
        decimal_places=2,
        read_only=True,
        default=None,
        allow_null=True,
    )
    outcome = serializers.ChoiceField(
        choices=Outcome.choices, read_only=True, allow_blank=True, help_text="empty while open"
    )

    class Meta:
        model = TipOff
        fields = [
            "id",
            "number",
            "channel",
            "received_at",
            "township",
            "address",
            "enterprise_name",
            "observed_on",
            "description",
            "reporter",
            "status",
            "outcome",
            "department",
            "step_due_on",
            "hazard",
            "public_reply",
            "reward",
        ]
        read_only_fields = fields


class TipOffEventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(
        source="actor.username", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = TipOffEvent
        fields = ["action", "actor", "from_status", "to_status", "note", "at"]


class TipOffDetailSerializer(TipOffSerializer):
    events = TipOffEventSerializer(many=True, read_only=True)
    photos = serializers.SerializerMethodField()

    class Meta(TipOffSerializer.Meta):
        fields = [*TipOffSerializer.Meta.fields, "duplicate_of", "events", "photos"]
        read_only_fields = fields

    def get_photos(self, obj) -> list[str]:
        return [p.get_absolute_url() for p in obj.photos.all()]


class TipOffNoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class TipOffReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class TipOffReplySerializer(serializers.Serializer):
    public_reply = serializers.CharField(max_length=2000)


class AssignSerializer(TipOffNoteSerializer):
    department = serializers.SlugRelatedField(
        slug_field="code", queryset=Department.objects.filter(is_lead=True)
    )


class DismissSerializer(TipOffNoteSerializer):
    outcome = serializers.ChoiceField(choices=[Outcome.DUPLICATE, Outcome.OUT_OF_SCOPE])
    public_reply = serializers.CharField(max_length=2000)
    duplicate_of = serializers.CharField(required=False, allow_blank=True, max_length=20)


class VerifySerializer(TipOffNoteSerializer):
    enterprise = serializers.PrimaryKeyRelatedField(
        queryset=Enterprise.objects.all(), required=False, allow_null=True, default=None
    )
    merge_into = serializers.CharField(required=False, allow_blank=True, max_length=20)
    sector = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Sector.objects.all(),
        required=False,
        allow_null=True,
        default=None,
    )
    level = serializers.ChoiceField(choices=Level.choices, default=Level.MAJOR)
    criterion = serializers.PrimaryKeyRelatedField(
        queryset=HazardCriterion.objects.filter(active=True),
        required=False,
        allow_null=True,
        default=None,
        help_text="id of the judgement-standard clause (required for a major "
        "hazard where its sector has clauses)",
    )
    location = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    deadline = serializers.DateField(required=False, allow_null=True, default=None)


class RewardDecisionSerializer(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=10, decimal_places=2)
    basis = serializers.CharField(max_length=300)
    decided_on = serializers.DateField()


class PaymentSerializer(serializers.Serializer):
    paid_on = serializers.DateField()
    method = serializers.ChoiceField(choices=Reward.Method.choices)
    receipt = serializers.CharField(max_length=60)
