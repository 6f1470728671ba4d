"""Read-only API of the plan: ``/api/v1/{actions,tasks,phases,departments,townships,sectors}/``.

Every signed-in user may read the plan; anonymous requests get 401/403.
"""

from rest_framework import viewsets

from campaigns.plan import serializers
from campaigns.plan.filters import TaskFilter
from campaigns.plan.models import Action, Phase, Task


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
