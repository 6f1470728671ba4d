"""Read-only API of the plan: ``/api/v1/{actions,tasks,phases,departments,townships,sectors}/``.

Every signed-in user may read the plan; anonymous requests get 401/403.
"""

from rest_framework import viewsets

from campaigns.org import serializers
from campaigns.org.models import Department, Sector, Township


class DepartmentViewSet(viewsets.ReadOnlyModelViewSet):
    """County departments; ``?is_lead=true`` for the 16 lead departments."""

    queryset = Department.objects.all()
    serializer_class = serializers.DepartmentSerializer
    filterset_fields = ["is_lead", "code"]


class TownshipViewSet(viewsets.ReadOnlyModelViewSet):
    """The 8 townships of 黟县."""

    queryset = Township.objects.all()
    serializer_class = serializers.TownshipSerializer
    filterset_fields = ["code"]


class SectorViewSet(viewsets.ReadOnlyModelViewSet):
    """Sectors (行业领域) with their lead departments; ``?high_risk=true``."""

    queryset = Sector.objects.prefetch_related("lead_departments")
    serializer_class = serializers.SectorSerializer
    filterset_fields = ["high_risk", "code"]
