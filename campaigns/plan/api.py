"""Read-only API of the plan: ``/api/v1/{actions,tasks,phases,departments,townships,sectors}/``.

Every signed-in user may read the plan; anonymous requests get 401/403. The plan's lists and
lookups are of one campaign: ``?campaign=<slug or id>`` (e.g. ``?campaign=2024-2026``; an
unknown one is 404), default the current campaign
(:func:`campaigns.plan.selectors.campaign_current`).
"""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers as drf
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from campaigns.org.models import Department, Township
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
        if getattr(self, "swagger_fake_view", False):  # schema generation: no request, no query
            return queryset
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


class _FigureSerializer(drf.Serializer):
    label = drf.CharField()
    value = drf.JSONField(help_text="a count or a short text")
    url = drf.CharField(allow_blank=True)


class _FigureGroupSerializer(drf.Serializer):
    key = drf.CharField()
    source = drf.CharField()
    figures = _FigureSerializer(many=True)


class _MilestoneStateSerializer(drf.Serializer):
    code = drf.CharField()
    met = drf.BooleanField()
    source = drf.CharField()
    url = drf.CharField(allow_blank=True)


class ComputedProgressSerializer(drf.Serializer):
    """A task's computed progress (see ``TaskViewSet.computed_progress``)."""

    task = drf.IntegerField()
    period = drf.CharField(allow_null=True)
    groups = _FigureGroupSerializer(many=True)
    milestones = _MilestoneStateSerializer(many=True)


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

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "period", OpenApiTypes.STR, description="reporting period, e.g. 2026-Q3"
            ),
            OpenApiParameter(
                "township", OpenApiTypes.STR, description="one township (code): its figures"
            ),
            OpenApiParameter(
                "department",
                OpenApiTypes.STR,
                description="one department (code): the figures of what it follows",
            ),
        ],
        responses=ComputedProgressSerializer,
    )
    @action(detail=True, methods=["get"], url_path="computed-progress", filter_backends=[])
    def computed_progress(self, request, number=None):
        """What the platform's records show for this task (``campaigns.progress.registry``),
        for what the caller may see: ``{"task", "period", "groups": [{"key", "source",
        "figures": [{"label", "value", "url"}]}], "milestones": [{"code", "met", "source",
        "url"}]}``. ``?period=2026-Q3`` limits dated figures to one of the task's reporting
        periods (400 otherwise); without it, the campaign so far. ``?township=<code>`` or
        ``?department=<code>`` narrows the figures to that unit, as in its row of the task page
        (400 for an unknown code; still only what the caller may see). ``value`` is a number
        or a short text ("12 / 15（80.0%）")."""
        from campaigns.progress.registry import milestone_computed_state, task_figures
        from campaigns.progress.selectors import pick_period, report_periods
        from yixian_safety.dates import today_local

        task = self.get_object()
        today = today_local()
        period = None
        if request.query_params.get("period"):
            try:
                period = pick_period(
                    request.query_params["period"], report_periods(task, today), today
                )
            except ValueError:
                raise ValidationError(
                    {
                        "period": [
                            _("“%(key)s” is not a reporting period of this task.")
                            % {"key": request.query_params["period"][:20]}
                        ]
                    }
                ) from None
        unit = None
        for name, model in (("township", Township), ("department", Department)):
            code = request.query_params.get(name)
            if code:
                unit = model.objects.filter(code=code).first()
                if unit is None:
                    raise ValidationError(
                        {name: [_("“%(code)s” is not a unit.") % {"code": code[:40]}]}
                    )
        groups = task_figures(
            task.number,
            viewer=request.user,
            today=today,
            unit=unit,
            period=period,
            campaign_slug=task.campaign.slug,
        )
        milestones = []
        for m in task.milestones.all():
            state = milestone_computed_state(m, today)
            if state is not None:
                milestones.append(
                    {"code": m.code, "met": state.met, "source": state.source, "url": state.url}
                )
        data = {
            "task": task.number,
            "period": period.key if period else None,
            "groups": [
                {
                    "key": g.key,
                    "source": g.source,
                    "figures": [f._asdict() for f in g.figures],
                }
                for g in groups
            ],
            "milestones": milestones,
        }
        return Response(ComputedProgressSerializer(data).data)


class PhaseViewSet(CampaignScoped, viewsets.ReadOnlyModelViewSet):
    """The campaign's phases with date ranges (inclusive, Asia/Shanghai) and requirements."""

    serializer_class = serializers.PhaseSerializer
    filterset_fields: list[str] = []

    def get_queryset(self):
        return self.scope_to_campaign(Phase.objects.all())
