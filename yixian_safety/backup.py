"""Backup and restore of the whole platform: the database and the uploaded files (issue 15).

A backup is a directory::

    backup-20261201-083000/
      db.xml.gz         every table (Django ``dumpdata``, XML: exact to the microsecond;
                        sessions and the rows ``migrate`` re-creates — content types,
                        permissions — left out, referred to by name)
      media/…           a copy of MEDIA_ROOT (photos, documents, generated notices)
      migrations.json   the migrations the database had (a restore needs the same code)
      MANIFEST.sha256   “<sha256>  <path>” for every file above, ``sha256sum -c`` compatible

:func:`backup_create` writes one; :func:`backup_verify` checks every checksum (and that no file
is missing or extra); :func:`backup_restore` verifies first, then replaces the database's rows
with the backup's (all or nothing, in one transaction) and puts the files back into
MEDIA_ROOT. The database to restore into must be migrated to the backup's migrations
(``manage.py migrate``); rows ``migrate`` created there are replaced.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.test.utils import override_settings
from django.utils import timezone

DB_FILE = "db.xml.gz"
MEDIA_DIR = "media"
MIGRATIONS_FILE = "migrations.json"
MANIFEST = "MANIFEST.sha256"
# Left out of the dump: re-created by migrate (and referenced by natural keys) or throwaway.
EXCLUDED = ["contenttypes", "auth.permission", "sessions"]
CHUNK = 1024 * 1024


class BackupError(Exception):
    """The backup is incomplete, altered or does not fit this database (message says which)."""


@dataclass(frozen=True)
class BackupSummary:
    path: Path
    files: int  # files in the manifest (database dump and media)
    media_bytes: int


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _applied_migrations(using: str) -> list[list[str]]:
    recorder = MigrationRecorder(connections[using])
    return sorted([app, name] for app, name in recorder.applied_migrations())


def _files_under(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def _set_constraints(using: str, mode: str) -> None:
    with connections[using].cursor() as cursor:
        cursor.execute(f"SET CONSTRAINTS ALL {mode}")


def backup_create(target_dir: Path, *, using: str = DEFAULT_DB_ALIAS) -> BackupSummary:
    """Write a new backup directory inside ``target_dir`` and return its summary.

    The dump is taken in one repeatable-read snapshot on PostgreSQL (``dumpdata`` runs inside a
    transaction), so rows referring to each other are consistent.
    """
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    path = Path(target_dir) / f"backup-{stamp}"
    suffix = 1
    while path.exists():
        suffix += 1
        path = Path(target_dir) / f"backup-{stamp}-{suffix}"
    path.mkdir(parents=True)
    connection = connections[using]
    snapshot = connection.vendor == "postgresql" and not connection.in_atomic_block
    with transaction.atomic(using=using):
        if snapshot:  # must be the transaction's first statement
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        # XML, not JSON: Django's JSON cuts datetimes to milliseconds.
        call_command(
            "dumpdata",
            exclude=EXCLUDED,
            natural_foreign=True,
            database=using,
            format="xml",
            output=str(path / DB_FILE),
            verbosity=0,
        )
        (path / MIGRATIONS_FILE).write_text(json.dumps(_applied_migrations(using), indent=1))
    media_root = Path(settings.MEDIA_ROOT)
    media_bytes = 0
    for source in _files_under(media_root):
        rel = source.relative_to(media_root)
        if rel.parts and rel.parts[0] == "imports":
            continue  # uploaded spreadsheets waiting for confirmation: temporary
        dest = path / MEDIA_DIR / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, dest)
        media_bytes += dest.stat().st_size
    files = [p for p in _files_under(path) if p.name != MANIFEST]
    lines = [f"{sha256_file(p)}  {p.relative_to(path).as_posix()}" for p in files]
    (path / MANIFEST).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return BackupSummary(path=path, files=len(files), media_bytes=media_bytes)


def backup_verify(path: Path) -> dict[str, str]:
    """Check the manifest against the files; ``{relative path: sha256}`` or :class:`BackupError`
    naming every missing, extra or altered file."""
    path = Path(path)
    manifest = path / MANIFEST
    if not manifest.is_file():
        raise BackupError(f"{path}: no {MANIFEST} — not a backup made by `manage.py backup`")
    expected: dict[str, str] = {}
    for number, line in enumerate(manifest.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        digest, sep, rel = line.partition("  ")
        if not sep or len(digest) != 64 or Path(rel).is_absolute() or ".." in Path(rel).parts:
            raise BackupError(f"{MANIFEST} line {number} is malformed: {line!r}")
        expected[rel] = digest
    problems = []
    for required in (DB_FILE, MIGRATIONS_FILE):
        if required not in expected:
            problems.append(f"{required} is not in the manifest")
    present = {p.relative_to(path).as_posix() for p in _files_under(path) if p != manifest}
    # A backup holds plain files only: a link could make restore copy a file from elsewhere.
    problems += [
        f"not a plain file: {p.relative_to(path).as_posix()}"
        for p in sorted(path.rglob("*"))
        if p.is_symlink()
    ]
    problems += [f"missing: {rel}" for rel in sorted(set(expected) - present)]
    problems += [f"not in the manifest: {rel}" for rel in sorted(present - set(expected))]
    for rel in sorted(set(expected) & present):
        if sha256_file(path / rel) != expected[rel]:
            problems.append(f"checksum mismatch: {rel}")
    if problems:
        raise BackupError("backup verification failed:\n  " + "\n  ".join(problems))
    return expected


def backup_restore(path: Path, *, using: str = DEFAULT_DB_ALIAS) -> BackupSummary:
    """Verify ``path``, then replace every row of the database and the files of MEDIA_ROOT with
    the backup's. The database rows change in one transaction (a failed load leaves the
    database as it was); files are put back after the commit and checked against the manifest.
    """
    path = Path(path)
    expected = backup_verify(path)
    wanted = {tuple(m) for m in json.loads((path / MIGRATIONS_FILE).read_text())}
    have = {tuple(m) for m in _applied_migrations(using)}
    if wanted != have:
        missing = sorted(wanted - have)[:5]
        extra = sorted(have - wanted)[:5]
        raise BackupError(
            "the database's migrations differ from the backup's; restore with the code version "
            f"the backup was made with and `manage.py migrate` (missing here: {missing}, "
            f"not in the backup: {extra})"
        )
    postgres = connections[using].vendor == "postgresql"
    with transaction.atomic(using=using):
        if postgres:  # TRUNCATE refuses tables with foreign-key checks still pending
            _set_constraints(using, "IMMEDIATE")
        # flush re-creates content types and permissions (post_migrate); the dump refers to
        # them by name.
        call_command("flush", interactive=False, database=using, verbosity=0)
        if postgres:
            _set_constraints(using, "DEFERRED")  # rows arrive in any order
        # The history tables and the audit trail are in the dump: loading must not write history
        # or audit rows of its own (simple-history and the audit's group/permission hooks see
        # many-to-many changes even for raw fixture saves).
        with override_settings(SIMPLE_HISTORY_ENABLED=False, AUDIT_CHANGE_HOOKS=False):
            call_command("loaddata", str(path / DB_FILE), database=using, verbosity=0)
        if postgres:
            _set_constraints(using, "IMMEDIATE")  # every reference checked before commit
    media_root = Path(settings.MEDIA_ROOT)
    media_bytes = 0
    for rel, digest in expected.items():
        if not rel.startswith(MEDIA_DIR + "/"):
            continue
        dest = media_root / Path(rel).relative_to(MEDIA_DIR)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path / rel, dest)
        if sha256_file(dest) != digest:
            raise BackupError(f"copying {rel} to {dest} gave a different checksum")
        media_bytes += dest.stat().st_size
    return BackupSummary(path=path, files=len(expected), media_bytes=media_bytes)
