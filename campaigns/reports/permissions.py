"""Who may build which report (seeing one is :meth:`ReportQuerySet.visible_to`).

- the safety office and admins: every report, quarterly and final, for any scope;
- a township official: its own township's quarterly reports;
- department staff: their own department's quarterly reports.

The final evaluation report (总结评估) is the office's: units see theirs but do not build it.
"""

from __future__ import annotations

from campaigns.org.scoping import scope_for


def can_view_reports(user) -> bool:
    """Anyone with a scope (a unit or the whole county) has an archive to open."""
    return not scope_for(user).nothing


def can_request_report(user, *, kind: str, scope) -> bool:
    """May ``user`` build the report of ``kind`` for ``scope`` (a ReportScope)?"""
    user_scope = scope_for(user)
    if user_scope.everything:
        return True
    if kind != "quarterly":
        return False
    if scope.kind == "township":
        return scope.township_id in user_scope.township_ids
    if scope.kind == "department":
        return scope.department_id == getattr(user, "department_id", None)
    return False


def scopes_for(user) -> list[tuple[str, str]]:
    """The (scope key, label) pairs ``user`` may build quarterly reports for."""
    from campaigns.org.models import Department, Township

    user_scope = scope_for(user)
    if user_scope.everything:
        return (
            [("county", "黟县（全县）")]
            + [(f"township:{t.code}", t.name) for t in Township.objects.all()]
            + [(f"department:{d.code}", d.name) for d in Department.objects.all()]
        )
    choices = [
        (f"township:{t.code}", t.name)
        for t in Township.objects.filter(pk__in=user_scope.township_ids)
    ]
    if getattr(user, "department_id", None):
        choices += [
            (f"department:{d.code}", d.name)
            for d in Department.objects.filter(pk=user.department_id)
        ]
    return choices
