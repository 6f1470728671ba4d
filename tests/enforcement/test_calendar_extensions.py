"""Extensions (延期) across the end of 2026 with the calendar in the database (issue 16): a
deadline in 2027 is counted by weekends only, visibly, until 2027's holidays are entered;
then the stored counts are recounted."""

import datetime

import pytest
from django.test import Client
from freezegun import freeze_time

from campaigns.calendar import services as cal
from enforcement import services
from enforcement.models import ExtensionRequest
from tests.hazards.factories import rectifying_hazard

pytestmark = pytest.mark.django_db
D = datetime.date
NOTICE_2027 = "2027 年节假日安排尚未录入，按周末计算"
HOLIDAYS_2027 = "2027-01-01 放假 元旦\n2027-01-02 放假 元旦\n2027-01-03 放假 元旦\n"


def client_for(user):
    c = Client()
    c.force_login(user)
    return c


def enter_2027(admin):
    return cal.calendar_year_enter(
        year=2027, days=cal.parse_lines(2027, HOLIDAYS_2027), actor=admin
    )


@freeze_time("2026-12-15 02:00:00")  # 10:00 in Beijing
def test_extension_into_2027_filed_on_2026_12_15_works_and_shows_the_notice(users, world):
    tw = users["township"]
    h = rectifying_hazard(tw, world["own"], D(2027, 1, 15))
    c = client_for(tw)
    form = c.get(f"/extensions/new/?hazard={h.ledger_number}").content.decode()
    assert NOTICE_2027 in form
    resp = c.post(
        "/extensions/new/",
        {
            "hazard": h.ledger_number,
            "requested_deadline": "2027-03-01",
            "reason": "冬季停工，设备无法安装",
        },
    )
    assert resp.status_code == 302
    ext = ExtensionRequest.objects.get(hazard=h)
    # 13 weekdays in December + 10 in January (2027 counted by weekends only) — not refused
    assert (ext.status, ext.filed_on, ext.working_days_before) == ("requested", D(2026, 12, 15), 23)
    detail = c.get(ext.get_absolute_url()).content.decode()
    assert NOTICE_2027 in detail
    assert NOTICE_2027 in c.get("/extensions/").content.decode()


def test_the_issues_example_counts_all_of_it_and_recounts_when_2027_is_entered(users, world):
    # Was 23 (December only) when chinesecalendar did not know 2027.
    tw = users["township"]
    h = rectifying_hazard(tw, world["own"], D(2027, 1, 15))
    ext = services.extension_request(
        hazard=h, actor=tw, requested_deadline=D(2027, 3, 1), reason="原因", on=D(2026, 12, 1)
    )
    assert ext.working_days_before == 23 + 10
    untouched = services.extension_request(
        hazard=rectifying_hazard(tw, world["own"], D(2026, 11, 30)),
        actor=tw,
        requested_deadline=D(2026, 12, 31),
        reason="原因",
        on=D(2026, 10, 9),
    )
    result = enter_2027(users["admin"])
    assert result.recounted == {"extension": 1}
    ext.refresh_from_db()
    assert ext.working_days_before == 23 + 9  # 元旦 (Friday 1 January 2027) is not worked
    assert (
        ExtensionRequest.objects.get(pk=untouched.pk).working_days_before
        == untouched.working_days_before
    )
    detail = client_for(tw).get(ext.get_absolute_url()).content.decode()
    assert NOTICE_2027 not in detail


@freeze_time("2027-01-15 02:00:00")
def test_on_2027_01_15_extensions_work_and_the_notice_goes_once_2027_is_entered(users, world):
    tw = users["township"]
    h = rectifying_hazard(tw, world["own"], D(2027, 2, 26))
    c = client_for(tw)
    assert NOTICE_2027 in c.get(f"/extensions/new/?hazard={h.ledger_number}").content.decode()
    resp = c.post(
        "/extensions/new/",
        {"hazard": h.ledger_number, "requested_deadline": "2027-04-30", "reason": "原因"},
    )
    assert resp.status_code == 302
    ext = ExtensionRequest.objects.get(hazard=h)
    assert (ext.status, ext.working_days_before) == ("requested", 30)
    enter_2027(users["admin"])
    assert NOTICE_2027 not in c.get(ext.get_absolute_url()).content.decode()
    assert NOTICE_2027 not in c.get("/extensions/new/").content.decode()


def test_a_late_request_counted_by_weekends_says_so_in_its_note(users, world):
    tw = users["township"]
    h = rectifying_hazard(tw, world["own"], D(2027, 1, 8))
    ext = services.extension_request(
        hazard=h, actor=tw, requested_deadline=D(2027, 2, 1), reason="原因", on=D(2026, 12, 28)
    )
    assert ext.status == "refused" and ext.working_days_before == 4 + 5
    assert NOTICE_2027 in ext.decision_note


def test_the_api_says_which_counts_use_the_weekends_only_fallback(
    users, world, django_assert_max_num_queries
):
    from rest_framework.test import APIClient

    tw = users["township"]
    for deadline in (D(2027, 1, 15), D(2027, 1, 22), D(2026, 12, 30)):
        services.extension_request(
            hazard=rectifying_hazard(tw, world["own"], deadline),
            actor=tw,
            requested_deadline=D(2027, 3, 1),
            reason="原因",
            on=D(2026, 12, 1),
        )
    c = APIClient()
    c.force_authenticate(tw)
    with django_assert_max_num_queries(8):
        rows = c.get("/api/v1/extensions/").json()["results"]
    notices = {r["current_deadline"]: r["calendar_notices"] for r in rows}
    assert notices == {"2027-01-15": [NOTICE_2027], "2027-01-22": [NOTICE_2027], "2026-12-30": []}
    enter_2027(users["admin"])
    assert all(r["calendar_notices"] == [] for r in c.get("/api/v1/extensions/").json()["results"])
