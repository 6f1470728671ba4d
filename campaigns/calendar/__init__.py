"""The working-day calendar (法定节假日 and 调休 make-up workdays), kept in the database.

- :mod:`.models` — :class:`~.models.CalendarYear` (whose schedule a year has) and
  :class:`~.models.CalendarDay` (its holidays and make-up workdays);
- :mod:`.official` — what the installed ``chinesecalendar`` package knows (the seed);
- :mod:`.selectors` — working days and counts, and the "not entered yet" notices;
- :mod:`.services` — entering a year (form, Excel, package sync) and recounting stored counts;
- :mod:`.recount` — the registry through which other apps recount their stored figures.

A year's schedule is, in order: the rows entered in the database (seeded from the package,
or entered by an admin from 国务院办公厅's notice); else what the package knows; else the
weekends-only fallback, which every page using it says out loud.
"""
