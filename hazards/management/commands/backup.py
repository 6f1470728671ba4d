"""``manage.py backup [--dir DIR]``: database + uploaded files + sha256 manifest (issue 15).

The logic is :mod:`yixian_safety.backup`; see README “Backup and restore”.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from yixian_safety.backup import backup_create


class Command(BaseCommand):
    help = (
        "Back up the database and the uploaded files into a new directory "
        "backup-YYYYMMDD-HHMMSS with a MANIFEST.sha256 (restore with `manage.py restore`)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dir",
            default=str(Path(settings.BASE_DIR) / "var" / "backups"),
            help="where to create the backup directory (default var/backups)",
        )

    def handle(self, *args, **options):
        summary = backup_create(Path(options["dir"]))
        self.stdout.write(
            f"{summary.path}  ({summary.files} files, {summary.media_bytes} bytes of uploads)"
        )
