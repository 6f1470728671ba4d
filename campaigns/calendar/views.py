"""Pages of the working-day calendar: the years and their source, one year's days, and the
admins' entry of a year (text lines or an Excel sheet). Thin: parse → service → redirect.

Every signed-in user may read; entering needs ``campaigns.change_calendaryear`` (403 otherwise).
A year outside the supported range is 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from yixian_safety.dates import today_local
from yixian_safety.xlsx import xlsx_response

from . import official, services
from .constants import FIRST_YEAR, LAST_YEAR
from .forms import ScheduleTextForm, ScheduleXlsxForm
from .models import CalendarDay, CalendarYear
from .permissions import can_enter_calendar
from .selectors import calendar_overview, fallback_notice, year_sources

Source = CalendarYear.Source
Kind = CalendarDay.Kind
_KIND_LABEL = {Kind.HOLIDAY: "放假", Kind.MAKEUP_WORKDAY: "调休上班"}


def _year_or_404(year: int) -> int:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404
    return year


@login_required
def year_list(request):
    """Every year with a schedule (stored or in the package) and next year, newest first:
    its source, days off and make-up days, who entered it."""
    today = today_local()
    rows = calendar_overview(today)
    sources = {r["year"]: r["source"] for r in rows}
    notices = [
        fallback_notice(y)
        for y in (today.year, today.year + 1)
        if sources.get(y) == Source.FALLBACK
    ]
    return render(
        request,
        "calendar/year_list.html",
        {
            "rows": rows,
            "notices": notices,
            "can_enter": can_enter_calendar(request.user),
            "next_year": today.year + 1,
        },
    )


def _days_of(year: int, entry: CalendarYear | None) -> list[tuple]:
    if entry is not None:
        return list(entry.days.values_list("date", "kind", "name"))
    return list(official.official_days(year))


@login_required
def year_detail(request, year: int):
    """One year's days; for admins the entry forms (POST ``form=text`` or ``form=xlsx``)."""
    year = _year_or_404(year)
    entry = CalendarYear.objects.select_related("entered_by").filter(year=year).first()
    source = year_sources(year, year)[year]
    days = _days_of(year, entry)
    can_enter = can_enter_calendar(request.user)
    text_form = ScheduleTextForm(
        initial={
            "days": "\n".join(f"{d:%Y-%m-%d} {_KIND_LABEL[k]} {n}" for d, k, n in days),
            "document": entry.document if entry else "",
        }
    )
    xlsx_form = ScheduleXlsxForm()
    if request.method == "POST":
        if not can_enter:
            raise PermissionDenied
        which = request.POST.get("form")
        try:
            if which == "text":
                text_form = ScheduleTextForm(request.POST)
                if text_form.is_valid():
                    result = services.calendar_year_enter(
                        year=year,
                        actor=request.user,
                        days=services.parse_lines(year, text_form.cleaned_data["days"]),
                        document=text_form.cleaned_data["document"],
                    )
                    return _saved(request, year, result)
            elif which == "xlsx":
                xlsx_form = ScheduleXlsxForm(request.POST, request.FILES)
                if xlsx_form.is_valid():
                    result = services.calendar_year_import_xlsx(
                        year=year,
                        actor=request.user,
                        content=xlsx_form.cleaned_data["file"].read(),
                        document=xlsx_form.cleaned_data["document"],
                    )
                    return _saved(request, year, result)
            else:
                raise Http404
        except ValidationError as exc:
            form = text_form if which == "text" else xlsx_form
            form.add_error(None, exc.messages)
    return render(
        request,
        "calendar/year_detail.html",
        {
            "year": year,
            "entry": entry,
            "source": source,
            "source_label": Source(source).label,
            "days": [
                {
                    "date": d,
                    "kind": k,
                    "kind_label": _KIND_LABEL[k],
                    "name": n,
                    "weekday": d.isoweekday(),
                }
                for d, k, n in days
            ],
            "notice": fallback_notice(year) if source == Source.FALLBACK else "",
            "can_enter": can_enter,
            "text_form": text_form,
            "xlsx_form": xlsx_form,
            "posted": request.POST.get("form", ""),
        },
    )


def _saved(request, year: int, result: services.YearEntered):
    messages.success(
        request,
        _(
            "The %(year)s holiday schedule is saved (%(days)s days); working-day counts "
            "recounted: %(rows)s."
        )
        % {"year": str(year), "days": result.days, "rows": sum(result.recounted.values())},
    )
    return redirect("campaigns:calendar:year", year=year)


@login_required
def year_template(request, year: int):
    """The year's schedule as an Excel sheet (columns 日期, 类型, 名称) to fill in or correct."""
    year = _year_or_404(year)
    return xlsx_response(_("holidays") + f"-{year}.xlsx", services.template_xlsx(year))
