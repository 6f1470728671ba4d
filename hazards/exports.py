"""Excel renderers (openpyxl via yixian_safety.xlsx: Chinese headers, real dates, safe text)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from yixian_safety.dates import today_local
from yixian_safety.xlsx import xlsx_bytes

HAZARD_HEADERS = (
    _lazy("ledger number"),
    _lazy("enterprise"),
    _lazy("unified social credit code"),
    _lazy("township"),
    _lazy("sector"),
    _lazy("supervising department"),
    _lazy("level"),
    _lazy("source"),
    _lazy("found on"),
    _lazy("found by"),
    _lazy("location"),
    _lazy("description"),
    _lazy("judgement criterion"),
    _lazy("status"),
    _lazy("rectification deadline"),
    _lazy("overdue"),
    _lazy("responsible unit"),
    _lazy("responsible person"),
    _lazy("funds (yuan)"),
    _lazy("closed at"),
)
# The columns as plain values (no model instances: building 100,000 of them took 17 s of a
# 46 s export, issue 19); labels of the choices are mapped here.
_HAZARD_VALUES = (
    "ledger_number",
    "enterprise__name",
    "enterprise__credit_code",
    "township__name",
    "sector__name",
    "supervising_department__name",
    "level",
    "source",
    "found_on",
    "found_by",
    "location",
    "description",
    "criterion__document",
    "criterion__clause",
    "status",
    "rectification__deadline",
    "rectification__responsible_unit",
    "rectification__responsible_person",
    "rectification__funds",
    "closed_at",
)


def hazard_rows(queryset, *, today=None):
    """The ledger rows of the export, in the queryset's order (streamed from the database in
    chunks of 2,000)."""
    from .models import OPEN_STATUSES, Level, Source, Status

    today = today or today_local()
    levels, sources, statuses = (dict(c.choices) for c in (Level, Source, Status))
    yes, no = _("yes"), _("no")
    open_ = set(OPEN_STATUSES)
    rows = queryset.order_by(*queryset.query.order_by).values_list(*_HAZARD_VALUES)
    for (
        number,
        enterprise,
        code,
        township,
        sector,
        department,
        level,
        source,
        found_on,
        found_by,
        location,
        description,
        document,
        clause,
        status,
        deadline,
        unit,
        person,
        funds,
        closed_at,
    ) in rows.iterator(chunk_size=2000):
        yield [
            number,
            enterprise,
            code,
            township,
            sector,
            department,
            str(levels.get(level, level)),
            str(sources.get(source, source)),
            found_on,
            found_by,
            location,
            description,
            f"{document} {clause}" if clause else "",
            str(statuses.get(status, status)),
            deadline,
            yes if status in open_ and deadline and deadline < today else no,
            unit or "",
            person or "",
            funds,
            closed_at,
        ]


def hazards_sheets(queryset) -> list:
    """The (filtered, scoped) ledger as one sheet; one row per hazard, in the queryset's order
    (for :func:`yixian_safety.xlsx.xlsx_write` or the streaming response)."""
    return [(_("Hazard ledger"), [str(h) for h in HAZARD_HEADERS], hazard_rows(queryset))]


def hazards_xlsx(queryset) -> bytes:
    """The ledger sheet as bytes (small exports and tests; the page streams it)."""
    return xlsx_bytes(hazards_sheets(queryset))


def enterprises_xlsx(queryset) -> bytes:
    headers = [
        _("name"),
        _("unified social credit code"),
        _("township"),
        _("sectors"),
        _("high-risk"),
        _("address"),
        _("principal"),
        _("principal phone"),
        _("actual controller"),
        _("actual controller phone"),
    ]
    qs = queryset.select_related("township").prefetch_related("sectors").with_high_risk()

    def rows():
        for e in qs:
            yield [
                e.name,
                e.credit_code,
                e.township.name,
                "、".join(s.name for s in e.sectors.all()),
                _("yes") if e.is_high_risk else _("no"),
                e.address,
                e.principal_name,
                e.principal_phone,
                e.controller_name,
                e.controller_phone,
            ]

    return xlsx_bytes([(_("Enterprises"), headers, rows())])


CRITERION_STAT_HEADERS = (
    _lazy("judgement standard"),
    _lazy("document number"),
    _lazy("clause"),
    _lazy("clause text"),
    _lazy("clause number checked against the official text"),
    _lazy("total"),
    _lazy("open"),
    _lazy("overdue"),
    _lazy("closed on time"),
)


def criterion_statistics_xlsx(rows) -> bytes:
    """The statistics page's table by clause (``rows``: selectors.CriterionRow, most often met
    first): one sheet, one row per clause with its standard, 文号, wording, whether its number
    was verified, and the hazards citing it (total, open, overdue, closed on time)."""
    yes, no = _("yes"), _("no")
    data = [
        (
            r.criterion.standard.short_name or r.criterion.standard.title,
            r.criterion.standard.document_number,
            r.criterion.clause,
            r.criterion.text,
            yes if r.criterion.verified else no,
            r.row.total.value,
            r.row.open.value,
            r.row.overdue.value,
            r.row.closed_on_time.value,
        )
        for r in rows
    ]
    return xlsx_bytes([(_("by clause"), [str(h) for h in CRITERION_STAT_HEADERS], data)])
