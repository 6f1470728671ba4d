import random

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

from campaigns.constants import DEMO_PASSWORD
from campaigns.org.services import roles_sync
from campaigns.plan.models import Campaign
from campaigns.plan.services import plan_load
from yixian_safety.dates import today_local

# Each installed app may contribute demo data through ``<app>/demo.py: build(*, rng)``; they run
# in this order (later ones use earlier ones' records).
DEMO_MODULES = [
    "campaigns.org.demo",
    "campaigns.calendar.demo",
    "campaigns.progress.demo",
    "hazards.demo",
    "training.demo",
    "enforcement.demo",
    "tipoffs.demo",
    "campaigns.notifications.demo",
    "campaigns.reports.demo",
    "campaigns.audit.demo",
]


class Command(BaseCommand):
    help = (
        "Load the plan and create demo accounts and demo data (invented). Safe to run again: "
        "nothing is duplicated."
    )

    def handle(self, *args, **options):
        # The demo's notices would print ~150 console e-mails before the account list: with the
        # console backend (the embedded mode) they go to files under var/demo-mail/ instead.
        mail_dir = settings.BASE_DIR / "var" / "demo-mail"
        quiet = settings.EMAIL_BACKEND == "django.core.mail.backends.console.EmailBackend"
        if quiet:
            with override_settings(
                EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
                EMAIL_FILE_PATH=str(mail_dir),
            ):
                accounts = self._seed()
            self.stdout.write(f"Demo e-mails: {mail_dir}/")
        else:
            accounts = self._seed()
        # the accounts last, where the reader looks
        if not settings.TWO_FACTOR_REQUIRED:
            self.stdout.write(
                "Second factor (TOTP) not enforced here (TWO_FACTOR_REQUIRED off); in production "
                "the safety office and admins must use an authenticator app. SECURITY.md."
            )
        self.stdout.write(self.style.SUCCESS(f"Demo accounts (password: {DEMO_PASSWORD}):"))
        for username, what in accounts:
            self.stdout.write(f"  {username:<28} {what}")

    def _seed(self) -> list[tuple[str, str]]:
        from importlib import import_module

        rng = random.Random(2024)
        with transaction.atomic():
            loaded = plan_load()
            roles_sync()
            # The demo pictures the seed campaign as it ran: after its last day (an archive,
            # which refuses writes) the demo is made as of that day.
            ends_on = Campaign.objects.get(slug=loaded["campaign"]).ends_on
            as_of = min(today_local(), ends_on)
            if as_of != today_local():
                self.stdout.write(
                    f"The campaign {loaded['campaign']} ended on {ends_on}: the demo data is made "
                    f"as of that day."
                )
            accounts = []
            with override_settings(DEMO_TODAY=as_of):
                for module_name in DEMO_MODULES:
                    if module_name.split(".")[0] not in settings.INSTALLED_APPS:
                        continue
                    result = import_module(module_name).build(rng=rng)
                    if module_name == "campaigns.org.demo":
                        accounts = result
                    elif result:
                        self.stdout.write(f"{module_name}: {result}")
        return accounts
