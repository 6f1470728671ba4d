from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from campaigns.org.services import roles_sync
from campaigns.plan.services import PLAN_FILE, PlanDataError, plan_load, plan_read


class Command(BaseCommand):
    help = (
        "Load (or refresh) a campaign's plan from a plan file (YAML; default: the seed plan "
        "campaigns/data/plan.yaml), beside the campaigns already loaded. Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path", nargs="?", default=str(PLAN_FILE), help="plan file (YAML, UTF-8)"
        )

    def handle(self, *args, path, **options):
        if not Path(path).is_file():
            raise CommandError(f"{path}: no such plan file")
        try:
            counts = plan_load(data=plan_read(path))
        except (PlanDataError, KeyError, TypeError, ValueError) as exc:
            raise CommandError(f"{path}: {exc}") from None
        roles_sync()
        self.stdout.write(", ".join(f"{k}: {v}" for k, v in counts.items()))
