"""Issue 4 "Done when", as one service-level path against PostgreSQL: listing notice →
quarterly reports (one missed and flagged) → extension refused for being filed too late across
the 2026 Spring Festival → escalation proposed and approved with its document → closure needs
the listing body → delisting and its notice."""

import datetime
import subprocess

import pytest
from django.core.exceptions import ValidationError

from enforcement import pdf, services
from enforcement.models import EscalationRule, EscalationStep, Listing, StepKind, TargetKind
from enforcement.selectors import missed_quarters, slow_progress
from hazards import services as hz
from hazards.models import Hazard, Status
from tests.hazards.factories import photo, rectifying_hazard

pytestmark = pytest.mark.django_db
D = datetime.date


def _text(content: bytes, tmp_path, name: str) -> str:
    path = tmp_path / name
    path.write_bytes(content)
    fonts = subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True, check=True
    ).stdout
    assert "CJK" in fonts  # glyphs embedded, not tofu
    return subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_listed_hazard_whole_path(users, world, tmp_path, no_default_rules):
    tw, dept, office = users["township"], users["department"], users["office"]
    h = rectifying_hazard(tw, world["own"], D(2026, 3, 6), before_photos=[photo()])

    listing = services.listing_create(
        hazard=h,
        actor=office,
        listing_body="county_government",
        listed_on=D(2026, 1, 10),
        required_completion=D(2026, 3, 6),
        responsible_unit="碧阳镇人民政府",
        batch="2026 年度县政府挂牌督办",
    )
    text = _text(pdf.listing_notice_pdf(listing), tmp_path, "notice.pdf")
    assert "黟安督〔2026〕1号" in text and h.ledger_number in text

    late = services.extension_request(
        hazard=h, actor=tw, requested_deadline=D(2026, 4, 30), reason="春节停工", on=D(2026, 2, 12)
    )
    assert late.status == "refused" and late.working_days_before == 12

    services.listing_report_progress(listing=listing, actor=tw, progress="Q1", on=D(2026, 3, 30))
    services.listing_report_progress(listing=listing, actor=tw, progress="Q3", on=D(2026, 9, 30))
    today = D(2026, 11, 29)
    assert missed_quarters(listing, today) == [(2026, 2)]
    assert Listing.objects.with_report_figures(today).get().missed_reports == 1
    [biyang] = slow_progress(Hazard.objects.all(), today=today).by_township
    assert (biyang.overdue, biyang.max_days_overdue, biyang.missed_reports) == (1, 268, 1)

    EscalationRule.objects.create(
        name="缺报函告",
        trigger="missed_quarterly_reports",
        threshold=1,
        step=StepKind.FORMAL_LETTER,
        target=TargetKind.TOWNSHIP,
    )
    [step] = services.escalation_evaluate(today=today)
    assert step.status == "proposed" and step.township.code == "biyang"
    step = services.escalation_approve(step=step, actor=office, on=today)
    text = _text(pdf.escalation_pdf(step), tmp_path, "letter.pdf")
    assert "黟安函〔2026〕1号" in text and h.ledger_number in text
    assert services.escalation_evaluate(today=today) == []

    hz.hazard_submit_for_acceptance(
        hazard=h, actor=tw, after_photos=[photo((0, 200, 0), "after.jpg")]
    )
    hz.hazard_accept(hazard=h, actor=dept)
    with pytest.raises(ValidationError):
        hz.hazard_close(hazard=h, actor=dept)
    services.listing_sign_off(listing=listing, actor=office)
    hz.hazard_close(hazard=h, actor=dept)
    assert Hazard.objects.get(pk=h.pk).status == Status.CLOSED

    listing = services.listing_delist(
        listing=Listing.objects.get(), actor=office, on=D(2026, 11, 30), note="整改到位"
    )
    text = _text(pdf.delisting_notice_pdf(listing), tmp_path, "delisting.pdf")
    assert "黟安摘〔2026〕1号" in text and h.ledger_number in text
    assert EscalationStep.objects.get().document_number == "黟安函〔2026〕1号"
