"""Pages of the campaign plan: overview (phases, actions, tasks), action and task pages."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from .models import Action, Task
from .selectors import campaign_overview


@login_required
def overview(request):
    """Campaign overview: the four phases on a timeline with today's marked, the 8 actions and
    their tasks, milestones due in the next 90 days."""
    return render(request, "campaigns/overview.html", {"overview": campaign_overview()})


@login_required
def action_detail(request, number: int):
    """One action (1…8) and its tasks."""
    action = get_object_or_404(Action.objects.prefetch_related("tasks"), number=number)
    return render(request, "campaigns/action_detail.html", {"action": action})


@login_required
def task_detail(request, number: int):
    """One task (1…30): full text, lead/participating departments, sectors, milestones and
    recurring obligations."""
    task = get_object_or_404(Task.objects.with_plan_relations(), number=number)
    return render(request, "campaigns/task_detail.html", {"task": task})
