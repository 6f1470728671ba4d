"""Read-only API of the plan: ``/api/v1/{actions,tasks,phases,departments,townships,sectors}/``.

Every signed-in user may read the plan; anonymous requests get 401/403. The plan's lists and
lookups are of one campaign: ``?campaign=<slug or id>`` (e.g. ``?campaign=2024-2026``; an
unknown one is 404), default the current campaign
(:func:`campaigns.plan.selectors.campaign_current`).
"""

from rest_framework import viewsets

from campaigns.plan import serializers
from campaigns.plan.filters import TaskFilter
from campaigns.plan.models import Action, Campaign, Phase, Task
from campaigns.plan.selectors import campaign_for_request


class CampaignScoped:
    """Mixin of the viewsets whose records belong to a campaign: ``?campaign=<slug or id>``
    (default: the current campaign). Lists are of that campaign; so are lookups when
    ``campaign_lookups`` (by number: ``/api/v1/tasks/16/``), not lookups by id."""

    extra_query_params = ("campaign",)
    campaign_field = "campaign"
    campaign_lookups = False

    def campaign(self) -> Campaign | None:
        """The campaign of this request (the query parameter, never the page session)."""
        return campaign_for_request(self.request, remember=False)

    def scope_to_campaign(self, queryset):
        if self.action != "list" and not self.campaign_lookups:
            return queryset
        return queryset.filter(**{self.campaign_field: self.campaign()})


class CampaignViewSet(viewsets.ReadOnlyModelViewSet):
    """Every campaign loaded, newest first (``slug`` is what ``?campaign=`` takes);
    ``ended`` is true after its last day (archive, read-only); ``current`` marks the one the
    pages and the API default to."""

    queryset = Campaign.objects.all()
    serializer_class = serializers.CampaignSerializer
    filterset_fields: list[str] = []
    lookup_field = "slug"


class ActionViewSet(CampaignScoped, viewsets.ReadOnlyModelViewSet):
    """The campaign's actions (the 2024–2026 plan's 8) with the numbers of their tasks.
    Lookup by number within the campaign: ``/api/v1/actions/3/?campaign=2024-2026``."""

    serializer_class = serializers.ActionSerializer
    filterset_fields: list[str] = []
    lookup_field = "number"
    campaign_lookups = True

    def get_queryset(self):
        return self.scope_to_campaign(Action.objects.prefetch_related("tasks"))


class TaskViewSet(CampaignScoped, viewsets.ReadOnlyModelViewSet):
    """The campaign's tasks (the 2024–2026 plan's 30) with full text, departments, sectors,
    milestones and obligations. Lookup by task number within the campaign:
    ``/api/v1/tasks/16/``."""

    serializer_class = serializers.TaskSerializer
    filterset_class = TaskFilter
    lookup_field = "number"
    ordering_fields = ["number"]
    campaign_lookups = True

    def get_queryset(self):
        return self.scope_to_campaign(Task.objects.with_plan_relations())


class PhaseViewSet(CampaignScoped, viewsets.ReadOnlyModelViewSet):
    """The campaign's phases with date ranges (inclusive, Asia/Shanghai) and requirements."""

    serializer_class = serializers.PhaseSerializer
    filterset_fields: list[str] = []

    def get_queryset(self):
        return self.scope_to_campaign(Phase.objects.all())
