"""Who sees what: townships their enterprises' records, departments their sectors', office
all; an outsider (other township / department) sees nothing of them; pages answer 404."""

import datetime

import pytest

from training import services
from training.models import (
    Attendance,
    Certificate,
    Drill,
    DrillEvidence,
    PrincipalInspection,
    RescueTeam,
    TrainingSession,
)

from .factories import make_certificate, make_session

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def records(users, world):
    office = users["office"]
    out = {}
    for key in ("own", "other"):
        ent = world[key]
        session = make_session(office, title=f"培训{key}")
        services.attendance_add(session=session, actor=office, person_name="张某", enterprise=ent)
        out[key] = {
            "session": session,
            "cert": make_certificate(office, ent, valid_until=D(2027, 1, 1)),
            "drill": services.drill_record(
                actor=office, enterprise=ent, held_on=D(2025, 3, 1), scenario="火灾", participants=5
            ),
            "inspection": services.inspection_record(
                actor=office, enterprise=ent, inspected_on=D(2025, 3, 1), leader_name="王某"
            ),
            "team": services.rescue_team_create(
                actor=office, enterprise=ent, name="救援队", members=5
            ),
        }
    return out


MODELS = [TrainingSession, Attendance, Certificate, Drill, PrincipalInspection, RescueTeam]


@pytest.mark.parametrize("who", ["township", "department"])
def test_unit_sees_own_enterprise_records_only(users, records, who):
    user = users[who]
    assert set(Certificate.objects.visible_to(user)) == {records["own"]["cert"]}
    assert set(Drill.objects.visible_to(user)) == {records["own"]["drill"]}
    assert set(PrincipalInspection.objects.visible_to(user)) == {records["own"]["inspection"]}
    assert set(RescueTeam.objects.visible_to(user)) == {records["own"]["team"]}
    assert set(TrainingSession.objects.visible_to(user)) == {records["own"]["session"]}
    assert (
        Attendance.objects.visible_to(user).get().enterprise_id
        == records["own"]["cert"].enterprise_id
    )


@pytest.mark.parametrize("model", MODELS)
def test_office_sees_everything(users, records, model):
    assert model.objects.visible_to(users["office"]).count() == 2


@pytest.mark.parametrize("model", MODELS)
def test_user_without_role_sees_nothing(users, records, model, django_user_model):
    nobody = django_user_model.objects.create_user(username="nobody", password="x")
    assert model.objects.visible_to(nobody).count() == 0


def test_session_organised_by_own_township_is_visible_without_attendees(users):
    session = make_session(users["township"])
    assert session in TrainingSession.objects.visible_to(users["township"])
    assert session not in TrainingSession.objects.visible_to(users["other_township"])


@pytest.mark.parametrize(
    "name,key",
    [
        ("training:session_detail", "session"),
        ("training:drill_detail", "drill"),
        ("training:inspection_detail", "inspection"),
        ("training:certificate_edit", "cert"),
    ],
)
def test_outsider_gets_404(client, users, records, name, key):
    from django.urls import reverse

    client.force_login(users["other_township"])
    assert client.get(reverse(name, args=[records["own"][key].pk])).status_code == 404
    client.force_login(users["township"])
    assert client.get(reverse(name, args=[records["own"][key].pk])).status_code == 200


def test_outsider_cannot_download_evidence(client, users, world):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (20, 20), (1, 2, 3)).save(buf, format="PNG")
    drill = services.drill_record(
        actor=users["office"],
        enterprise=world["own"],
        held_on=D(2025, 3, 1),
        scenario="火灾",
        participants=5,
        photos=[SimpleUploadedFile("a.png", buf.getvalue())],
    )
    ev = DrillEvidence.objects.get(drill=drill)
    client.force_login(users["other_department"])
    assert client.get(reverse("training:evidence", args=[ev.pk])).status_code == 404
    client.force_login(users["department"])
    response = client.get(reverse("training:evidence", args=[ev.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"


def test_enterprise_training_page_of_other_township_is_404(client, users, world):
    from django.urls import reverse

    client.force_login(users["township"])
    url = reverse("training:enterprise", args=[world["other"].pk])
    assert client.get(url).status_code == 404
