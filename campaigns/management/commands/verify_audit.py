"""``manage.py verify_audit``: check the audit trail's hash chain (issue 15).

Prints the number of rows checked and the chain head (last seq and hash — keep it in the
operations log: the next run must show at least that seq with the same hash there, which also
catches the deletion of the newest rows). Exit 0 when intact; on the first missing, inserted or
edited row prints what is wrong and the row's id and exits 1.
"""

from django.core.management.base import BaseCommand, CommandError

from campaigns.audit.services import audit_chain_head, audit_verify


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain; exit 1 at the first broken, missing or edited row."

    def handle(self, *args, **options):
        result = audit_verify()
        if not result.ok:
            raise CommandError(
                f"audit trail TAMPERED: {result.problem} (row id {result.event_id}; "
                f"{result.checked} rows read)"
            )
        seq, head = audit_chain_head()
        self.stdout.write(f"audit trail intact: {result.checked} rows, last seq {seq}, hash {head}")
