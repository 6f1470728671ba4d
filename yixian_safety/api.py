"""API plumbing shared by every app: the ``/api/v1/`` router, pagination and strict filtering.

Each app registers its viewsets in ``<app>/api/urls.py`` via :data:`router`-style lists collected
in :mod:`yixian_safety.urls`.
"""

from functools import partial

import django_filters
from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import Paginator
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

# Query parameters every list endpoint understands besides its filters.
GENERIC_QUERY_PARAMS = frozenset({"page", "page_size", "ordering", "format", "search"})


class KnownCountPaginator(Paginator):
    """A Django paginator told the number of rows (``count=``, e.g. from a summary table kept
    exact) instead of running ``SELECT count(*)``; without it, the ordinary count."""

    def __init__(self, object_list, per_page, *args, count: int | None = None, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        if count is not None:
            self.__dict__["count"] = count  # the cached_property's value


class Pagination(PageNumberPagination):
    """Page-number pagination: ``?page=N&page_size=M``; M defaults to 50 and is capped at 200.

    A view may define ``known_count(request) -> int | None``: the exact number of rows of the
    list when it knows it without counting (the hazards list from the figures summary, issue
    19: ``count(*)`` of 950,000 visible hazards is 0.6 s); None counts as usual."""

    page_size_query_param = "page_size"
    max_page_size = 200
    _known_count: int | None = None

    @property
    def django_paginator_class(self):
        return partial(KnownCountPaginator, count=self._known_count)

    def paginate_queryset(self, queryset, request, view=None):
        known = getattr(view, "known_count", None)
        self._known_count = known(request) if known is not None else None
        return super().paginate_queryset(queryset, request, view)


# The largest id a (big) auto field holds, in PostgreSQL and in SQLite alike.
MAX_ID = 2**63 - 1


class IdFilter(django_filters.NumberFilter):
    """Filter by an object's id (``?enterprise=12``): a whole number 1 … :data:`MAX_ID`.
    Anything else (``1.5``, ``-1``, ``99999999999999999999``) is a 400 naming the parameter —
    a plain ``NumberFilter`` passes a Decimal of any size to the database (a 500 on SQLite)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class StrictFilterBackend(DjangoFilterBackend):
    """django-filter backend that answers 400 for unknown query parameters.

    A typo such as ``?townshp=3`` would otherwise be ignored silently and return the whole list;
    malformed values (``?found_after=yesterday``) already give 400 through django-filter.
    """

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        allowed = set(GENERIC_QUERY_PARAMS)
        if filterset_class is not None:
            allowed |= set(filterset_class.base_filters)
        allowed |= set(getattr(view, "extra_query_params", ()))
        reject_unknown_params(request, allowed)
        return super().filter_queryset(request, queryset, view)


def reject_unknown_params(request, allowed) -> None:
    """Raise a 400 (``ValidationError``) naming each query parameter of ``request`` that is not
    in ``allowed`` — ``{"<name>": ["未知的查询参数。可用：a, b"]}`` — so a typo never returns
    unfiltered figures. ``allowed`` is the endpoint's own parameters; add
    ``GENERIC_QUERY_PARAMS`` where the endpoint pages or sorts."""
    allowed = set(allowed)
    unknown = sorted(set(request.query_params) - allowed)
    if unknown:
        message = _("Unknown query parameter. Allowed: %(names)s") % {
            "names": ", ".join(sorted(allowed))
        }
        raise ValidationError({name: [message] for name in unknown})


class StrictQueryParams:
    """For a plain ``ViewSet`` (no filter backend runs there): 400 for any query parameter
    outside ``extra_query_params`` and ``format``, before the action runs."""

    extra_query_params: tuple | list = ()

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        reject_unknown_params(request, {"format", *self.extra_query_params})


def call_service(call):
    """Run ``call()`` (a service call) from an API view: the service's Django ValidationError
    becomes a DRF 400 with the same messages (field errors stay per field); Django's
    PermissionDenied and Http404 are already 403/404 in DRF."""
    try:
        return call()
    except DjangoValidationError as exc:
        raise ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        ) from exc


class ServiceActions:
    """Mixin of a viewset: the one way to write a POST action (``@action(detail=True,
    methods=["post"])``) that changes state through a service.

    ``run_action(service, input_serializer, obj_arg="hazard", output=SomeSerializer)``:
    validates the request body with ``input_serializer`` (or takes nothing when ``None``),
    calls ``service(<obj_arg>=<the scoped object>, actor=request.user, **validated, **extra)``
    (its ValidationError → 400 via :func:`call_service`; PermissionDenied → 403; an object out of
    scope was already 404), then answers the object as re-read through ``get_queryset()``,
    serialized with ``output`` (default: the viewset's serializer class)."""

    def run_action(self, service, input_serializer=None, *, obj_arg: str, output=None, **extra):
        from rest_framework.response import Response

        obj = self.get_object()
        values = {}
        if input_serializer is not None:
            data = input_serializer(data=self.request.data)
            data.is_valid(raise_exception=True)
            values = data.validated_data
        call_service(lambda: service(**{obj_arg: obj}, actor=self.request.user, **values, **extra))
        serializer_class = output or self.get_serializer_class()
        return Response(
            serializer_class(
                self.get_queryset().get(pk=obj.pk), context=self.get_serializer_context()
            ).data
        )
