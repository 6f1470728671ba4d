"""Task progress (任务进展): reporting cadence, progress reports, milestones met, obligation
records, and the league table's weights (“赛马”).

Overdue milestones and missed obligation periods are derived (see campaigns.progress.selectors),
never stored.
"""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class LeagueWeight(models.Model):
    """The weight of one league-table metric (“赛马”), editable by admins in the Django admin.
    ``metric``: a code of campaigns.league.registry; metrics without a row use their default."""

    metric = models.CharField(_("metric"), max_length=40, unique=True)
    weight = models.DecimalField(
        _("weight"), max_digits=5, decimal_places=2, validators=[MinValueValidator(0)]
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["metric"]
        verbose_name = _("league table weight")
        verbose_name_plural = _("league table weights")

    def __str__(self) -> str:
        return f"{self.metric}: {self.weight}"

    def get_absolute_url(self) -> str:
        return reverse("campaigns:league")
