"""Chinese working days: holidays excluded, make-up workdays (调休) included."""

import datetime

import pytest

from enforcement.workdays import (
    WorkCalendarUnavailable,
    is_workday,
    latest_filing_date,
    working_days_at_least,
    working_days_between,
)

pytestmark = pytest.mark.django_db  # the calendar lives in the database (campaigns.calendar)

D = datetime.date


def test_spring_festival_2026_is_not_counted_but_its_make_up_saturdays_are():
    assert not is_workday(D(2026, 2, 17))  # 春节
    assert is_workday(D(2026, 2, 14)) and is_workday(D(2026, 2, 28))  # 调休上班 (Saturdays)
    # 2026-02-12 … 2026-03-05: 16 weekdays, but only 12 Chinese working days
    assert working_days_between(D(2026, 2, 12), D(2026, 3, 6)) == 12
    assert latest_filing_date(D(2026, 3, 6), 15) == D(2026, 2, 9)


def test_national_day_2026_make_up_sunday_counts():
    assert not is_workday(D(2026, 10, 5))
    assert is_workday(D(2026, 9, 20))  # Sunday, 调休上班
    assert working_days_between(D(2026, 9, 21), D(2026, 10, 16)) == 14
    assert latest_filing_date(D(2026, 10, 16), 15) == D(2026, 9, 20)


def test_a_year_not_entered_counts_weekends_only_instead_of_refusing():
    # 2026-12-20 (Sunday) … 2027-01-19: December by its official schedule, January 2027
    # (not in chinesecalendar 1.11.0, not entered) by weekends only — no error (issue 16).
    assert working_days_between(D(2026, 12, 20), D(2027, 1, 20)) == 9 + 13
    assert is_workday(D(2027, 1, 1))  # 元旦 2027 is not known yet: a Friday counts


def test_far_ahead_of_a_deadline_next_year_needs_no_data_for_that_year():
    assert working_days_at_least(D(2026, 6, 1), D(2027, 3, 1), 15) >= 15
    assert working_days_at_least(D(2026, 12, 28), D(2027, 1, 30), 15) == 4 + 21


def test_the_old_error_class_is_still_importable():
    assert issubclass(WorkCalendarUnavailable, Exception)
