"""Services: validation with Chinese messages, scope checks, nothing half-saved."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from training import services
from training.constants import Audience, Flag
from training.models import Attendance, Certificate, Drill, DrillEvidence, EnterpriseFlag

from .factories import make_certificate, make_session

pytestmark = pytest.mark.django_db
D = datetime.date


def photo(name="p.jpg"):
    buf = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 30)).save(buf, format="JPEG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/jpeg")


def test_township_session_is_organised_by_its_township(users):
    session = make_session(users["township"])
    assert session.organiser_township == users["township"].township
    assert session.organiser_department is None


def test_township_cannot_organise_for_another_township(users):
    with pytest.raises(PermissionDenied):
        make_session(users["township"], organiser_township=users["other_township"].township)


def test_admin_must_name_an_organiser(users):
    with pytest.raises(ValidationError) as exc:
        make_session(users["admin"])
    assert "organiser_township" in exc.value.message_dict


def test_session_rejects_unknown_audience(users):
    with pytest.raises(ValidationError) as exc:
        make_session(users["office"], audience="nobody")
    assert "audience" in exc.value.message_dict


def test_attendance_outside_scope_is_refused(users, world):
    session = make_session(users["township"])
    with pytest.raises(PermissionDenied):
        services.attendance_add(
            session=session, actor=users["township"], person_name="张某", enterprise=world["other"]
        )


def test_attendance_twice_is_refused_in_chinese(users, world):
    session = make_session(users["office"])
    services.attendance_add(
        session=session, actor=users["office"], person_name="张某", enterprise=world["own"]
    )
    with pytest.raises(ValidationError) as exc:
        services.attendance_add(
            session=session, actor=users["office"], person_name="张某", enterprise=world["own"]
        )
    assert "张某" in exc.value.message_dict["person_name"][0]


def test_no_result_before_the_session_is_held(users, world, monkeypatch):
    monkeypatch.setattr("training.services.today_local", lambda: D(2025, 5, 1))
    session = make_session(users["office"], held_on=D(2025, 6, 1))
    with pytest.raises(ValidationError):
        services.attendance_add(
            session=session,
            actor=users["office"],
            person_name="张某",
            enterprise=world["own"],
            result=Attendance.Result.PASSED,
        )


def test_enforcement_staff_attend_from_a_department(users):
    session = make_session(users["office"], audience=Audience.ENFORCEMENT_STAFF)
    a = services.attendance_add(
        session=session,
        actor=users["office"],
        person_name="执法甲",
        department=users["department"].department,
    )
    assert a.enterprise is None and not a.responsible_person


def test_township_cannot_set_enterprise_categories(users, world):
    with pytest.raises(PermissionDenied):
        services.flag_set(
            enterprise=world["own"], flag=Flag.COMMERCIAL_COMPLEX, actor=users["township"]
        )


def test_flag_set_is_idempotent(users, world):
    for _ in range(2):
        services.flag_set(
            enterprise=world["own"], flag=Flag.COMMERCIAL_COMPLEX, actor=users["office"]
        )
    assert EnterpriseFlag.objects.count() == 1
    services.flag_set(
        enterprise=world["own"], flag=Flag.COMMERCIAL_COMPLEX, actor=users["office"], on=False
    )
    assert EnterpriseFlag.objects.count() == 0


def test_certificate_valid_until_before_issue_is_refused(users, world):
    with pytest.raises(ValidationError) as exc:
        make_certificate(users["office"], world["own"], valid_until=D(2019, 1, 1))
    assert "valid_until" in exc.value.message_dict


def test_certificate_number_unique_per_type(users, world):
    make_certificate(users["office"], world["own"], valid_until=D(2027, 1, 1), number="A1")
    with pytest.raises(ValidationError) as exc:
        make_certificate(users["office"], world["high"], valid_until=D(2027, 1, 1), number="A1")
    assert "A1" in exc.value.message_dict["number"][0]


def test_certificate_expires_the_day_after_valid_until(users, world):
    cert = make_certificate(users["office"], world["own"], valid_until=D(2026, 3, 31))
    assert cert.state(D(2026, 3, 31)) == "expiring"
    assert cert.state(D(2026, 4, 1)) == "expired"
    assert list(Certificate.objects.expired(D(2026, 3, 31))) == []
    assert list(Certificate.objects.expired(D(2026, 4, 1))) == [cert]
    assert list(Certificate.objects.expiring_within(D(2026, 1, 1), 90)) == [cert]
    assert list(Certificate.objects.expiring_within(D(2026, 1, 1), 60)) == []


def test_drill_in_the_future_is_refused(users, world, monkeypatch):
    monkeypatch.setattr("training.services.today_local", lambda: D(2025, 5, 1))
    with pytest.raises(ValidationError) as exc:
        services.drill_record(
            actor=users["office"],
            enterprise=world["own"],
            held_on=D(2025, 5, 2),
            scenario="火灾",
            participants=3,
        )
    assert "held_on" in exc.value.message_dict


def test_drill_with_a_bad_file_saves_nothing(users, world, settings):
    bad = SimpleUploadedFile("evil.jpg", b"not an image", content_type="image/jpeg")
    with pytest.raises(ValidationError) as exc:
        services.drill_record(
            actor=users["office"],
            enterprise=world["own"],
            held_on=D(2025, 3, 1),
            scenario="火灾",
            participants=3,
            photos=[photo(), bad],
        )
    assert "photos" in exc.value.message_dict
    assert Drill.objects.count() == 0 and DrillEvidence.objects.count() == 0
    media = settings.MEDIA_ROOT
    assert not any(p.is_file() for p in media.rglob("*")) if media.exists() else True


def test_drill_photo_is_reencoded(users, world):
    drill = services.drill_record(
        actor=users["township"],
        enterprise=world["own"],
        held_on=D(2025, 3, 1),
        scenario="火灾",
        participants=3,
        photos=[photo("现场.png")],
    )
    ev = drill.evidence.get()
    assert ev.content_type == "image/jpeg" and ev.original_name == "现场.jpg"


def test_drill_outside_scope_is_refused(users, world):
    with pytest.raises(PermissionDenied):
        services.drill_record(
            actor=users["township"],
            enterprise=world["other"],
            held_on=D(2025, 3, 1),
            scenario="火灾",
            participants=3,
        )


def test_inspection_links_only_hazards_of_its_enterprise(users, world):
    from tests.hazards.factories import make_hazard

    hazard = make_hazard(users["office"], world["other"])
    with pytest.raises(ValidationError):
        services.inspection_record(
            actor=users["office"],
            enterprise=world["own"],
            inspected_on=D(2025, 3, 1),
            leader_name="王某",
            hazards=[hazard],
        )
    own_hazard = make_hazard(users["office"], world["own"])
    insp = services.inspection_record(
        actor=users["office"],
        enterprise=world["own"],
        inspected_on=D(2025, 3, 1),
        leader_name="王某",
        hazards=[own_hazard],
    )
    assert list(insp.hazards.all()) == [own_hazard]


def test_rescue_team_members_bounded(users, world):
    with pytest.raises(ValidationError) as exc:
        services.rescue_team_create(
            actor=users["office"], enterprise=world["high"], name="队", members=0
        )
    assert "members" in exc.value.message_dict
