from django.core.management.base import BaseCommand

from tipoffs.services import tipoffs_reencrypt


class Command(BaseCommand):
    help = (
        "After a key rotation (a new first FIELD_ENCRYPTION_KEY or SECRET_KEY): rewrite every "
        "reporter identity with the current key. Run before removing the old key."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"re-encrypted {tipoffs_reencrypt()} tip-offs")
