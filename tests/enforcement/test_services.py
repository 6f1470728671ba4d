"""Services of supervision: listing, quarterly reports, extensions, the ladder, sign-off."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from enforcement import services
from enforcement.models import (
    EscalationRule,
    EscalationStep,
    ExtensionRequest,
    Listing,
    StepKind,
    TargetKind,
    Trigger,
)
from enforcement.selectors import missed_quarters, slow_progress
from hazards import services as hz
from hazards.models import Hazard, HazardEvent, Status
from tests.hazards.factories import make_hazard, photo, rectifying_hazard

pytestmark = pytest.mark.django_db
D = datetime.date


LISTED_ON = D(2026, 1, 10)


def _list(office, hazard, listed_on=LISTED_ON, **kw):
    params = dict(
        listing_body="county_government",
        listed_on=listed_on,
        required_completion=D(2026, 6, 30),
        responsible_unit="碧阳镇人民政府",
    )
    params.update(kw)
    return services.listing_create(hazard=hazard, actor=office, **params)


def test_document_numbers_are_per_year_and_kind(users, world):
    office = users["office"]
    a = _list(office, rectifying_hazard(office, world["own"], D(2026, 6, 30)))
    b = _list(office, rectifying_hazard(office, world["own"], D(2026, 6, 30)))
    c = _list(
        office, rectifying_hazard(office, world["own"], D(2026, 6, 30)), listed_on=D(2025, 12, 1)
    )
    assert [a.document_number, b.document_number, c.document_number] == [
        "黟安督〔2026〕1号",
        "黟安督〔2026〕2号",
        "黟安督〔2025〕1号",
    ]
    assert services.document_number_allocate(kind="formal_letter", year=2026) == "黟安函〔2026〕1号"


def test_only_the_office_lists_and_only_open_confirmed_major_hazards(users, world):
    h = rectifying_hazard(users["township"], world["own"], D(2026, 6, 30))
    with pytest.raises(PermissionDenied):
        _list(users["township"], h)
    reported = make_hazard(users["township"], world["own"])
    with pytest.raises(ValidationError):
        _list(users["office"], reported)
    _list(users["office"], h)
    with pytest.raises(ValidationError, match="already listed|已在挂牌督办中"):
        _list(users["office"], h)


def test_missed_quarter_is_flagged_in_the_database(users, world):
    office, tw = users["office"], users["township"]
    listing = _list(
        office, rectifying_hazard(tw, world["own"], D(2026, 12, 30)), listed_on=D(2026, 2, 1)
    )
    services.listing_report_progress(
        listing=listing, actor=tw, progress="已停用气瓶间", on=D(2026, 3, 20)
    )
    services.listing_report_progress(
        listing=listing, actor=tw, progress="报警器已采购", on=D(2026, 8, 5)
    )
    with pytest.raises(ValidationError):
        services.listing_report_progress(
            listing=listing, actor=tw, progress="again", on=D(2026, 8, 6)
        )
    today = D(2026, 11, 29)  # Q4: Q1 and Q3 reported, Q2 missed
    row = Listing.objects.with_report_figures(today).get(pk=listing.pk)
    assert (row.expected_reports, row.filed_reports, row.missed_reports) == (3, 2, 1)
    assert missed_quarters(listing, today) == [(2026, 2)]


def test_late_extension_spanning_the_spring_festival_is_refused_on_filing(users, world):
    tw = users["township"]
    h = rectifying_hazard(tw, world["own"], D(2026, 3, 6))
    ext = services.extension_request(
        hazard=h,
        actor=tw,
        requested_deadline=D(2026, 4, 30),
        reason="春节期间设备厂家停工",
        on=D(2026, 2, 12),
    )
    assert ext.status == ExtensionRequest.Status.REFUSED
    assert ext.working_days_before == 12  # 16 weekdays, but 春节 is not worked
    assert "2026-02-09" in ext.decision_note
    assert Hazard.objects.get(pk=h.pk).rectification.deadline == D(2026, 3, 6)
    on_time = services.extension_request(
        hazard=h,
        actor=tw,
        requested_deadline=D(2026, 4, 30),
        reason="设备到货延迟",
        on=D(2026, 2, 9),
    )
    assert on_time.status == ExtensionRequest.Status.REQUESTED
    assert on_time.working_days_before == 15


def test_late_extension_spanning_national_day_is_refused(users, world):
    tw = users["township"]
    h = rectifying_hazard(tw, world["own"], D(2026, 10, 16))
    late = services.extension_request(
        hazard=h,
        actor=tw,
        requested_deadline=D(2026, 11, 30),
        reason="国庆期间无法施工",
        on=D(2026, 9, 21),
    )
    assert (late.status, late.working_days_before) == (ExtensionRequest.Status.REFUSED, 14)
    ok = services.extension_request(
        hazard=h,
        actor=tw,
        requested_deadline=D(2026, 11, 30),
        reason="国庆期间无法施工",
        on=D(2026, 9, 20),
    )  # 调休 Sunday
    assert ok.status == ExtensionRequest.Status.REQUESTED


def test_the_minimum_is_a_setting(users, world, settings):
    settings.EXTENSION_MIN_WORKING_DAYS = 5
    tw = users["township"]
    h = rectifying_hazard(tw, world["own"], D(2026, 10, 16))
    ext = services.extension_request(
        hazard=h, actor=tw, requested_deadline=D(2026, 11, 30), reason="原因", on=D(2026, 10, 1)
    )
    assert ext.status == ExtensionRequest.Status.REQUESTED


def test_a_deadline_in_a_year_not_entered_is_counted_by_weekends_not_refused(users, world):
    # Was: "工作日历尚无 2027 年的节假日数据" and nothing saved (issue 16).
    tw = users["township"]
    h = rectifying_hazard(tw, world["own"], D(2027, 1, 20))
    ext = services.extension_request(
        hazard=h, actor=tw, requested_deadline=D(2027, 3, 1), reason="原因", on=D(2026, 12, 28)
    )
    assert (ext.status, ext.working_days_before) == (ExtensionRequest.Status.REQUESTED, 4 + 13)


def test_approved_extension_moves_the_deadline_with_a_timeline_event(users, world):
    tw, dept, other = users["township"], users["department"], users["other_department"]
    h = rectifying_hazard(tw, world["own"], D(2026, 6, 30))
    ext = services.extension_request(
        hazard=h, actor=tw, requested_deadline=D(2026, 8, 31), reason="资金未到位", on=D(2026, 5, 6)
    )
    with pytest.raises(PermissionDenied):  # not a supervisor of this hazard
        services.extension_approve(extension=ext, actor=other)
    with pytest.raises(PermissionDenied):  # townships do not decide
        services.extension_approve(extension=ext, actor=tw)
    services.extension_approve(extension=ext, actor=dept, note="同意")
    h = Hazard.objects.get(pk=h.pk)
    assert h.rectification.deadline == D(2026, 8, 31)
    event = HazardEvent.objects.filter(hazard=h).last()
    assert event.action == "deadline_extended" and "2026-06-30 → 2026-08-31" in event.note
    with pytest.raises(ValidationError):
        services.extension_refuse(extension=ext, actor=dept, note="no")


def test_listed_hazard_extension_is_decided_by_the_listing_body(users, world):
    tw, dept, office = users["township"], users["department"], users["office"]
    h = rectifying_hazard(tw, world["own"], D(2026, 6, 30))
    listing = _list(office, h)
    ext = services.extension_request(
        hazard=h, actor=tw, requested_deadline=D(2026, 9, 30), reason="资金未到位", on=D(2026, 5, 6)
    )
    assert ext.listing == listing
    with pytest.raises(PermissionDenied):
        services.extension_approve(extension=ext, actor=dept)
    services.extension_approve(extension=ext, actor=office)
    assert Listing.objects.get(pk=listing.pk).required_completion == D(2026, 9, 30)


def test_deadline_cannot_be_edited_directly_once_rectifying(users, world):
    tw = users["township"]
    h = rectifying_hazard(tw, world["own"], D(2026, 6, 30))
    from tests.hazards.factories import FIVE

    with pytest.raises(ValidationError):
        hz.rectification_save(hazard=h, actor=tw, **{**FIVE, "deadline": D(2026, 12, 31)})


def _accept(hazard, tw, dept):
    hz.hazard_submit_for_acceptance(
        hazard=hazard, actor=tw, after_photos=[photo((0, 200, 0), "after.jpg")]
    )
    hz.hazard_accept(hazard=hazard, actor=dept)


def test_closing_a_listed_hazard_needs_the_listing_body(users, world):
    tw, dept, office = users["township"], users["department"], users["office"]
    h = rectifying_hazard(tw, world["own"], D(2026, 6, 30), before_photos=[photo()])
    listing = _list(office, h)
    _accept(h, tw, dept)
    with pytest.raises(ValidationError, match="黟安督"):
        hz.hazard_close(hazard=h, actor=dept)
    assert Hazard.objects.get(pk=h.pk).status == Status.ACCEPTED
    with pytest.raises(PermissionDenied):
        services.listing_sign_off(listing=listing, actor=dept)
    services.listing_sign_off(listing=listing, actor=office)
    hz.hazard_close(hazard=h, actor=dept)
    assert Hazard.objects.get(pk=h.pk).status == Status.CLOSED


def test_office_closing_is_the_sign_off_and_delisting_is_numbered(users, world):
    tw, dept, office = users["township"], users["department"], users["office"]
    h = rectifying_hazard(tw, world["own"], D(2026, 6, 30), before_photos=[photo()])
    listing = _list(office, h)
    with pytest.raises(ValidationError):  # not closed yet
        services.listing_delist(listing=listing, actor=office)
    _accept(h, tw, dept)
    hz.hazard_close(hazard=h, actor=office)
    listing = Listing.objects.get(pk=listing.pk)
    assert listing.signed_off_by == office
    with pytest.raises(PermissionDenied):
        services.listing_delist(listing=listing, actor=dept)
    listing = services.listing_delist(
        listing=listing, actor=office, note="整改到位", on=D(2026, 7, 2)
    )
    assert listing.status == Listing.Status.DELISTED
    assert listing.delisting_document_number == "黟安摘〔2026〕1号"


def _rule(trigger, threshold, step, target, name="规则"):
    return EscalationRule.objects.create(
        name=name, trigger=trigger, threshold=threshold, step=step, target=target
    )


def test_rules_propose_once_while_open(users, world, no_default_rules):
    tw = users["township"]
    h1 = rectifying_hazard(tw, world["own"], D(2026, 5, 31))
    rectifying_hazard(tw, world["own"], D(2026, 11, 20))  # 9 days overdue: below threshold
    _rule(Trigger.DAYS_OVERDUE, 30, StepKind.FORMAL_LETTER, TargetKind.TOWNSHIP)
    today = D(2026, 11, 29)
    made = services.escalation_evaluate(today=today)
    assert len(made) == 1
    step = made[0]
    assert (step.kind, step.township.code, list(step.hazards.all())) == (
        "formal_letter",
        "biyang",
        [h1],
    )
    assert "182" in step.grounds
    assert services.escalation_evaluate(today=today) == []
    assert EscalationStep.objects.count() == 1


def test_approval_numbers_the_document_and_the_ladder_climbs(users, world, no_default_rules):
    tw, office = users["township"], users["office"]
    rectifying_hazard(tw, world["own"], D(2026, 5, 31))
    _rule(Trigger.DAYS_OVERDUE, 30, StepKind.FORMAL_LETTER, TargetKind.ENTERPRISE)
    [step] = services.escalation_evaluate(today=D(2026, 9, 1))
    with pytest.raises(PermissionDenied):
        services.escalation_approve(step=step, actor=tw)
    step = services.escalation_approve(step=step, actor=office, on=D(2026, 9, 2))
    assert step.document_number == "黟安函〔2026〕1号"
    assert step.snapshot["hazards"][0]["days_overdue"] == 94
    # within the cool-down nothing new; afterwards the next rung (通报)
    assert services.escalation_evaluate(today=D(2026, 9, 20)) == []
    [nxt] = services.escalation_evaluate(today=D(2026, 10, 15))
    assert nxt.kind == StepKind.CIRCULATED_NOTICE and nxt.enterprise == world["own"]
    services.escalation_dismiss(step=nxt, actor=office, note="已约谈企业负责人")
    assert EscalationStep.objects.get(pk=nxt.pk).status == "dismissed"


def test_public_exposure_gets_a_public_page(users, world, no_default_rules):
    tw, office = users["township"], users["office"]
    rectifying_hazard(tw, world["own"], D(2026, 1, 31))
    _rule(Trigger.DAYS_OVERDUE, 180, StepKind.PUBLIC_EXPOSURE, TargetKind.ENTERPRISE)
    [step] = services.escalation_evaluate(today=D(2026, 11, 29))
    step = services.escalation_approve(step=step, actor=office, on=D(2026, 11, 29))
    assert step.public_slug and step.document_number == "黟安曝〔2026〕1号"


def test_repeat_offences_and_missed_reports_trigger(users, world, no_default_rules):
    tw, dept, office = users["township"], users["department"], users["office"]
    rectifying_hazard(tw, world["own"], D(2026, 10, 31))
    rectifying_hazard(tw, world["own"], D(2026, 11, 10))
    listed = rectifying_hazard(tw, world["own"], D(2026, 12, 31))
    _list(office, listed, listed_on=D(2026, 2, 1))
    _rule(Trigger.REPEAT_OFFENCES, 2, StepKind.SUMMONS_INTERVIEW, TargetKind.ENTERPRISE)
    _rule(Trigger.MISSED_REPORTS, 2, StepKind.FORMAL_LETTER, TargetKind.DEPARTMENT)
    made = services.escalation_evaluate(today=D(2026, 11, 29))
    kinds = {(s.kind, s.target_kind): s for s in made}
    assert kinds[("summons_interview", "enterprise")].hazards.count() == 2
    letter = kinds[("formal_letter", "department")]
    assert letter.department.code == "housing" and list(letter.hazards.all()) == [listed]
    assert "3" in letter.grounds  # Q1–Q3 missing
    assert dept  # (department staff see it: tested in test_scoping)


def test_slow_progress_by_township_and_sector(users, world):
    tw, office = users["township"], users["office"]
    rectifying_hazard(tw, world["own"], D(2026, 10, 30))
    rectifying_hazard(tw, world["own"], D(2026, 11, 19))
    rectifying_hazard(office, world["other"], D(2026, 12, 30))
    stats = slow_progress(Hazard.objects.all(), today=D(2026, 11, 29))
    [biyang] = stats.by_township
    assert (biyang.label, biyang.overdue, biyang.max_days_overdue, biyang.avg_days_overdue) == (
        "碧阳镇",
        2,
        30,
        20.0,
    )
    assert [r.label for r in stats.by_sector] == ["燃气安全"]
    scoped = slow_progress(
        Hazard.objects.visible_to(users["other_township"]), today=D(2026, 11, 29)
    )
    assert scoped.by_township == []


def test_daily_task_proposes_through_the_service(users, world, no_default_rules, monkeypatch):
    from campaigns.notifications.schedules import schedules_setup
    from enforcement.tasks import propose_escalations

    monkeypatch.setattr("enforcement.services.today_local", lambda: D(2026, 11, 29))
    rectifying_hazard(users["township"], world["own"], D(2026, 5, 31))
    _rule(Trigger.DAYS_OVERDUE, 30, StepKind.FORMAL_LETTER, TargetKind.TOWNSHIP)
    assert propose_escalations.delay().get() == 1
    assert propose_escalations.delay().get() == 0  # idempotent
    schedules_setup()
    schedules_setup()
    from django_celery_beat.models import PeriodicTask

    assert PeriodicTask.objects.filter(task="enforcement.tasks.propose_escalations").count() == 1


def test_listing_requirements_longer_than_the_bound_are_refused(users, world):
    """They go on the listing notice PDF (督办通知书)."""
    from enforcement.constants import NOTICE_TEXT_MAX

    office = users["office"]
    hazard = rectifying_hazard(office, world["own"], D(2026, 6, 30))
    with pytest.raises(ValidationError) as refused:
        _list(office, hazard, requirements="要" * (NOTICE_TEXT_MAX + 1))
    assert "requirements" in refused.value.message_dict
    assert not Listing.objects.filter(hazard=hazard).exists()
