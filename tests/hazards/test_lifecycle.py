"""The lifecycle: transitions from the one table, five implementations, photos, sign-off."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from hazards import services
from hazards.models import Hazard, HazardEvent, HazardNotification, Status

from .factories import FIVE, make_hazard, photo

pytestmark = pytest.mark.django_db


def _to_rectifying(hazard, actor):
    services.hazard_confirm(hazard=hazard, actor=actor)
    services.rectification_save(hazard=hazard, actor=actor, **FIVE)
    return services.hazard_start_rectification(hazard=hazard, actor=actor)


def test_ledger_numbers_are_per_year_and_sequential(users, world):
    a = make_hazard(users["department"], world["own"])
    b = make_hazard(users["department"], world["own"])
    c = make_hazard(users["department"], world["own"], found_on=datetime.date(2024, 5, 1))
    assert a.ledger_number == "YX-2025-0001"
    assert b.ledger_number == "YX-2025-0002"
    assert c.ledger_number == "YX-2024-0001"


def test_report_takes_township_sector_and_lead_department_from_enterprise(users, world):
    h = make_hazard(users["township"], world["own"])
    assert (h.township.code, h.sector.code, h.supervising_department.code) == (
        "biyang",
        "gas",
        "housing",
    )
    assert h.status == Status.REPORTED


def test_other_supervising_department_needs_a_reason(users, world):
    from campaigns.models import Department

    fire = Department.objects.get(code="fire_rescue")
    with pytest.raises(ValidationError) as exc:
        make_hazard(users["office"], world["own"], supervising_department=fire)
    assert "supervision_reason" in exc.value.message_dict
    h = make_hazard(
        users["office"],
        world["own"],
        supervising_department=fire,
        supervision_reason="涉及消防通道",
    )
    assert h.supervising_department == fire


def test_status_is_protected():
    h = Hazard()
    with pytest.raises(AttributeError):
        h.status = Status.CLOSED


def test_full_lifecycle_records_every_step(users, world):
    dept, office, tw = users["department"], users["office"], users["township"]
    h = make_hazard(dept, world["own"], before_photos=[photo((255, 0, 0))])
    _to_rectifying(h, tw)
    services.hazard_submit_for_acceptance(
        hazard=h, actor=tw, after_photos=[photo((0, 255, 0), "after.jpg")]
    )
    services.hazard_fail_acceptance(hazard=h, actor=dept, reason="报警器未联动")
    assert Hazard.objects.get(pk=h.pk).status == Status.RECTIFYING
    services.hazard_submit_for_acceptance(hazard=h, actor=tw)
    services.hazard_accept(hazard=h, actor=dept)
    h = services.hazard_close(hazard=h, actor=office, note="销号")
    assert h.status == Status.CLOSED and h.closed_at
    actions = list(HazardEvent.objects.filter(hazard=h).values_list("action", flat=True))
    assert actions == [
        "reported",
        "confirmed",
        "rectification_saved",
        "rectification_started",
        "photos_added",
        "submitted_for_acceptance",
        "acceptance_failed",
        "submitted_for_acceptance",
        "accepted",
        "closed",
    ]
    assert h.history.count() >= 8


@pytest.mark.parametrize(
    "service,kwargs",
    [
        ("hazard_start_rectification", {}),
        ("hazard_submit_for_acceptance", {}),
        ("hazard_accept", {}),
        ("hazard_close", {}),
        ("hazard_fail_acceptance", {"reason": "x"}),
        ("hazard_unmerge", {"reason": "x"}),
    ],
)
def test_illegal_transitions_from_reported_are_refused(users, world, service, kwargs):
    h = make_hazard(users["department"], world["own"])
    with pytest.raises(ValidationError):
        getattr(services, service)(hazard=h, actor=users["office"], **kwargs)
    assert Hazard.objects.get(pk=h.pk).status == Status.REPORTED
    assert HazardEvent.objects.filter(hazard=h).count() == 1


def test_closed_hazard_cannot_be_confirmed_again(users, world):
    h = make_hazard(users["department"], world["own"])
    services.hazard_reject(hazard=h, actor=users["township"], reason="重复上报")
    with pytest.raises(ValidationError):
        services.hazard_confirm(hazard=h, actor=users["township"])


def test_reject_needs_a_reason(users, world):
    h = make_hazard(users["department"], world["own"])
    with pytest.raises(ValidationError):
        services.hazard_reject(hazard=h, actor=users["township"], reason=" ")


@pytest.mark.parametrize(
    "missing",
    ["measures", "responsible_unit", "responsible_person", "funds", "deadline", "contingency_plan"],
)
def test_major_hazard_needs_all_five_implementations(users, world, missing):
    h = make_hazard(users["department"], world["own"])
    services.hazard_confirm(hazard=h, actor=users["department"])
    five = {**FIVE, missing: None if missing in ("funds", "deadline") else ""}
    services.rectification_save(hazard=h, actor=users["department"], **five)
    with pytest.raises(ValidationError) as exc:
        services.hazard_start_rectification(hazard=h, actor=users["department"])
    assert "五落实" in str(exc.value) or "five" in str(exc.value)
    assert Hazard.objects.get(pk=h.pk).status == Status.CONFIRMED


def test_general_hazard_may_start_without_five_implementations(users, world):
    h = make_hazard(users["department"], world["own"], level="general")
    services.hazard_confirm(hazard=h, actor=users["department"])
    assert services.hazard_start_rectification(hazard=h, actor=users["department"]).status == (
        Status.RECTIFYING
    )


def test_negative_funds_refused(users, world):
    h = make_hazard(users["department"], world["own"])
    with pytest.raises(ValidationError):
        services.rectification_save(hazard=h, actor=users["department"], **{**FIVE, "funds": -1})


def test_after_photo_identical_to_before_photo_is_refused(users, world):
    dept = users["department"]
    h = make_hazard(dept, world["own"], before_photos=[photo((10, 20, 30), "before.jpg")])
    _to_rectifying(h, dept)
    # same picture, re-saved as PNG under another name: same pixels → same hash
    with pytest.raises(ValidationError) as exc:
        services.hazard_submit_for_acceptance(
            hazard=h, actor=dept, after_photos=[photo((10, 20, 30), "after.png", fmt="PNG")]
        )
    assert "after_photos" in exc.value.message_dict
    assert Hazard.objects.get(pk=h.pk).status == Status.RECTIFYING


def test_acceptance_needs_an_after_photo(users, world):
    h = make_hazard(users["department"], world["own"])
    _to_rectifying(h, users["department"])
    with pytest.raises(ValidationError):
        services.hazard_submit_for_acceptance(hazard=h, actor=users["department"])


def test_not_an_image_is_refused(users, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("x.jpg", b"<html>not an image</html>", content_type="image/jpeg")
    with pytest.raises(ValidationError):
        make_hazard(users["department"], world["own"], before_photos=[fake])
    assert not Hazard.objects.exists()


def test_photo_exif_is_stripped(users, world):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    img = Image.new("RGB", (40, 30), (1, 2, 3))
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    buf = io.BytesIO()
    img.save(buf, format="JPEG", exif=exif)
    h = make_hazard(
        users["department"],
        world["own"],
        before_photos=[SimpleUploadedFile("a.jpg", buf.getvalue())],
    )
    stored = h.attachments.get()
    with stored.file.open("rb") as f:
        assert b"SecretCam" not in f.read()


def test_submitter_cannot_accept_or_close(users, world):
    dept, other = users["department"], users["office"]
    h = make_hazard(dept, world["own"])
    _to_rectifying(h, dept)
    services.hazard_submit_for_acceptance(hazard=h, actor=dept, after_photos=[photo((1, 1, 1))])
    with pytest.raises(PermissionDenied):
        services.hazard_accept(hazard=h, actor=dept)
    services.hazard_accept(hazard=h, actor=other)
    with pytest.raises(PermissionDenied):
        services.hazard_close(hazard=h, actor=dept)
    assert services.hazard_close(hazard=h, actor=other).status == Status.CLOSED


def test_township_official_cannot_sign_off(users, world):
    tw, dept = users["township"], users["department"]
    h = make_hazard(tw, world["own"])
    _to_rectifying(h, tw)
    services.hazard_submit_for_acceptance(hazard=h, actor=dept, after_photos=[photo((5, 5, 5))])
    with pytest.raises(PermissionDenied):
        services.hazard_accept(hazard=h, actor=tw)


def test_department_not_supervising_cannot_sign_off(users, world):
    h = make_hazard(users["department"], world["own"])
    _to_rectifying(h, users["department"])
    services.hazard_submit_for_acceptance(
        hazard=h, actor=users["department"], after_photos=[photo((5, 5, 9))]
    )
    with pytest.raises(PermissionDenied):
        services.hazard_accept(hazard=h, actor=users["other_department"])


def test_confirming_a_major_hazard_notifies_principal_and_controller(
    users, world, django_capture_on_commit_callbacks
):
    h = make_hazard(users["department"], world["own"])
    with django_capture_on_commit_callbacks(execute=True):
        services.hazard_confirm(hazard=h, actor=users["department"])
    notes = HazardNotification.objects.filter(
        hazard=h, recipient__in=["principal", "controller"]
    ).order_by("recipient")
    assert [(n.recipient, n.channel, n.state) for n in notes] == [
        ("controller", "email", "sent"),
        ("principal", "email", "sent"),
    ]
    assert all(n.sent_at for n in notes)
    assert sorted(m.to[0] for m in mail.outbox) == ["boss@example.invalid", "owner@example.invalid"]
    assert h.ledger_number in mail.outbox[0].subject


def test_general_hazard_is_not_notified(users, world, django_capture_on_commit_callbacks):
    h = make_hazard(users["department"], world["own"], level="general")
    with django_capture_on_commit_callbacks(execute=True):
        services.hazard_confirm(hazard=h, actor=users["department"])
    assert not HazardNotification.objects.filter(recipient__in=["principal", "controller"]).exists()


def test_ledger_counter_row_is_locked(users, world):
    """The allocation takes a row lock (SELECT … FOR UPDATE) on PostgreSQL."""
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        make_hazard(users["department"], world["own"])
    if connection.vendor == "postgresql":
        assert any(
            "FOR UPDATE" in q["sql"] and "documentcounter" in q["sql"] for q in ctx.captured_queries
        )


def test_failed_delivery_is_recorded(users, world, django_capture_on_commit_callbacks, settings):
    from campaigns.notifications.channels import Channel, register_channel

    class Broken(Channel):
        name = "broken"
        label = "broken"

        def address_of_person(self, *, email="", phone=""):
            return "x"

        def deliver(self, *, address, subject, body):
            raise RuntimeError("gateway down")

    register_channel(Broken)
    settings.HAZARD_NOTIFICATION_CHANNELS = ["broken"]
    h = make_hazard(users["department"], world["own"])
    with django_capture_on_commit_callbacks(execute=True):
        services.hazard_confirm(hazard=h, actor=users["department"])
    states = set(
        HazardNotification.objects.filter(recipient__in=["principal", "controller"]).values_list(
            "state", "error"
        )
    )
    assert states == {("failed", "gateway down")}


def test_both_units_following_a_new_hazard_are_notified(
    users, world, django_capture_on_commit_callbacks
):
    """属地 + 行业: the township's officials and the supervising department's staff."""
    for key, email in (
        ("township", "tw@example.invalid"),
        ("department", "dept@example.invalid"),
        ("other_township", "other@example.invalid"),
    ):
        users[key].email = email
        users[key].save()
    with django_capture_on_commit_callbacks(execute=True):
        h = make_hazard(users["office"], world["own"])
    notes = {n.recipient: n for n in HazardNotification.objects.filter(hazard=h)}
    assert notes["township"].recipient_name == "碧阳镇"
    assert notes["township"].address == "tw@example.invalid"
    assert notes["department"].recipient_name == "县住建局"
    assert {n.state for n in notes.values()} == {"sent"}
    assert sorted(m.to[0] for m in mail.outbox) == ["dept@example.invalid", "tw@example.invalid"]
    assert h.ledger_number in mail.outbox[0].subject


def test_unit_without_addresses_is_recorded_not_sent(users, world):
    h = make_hazard(users["office"], world["own"])
    assert set(HazardNotification.objects.filter(hazard=h).values_list("state", flat=True)) == {
        "no_address"
    }


def test_refused_upload_leaves_no_files_behind(users, world, settings):
    import os

    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("x.jpg", b"not an image")
    with pytest.raises(ValidationError):
        make_hazard(users["department"], world["own"], before_photos=[photo((4, 4, 4)), fake])
    stored = [f for _d, _s, files in os.walk(settings.MEDIA_ROOT) for f in files]
    assert stored == [] and not Hazard.objects.exists()


def test_a_date_found_before_2000_is_refused(users, world):
    import datetime

    from django.core.exceptions import ValidationError

    from .factories import make_hazard

    with pytest.raises(ValidationError) as err:
        make_hazard(users["office"], world["own"], found_on=datetime.date(1900, 1, 1))
    assert "found_on" in err.value.message_dict
