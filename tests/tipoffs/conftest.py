"""Fixtures of the tip-off tests: the plan once per package, photos (one with EXIF GPS), a
receiver (举报受理人), enterprises, tip-offs in each step."""

import io

import pytest
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from campaigns.models import Department, Township
from tests.hazards.factories import make_enterprise
from tipoffs import services
from yixian_safety.celery import app as celery_app


@pytest.fixture(scope="package", autouse=True)
def _plan_once(django_db_setup, django_db_blocker):
    from django.core.management import call_command

    from campaigns.models import Campaign
    from campaigns.org.services import roles_sync
    from campaigns.plan.services import plan_load

    with django_db_blocker.unblock():
        if not Campaign.objects.exists():
            plan_load()
            roles_sync()
    yield
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path, db):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    caches["ratelimit"].clear()
    old = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = old


def gps_photo(name="site.jpg", color=(200, 40, 30)) -> SimpleUploadedFile:
    """A JPEG carrying EXIF: GPS position, camera make/model and a timestamp."""
    img = Image.new("RGB", (120, 90), color)
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "PhoneModel X"  # Model
    exif[0x0132] = "2026:11:30 08:15:00"  # DateTime
    gps = {1: "N", 2: (30.0, 0.0, 0.0), 3: "E", 4: (117.0, 56.0, 0.0)}
    exif[0x8825] = gps
    buf = io.BytesIO()
    img.save(buf, format="JPEG", exif=exif)
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/jpeg")


IDENTITY = dict(
    reporter_name="欧阳明察",
    reporter_phone="13912345678",
    reporter_email="whistle.unique@example.invalid",
    reporter_id_number="11010519491231002X",
)


def submit(**kw):
    params = dict(
        description="加油站卸油时有人吸烟，灭火器已过期很久",
        township=Township.objects.get(code="biyang"),
        address="碧阳镇示例大道 1 号",
        observed_on=__import__("datetime").date(2026, 11, 1),
        anonymous=True,
    )
    params.update(kw)
    return services.tipoff_submit(**params)


@pytest.fixture
def receiver(users):
    """A safety-office user named 举报受理人 (may read identities)."""
    from campaigns.models import Role
    from tests.conftest import make_user

    user = make_user("receiver", Role.SAFETY_OFFICE)
    user.groups.add(services.receiver_group())
    return user


@pytest.fixture
def housing():
    return Department.objects.get(code="housing")


@pytest.fixture
def enterprise(users):
    """A biyang gas enterprise: in the housing department's sectors (gas)."""
    return make_enterprise(users["office"], township="biyang", sectors=("gas",))
