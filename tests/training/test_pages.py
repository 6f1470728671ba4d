"""Pages render for every role, forms save through the services, exports open in openpyxl,
rights give 403, list query counts don't grow with the rows."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from training import services
from training.constants import Audience, Flag
from training.models import Attendance, Certificate, Drill, PrincipalInspection

from .factories import make_certificate, make_session

pytestmark = pytest.mark.django_db
D = datetime.date

LISTS = [
    "training:overview",
    "training:session_list",
    "training:certificate_list",
    "training:drill_list",
    "training:inspection_list",
    "training:rescue_list",
    "training:flags",
    "training:coverage",
]
EXPORTS = [
    "training:session_export",
    "training:certificate_export",
    "training:drill_export",
    "training:inspection_export",
    "training:rescue_export",
    "training:coverage_export",
]


@pytest.fixture
def data(users, world):
    office = users["office"]
    services.flag_set(enterprise=world["own"], flag=Flag.KEY_HERITAGE, actor=office)
    session = make_session(office, audience=Audience.HERITAGE_FIRE, held_on=D(2025, 6, 1))
    services.attendance_add(
        session=session,
        actor=office,
        person_name="=cmd|' /C calc'!A0",
        enterprise=world["own"],
        result=Attendance.Result.PASSED,
    )
    make_certificate(office, world["own"], valid_until=D(2020, 6, 1), issued_on=D(2019, 1, 1))
    services.drill_record(
        actor=office,
        enterprise=world["own"],
        held_on=D(2025, 3, 1),
        scenario="火灾",
        participants=5,
    )
    services.inspection_record(
        actor=office, enterprise=world["high"], inspected_on=D(2025, 3, 1), leader_name="王某"
    )
    services.rescue_team_create(actor=office, enterprise=world["high"], name="救援队", members=5)
    return {"session": session}


@pytest.mark.parametrize("who", ["township", "department", "office", "admin"])
@pytest.mark.parametrize("name", LISTS)
def test_list_pages_render(client, users, data, who, name):
    client.force_login(users[who])
    response = client.get(reverse(name), {"year": 2025})
    assert response.status_code == 200
    assert "<html" in response.content.decode()


@pytest.mark.parametrize("duty", ["drill", "inspection"])
@pytest.mark.parametrize("suffix", ["compliance", "compliance_rows"])
def test_compliance_pages_render(client, users, data, duty, suffix):
    client.force_login(users["township"])
    url = reverse(f"training:{suffix}", args=[duty])
    assert client.get(url, {"year": 2025, "status": "missed"}).status_code == 200


def test_unknown_duty_is_404(client, users):
    client.force_login(users["office"])
    assert client.get(reverse("training:compliance", args=["nap"])).status_code == 404


def test_user_without_role_gets_403(client, users, django_user_model):
    nobody = django_user_model.objects.create_user(username="nobody", password="x")
    client.force_login(nobody)
    assert client.get(reverse("training:overview")).status_code == 403


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("training:certificate_list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("name", EXPORTS)
def test_exports_are_workbooks(client, users, data, name):
    client.force_login(users["office"])
    response = client.get(reverse(name), {"year": 2025})
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.worksheets[0].max_row >= 1


def test_attendance_export_keeps_formulas_as_text(client, users, data):
    client.force_login(users["office"])
    response = client.get(reverse("training:attendance_export", args=[data["session"].pk]))
    ws = load_workbook(io.BytesIO(response.content)).active
    cell = ws.cell(row=2, column=4)
    assert cell.value.startswith("=cmd") and cell.data_type == "s"


def test_compliance_export_has_figures_by_township(client, users, data):
    client.force_login(users["office"])
    response = client.get(reverse("training:compliance_export", args=["drill"]), {"year": 2025})
    wb = load_workbook(io.BytesIO(response.content))
    assert len(wb.worksheets) == 4
    rows = list(wb.worksheets[1].iter_rows(values_only=True))
    assert rows[0][0] == "单位"


def test_coverage_lists_untrained_and_exports_them(client, users, world, data):
    office = users["office"]
    services.flag_set(enterprise=world["high"], flag=Flag.KEY_HERITAGE, actor=office)
    client.force_login(office)
    params = {"year": 2025, "audience": Audience.HERITAGE_FIRE, "trained": "false"}
    page = client.get(reverse("training:coverage"), params).content.decode()
    assert (
        world["high"].name in page
        and world["own"].name not in page.split('data-testid="focus-enterprises"')[1]
    )
    response = client.get(reverse("training:coverage_export"), params)
    names = [
        r[0]
        for r in load_workbook(io.BytesIO(response.content)).active.iter_rows(
            min_row=2, values_only=True
        )
    ]
    assert names == [world["high"].name]


def test_expired_certificate_shows_on_enterprise_training_page(client, users, world, data):
    client.force_login(users["township"])
    page = client.get(reverse("training:enterprise", args=[world["own"].pk])).content.decode()
    assert 'data-testid="expired-certificates"' in page


def test_certificate_window_filter(client, users, world, monkeypatch):
    monkeypatch.setattr("training.filters.today_local", lambda: D(2026, 1, 1))
    make_certificate(users["office"], world["own"], valid_until=D(2026, 1, 20), number="C30")
    make_certificate(users["office"], world["own"], valid_until=D(2026, 3, 15), number="C90")
    client.force_login(users["office"])
    page = client.get(reverse("training:certificate_list"), {"window": "30"}).content.decode()
    assert "C30" in page and "C90" not in page


def test_create_session_and_attendee_through_the_pages(client, users, world):
    client.force_login(users["township"])
    response = client.post(
        reverse("training:session_create"),
        {
            "title": "民宿消防培训",
            "audience": Audience.OTHER,
            "held_on": "2025-05-06",
            "venue": "镇会议室",
        },
    )
    assert response.status_code == 302
    session = users["township"].township and services.TrainingSession.objects.get()
    response = client.post(
        session.get_absolute_url(),
        {
            "person_name": "汪某",
            "enterprise": world["own"].pk,
            "responsible_person": "on",
            "result": Attendance.Result.PASSED,
        },
    )
    assert response.status_code == 302
    assert Attendance.objects.get().result == Attendance.Result.PASSED


def test_attendee_from_other_township_cannot_be_chosen(client, users, world):
    session = make_session(users["township"])
    client.force_login(users["township"])
    response = client.post(
        session.get_absolute_url(),
        {"person_name": "汪某", "enterprise": world["other"].pk, "result": "pending"},
    )
    assert response.status_code == 200 and not Attendance.objects.exists()
    assert "invalid-feedback" in response.content.decode()


def test_other_township_cannot_edit_session(client, users):
    session = make_session(users["township"])
    client.force_login(users["other_township"])
    assert client.get(reverse("training:session_edit", args=[session.pk])).status_code == 404


def test_department_cannot_edit_township_session_it_sees(client, users, world):
    session = make_session(users["township"])
    services.attendance_add(
        session=session, actor=users["township"], person_name="甲", enterprise=world["own"]
    )
    client.force_login(users["department"])
    assert client.get(reverse("training:session_edit", args=[session.pk])).status_code == 403


def test_record_drill_with_photo_through_the_page(client, users, world):
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (30, 30), (200, 0, 0)).save(buf, format="JPEG")
    buf.name = "drill.jpg"
    buf.seek(0)
    client.force_login(users["township"])
    response = client.post(
        reverse("training:drill_create"),
        {
            "enterprise": world["own"].pk,
            "held_on": "2025-04-01",
            "scenario": "夜间疏散",
            "participants": 12,
            "photos": buf,
        },
    )
    assert response.status_code == 302
    assert Drill.objects.get().evidence.count() == 1


def test_drill_form_shows_chinese_error_for_bad_document(client, users, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(users["township"])
    response = client.post(
        reverse("training:drill_create"),
        {
            "enterprise": world["own"].pk,
            "held_on": "2025-04-01",
            "scenario": "夜间疏散",
            "participants": 12,
            "documents": SimpleUploadedFile("a.exe", b"MZ"),
        },
    )
    assert response.status_code == 200 and not Drill.objects.exists()
    assert "a.exe" in response.content.decode()


def test_record_inspection_and_link_a_new_hazard(client, users, world):
    from tests.hazards.factories import make_hazard

    client.force_login(users["township"])
    response = client.post(
        reverse("training:inspection_create"),
        {"enterprise": world["own"].pk, "inspected_on": "2025-04-01", "leader_name": "王某"},
    )
    assert response.status_code == 302
    inspection = PrincipalInspection.objects.get()
    hazard = make_hazard(users["township"], world["own"])
    client.post(inspection.get_absolute_url(), {"link": hazard.pk})
    assert list(inspection.hazards.all()) == [hazard]


def test_certificate_form_saves(client, users, world):
    client.force_login(users["department"])
    response = client.post(
        reverse("training:certificate_create"),
        {
            "worker_name": "钱某",
            "enterprise": world["own"].pk,
            "type": "welding",
            "number": "X1",
            "issued_on": "2024-01-01",
            "valid_until": "2030-01-01",
        },
    )
    assert response.status_code == 302 and Certificate.objects.get().number == "X1"


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


@pytest.mark.parametrize(
    "name",
    [
        "training:certificate_list",
        "training:drill_list",
        "training:inspection_list",
        "training:session_list",
    ],
)
def test_list_queries_do_not_grow_with_rows(client, users, world, name):
    office = users["office"]
    client.force_login(office)

    def add(n):
        for i in range(n):
            make_certificate(
                office, world["own"], valid_until=D(2027, 1, 1 + i), number=f"N{i}-{n}"
            )
            services.drill_record(
                actor=office,
                enterprise=world["own"],
                held_on=D(2025, 1, 1 + i),
                scenario="火灾",
                participants=5,
            )
            services.inspection_record(
                actor=office,
                enterprise=world["own"],
                inspected_on=D(2025, 1, 1 + i),
                leader_name="王某",
            )
            make_session(office, title=f"s{i}-{n}")

    add(2)
    few = _queries(client, reverse(name))
    add(8)
    assert _queries(client, reverse(name)) == few


def test_compliance_rows_queries_do_not_grow(client, users, world):
    from tests.hazards.factories import make_enterprise

    client.force_login(users["office"])
    url = reverse("training:compliance_rows", args=["drill"]) + "?year=2025"
    few = _queries(client, url)
    for _ in range(5):
        make_enterprise(users["office"], township="xidi", sectors=("fire",))
    assert _queries(client, url) == few


def test_year_outside_the_campaign_falls_back(client, users):
    client.force_login(users["office"])
    for name in ("training:coverage", "training:overview"):
        assert client.get(reverse(name), {"year": 2019}).status_code == 200
    assert (
        client.get(reverse("training:compliance", args=["drill"]), {"year": "abc"}).status_code
        == 200
    )


def test_report_a_hazard_from_the_inspection(client, users, world):
    from hazards.models import Hazard

    inspection = services.inspection_record(
        actor=users["township"],
        enterprise=world["own"],
        inspected_on=D(2025, 4, 1),
        leader_name="王某",
    )
    client.force_login(users["township"])
    url = reverse("training:inspection_report_hazard", args=[inspection.pk])
    page = client.get(url).content.decode()
    assert world["other"].name not in page  # only the inspection's enterprise is offered
    response = client.post(
        url,
        {
            "enterprise": world["own"].pk,
            "level": "general",
            "source": "self_report",
            "found_on": "2025-04-01",
            "found_by": "王某",
            "location": "仓库",
            "description": "灭火器过期",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    hazard = Hazard.objects.get()
    assert list(inspection.hazards.all()) == [hazard]


def test_report_a_hazard_from_other_townships_inspection_is_404(client, users, world):
    inspection = services.inspection_record(
        actor=users["office"],
        enterprise=world["own"],
        inspected_on=D(2025, 4, 1),
        leader_name="王某",
    )
    client.force_login(users["other_township"])
    url = reverse("training:inspection_report_hazard", args=[inspection.pk])
    assert client.get(url).status_code == 404
