"""API shapes of enforcement. Read serializers are read-only; writes go through small input
serializers that call the services (no writable ``status``). Amounts are decimal strings in 元.
"""

from decimal import Decimal

from rest_framework import serializers

from campaigns.models import Department, Sector, Township, User
from hazards.models import Enterprise, HazardCriterion, Level

from ..constants import AMOUNT_MAX, AMOUNT_MIN, DRAW_MAX_ENTERPRISES, DRAW_MAX_INSPECTORS
from .models import (
    Accident,
    AccidentGrade,
    ActionKind,
    ConflictTie,
    Draw,
    EnforcementAction,
    Expert,
    Inspection,
    Method,
    RiskFilter,
)


def _amount(**kw):
    return serializers.DecimalField(
        max_digits=11,
        decimal_places=2,
        min_value=Decimal(AMOUNT_MIN),
        max_value=Decimal(AMOUNT_MAX),
        required=False,
        allow_null=True,
        **kw,
    )


class InspectionSerializer(serializers.ModelSerializer):
    department = serializers.SlugRelatedField(slug_field="code", read_only=True)
    enterprise = serializers.PrimaryKeyRelatedField(read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    inspectors = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    hazards = serializers.SlugRelatedField(slug_field="ledger_number", many=True, read_only=True)

    class Meta:
        model = Inspection
        fields = [
            "id",
            "department",
            "enterprise",
            "enterprise_name",
            "inspected_on",
            "method",
            "status",
            "inspectors",
            "has_findings",
            "findings",
            "draw",
            "hazards",
        ]
        read_only_fields = fields


class InspectionCreateSerializer(serializers.Serializer):
    department = serializers.SlugRelatedField(slug_field="code", queryset=Department.objects.all())
    enterprise = serializers.PrimaryKeyRelatedField(queryset=Enterprise.objects.all())
    inspected_on = serializers.DateField()
    method = serializers.ChoiceField(choices=Method.choices)
    inspectors = serializers.PrimaryKeyRelatedField(many=True, queryset=User.objects.all())
    has_findings = serializers.BooleanField(default=False)
    findings = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")


class CompleteSerializer(serializers.Serializer):
    inspected_on = serializers.DateField()
    has_findings = serializers.BooleanField(default=False)
    findings = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")


class InspectionNoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=1000)


class RaiseHazardSerializer(serializers.Serializer):
    location = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=4000)
    level = serializers.ChoiceField(choices=Level.choices, default=Level.MAJOR)
    criterion = serializers.PrimaryKeyRelatedField(
        queryset=HazardCriterion.objects.filter(active=True),
        required=False,
        allow_null=True,
        default=None,
        help_text="id of the judgement-standard clause (required for a major "
        "hazard where its sector has clauses)",
    )
    deadline = serializers.DateField(required=False, allow_null=True, default=None)


class AssignExpertsSerializer(serializers.Serializer):
    count = serializers.IntegerField(min_value=1, max_value=DRAW_MAX_INSPECTORS)


class DrawSerializer(serializers.ModelSerializer):
    department = serializers.SlugRelatedField(slug_field="code", read_only=True)
    public_url = serializers.CharField(read_only=True)
    seed = serializers.CharField(read_only=True, help_text="64-bit seed as a string")

    class Meta:
        model = Draw
        fields = [
            "id",
            "title",
            "department",
            "township",
            "sector",
            "risk",
            "enterprise_count",
            "inspector_count",
            "method",
            "planned_on",
            "seed",
            "pool_ids",
            "roster_ids",
            "excluded_pairs",
            "result",
            "drawn_by",
            "drawn_at",
            "published_at",
            "public_url",
        ]
        read_only_fields = fields


class DrawCreateSerializer(serializers.Serializer):
    department = serializers.SlugRelatedField(slug_field="code", queryset=Department.objects.all())
    title = serializers.CharField(max_length=120)
    township = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Township.objects.all(),
        required=False,
        allow_null=True,
        default=None,
    )
    sector = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Sector.objects.all(),
        required=False,
        allow_null=True,
        default=None,
    )
    risk = serializers.ChoiceField(choices=RiskFilter.choices, default=RiskFilter.ALL)
    enterprise_count = serializers.IntegerField(min_value=1, max_value=DRAW_MAX_ENTERPRISES)
    inspector_count = serializers.IntegerField(min_value=1, max_value=DRAW_MAX_INSPECTORS)
    method = serializers.ChoiceField(choices=Method.choices, default=Method.DOUBLE_RANDOM)
    planned_on = serializers.DateField()


