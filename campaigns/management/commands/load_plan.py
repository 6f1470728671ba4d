from django.core.management.base import BaseCommand

from campaigns.org.services import roles_sync
from campaigns.plan.services import plan_load


class Command(BaseCommand):
    help = "Load (or refresh) the campaign plan from campaigns/data/plan.yaml. Idempotent."

    def handle(self, *args, **options):
        counts = plan_load()
        roles_sync()
        self.stdout.write(", ".join(f"{k}: {v}" for k, v in counts.items()))
