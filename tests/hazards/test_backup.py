"""`manage.py backup` / `restore` (issue 15): an empty database gets the ledger back exactly —
same rows, same file checksums — and an altered backup is refused before anything changes."""

import hashlib
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection

from hazards.models import Attachment, Enterprise, Hazard

from .factories import make_enterprise, make_hazard, photo, rectifying_hazard

pytestmark = pytest.mark.django_db

LEDGER_MODELS = [
    "hazards.Enterprise",
    "hazards.Hazard",
    "hazards.Attachment",
    "hazards.Rectification",
    "hazards.HazardEvent",
    "hazards.HistoricalHazard",
    "campaigns.User",
    "auth.Group",
]


def _snapshot():
    """Every row of the ledger's tables (all columns), and the uploaded files' checksums."""
    rows = {}
    for label in LEDGER_MODELS:
        model = apps.get_model(label)
        rows[label] = list(model.objects.order_by("pk").values())
    groups = {
        g.name: sorted(g.permissions.values_list("codename", flat=True))
        for g in apps.get_model("auth.Group").objects.all()
    }
    counts = {
        m._meta.label: m.objects.count()
        for m in apps.get_models()
        if m._meta.app_label not in ("contenttypes", "sessions")
    }
    rows["counts"] = counts
    files = {
        a.file.name: hashlib.sha256(Path(a.file.path).read_bytes()).hexdigest()
        for a in Attachment.objects.all()
    }
    return rows, groups, files


@pytest.fixture
def ledger(users):
    office, dept = users["office"], users["department"]
    own = make_enterprise(office, township="biyang", sectors=("gas",))
    other = make_enterprise(office, township="hongcun", sectors=("fire",))
    make_hazard(dept, own, before_photos=[photo(), photo(color=(1, 2, 3), name="b.jpg")])
    rectifying_hazard(dept, own, deadline=__import__("datetime").date(2099, 1, 31))
    make_hazard(office, other, level="general")
    assert Attachment.objects.count() == 2
    return users


def _wipe_media(settings):
    for p in sorted(Path(settings.MEDIA_ROOT).rglob("*"), reverse=True):
        p.unlink() if p.is_file() else p.rmdir()


def test_backup_then_restore_into_an_empty_database_gives_the_ledger_back(
    ledger, settings, tmp_path, capsys
):
    from campaigns.audit.models import AuditEvent
    from campaigns.audit.services import audit_verify

    before = _snapshot()
    # content types are re-created by flush (new ids): compare them by name
    audit_fields = [f.attname for f in AuditEvent._meta.fields if f.name != "content_type"]
    audit_fields += ["content_type__app_label", "content_type__model"]
    audit_before = list(AuditEvent.objects.order_by("seq").values(*audit_fields))
    assert audit_before  # the accounts' creation and roles are in the trail
    call_command("backup", dir=str(tmp_path / "backups"))
    backup = next((tmp_path / "backups").iterdir())
    assert (backup / "MANIFEST.sha256").read_text().count("  media/") == 2

    with connection.cursor() as cursor:  # (the test's own transaction has pending FK checks)
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0)
    _wipe_media(settings)
    assert not Hazard.objects.exists() and not Enterprise.objects.exists()

    call_command("restore", str(backup), interactive=False)
    assert _snapshot() == before
    # the audit trail comes back row for row, and its hash chain still verifies
    assert list(AuditEvent.objects.order_by("seq").values(*audit_fields)) == audit_before
    assert audit_verify().ok
    # numbering goes on after the restored rows (sequences were reset)
    new = make_enterprise(ledger["office"])
    assert new.pk > max(r["id"] for r in before[0]["hazards.Enterprise"])


def test_verify_only_reports_ok(ledger, tmp_path, capsys):
    call_command("backup", dir=str(tmp_path))
    backup = next(tmp_path.glob("backup-*"))
    call_command("restore", str(backup), verify_only=True)
    assert "OK" in capsys.readouterr().out


def test_an_altered_file_is_refused_before_anything_changes(ledger, tmp_path):
    call_command("backup", dir=str(tmp_path))
    backup = next(tmp_path.glob("backup-*"))
    victim = next((backup / "media").rglob("*.jpg"))
    victim.write_bytes(victim.read_bytes() + b"x")
    (backup / "media" / "planted.txt").write_text("x")
    count = Hazard.objects.count()
    with pytest.raises(CommandError) as exc:
        call_command("restore", str(backup), interactive=False)
    message = str(exc.value)
    assert "checksum mismatch" in message and "planted.txt" in message
    assert Hazard.objects.count() == count


def test_a_missing_database_dump_is_refused(ledger, tmp_path):
    call_command("backup", dir=str(tmp_path))
    backup = next(tmp_path.glob("backup-*"))
    (backup / "db.xml.gz").unlink()
    with pytest.raises(CommandError, match="missing: db.xml.gz"):
        call_command("restore", str(backup), interactive=False)


def test_a_backup_of_other_migrations_is_refused(ledger, tmp_path):
    call_command("backup", dir=str(tmp_path))
    backup = next(tmp_path.glob("backup-*"))
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM django_migrations WHERE app = 'hazards' AND name = "
            "(SELECT max(name) FROM django_migrations WHERE app = 'hazards')"
        )
    with pytest.raises(CommandError, match="migrations differ"):
        call_command("restore", str(backup), interactive=False)


def test_a_symlink_in_the_backup_is_refused(ledger, tmp_path):
    call_command("backup", dir=str(tmp_path / "b"))
    backup = next((tmp_path / "b").glob("backup-*"))
    victim = next((backup / "media").rglob("*.jpg"))
    secret = tmp_path / "secret.jpg"
    secret.write_bytes(victim.read_bytes())
    victim.unlink()
    victim.symlink_to(secret)
    with pytest.raises(CommandError, match="not a plain file"):
        call_command("restore", str(backup), interactive=False)
