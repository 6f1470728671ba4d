"""Writes of the working-day calendar: entering a year (page, Django admin, Excel sheet),
syncing with the ``chinesecalendar`` package, and recounting what other apps stored.

Every write is atomic and recounts the stored figures of the years it changed in the same
transaction (:func:`.recount.workdays_recount`), so a count never disagrees with the schedule.
"""

from __future__ import annotations

import datetime
import io
import re
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from yixian_safety.xlsx import XLSX_READ_ERRORS, xlsx_bytes

from . import official
from .constants import FIRST_YEAR, LAST_YEAR, MAX_DAYS_PER_YEAR, MAX_IMPORT_BYTES
from .models import CalendarDay, CalendarYear
from .permissions import can_enter_calendar
from .recount import workdays_recount

Kind = CalendarDay.Kind
Source = CalendarYear.Source

#: The columns of the Excel sheet, in order.
COLUMNS = ("日期", "类型", "名称")
_KIND_WORDS = {
    "放假": Kind.HOLIDAY,
    "假": Kind.HOLIDAY,
    "休": Kind.HOLIDAY,
    "休息": Kind.HOLIDAY,
    "holiday": Kind.HOLIDAY,
    "调休上班": Kind.MAKEUP_WORKDAY,
    "上班": Kind.MAKEUP_WORKDAY,
    "班": Kind.MAKEUP_WORKDAY,
    "补班": Kind.MAKEUP_WORKDAY,
    "makeup_workday": Kind.MAKEUP_WORKDAY,
}
_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日")


@dataclass(frozen=True)
class DayEntry:
    """One line of a schedule: ``date``, ``kind`` (Kind value), ``name`` (≤ 50 chars)."""

    date: datetime.date
    kind: str
    name: str


@dataclass
class YearEntered:
    """What :func:`calendar_year_enter` did: the year, its days, rows recounted per app."""

    calendar_year: CalendarYear
    days: int
    recounted: dict[str, int] = field(default_factory=dict)


def _check_year(year: int) -> None:
    if not isinstance(year, int) or not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationError(
            {
                "year": _("The year must be between %(first)s and %(last)s.")
                % {"first": FIRST_YEAR, "last": LAST_YEAR}
            }
        )


def _where(row: int, column: str | None) -> str:
    if column:
        return _("Row %(row)s, column “%(column)s”") % {"row": row, "column": column}
    return _("Row %(row)s") % {"row": row}


