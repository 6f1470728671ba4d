"""Read-only serializers of the plan (``/api/v1/``)."""

from rest_framework import serializers

from campaigns.org.models import Department, Sector, Township


class TownshipSerializer(serializers.ModelSerializer):
    class Meta:
        model = Township
        fields = ["id", "code", "name"]


class DepartmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = ["id", "code", "name", "short_name", "is_lead"]


class SectorSerializer(serializers.ModelSerializer):
    lead_departments = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Sector
        fields = ["id", "code", "name", "high_risk", "lead_departments", "note"]


class UnitFields(serializers.Serializer):
    township = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    department = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    unit_name = serializers.SerializerMethodField()

    def get_unit_name(self, obj) -> str:
        return str(obj.unit)
