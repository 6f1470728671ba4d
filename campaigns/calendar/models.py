"""Models of the working-day calendar: one row per year whose schedule is known, one per day
that departs from "Monday–Friday work, weekends off"."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .constants import FIRST_YEAR, LAST_YEAR


class CalendarYear(models.Model):
    """A year whose holiday schedule is known.

    ``source``: ``official`` (seeded from the ``chinesecalendar`` package, which copies the
    国务院办公厅 notices) or ``admin`` (entered by an administrator from the notice, in the
    calendar page, the Django admin or an Excel sheet). A year without a row (and unknown to the
    package) falls back to weekends only — see :mod:`campaigns.calendar.selectors`.
    ``document``: the notice's number or title (optional), ``entered_by``/``entered_at``: who
    entered it last (empty for the package seed).
    """

    class Source(models.TextChoices):
        OFFICIAL = "official", _("official (chinesecalendar)")
        ADMIN = "admin", _("entered by an administrator")
        FALLBACK = "fallback", _("weekends only (not entered)")

    year = models.PositiveSmallIntegerField(
        _("year"),
        unique=True,
        validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)],
    )
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.ADMIN
    )
    document = models.CharField(
        _("notice"),
        max_length=200,
        blank=True,
        help_text=_("e.g. 国务院办公厅关于2027年部分节假日安排的通知"),
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    entered_at = models.DateTimeField(_("entered at"), null=True, blank=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(source="fallback"), name="calendar_year_not_stored_as_fallback"
            )
        ]

    def __str__(self) -> str:
        return str(self.year)

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("campaigns:calendar:year", args=[self.year])


class CalendarDay(models.Model):
    """One day off (``holiday``: a statutory holiday, including the weekend days of a break) or
    one make-up workday (``makeup_workday``: 调休上班, a Saturday or Sunday worked)."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("holiday (放假)")
        MAKEUP_WORKDAY = "makeup_workday", _("make-up workday (调休上班)")

    calendar_year = models.ForeignKey(
        CalendarYear, on_delete=models.CASCADE, related_name="days", verbose_name=_("year")
    )
    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=50)

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()} {self.name}"
