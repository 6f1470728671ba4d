"""Shared fixtures: the loaded plan, one user per role (plus outsiders), browser settings."""

import datetime
import os

import pytest
from django.db import connection

from campaigns.constants import DEMO_PASSWORD
from campaigns.models import Campaign, Department, Role, Township
from campaigns.org.services import roles_sync, user_create
from campaigns.plan.services import plan_load

# Playwright's sync API runs an event loop in the test thread; Django must allow ORM calls there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    """Run browser and migration tests last: their transactional flush empties the tables
    other tests read (package fixtures load the plan once)."""
    items.sort(
        key=lambda item: (
            item.get_closest_marker("browser") is not None or "test_migrations" in item.nodeid
        )
    )


@pytest.fixture(autouse=True)
def _test_settings(settings):
    """Tests don't run collectstatic (serve static files without the manifest), hash
    passwords fast (the real hasher costs ~0.3 s per user) and don't throttle the API (the
    counts live in Redis across tests; tests/test_security.py tests the throttles). Login
    lockout stays on: its attempts live in the database and roll back with each test.
    The TOTP second factor is off (``client.force_login`` signs in without it); the tests of
    tests/test_accounts.py turn it on. The embedded mode's reminder run on the first request
    of a day is off (it would add digests and e-mails to any test without Redis);
    tests/campaigns/test_reminders_first_request.py turns it on. The figures summary is not
    rebuilt on demand (with or without Redis, pages compute live unless a test built it);
    tests/hazards/test_figures_summary.py turns it on where it tests it."""
    settings.TWO_FACTOR_REQUIRED = False
    settings.REMINDERS_ON_FIRST_REQUEST = False
    settings.HAZARD_FIGURES_ON_DEMAND = False
    settings.API_THROTTLE_RATES = {"user": None, "anon": None, "token_failure": None}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


# The day the suite's tests reason from: the seed campaign's last phase (总结评估), where most
# tests report progress, review sub-plans and read the dashboard of the running campaign.
SUITE_TODAY = datetime.date(2026, 12, 1)


def _sets_its_own_clock(request) -> bool:
    """Whether the test travels in time itself: marked ``own_clock``, or its function uses
    freezegun's ``freeze_time`` (as a decorator, or ``with freeze_time(…)`` in its body)."""
    if request.node.get_closest_marker("own_clock"):
        return True
    fn = getattr(request, "function", None)
    while fn is not None:
        if "freeze_time" in getattr(getattr(fn, "__code__", None), "co_names", ()):
            return True
        cells = getattr(fn, "__closure__", None) or ()
        if any(type(c.cell_contents).__name__ == "_freeze_time" for c in cells):
            return True
        fn = getattr(fn, "__wrapped__", None)
    return False


@pytest.fixture(autouse=True)
def _suite_today(request, settings):
    """Pin "today" (``yixian_safety.dates.today_local``, through the ``DEMO_TODAY`` override)
    to :data:`SUITE_TODAY` so the suite means the same on any machine date: from 2027-01-01 the
    seed campaign has ended and refuses writes, and every test that reports progress at
    "today" would fail. Clock times (``timezone.now()``) stay real. Tests that set their own
    clock (freezegun, see :func:`_sets_its_own_clock`) or their own ``settings.DEMO_TODAY``
    (set after this fixture) are left alone."""
    if not _sets_its_own_clock(request):
        settings.DEMO_TODAY = SUITE_TODAY


@pytest.fixture(scope="session", autouse=True)
def _ci_uses_postgresql(django_db_setup, django_db_blocker):
    """In CI the suite must run against PostgreSQL: a missing service is a failure, not a skip."""
    if os.environ.get("CI"):
        assert connection.vendor == "postgresql", "CI must run against PostgreSQL (DATABASE_URL)"


@pytest.fixture
def plan(db):
    """The plan loaded from campaigns/data/plan.yaml (the 2024–2026 campaign), with the role
    groups."""
    if not Campaign.objects.filter(slug="2024-2026").exists():
        plan_load()
        roles_sync()
    return Campaign.objects.get(slug="2024-2026")


def make_user(username, role, *, township=None, department=None):
    return user_create(
        username=username,
        password=DEMO_PASSWORD,
        role=role,
        township=township,
        department=department,
        full_name=username,
        must_change_password=False,
    )


@pytest.fixture
def users(plan):
    """One user per role, and outsiders of the same roles in other units.

    township official of 碧阳镇 (``township``) and of 宏村镇 (``other_township``);
    staff of 县住建局 (``department``) and of 县消防救援大队 (``other_department``);
    ``office`` (安委办), ``admin``.
    """
    t = {x.code: x for x in Township.objects.all()}
    d = {x.code: x for x in Department.objects.all()}
    return {
        "township": make_user("tw_biyang", Role.TOWNSHIP_OFFICIAL, township=t["biyang"]),
        "other_township": make_user("tw_hongcun", Role.TOWNSHIP_OFFICIAL, township=t["hongcun"]),
        "department": make_user("dept_housing", Role.DEPARTMENT_STAFF, department=d["housing"]),
        "other_department": make_user(
            "dept_fire", Role.DEPARTMENT_STAFF, department=d["fire_rescue"]
        ),
        "office": make_user("office", Role.SAFETY_OFFICE),
        "admin": make_user("admin", Role.ADMIN),
    }


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Drive Debian's chromium (never download a browser)."""
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture
def login(live_server, page):
    """``login(username)`` signs a demo-password user in through the real login form in Chromium
    and returns the page; ``page.goto(url(path))`` opens other pages of the live server."""

    def _login(username):
        page.goto(live_server.url + "/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", DEMO_PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_load_state()
        return page

    return _login


SCREENSHOTS = os.path.join(os.path.dirname(os.path.dirname(__file__)), "test-results")


def screenshot(page, name):
    """Save a full-page screenshot under test-results/ (kept as a CI artefact to look at)."""
    os.makedirs(SCREENSHOTS, exist_ok=True)
    page.screenshot(path=os.path.join(SCREENSHOTS, f"{name}.png"), full_page=True)


@pytest.fixture
def unreachable_redis_url():
    """A redis:// URL where nothing answers, whatever else runs on this machine: a port we
    hold bound (not listening) for the test, so a connection is refused at once."""
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as held:
        held.bind(("127.0.0.1", 0))
        yield f"redis://127.0.0.1:{held.getsockname()[1]}/0"
