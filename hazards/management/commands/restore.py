"""``manage.py restore PATH [--verify-only] [--noinput]`` (issue 15).

Verifies every checksum of the backup first; then REPLACES all rows of the database (one
transaction) and copies the uploaded files back into MEDIA_ROOT. The database must be migrated
with the code version the backup was made with. Logic: :mod:`yixian_safety.backup`.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from yixian_safety.backup import BackupError, backup_restore, backup_verify


class Command(BaseCommand):
    help = "Verify a backup made by `manage.py backup` and restore it (replaces ALL data)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="the backup-YYYYMMDD-HHMMSS directory")
        parser.add_argument(
            "--verify-only", action="store_true", help="only check the manifest's checksums"
        )
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="do not ask for confirmation",
        )

    def handle(self, *args, path, verify_only, interactive, **options):
        try:
            if verify_only:
                files = backup_verify(Path(path))
                self.stdout.write(f"OK: {len(files)} files match {path}/MANIFEST.sha256")
                return
            if interactive:
                answer = input(
                    "This replaces ALL data of the database and restores the "
                    "uploaded files. Type 'yes' to continue: "
                )
                if answer.strip() != "yes":
                    raise CommandError("restore cancelled")
            summary = backup_restore(Path(path))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"restored {summary.path}: {summary.files} files verified, "
            f"{summary.media_bytes} bytes of uploads"
        )
