"""Pages, PDFs, exports and the public notice: scoping (404 outside, 403 not allowed)."""

import datetime
import io
import subprocess

import pytest
from django.test import Client
from openpyxl import load_workbook

from enforcement import services
from enforcement.models import EscalationRule, Listing, StepKind, TargetKind, Trigger
from tests.hazards.factories import rectifying_hazard

pytestmark = pytest.mark.django_db
D = datetime.date


def client_for(user):
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def listing(users, world):
    h = rectifying_hazard(users["township"], world["own"], D(2026, 6, 30))
    return services.listing_create(
        hazard=h,
        actor=users["office"],
        listing_body="county_government",
        listed_on=D(2026, 2, 1),
        required_completion=D(2026, 6, 30),
        responsible_unit="碧阳镇人民政府",
    )


def test_township_sees_its_listing_and_the_other_township_gets_404(users, listing):
    ok = client_for(users["township"]).get(f"/supervision/{listing.pk}/")
    assert ok.status_code == 200 and listing.document_number in ok.content.decode()
    other = client_for(users["other_township"])
    assert other.get(f"/supervision/{listing.pk}/").status_code == 404
    assert other.get(f"/supervision/{listing.pk}/notice.pdf").status_code == 404
    assert listing.document_number not in other.get("/supervision/").content.decode()


def test_department_staff_of_another_sector_gets_404(users, listing):
    assert client_for(users["department"]).get(f"/supervision/{listing.pk}/").status_code == 200
    assert (
        client_for(users["other_department"]).get(f"/supervision/{listing.pk}/").status_code == 404
    )


def test_only_the_office_opens_the_listing_form(users, world):
    h = rectifying_hazard(users["township"], world["own"], D(2026, 6, 30))
    assert client_for(users["township"]).get("/supervision/new/").status_code == 403
    office = client_for(users["office"])
    page = office.get(f"/supervision/new/?hazard={h.ledger_number}")
    assert page.status_code == 200
    assert page.context["form"].initial["hazard"] == h.ledger_number
    assert page.context["form"].initial["required_completion"] == D(2026, 6, 30)
    resp = office.post(
        "/supervision/new/",
        {
            "hazard": h.ledger_number,
            "listing_body": "safety_office",
            "listed_on": "2026-03-01",
            "required_completion": "2026-02-01",
            "responsible_unit": "碧阳镇人民政府",
        },
    )
    assert resp.status_code == 200  # error shown on the field, nothing saved
    assert "required_completion" in resp.context["form"].errors
    assert not Listing.objects.exists()
    resp = office.post(
        "/supervision/new/",
        {
            "hazard": h.ledger_number,
            "listing_body": "safety_office",
            "listed_on": "2026-03-01",
            "required_completion": "2026-06-30",
            "responsible_unit": "碧阳镇人民政府",
        },
    )
    assert resp.status_code == 302 and Listing.objects.get().document_number == "黟安督〔2026〕1号"


def test_unknown_ledger_number_is_a_field_error(users):
    resp = client_for(users["office"]).post(
        "/supervision/new/",
        {
            "hazard": "YX-1999-0001",
            "listing_body": "safety_office",
            "listed_on": "2026-03-01",
            "required_completion": "2026-06-30",
            "responsible_unit": "x",
        },
    )
    assert resp.status_code == 200 and "hazard" in resp.context["form"].errors


def test_listing_notice_pdf_embeds_a_cjk_font(users, listing, tmp_path):
    resp = client_for(users["township"]).get(f"/supervision/{listing.pk}/notice.pdf")
    assert resp.status_code == 200 and resp["Content-Type"] == "application/pdf"
    path = tmp_path / "notice.pdf"
    path.write_bytes(resp.content)
    fonts = subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True, check=True
    ).stdout
    assert "CJK" in fonts and " yes " in fonts
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "黟安督〔2026〕1号" in text and listing.hazard.ledger_number in text
    assert "挂牌督办通知书" in text


def test_listing_list_query_count_does_not_grow(users, world, django_assert_max_num_queries):
    office = users["office"]
    for _ in range(5):
        h = rectifying_hazard(office, world["own"], D(2026, 6, 30))
        services.listing_create(
            hazard=h,
            actor=office,
            listing_body="safety_office",
            listed_on=D(2026, 2, 1),
            required_completion=D(2026, 6, 30),
            responsible_unit="x",
        )
    c = client_for(office)
    with django_assert_max_num_queries(13):  # +1: the campaigns for the switcher
        assert c.get("/supervision/").status_code == 200


def test_exports_open_in_excel(users, listing):
    c = client_for(users["township"])
    for url, sheet in (
        ("/supervision/export.xlsx", 0),
        ("/extensions/export.xlsx", 0),
        ("/escalations/export.xlsx?status=all", 0),
        ("/slow-progress/export.xlsx", 1),
    ):
        resp = c.get(url)
        assert resp.status_code == 200, url
        wb = load_workbook(io.BytesIO(resp.content))
        assert wb.worksheets[sheet].max_row >= 1
    ws = load_workbook(io.BytesIO(c.get("/supervision/export.xlsx").content)).active
    assert ws.cell(row=2, column=1).value == listing.document_number