def parse_date(value) -> datetime.date | None:
    """A real Excel date or text 2027-01-01 / 2027/1/1 / 2027年1月1日; None if unreadable."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value or "").strip()
    for fmt in _DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def parse_rows(year: int, rows: list[tuple[int, tuple]]) -> list[DayEntry]:
    """Check ``[(row number, (date, kind, name)), ...]`` of one year's schedule.

    Returns the entries; raises ValidationError listing every bad row and column in Chinese
    ("第 3 行，列“类型”：…"): unreadable date, a date of another year, the same date twice,
    an unknown kind (放假 / 调休上班), a make-up workday that is not a Saturday or Sunday, an
    empty or too long name; more than MAX_DAYS_PER_YEAR rows; no holiday at all."""
    _check_year(year)
    errors: list[str] = []
    entries: list[DayEntry] = []
    seen: dict[datetime.date, int] = {}
    if len(rows) > MAX_DAYS_PER_YEAR:
        raise ValidationError(_("At most %(n)s days per year.") % {"n": MAX_DAYS_PER_YEAR})
    for number, values in rows:
        raw_date, raw_kind, raw_name = (tuple(values) + (None, None, None))[:3]
        row_errors = []
        day = parse_date(raw_date)
        if day is None:
            row_errors.append(
                _("%(where)s: the date should read YYYY-MM-DD.")
                % {"where": _where(number, COLUMNS[0])}
            )
        elif day.year != year:
            row_errors.append(
                _("%(where)s: %(date)s is not in %(year)s.")
                % {"where": _where(number, COLUMNS[0]), "date": day.isoformat(), "year": year}
            )
        elif day in seen:
            row_errors.append(
                _("%(where)s: %(date)s is already on row %(other)s.")
                % {"where": _where(number, COLUMNS[0]), "date": day.isoformat(), "other": seen[day]}
            )
        kind = _KIND_WORDS.get(str(raw_kind or "").strip())
        if kind is None:
            row_errors.append(
                _("%(where)s: should be 放假 or 调休上班.") % {"where": _where(number, COLUMNS[1])}
            )
        elif kind == Kind.MAKEUP_WORKDAY and day is not None and day.weekday() < 5:
            row_errors.append(
                _(
                    "%(where)s: a make-up workday (调休上班) is a Saturday or "
                    "Sunday; %(date)s is a weekday."
                )
                % {"where": _where(number, COLUMNS[1]), "date": day.isoformat()}
            )
        name = str(raw_name or "").strip()
        if not name:
            row_errors.append(
                _("%(where)s: a name is required (e.g. 春节).")
                % {"where": _where(number, COLUMNS[2])}
            )
        elif len(name) > 50:
            row_errors.append(
                _("%(where)s: at most 50 characters.") % {"where": _where(number, COLUMNS[2])}
            )
        if row_errors:
            errors += row_errors
        else:
            seen[day] = number
            entries.append(DayEntry(day, kind, name))
    if not errors and not any(e.kind == Kind.HOLIDAY for e in entries):
        errors.append(_("The schedule has no holiday (放假) at all."))
    if errors:
        raise ValidationError(errors)
    return sorted(entries, key=lambda e: e.date)


_SPLIT = re.compile(r"[\s,，、;；]+")


def parse_lines(year: int, text: str) -> list[DayEntry]:
    """The page form's text: one day per line, "2027-02-06 放假 春节" (spaces, commas or
    tabs between; lines pasted from Excel work). Errors as :func:`parse_rows`."""
    rows = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if line.strip():
            rows.append((number, tuple(_SPLIT.split(line.strip(), maxsplit=2))))
    return parse_rows(year, rows)


def read_xlsx(year: int, content: bytes) -> list[DayEntry]:
    """The rows of an Excel sheet (first sheet; header 日期, 类型, 名称 in row 1).

    Bounded: at most MAX_IMPORT_BYTES bytes and MAX_DAYS_PER_YEAR rows (more rows is an error,
    the rest is not read). Raises ValidationError naming rows and columns."""
    if len(content) > MAX_IMPORT_BYTES:
        raise ValidationError(
            _("The file is larger than %(n)s KB.") % {"n": MAX_IMPORT_BYTES // 1024}
        )
    try:
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except XLSX_READ_ERRORS:
        raise ValidationError(_("The file is not an Excel .xlsx workbook.")) from None
    try:
        ws = wb.worksheets[0]
        it = ws.iter_rows(values_only=True, max_row=MAX_DAYS_PER_YEAR + 2, max_col=10)
        header = [str(h).strip() if h is not None else "" for h in next(it, ())]
        missing = [c for c in COLUMNS if c not in header]
        if missing:
            raise ValidationError(
                _("Missing column(s): %(columns)s — the first row must read 日期, 类型, 名称.")
                % {"columns": "、".join(missing)}
            )
        index = [header.index(c) for c in COLUMNS]
        rows = []
        for number, raw in enumerate(it, start=2):
            if raw is None or all(v in (None, "") for v in raw):
                continue
            rows.append((number, tuple(raw[i] if i < len(raw) else None for i in index)))
    except XLSX_READ_ERRORS:  # the XML breaks off while the rows are read
        raise ValidationError(_("The file is not an Excel .xlsx workbook.")) from None
    finally:
        wb.close()
    if not rows:
        raise ValidationError(_("The file has no data rows."))
    return parse_rows(year, rows)


def template_xlsx(year: int) -> bytes:
    """The sheet to fill in (or the year's current schedule, to correct and re-import)."""
    days = list(
        CalendarDay.objects.filter(calendar_year__year=year).values_list("date", "kind", "name")
    )
    if not days:
        days = list(official.official_days(year))
    labels = {Kind.HOLIDAY: "放假", Kind.MAKEUP_WORKDAY: "调休上班"}
    rows = [(d, labels[k], n) for d, k, n in days] or [(datetime.date(year, 1, 1), "放假", "元旦")]
    return xlsx_bytes([(str(year), list(COLUMNS), rows)])


@transaction.atomic
def calendar_year_enter(
    *, year: int, days: list[DayEntry], actor, document: str = "", source: str = Source.ADMIN
) -> YearEntered:
    """Store ``year``'s schedule (replacing any earlier one) and recount stored figures.

    ``days``: checked entries (:func:`parse_rows` / :func:`parse_lines` / :func:`read_xlsx`).
    ``actor``: an admin (``campaigns.change_calendaryear``) — PermissionDenied otherwise; None
    only for the package seed and demo data. Raises ValidationError for a bad year or days."""
    if actor is not None and not can_enter_calendar(actor):
        raise PermissionDenied
    _check_year(year)
    if source not in (Source.ADMIN, Source.OFFICIAL):
        raise ValidationError({"source": _("Unknown source.")})
    parse_rows(year, [(i, (d.date, d.kind, d.name)) for i, d in enumerate(days, start=1)])
    cy, _created = CalendarYear.objects.select_for_update().get_or_create(
        year=year, defaults={"source": source}
    )
    cy.source = source
    cy.document = (document or "").strip()[:200]
    cy.entered_by = actor
    cy.entered_at = timezone.now()
    cy.save()
    CalendarDay.objects.filter(calendar_year=cy).delete()
    CalendarDay.objects.bulk_create(
        CalendarDay(calendar_year=cy, date=d.date, kind=d.kind, name=d.name) for d in days
    )
    return YearEntered(cy, len(days), workdays_recount({year}))


@transaction.atomic
def calendar_year_import_xlsx(
    *, year: int, content: bytes, actor, document: str = ""
) -> YearEntered:
    """:func:`read_xlsx` then :func:`calendar_year_enter`: all rows or nothing."""
    if not can_enter_calendar(actor):
        raise PermissionDenied
    return calendar_year_enter(
        year=year, days=read_xlsx(year, content), actor=actor, document=document
    )


@transaction.atomic
def calendar_year_saved(*, calendar_year: CalendarYear, actor) -> dict[str, int]:
    """After the Django admin saved a year and its days: mark it entered by ``actor`` and
    recount. The admin's form already checked each day (:class:`.admin.CalendarDayInlineForm`)."""
    if not can_enter_calendar(actor):
        raise PermissionDenied
    CalendarYear.objects.filter(pk=calendar_year.pk).update(
        source=Source.ADMIN, entered_by=actor, entered_at=timezone.now()
    )
    return workdays_recount({calendar_year.year})


@transaction.atomic
def calendar_year_delete(*, calendar_year: CalendarYear, actor) -> dict[str, int]:
    """Remove a year's schedule (it falls back to the package, or to weekends only); recount."""
    if not can_enter_calendar(actor):
        raise PermissionDenied
    year = calendar_year.year
    CalendarYear.objects.filter(pk=calendar_year.pk).delete()
    return workdays_recount({year})


@dataclass
class SyncResult:
    """What :func:`calendar_sync_official` did, by year."""

    added: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    admin_differs: list[int] = field(default_factory=list)
    recounted: dict[str, int] = field(default_factory=dict)


@transaction.atomic
def calendar_sync_official() -> SyncResult:
    """Bring the package's years into the database (run by the data migration and by
    ``manage.py workdays --sync``, e.g. after upgrading chinesecalendar).

    A year not stored is added as ``official``; an ``official`` year whose package data changed
    is replaced; a year entered by an admin is kept, and listed in ``admin_differs`` when the
    package says otherwise (an admin decides). Recounts the years added or changed."""
    result = SyncResult(added=official.seed_missing_years(CalendarYear, CalendarDay))
    stored = {
        cy.year: cy
        for cy in CalendarYear.objects.filter(
            year__in=sorted(official.official_years())
        ).prefetch_related("days")
    }
    for year, cy in sorted(stored.items()):
        if year in result.added:
            continue
        have = sorted((d.date, d.kind, d.name) for d in cy.days.all())
        want = sorted(official.official_days(year))
        if [(d, k) for d, k, _n in have] == [(d, k) for d, k, _n in want]:
            continue
        if cy.source == Source.OFFICIAL:
            CalendarDay.objects.filter(calendar_year=cy).delete()
            CalendarDay.objects.bulk_create(
                CalendarDay(calendar_year=cy, date=d, kind=k, name=n) for d, k, n in want
            )
            result.updated.append(year)
        else:
            result.admin_differs.append(year)
    changed = set(result.added) | set(result.updated)
    if changed:
        result.recounted = workdays_recount(changed)
    return result
