"""Read-only API of the plan: ``/api/v1/{actions,tasks,phases,departments,townships,sectors}/``.

Every signed-in user may read the plan; anonymous requests get 401/403.
"""

from rest_framework import viewsets

from campaigns.models import Action, Department, Phase, Sector, Task, Township
from campaigns.api import serializers
from campaigns.api.filters import TaskFilter


class ActionViewSet(viewsets.ReadOnlyModelViewSet):
    """The 8 actions with the numbers of their tasks."""

    queryset = Action.objects.prefetch_related("tasks")
    serializer_class = serializers.ActionSerializer
    filterset_fields: list[str] = []
    lookup_field = "number"


class TaskViewSet(viewsets.ReadOnlyModelViewSet):
    """The 30 tasks with full text, departments, sectors, milestones and obligations.
    Lookup by task number: ``/api/v1/tasks/16/``."""

    queryset = Task.objects.with_plan_relations()
    serializer_class = serializers.TaskSerializer
    filterset_class = TaskFilter
    lookup_field = "number"
    ordering_fields = ["number"]


class PhaseViewSet(viewsets.ReadOnlyModelViewSet):
    """The four phases with date ranges (inclusive, Asia/Shanghai) and requirements."""

    queryset = Phase.objects.all()
    serializer_class = serializers.PhaseSerializer
    filterset_fields: list[str] = []


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
