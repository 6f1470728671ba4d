"""Serializers of sub-plans and progress (``/api/v1/``). Status is never writable: state
changes are POST actions calling the services."""

from rest_framework import serializers


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
