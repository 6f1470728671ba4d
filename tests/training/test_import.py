"""Excel import of attendance and certificates: dry run writes nothing, errors name row and
column (also the services' own checks, e.g. scope and duplicates within the file), confirm
saves all rows or none."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from training import imports
from training.models import Attendance, Certificate

from .factories import make_session

pytestmark = pytest.mark.django_db

CERT_HEAD = [c for c, _f in imports.CERTIFICATE_COLUMNS]
ATT_HEAD = [c for c, _f in imports.ATTENDANCE_COLUMNS]


def workbook(header, rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def cert_row(ent, number="N1", valid_until="2028-01-01"):
    return ["程某", ent.credit_code, "电工作业", number, "2022-01-01", valid_until, ""]


def test_template_has_the_columns():
    ws = load_workbook(io.BytesIO(imports.template_xlsx("certificates"))).active
    assert [c.value for c in ws[1]] == CERT_HEAD


def test_dry_run_saves_nothing(users, world):
    content = workbook(CERT_HEAD, [cert_row(world["own"])])
    result = imports.import_rows(kind="certificates", content=content, user=users["township"])
    assert result.ok and result.saved == 0 and not Certificate.objects.exists()


def test_commit_saves_every_row(users, world):
    content = workbook(CERT_HEAD, [cert_row(world["own"]), cert_row(world["high"], "N2")])
    result = imports.import_rows(
        kind="certificates", content=content, user=users["township"], commit=True
    )
    assert result.saved == 2 and Certificate.objects.count() == 2


def test_errors_name_row_and_column_and_nothing_is_saved(users, world):
    content = workbook(
        CERT_HEAD,
        [
            cert_row(world["own"]),
            cert_row(world["own"], "N2", valid_until="2028/13/01"),
            cert_row(world["other"], "N3"),  # outside the township's scope
            cert_row(world["own"], "N1"),  # same number as row 2
        ],
    )
    result = imports.import_rows(
        kind="certificates", content=content, user=users["township"], commit=True
    )
    assert result.saved == 0 and not Certificate.objects.exists()
    text = "\n".join(result.errors)
    assert "第 3 行，列“有效期至”" in text
    assert "第 4 行，列“统一社会信用代码”" in text
    assert "第 5 行，列“证书编号”" in text and "N1" in text


def test_missing_column_and_not_a_workbook(users):
    result = imports.import_rows(
        kind="certificates", content=workbook(["持证人"], []), user=users["office"]
    )
    assert "缺少" in result.errors[0] or "有效期至" in result.errors[0]
    result = imports.import_rows(kind="certificates", content=b"not a zip", user=users["office"])
    assert result.errors and not result.rows


def test_attendance_import_into_a_session(users, world):
    session = make_session(users["office"], held_on=datetime.date(2025, 6, 1))
    content = workbook(
        ATT_HEAD,
        [
            ["汪某", "主要负责人", world["own"].credit_code, "", "是", "考核合格"],
            ["执法甲", "执法人员", "", "县住建局", "否", ""],
        ],
    )
    result = imports.import_rows(
        kind="attendance", content=content, user=users["office"], session=session, commit=True
    )
    assert result.saved == 2, result.errors
    passed = Attendance.objects.get(person_name="汪某")
    assert passed.result == Attendance.Result.PASSED and passed.responsible_person
    staff = Attendance.objects.get(person_name="执法甲")
    assert staff.department.code == "housing" and staff.result == Attendance.Result.PENDING


def test_attendance_row_needs_enterprise_or_department(users):
    session = make_session(users["office"])
    content = workbook(ATT_HEAD, [["汪某", "", "", "", "是", ""]])
    result = imports.import_rows(
        kind="attendance", content=content, user=users["office"], session=session
    )
    assert "第 2 行，列“统一社会信用代码”" in result.errors[0]


def test_import_pages_dry_run_then_confirm(client, users, world):
    client.force_login(users["township"])
    url = reverse("training:certificate_import")
    upload = SimpleUploadedFile("c.xlsx", workbook(CERT_HEAD, [cert_row(world["own"])]))
    page = client.post(url, {"file": upload}).content.decode()
    assert 'data-testid="import-ok"' in page and not Certificate.objects.exists()
    response = client.post(url, {"confirm": "1"})
    assert response.status_code == 302 and Certificate.objects.count() == 1


def test_other_township_cannot_import_into_session(client, users):
    session = make_session(users["township"])
    client.force_login(users["other_township"])
    url = reverse("training:attendance_import", args=[session.pk])
    assert client.get(url).status_code == 404


def test_template_download(client, users):
    client.force_login(users["township"])
    response = client.get(reverse("training:import_template", args=["attendance"]))
    assert response.status_code == 200
    assert client.get(reverse("training:import_template", args=["nope"])).status_code == 404