class ReplaySerializer(serializers.Serializer):
    matches = serializers.BooleanField()
    result = serializers.ListField(child=serializers.DictField())


class EnforcementActionSerializer(serializers.ModelSerializer):
    department = serializers.SlugRelatedField(slug_field="code", read_only=True)
    hazards = serializers.SlugRelatedField(slug_field="ledger_number", many=True, read_only=True)

    class Meta:
        model = EnforcementAction
        fields = [
            "id",
            "department",
            "enterprise",
            "inspection",
            "hazards",
            "kind",
            "fine_amount",
            "responsible_person",
            "person_fine_amount",
            "confiscated_amount",
            "legal_basis",
            "decision_number",
            "decided_on",
            "facts",
            "referred_for_prosecution",
            "referred_on",
            "referral_note",
        ]
        read_only_fields = fields


class EnforcementActionCreateSerializer(serializers.Serializer):
    department = serializers.SlugRelatedField(slug_field="code", queryset=Department.objects.all())
    enterprise = serializers.PrimaryKeyRelatedField(queryset=Enterprise.objects.all())
    inspection = serializers.IntegerField(required=False, allow_null=True, default=None)
    hazards = serializers.ListField(
        child=serializers.CharField(max_length=20), required=False, default=list, max_length=50
    )
    kind = serializers.ChoiceField(choices=ActionKind.choices)
    fine_amount = _amount(default=None)
    responsible_person = serializers.CharField(
        max_length=40, required=False, allow_blank=True, default=""
    )
    person_fine_amount = _amount(default=None)
    confiscated_amount = _amount(default=None)
    legal_basis = serializers.CharField(max_length=300)
    decision_number = serializers.CharField(max_length=60)
    decided_on = serializers.DateField()
    facts = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
    referred_for_prosecution = serializers.BooleanField(default=False)
    referred_on = serializers.DateField(required=False, allow_null=True, default=None)
    referral_note = serializers.CharField(
        max_length=300, required=False, allow_blank=True, default=""
    )


class ReferSerializer(serializers.Serializer):
    referred_on = serializers.DateField()
    referral_note = serializers.CharField(max_length=300)


class ExpertSerializer(serializers.ModelSerializer):
    sectors = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Expert
        fields = [
            "id",
            "name",
            "title",
            "specialities",
            "sectors",
            "employer",
            "employer_name",
            "available",
        ]
        read_only_fields = fields


class TieSerializer(serializers.ModelSerializer):
    class Meta:
        model = ConflictTie
        fields = ["id", "person", "expert", "enterprise", "reason", "recorded_at"]
        read_only_fields = fields


class TieCreateSerializer(serializers.Serializer):
    enterprise = serializers.PrimaryKeyRelatedField(queryset=Enterprise.objects.all())
    person = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(), required=False, allow_null=True, default=None
    )
    expert = serializers.PrimaryKeyRelatedField(
        queryset=Expert.objects.all(), required=False, allow_null=True, default=None
    )
    reason = serializers.CharField(max_length=200)


class AccidentSerializer(serializers.ModelSerializer):
    township = serializers.SlugRelatedField(slug_field="code", read_only=True)
    sector = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Accident
        fields = [
            "id",
            "occurred_on",
            "township",
            "sector",
            "enterprise",
            "summary",
            "deaths",
            "serious_injuries",
            "direct_loss",
            "grade",
            "investigation_status",
            "report",
        ]
        read_only_fields = fields


class AccidentCreateSerializer(serializers.Serializer):
    occurred_on = serializers.DateField()
    township = serializers.SlugRelatedField(slug_field="code", queryset=Township.objects.all())
    sector = serializers.SlugRelatedField(slug_field="code", queryset=Sector.objects.all())
    enterprise = serializers.PrimaryKeyRelatedField(
        queryset=Enterprise.objects.all(), required=False, allow_null=True, default=None
    )
    summary = serializers.CharField(max_length=200)
    deaths = serializers.IntegerField(min_value=0, max_value=10000, default=0)
    serious_injuries = serializers.IntegerField(min_value=0, max_value=10000, default=0)
    direct_loss = serializers.DecimalField(
        max_digits=13,
        decimal_places=2,
        min_value=0,
        max_value=Decimal("10000000000"),
        default=Decimal(0),
    )
    grade = serializers.ChoiceField(
        choices=AccidentGrade.choices, required=False, allow_blank=True, default=""
    )
    investigation_status = serializers.ChoiceField(
        choices=Accident.Investigation.choices, default=Accident.Investigation.INVESTIGATING
    )
    report = serializers.CharField(max_length=8000, required=False, allow_blank=True, default="")
