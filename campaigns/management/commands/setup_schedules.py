from django.core.management.base import BaseCommand

from campaigns.notifications.schedules import schedules_setup


class Command(BaseCommand):
    help = (
        "Create the Celery beat schedules (daily reminders 08:30 Asia/Shanghai, outbox flush "
        "every 5 minutes) in the database if missing. Idempotent; keeps admins' changes."
    )

    def handle(self, *args, **options):
        for name, created in schedules_setup().items():
            self.stdout.write(f"{name}: {'created' if created else 'exists'}")
