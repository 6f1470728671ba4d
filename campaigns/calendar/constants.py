"""Limits of the working-day calendar (one place, not scattered literals)."""

#: Years an admin may enter or a command may ask about (a typo such as 20277 is refused).
FIRST_YEAR = 2000
LAST_YEAR = 2100

#: An official schedule has ~30 holidays (every day of each break) and ~6 make-up workdays.
MAX_DAYS_PER_YEAR = 120

#: Excel sheet of one year's schedule: at most this many bytes.
MAX_IMPORT_BYTES = 1024 * 1024

#: ``manage.py workdays START END`` and the other counting helpers: at most this many days.
MAX_RANGE_DAYS = 366 * 30

#: The reminder to enter next year's schedule starts on this day of December.
REMIND_FROM_DECEMBER_DAY = 1
