"""Per-year counters of every numbered document: the hazard ledger (YX-2026-0001) and the
office's 文号 (黟安督〔2026〕7号 …). One row per (year, kind), locked while a number is taken."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentCounter(models.Model):
    """Last number handed out per (year, kind). ``kind`` is the numbering app's own code
    (``"hazard_ledger"``, ``"listing"`` …); use :func:`campaigns.numbering.services.number_next`."""

    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=30)
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("document counter")
        verbose_name_plural = _("document counters")
        constraints = [
            models.UniqueConstraint(fields=["year", "kind"], name="document_counter_year_kind")
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.kind}: {self.last}"
