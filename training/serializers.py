"""Serializers of the training API (``/api/v1/training-*``, ``certificates``, ``drills``,
``principal-inspections``, ``rescue-teams``). Input serializers only parse; the services
validate and save. ``enterprise`` is an id among the enterprises the user may see."""

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from campaigns.models import Department, Township
from hazards.models import Enterprise, Hazard

from .constants import Audience, CertificateType, Flag
from .models import (
    Attendance,
    Certificate,
    Drill,
    DrillEvidence,
    EnterpriseFlag,
    PrincipalInspection,
    RescueTeam,
    TrainingSession,
)


class ScopedEnterpriseField(serializers.PrimaryKeyRelatedField):
    """An enterprise id; ids outside the requesting user's scope are "does not exist"."""

    def __init__(self, **kwargs):
        super().__init__(queryset=Enterprise.objects.all(), **kwargs)

    def get_queryset(self):
        return Enterprise.objects.visible_to(self.context["request"].user)


class ScopedHazardField(serializers.PrimaryKeyRelatedField):
    """A hazard id among the hazards the requesting user may see."""

    def __init__(self, **kwargs):
        super().__init__(queryset=Hazard.objects.all(), **kwargs)

    def get_queryset(self):
        return Hazard.objects.visible_to(self.context["request"].user)


class SessionSerializer(serializers.ModelSerializer):
    organiser_township = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )
    organiser_department = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )
    attendees = serializers.IntegerField(read_only=True, source="n_attendees")
    passed = serializers.IntegerField(read_only=True, source="n_passed")

    class Meta:
        model = TrainingSession
        fields = [
            "id",
            "title",
            "audience",
            "held_on",
            "online",
            "venue",
            "hours",
            "note",
            "organiser_township",
            "organiser_department",
            "attendees",
            "passed",
        ]


class SessionInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=120)
    audience = serializers.ChoiceField(choices=Audience.choices)
    held_on = serializers.DateField()
    online = serializers.BooleanField(default=False)
    venue = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    hours = serializers.DecimalField(
        max_digits=4, decimal_places=1, required=False, allow_null=True, default=None
    )
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    organiser_township = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Township.objects.all(),
        required=False,
        allow_null=True,
        default=None,
    )
    organiser_department = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Department.objects.all(),
        required=False,
        allow_null=True,
        default=None,
    )


class AttendanceSerializer(serializers.ModelSerializer):
    department = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Attendance
        fields = [
            "id",
            "session",
            "person_name",
            "position",
            "enterprise",
            "department",
            "responsible_person",
            "result",
        ]


class AttendanceInputSerializer(serializers.Serializer):
    session = serializers.IntegerField()
    person_name = serializers.CharField(max_length=40)
    position = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    enterprise = ScopedEnterpriseField(required=False, allow_null=True, default=None)
    department = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Department.objects.all(),
        required=False,
        allow_null=True,
        default=None,
    )
    responsible_person = serializers.BooleanField(default=True)
    result = serializers.ChoiceField(
        choices=Attendance.Result.choices, default=Attendance.Result.PENDING
    )


class ResultSerializer(serializers.Serializer):
    result = serializers.ChoiceField(choices=Attendance.Result.choices)


class CertificateSerializer(serializers.ModelSerializer):
    expired = serializers.SerializerMethodField()

    class Meta:
        model = Certificate
        fields = [
            "id",
            "worker_name",
            "enterprise",
            "type",
            "number",
            "issued_on",
            "valid_until",
            "review_due",
            "expired",
        ]

    def get_expired(self, obj) -> bool:
        return obj.valid_until < self.context["today"]


class CertificateInputSerializer(serializers.Serializer):
    worker_name = serializers.CharField(max_length=40)
    enterprise = ScopedEnterpriseField()
    type = serializers.ChoiceField(choices=CertificateType.choices)
    number = serializers.CharField(max_length=40)
    issued_on = serializers.DateField()
    valid_until = serializers.DateField()
    review_due = serializers.DateField(required=False, allow_null=True, default=None)


class EvidenceSerializer(serializers.ModelSerializer):
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = DrillEvidence
        fields = ["id", "kind", "original_name", "content_type", "url", "uploaded_at"]


class DrillSerializer(serializers.ModelSerializer):
    evidence = EvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = Drill
        fields = ["id", "enterprise", "held_on", "scenario", "participants", "note", "evidence"]


class DrillInputSerializer(serializers.Serializer):
    """JSON, or multipart with ``photos`` / ``documents`` files."""

    enterprise = ScopedEnterpriseField()
    held_on = serializers.DateField()
    scenario = serializers.CharField(max_length=200)
    participants = serializers.IntegerField(min_value=1, max_value=100_000)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


@extend_schema_serializer(component_name="PrincipalInspection")  # enforcement has Inspection
class InspectionSerializer(serializers.ModelSerializer):
    hazards = serializers.SlugRelatedField(slug_field="ledger_number", many=True, read_only=True)

    class Meta:
        model = PrincipalInspection
        fields = ["id", "enterprise", "inspected_on", "leader_name", "findings", "hazards"]


class InspectionInputSerializer(serializers.Serializer):
    enterprise = ScopedEnterpriseField()
    inspected_on = serializers.DateField()
    leader_name = serializers.CharField(max_length=40)
    findings = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
    hazards = ScopedHazardField(many=True, required=False, default=list)


class RescueTeamSerializer(serializers.ModelSerializer):
    class Meta:
        model = RescueTeam
        fields = ["id", "enterprise", "name", "members", "agreement_with", "established_on"]


class RescueTeamInputSerializer(serializers.Serializer):
    enterprise = ScopedEnterpriseField()
    name = serializers.CharField(max_length=120)
    members = serializers.IntegerField(min_value=1, max_value=10_000)
    agreement_with = serializers.CharField(
        max_length=120, required=False, allow_blank=True, default=""
    )
    established_on = serializers.DateField(required=False, allow_null=True, default=None)


class FlagSerializer(serializers.ModelSerializer):
    class Meta:
        model = EnterpriseFlag
        fields = ["id", "enterprise", "flag"]


class FlagInputSerializer(serializers.Serializer):
    enterprise = ScopedEnterpriseField()
    flag = serializers.ChoiceField(choices=Flag.choices)


class FiguresSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()
    started = serializers.IntegerField()
    met = serializers.IntegerField()
    pending = serializers.IntegerField()
    missed = serializers.IntegerField()
    rate = serializers.FloatField(allow_null=True)


@extend_schema_serializer(many=False)  # one object, though served by a ViewSet ``list``
class DutySerializer(serializers.Serializer):
    duty = serializers.CharField()
    year = serializers.IntegerField()
    total = FiguresSerializer()
    townships = FiguresSerializer(many=True)
    sectors = FiguresSerializer(many=True)


class CoverageSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    audience = serializers.CharField()
    label = serializers.CharField()
    total = serializers.IntegerField()
    trained = serializers.IntegerField()
    untrained = serializers.IntegerField()
    rate = serializers.FloatField(allow_null=True)
    met = serializers.BooleanField()
