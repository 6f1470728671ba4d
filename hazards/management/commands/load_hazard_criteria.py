from django.core.management.base import BaseCommand

from hazards.reference import criteria_load


class Command(BaseCommand):
    help = "Load the national judgement-standard clauses for major hazards (idempotent)."

    def handle(self, *args, **options):
        self.stdout.write(f"hazard criteria created: {criteria_load()}")
