"""API of sub-plans, progress, milestones, obligation periods and the league table.

``/api/v1/subplans/`` (+ POST ``{id}/submit/``, ``{id}/return/``, ``{id}/approve/``),
``/api/v1/subplan-versions/``, ``/api/v1/progress-reports/``, ``/api/v1/milestone-records/``,
``/api/v1/obligation-periods/`` (computed, read), ``/api/v1/league/`` (read). Everything is
scoped by ``visible_to`` (404 outside); refused actions are 403; bad input 400 with Chinese
messages.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from campaigns.league import serializers as s
from campaigns.league.selectors import DEPARTMENTS, KINDS, TOWNSHIPS, league_table
from yixian_safety.api import reject_unknown_params
from yixian_safety.dates import today_local


class LeagueViewSet(viewsets.GenericViewSet):
    """The league table (“赛马”): ``?kind=townships`` or ``departments`` (default both), each
    unit's rank, score (0–100) and its metrics (achieved, owed, value, weight, points)."""

    serializer_class = s.LeagueRowSerializer
    filter_backends: list = []
    pagination_class = None

    @extend_schema(
        parameters=[OpenApiParameter("kind", OpenApiTypes.STR, enum=[TOWNSHIPS, DEPARTMENTS])]
    )
    def list(self, request):
        reject_unknown_params(request, {"kind", "format"})
        kind = request.query_params.get("kind")
        if kind is not None and kind not in KINDS:
            raise ValidationError(
                {"kind": [_("Choose %(a)s or %(b)s.") % {"a": TOWNSHIPS, "b": DEPARTMENTS}]}
            )
        today = today_local()
        rows = []
        for k in [kind] if kind else [TOWNSHIPS, DEPARTMENTS]:
            for row in league_table(k, today=today):
                row.kind = k
                rows.append(row)
        return Response(self.get_serializer(rows, many=True).data)