def _exposure(users, world):
    EscalationRule.objects.all().delete()
    rectifying_hazard(users["township"], world["own"], D(2026, 1, 31))
    EscalationRule.objects.create(
        name="曝光",
        trigger=Trigger.DAYS_OVERDUE,
        threshold=180,
        step=StepKind.PUBLIC_EXPOSURE,
        target=TargetKind.ENTERPRISE,
    )
    [step] = services.escalation_evaluate(today=D(2026, 11, 29))
    return step


def test_worklist_approve_and_public_notice_without_login(users, world, tmp_path):
    step = _exposure(users, world)
    tw, office = client_for(users["township"]), client_for(users["office"])
    assert step.grounds in office.get("/escalations/").content.decode()  # the worklist
    assert tw.post(f"/escalations/{step.pk}/approve/").status_code == 403
    assert client_for(users["other_township"]).get(f"/escalations/{step.pk}/").status_code == 404
    assert office.get(f"/escalations/{step.pk}/document.pdf").status_code == 404  # not yet
    office.post(f"/escalations/{step.pk}/approve/", {"note": ""})
    step.refresh_from_db()
    assert step.document_number == "黟安曝〔2026〕1号"
    public = Client().get(step.public_url())
    body = public.content.decode()
    assert public.status_code == 200 and "黟安曝〔2026〕1号" in body
    assert world["own"].name in body
    assert "王某" not in body and "李某" not in body  # no people named
    pdf = tw.get(f"/escalations/{step.pk}/document.pdf")
    assert pdf.status_code == 200
    path = tmp_path / "step.pdf"
    path.write_bytes(pdf.content)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "黟安曝〔2026〕1号" in text and step.hazards.get().ledger_number in text


def test_public_page_404_for_unknown_or_unapproved(users, world):
    import uuid

    assert Client().get(f"/public/exposures/{uuid.uuid4()}/").status_code == 404


def test_slow_progress_page_is_scoped(users, world):
    rectifying_hazard(users["township"], world["own"], D(2026, 1, 31))
    own = client_for(users["township"]).get("/slow-progress/").content.decode()
    assert "碧阳镇" in own
    other = client_for(users["other_township"]).get("/slow-progress/").content.decode()
    assert "碧阳镇" not in other


def test_anonymous_is_sent_to_login(db):
    resp = Client().get("/supervision/")
    assert resp.status_code == 302 and "/accounts/login/" in resp["Location"]


def test_extension_and_escalation_lists_have_a_query_budget(
    users, world, no_default_rules, django_assert_max_num_queries
):
    office, tw = users["office"], users["township"]
    for _i in range(4):
        h = rectifying_hazard(tw, world["own"], D(2026, 6, 30))
        services.extension_request(
            hazard=h, actor=tw, requested_deadline=D(2026, 9, 30), reason="原因", on=D(2026, 5, 6)
        )
    for target in (TargetKind.TOWNSHIP, TargetKind.DEPARTMENT, TargetKind.ENTERPRISE):
        EscalationRule.objects.create(
            name=target,
            trigger=Trigger.DAYS_OVERDUE,
            threshold=1,
            step=StepKind.FORMAL_LETTER,
            target=target,
        )
    assert len(services.escalation_evaluate(today=D(2026, 11, 29))) == 3
    c = client_for(office)
    with django_assert_max_num_queries(13):  # +1: the campaigns for the switcher
        assert c.get("/extensions/").status_code == 200
    with django_assert_max_num_queries(13):  # +1: the campaigns for the switcher
        assert c.get("/escalations/").status_code == 200


def test_hazard_page_shows_the_listing_and_offers_an_extension(users, listing):
    page = client_for(users["township"]).get(listing.hazard.get_absolute_url()).content.decode()
    assert listing.document_number in page and "/extensions/new/?hazard=" in page
    other = client_for(users["other_department"]).get(listing.hazard.get_absolute_url())
    assert other.status_code == 404


def test_list_pages_filter_through_the_api_filtersets(users, listing):
    office = client_for(users["office"])
    page = office.get("/supervision/?sector=gas&status=all")  # sector: a filter of the API
    assert page.status_code == 200 and page.context["page"].paginator.count == 1
    assert office.get("/supervision/?sector=fire").context["page"].paginator.count == 0
    api = office.get("/api/v1/listings/?sector=fire")
    assert api.json()["count"] == 0


def test_an_invalid_list_filter_says_which_and_shows_nothing(users, listing):
    office = client_for(users["office"])
    response = office.get("/extensions/?status=nonsense")
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 0
    assert any("nonsense" in str(m) for m in response.context["messages"])
