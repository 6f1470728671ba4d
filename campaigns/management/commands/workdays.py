"""``manage.py workdays START END``: working days in [START, END) and where each year's
schedule comes from; ``manage.py workdays --sync``: bring newer chinesecalendar years in."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from campaigns.calendar.models import CalendarYear
from campaigns.calendar.selectors import (
    fallback_notice,
    load_calendar,
    working_days_between,
)
from campaigns.calendar.services import calendar_sync_official


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(_("%(value)s is not a date (YYYY-MM-DD).") % {"value": value}) from None


class Command(BaseCommand):
    help = (
        "Print the Chinese working days from START (included) to END (excluded), and per "
        "year whether its schedule is official (chinesecalendar), entered by an admin, or "
        "the weekends-only fallback. --list prints each working day; --sync stores the "
        "years a newer chinesecalendar knows."
    )

    def add_arguments(self, parser):
        parser.add_argument("start", nargs="?", help="YYYY-MM-DD, included")
        parser.add_argument("end", nargs="?", help="YYYY-MM-DD, excluded")
        parser.add_argument(
            "--list", action="store_true", dest="show_days", help="print every working day"
        )
        parser.add_argument(
            "--sync",
            action="store_true",
            help="store the years chinesecalendar knows (after an upgrade)",
        )

    def handle(self, *args, start=None, end=None, show_days=False, sync=False, **options):
        with translation.override(settings.LANGUAGE_CODE):
            if sync:
                self._sync()
                if start is None:
                    return
            if start is None or end is None:
                raise CommandError(_("Give START and END (YYYY-MM-DD), or --sync."))
            self._count(_date(start), _date(end), show_days)

    def _sync(self):
        result = calendar_sync_official()
        self.stdout.write(
            _(
                "chinesecalendar: added %(added)s, updated %(updated)s; entered by "
                "an admin and different from the package: %(differs)s; counts "
                "recounted: %(rows)s"
            )
            % {
                "added": ", ".join(map(str, result.added)) or "—",
                "updated": ", ".join(map(str, result.updated)) or "—",
                "differs": ", ".join(map(str, result.admin_differs)) or "—",
                "rows": sum(result.recounted.values()),
            }
        )

    def _count(self, start: datetime.date, end: datetime.date, show_days: bool):
        if end <= start:
            raise CommandError(_("END must be after START."))
        try:
            days = working_days_between(start, end)
            cal = load_calendar(start.year, (end - datetime.timedelta(days=1)).year)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(
            _("%(start)s – %(end)s (end excluded): %(days)s working days")
            % {"start": start.isoformat(), "end": end.isoformat(), "days": days}
        )
        for year, source in sorted(cal.sources.items()):
            line = f"{year}: {CalendarYear.Source(source).label}"
            if source == "fallback":
                line += " — " + fallback_notice(year)
            self.stdout.write(line)
        if show_days:
            day = start
            while day < end:
                if cal.is_workday(day):
                    self.stdout.write(day.isoformat())
                day += datetime.timedelta(days=1)
