"""`make run`'s demo data: complete and idempotent."""

import pytest
from django.apps import apps
from django.core.management import call_command

from campaigns.models import Role, User

pytestmark = pytest.mark.django_db


def row_counts():
    return {
        m._meta.label: m.objects.count()
        for m in apps.get_models()
        if m._meta.app_label in {"campaigns", "hazards", "training", "enforcement"}
    }


def test_seed_demo_creates_one_account_per_unit_and_role():
    call_command("seed_demo")
    assert User.objects.filter(role=Role.TOWNSHIP_OFFICIAL).count() == 8
    assert User.objects.filter(role=Role.DEPARTMENT_STAFF).count() == 16
    assert User.objects.filter(role=Role.SAFETY_OFFICE).count() == 1
    assert User.objects.get(username="admin").is_staff


def test_seed_demo_shows_a_not_submitted_list_and_computed_progress():
    """Issue 17: the demo has units owing reports for the period the lists open on, and the
    ledger's figures beside task 14's reports."""
    from campaigns.progress.registry import task_figures
    from campaigns.progress.selectors import (
        default_not_submitted_period,
        not_submitted_periods,
        progress_not_submitted,
    )
    from yixian_safety.dates import today_local

    call_command("seed_demo")
    today = today_local()
    period = default_not_submitted_period(not_submitted_periods(today), today)
    assert progress_not_submitted(period)
    office = User.objects.get(username="office")
    groups = task_figures(14, viewer=office, today=today)
    found = next(g for g in groups if g.key == "hazards.channels").figures[0]
    assert found.value > 0
    assert task_figures(26, viewer=office, today=today)


def test_seed_demo_twice_duplicates_nothing():
    call_command("seed_demo")
    first = row_counts()
    call_command("seed_demo")
    assert row_counts() == first


@pytest.mark.django_db(transaction=True)  # real commits: the e-mails are sent on commit
def test_seed_demo_is_quiet_mails_to_files_and_prints_the_accounts_last(settings, tmp_path, capsys):
    """Issue 18: in the embedded mode (console e-mail, tasks in-process) the demo's e-mails go
    to files, not to the terminal, and the account list is the last thing printed."""
    import io

    from yixian_safety.celery import app as celery_app

    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    settings.BASE_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"
    old = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    try:
        out = io.StringIO()
        call_command("seed_demo", stdout=out)
    finally:
        celery_app.conf.task_always_eager = old
    assert "Subject:" not in capsys.readouterr().out  # nothing on the console
    assert any((tmp_path / "var" / "demo-mail").iterdir())  # the demo did send e-mails
    lines = out.getvalue().strip().splitlines()
    accounts_at = next(i for i, line in enumerate(lines) if line.startswith("Demo accounts"))
    assert len(lines) - accounts_at > 5
    assert all(line.startswith("  ") for line in lines[accounts_at + 1 :])


def test_seed_demo_after_the_campaign_ended_pictures_its_last_day(settings):
    """From 2027-01-01 the seed campaign is an archive that refuses writes: `make run` must
    still seed (as of 2026-12-31, and say so) instead of failing on the first progress report."""
    import datetime
    import io

    from campaigns.progress.models import ProgressReport

    settings.DEMO_TODAY = datetime.date(2027, 1, 15)  # what the machine's date will be
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "ended on 2026-12-31: the demo data is made as of that day" in out.getvalue()
    assert ProgressReport.objects.exists()
    assert not ProgressReport.objects.filter(submitted_on__gt="2026-12-31").exists()
