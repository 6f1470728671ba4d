"""制度成果 (issue 11, the final report's deliverable): recorded by a unit, scoped, listed,
exported, in the API and in the report's section."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from campaigns.progress.demo import tiny_pdf
from campaigns.reports.models import Outcome
from campaigns.reports.registry import SECTIONS
from campaigns.reports.services import outcome_record, period_parse, scope_parse

pytestmark = pytest.mark.django_db


def _record(user, **kw):
    params = dict(
        title="重大事故隐患“闭环”管理办法",
        adopted_on=datetime.date(2025, 6, 1),
        fixes="隐患整改验收销号责任不清",
    )
    params.update(kw)
    return outcome_record(actor=user, **params)


def test_a_township_records_an_outcome_of_its_own_with_its_document(users):
    doc = SimpleUploadedFile("办法.pdf", tiny_pdf("rules"), content_type="application/pdf")
    outcome = _record(users["township"], document=doc)
    assert outcome.township.code == "biyang" and outcome.document_name == "办法.pdf"


@pytest.mark.parametrize(
    "field, kw",
    [
        ("title", {"title": "  "}),
        ("fixes", {"fixes": ""}),
        ("adopted_on", {"adopted_on": datetime.date(2023, 12, 31)}),
        ("document", {"document": SimpleUploadedFile("x.pdf", b"not a pdf")}),
    ],
)
def test_bad_outcomes_are_refused_on_their_field(users, field, kw):
    with pytest.raises(ValidationError) as exc:
        _record(users["township"], **kw)
    assert field in exc.value.message_dict and not Outcome.objects.exists()


def test_outcomes_are_scoped_to_their_unit(users, client):
    mine = _record(users["township"])
    theirs = _record(users["other_township"], title="宏村镇办法")
    assert set(Outcome.objects.visible_to(users["township"])) == {mine}
    assert set(Outcome.objects.visible_to(users["office"])) == {mine, theirs}
    client.force_login(users["township"])
    page = client.get(reverse("campaigns:outcomes")).content.decode()
    assert mine.title in page and theirs.title not in page


def test_outcome_page_records_and_exports(users, client):
    client.force_login(users["department"])
    response = client.post(
        reverse("campaigns:outcomes"),
        {"title": "燃气安全检查标准", "adopted_on": "2026-03-01", "fixes": "检查标准不统一"},
    )
    assert response.status_code == 302
    export = client.get(reverse("campaigns:outcomes_export"))
    ws = load_workbook(io.BytesIO(export.content)).active
    assert ws["A2"].value == "燃气安全检查标准" and ws["C2"].value == datetime.datetime(2026, 3, 1)


def test_api_lists_and_records_outcomes(users, client):
    client.force_login(users["township"])
    created = client.post(
        "/api/v1/outcomes/", {"title": "办法", "adopted_on": "2026-02-01", "fixes": "问题"}
    )
    assert created.status_code == 201, created.content
    assert client.get("/api/v1/outcomes/").json()["count"] == 1
    bad = client.post(
        "/api/v1/outcomes/", {"title": "办法", "adopted_on": "2031-01-01", "fixes": "问题"}
    )
    assert bad.status_code == 400 and "adopted_on" in bad.json()


def test_outcomes_section_lists_the_period_outcomes_of_the_scope(users):
    _record(users["township"])
    _record(users["other_township"], title="宏村镇办法", adopted_on=datetime.date(2024, 5, 1))
    final = SECTIONS["outcomes"].build(period_parse("final", ""), scope_parse("county"))
    assert [r[0] for r in final.tables[0][2]] == ["宏村镇办法", "重大事故隐患“闭环”管理办法"]
    mine = SECTIONS["outcomes"].build(period_parse("final", ""), scope_parse("township:biyang"))
    assert len(mine.tables[0][2]) == 1
    quarter = SECTIONS["outcomes"].build(
        period_parse("quarterly", "2026-Q3"), scope_parse("county")
    )
    assert quarter.empty and quarter.note
