from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _load_judgement_standards(sender, using="default", **kwargs):
    """Keep the judgement standards in the database after every ``migrate`` and ``flush``
    (a flush empties them like any table; Django re-creates permissions the same way)."""
    from django.db import connections

    from .reference import criteria_load

    if "hazards_judgementstandard" not in connections[using].introspection.table_names():
        return
    criteria_load()


class HazardsConfig(AppConfig):
    """Enterprises and the major accident hazard ledger (tasks 14–16)."""

    name = "hazards"
    verbose_name = _("Hazard ledger")

    def ready(self):
        post_migrate.connect(
            _load_judgement_standards, sender=self, dispatch_uid="hazards.load_judgement_standards"
        )
