"""The working-day calendar in the database (issue 16): seed, weekends-only fallback with its
notice, entry by text and Excel (row/column errors, all or nothing), the command, the
December reminder, the package sync, the pages and the demo."""

import datetime
import io
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.test import Client
from django.utils import translation
from freezegun import freeze_time
from openpyxl import Workbook

from campaigns.calendar import demo, official
from campaigns.calendar import services as cal
from campaigns.calendar.models import CalendarDay, CalendarYear
from campaigns.calendar.selectors import (
    fallback_notices,
    is_workday,
    latest_filing_date,
    working_days_between,
    year_source,
)

pytestmark = pytest.mark.django_db
D = datetime.date
NOTICE_2027 = "2027 年节假日安排尚未录入，按周末计算"
SCHEDULE_2027 = """2027-01-01 放假 元旦
2027-01-02 放假 元旦
2027-01-03 放假 元旦
2027-02-05 放假 春节
2027-02-08 放假 春节
2027-02-09 放假 春节
2027-02-20 调休上班 春节
"""


def enter_2027(actor, text=SCHEDULE_2027):
    return cal.calendar_year_enter(year=2027, days=cal.parse_lines(2027, text), actor=actor)


def xlsx(rows, header=("日期", "类型", "名称")):
    wb = Workbook()
    ws = wb.active
    ws.append(list(header))
    for r in rows:
        ws.append(list(r))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def client_for(user):
    c = Client()
    c.force_login(user)  # the lockout backend (django-axes) needs a request to authenticate
    return c


def test_the_seed_stores_every_year_chinesecalendar_knows_as_official():
    CalendarYear.objects.all().delete()
    added = official.seed_missing_years(CalendarYear, CalendarDay)
    assert added[0] == 2004 and 2026 in added and 2027 not in added
    spring = CalendarDay.objects.get(date=D(2026, 2, 17))
    assert (spring.kind, spring.name, spring.calendar_year.source) == (
        "holiday",
        "春节",
        "official",
    )
    assert official.seed_missing_years(CalendarYear, CalendarDay) == []  # idempotent


def test_a_year_not_entered_counts_weekends_only_and_says_so():
    assert year_source(2026) == "official" and year_source(2027) == "fallback"
    assert is_workday(D(2027, 1, 1))  # a Friday: 元旦 not known yet
    with translation.override("zh-hans"):
        assert fallback_notices(D(2026, 12, 15), D(2027, 1, 14)) == [NOTICE_2027]
    assert fallback_notices(D(2026, 3, 1), D(2026, 12, 31)) == []


def test_counts_are_right_across_the_year_boundary_once_2027_is_entered(users):
    # 2026-12-28 (Mon) … 2027-01-08: 4 days in December, then 元旦 (Fri 1 Jan) off, 4–7 Jan.
    assert working_days_between(D(2026, 12, 28), D(2027, 1, 8)) == 4 + 5
    enter_2027(users["admin"])
    assert year_source(2027) == "admin"
    assert working_days_between(D(2026, 12, 28), D(2027, 1, 8)) == 4 + 4
    assert not is_workday(D(2027, 2, 8)) and is_workday(D(2027, 2, 20))  # 调休 Saturday
    assert latest_filing_date(D(2027, 1, 6), 3) == D(2026, 12, 31)
    assert fallback_notices(D(2026, 12, 15), D(2027, 1, 14)) == []


def test_a_year_entered_again_replaces_its_days(users):
    enter_2027(users["admin"])
    enter_2027(users["admin"], "2027-10-01 放假 国庆节\n")
    assert list(
        CalendarDay.objects.filter(calendar_year__year=2027).values_list("date", flat=True)
    ) == [D(2027, 10, 1)]


def test_only_admins_enter_a_year(users):
    with pytest.raises(PermissionDenied):
        enter_2027(users["office"])
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_text_lines_are_checked_row_by_row_in_chinese():
    bad = (
        "2027-13-01 放假 元旦\n2026-05-01 放假 劳动节\n2027-02-08 休假 春节\n"
        "2027-02-10 调休上班 春节\n2027-02-11 放假\n2027-02-12 放假 春节\n"
        "2027-02-12 放假 春节\n"
    )
    with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
        cal.parse_lines(2027, bad)
    msgs = exc.value.messages
    assert any(m.startswith("第 1 行，列“日期”") for m in msgs)
    assert any(m.startswith("第 2 行，列“日期”") and "2027" in m for m in msgs)
    assert any(m.startswith("第 3 行，列“类型”") and "调休上班" in m for m in msgs)
    assert any(m.startswith("第 4 行，列“类型”") and "周六或周日" in m for m in msgs)
    assert any(m.startswith("第 5 行，列“名称”") for m in msgs)
    assert any(m.startswith("第 7 行，列“日期”") and "第 6 行" in m for m in msgs)
    assert len(msgs) == 6


def test_a_schedule_without_a_holiday_is_refused():
    with pytest.raises(ValidationError):
        cal.parse_lines(2027, "2027-02-20 调休上班 春节\n")


def test_excel_import_enters_the_year(users):
    content = xlsx([(D(2027, 1, 1), "放假", "元旦"), ("2027/2/20", "调休上班", "春节")])
    result = cal.calendar_year_import_xlsx(
        year=2027, content=content, actor=users["admin"], document="国办发明电〔2026〕X号"
    )
    assert result.days == 2
    cy = CalendarYear.objects.get(year=2027)
    assert (cy.source, cy.entered_by, cy.document) == (
        "admin",
        users["admin"],
        "国办发明电〔2026〕X号",
    )


def test_excel_import_errors_name_row_and_column_and_save_nothing(users):
    enter_2027(users["admin"])
    before = list(CalendarDay.objects.filter(calendar_year__year=2027).values_list("date"))
    content = xlsx(
        [
            (D(2027, 1, 1), "放假", "元旦"),
            ("明天", "放假", "元旦"),
            (D(2027, 1, 4), "上班啦", "元旦"),
        ]
    )
    with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
        cal.calendar_year_import_xlsx(year=2027, content=content, actor=users["admin"])
    msgs = exc.value.messages
    assert any(m.startswith("第 3 行，列“日期”") for m in msgs)
    assert any(m.startswith("第 4 行，列“类型”") for m in msgs)
    assert list(CalendarDay.objects.filter(calendar_year__year=2027).values_list("date")) == before


@pytest.mark.parametrize(
    "content, needle",
    [
        (b"not a workbook", ".xlsx"),
        (xlsx([(D(2027, 1, 1), "元旦")], header=("日期", "名称")), "类型"),
        (xlsx([]), "no data rows"),
        (
            xlsx([(D(2027, 1, 1) + datetime.timedelta(days=i), "放假", "假") for i in range(130)]),
            "At most",
        ),
        (b"x" * (1024 * 1024 + 1), "larger than"),
    ],
)
def test_excel_import_refuses_bad_files(users, content, needle):
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        cal.calendar_year_import_xlsx(year=2027, content=content, actor=users["admin"])
    assert needle in " ".join(exc.value.messages)
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_the_command_prints_working_days_and_each_years_source(users):
    out = StringIO()
    call_command("workdays", "2026-12-15", "2027-01-15", stdout=out)
    text = out.getvalue()
    assert "23" in text.splitlines()[0]  # 13 in December + 10 weekdays in January
    assert "2026: 官方" in text and "2027: 仅按周末" in text and NOTICE_2027 in text
    enter_2027(users["admin"])
    out = StringIO()
    call_command("workdays", "2026-12-15", "2027-01-15", "--list", stdout=out)
    text = out.getvalue()
    assert "22" in text.splitlines()[0] and "2027: 管理员录入" in text
    assert "2027-01-01" not in text and "2027-01-04" in text


def test_the_command_refuses_bad_dates():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("workdays", "2027-01-15", "2026-12-15", stdout=StringIO())
    with pytest.raises(CommandError):
        call_command("workdays", "2027-02-30", "2027-03-01", stdout=StringIO())
    with pytest.raises(CommandError):
        call_command("workdays", "1900-01-01", "1901-01-01", stdout=StringIO())


def test_sync_adds_missing_years_and_keeps_an_admins_entry(users):
    CalendarYear.objects.filter(year=2025).delete()
    cal.calendar_year_enter(
        year=2026, days=cal.parse_lines(2026, "2026-01-01 放假 元旦"), actor=users["admin"]
    )
    result = cal.calendar_sync_official()
    assert result.added == [2025] and result.admin_differs == [2026]
    assert CalendarYear.objects.get(year=2026).source == "admin"


def test_the_december_reminder_asks_admins_to_enter_next_year(users):
    from campaigns.calendar.reminders import holidays_not_entered
    from campaigns.notifications.sources import _SOURCES

    assert _SOURCES["calendar"] is holidays_not_entered
    assert list(holidays_not_entered(D(2026, 11, 30))) == []
    (r,) = holidays_not_entered(D(2026, 12, 15))
    assert (r.item_key, r.kind, r.recipient_ids) == (
        "calendar:2027",
        "missing",
        (users["admin"].pk,),
    )
    assert r.url == "/calendar/2027/"
    (late,) = holidays_not_entered(D(2027, 2, 15))  # still missing: overdue, escalates
    assert late.days_overdue == 45 and late.escalation == "office"
    enter_2027(users["admin"])
    assert list(holidays_not_entered(D(2026, 12, 15))) == []


@freeze_time("2026-12-15 02:00:00")
def test_the_calendar_page_shows_sources_and_the_notice(users):
    page = client_for(users["township"]).get("/calendar/").content.decode()
    assert NOTICE_2027 in page and 'data-year="2026"' in page
    assert 'data-testid="enter-next-year"' not in page  # not an admin
    assert (
        client_for(users["township"])
        .post("/calendar/2027/", {"form": "text", "days": SCHEDULE_2027})
        .status_code
        == 403
    )
    assert client_for(users["admin"]).get("/calendar/3000/").status_code == 404


@freeze_time("2026-12-15 02:00:00")
def test_an_admin_enters_2027_on_the_page_and_by_excel(users):
    c = client_for(users["admin"])
    assert "enter-next-year" in c.get("/calendar/").content.decode()
    bad = c.post("/calendar/2027/", {"form": "text", "days": "2027-02-10 调休上班 春节"})
    assert bad.status_code == 200 and "周六或周日" in bad.content.decode()
    resp = c.post(
        "/calendar/2027/",
        {"form": "text", "days": SCHEDULE_2027, "document": "国办发明电〔2026〕X号"},
    )
    assert resp.status_code == 302
    assert CalendarDay.objects.filter(calendar_year__year=2027).count() == 7
    sheet = c.get("/calendar/2027/template.xlsx")
    assert sheet.status_code == 200
    upload = io.BytesIO(xlsx([(D(2027, 10, 1), "放假", "国庆节")]))
    upload.name = "2027.xlsx"
    resp = c.post("/calendar/2027/", {"form": "xlsx", "file": upload})
    assert resp.status_code == 302
    assert CalendarDay.objects.filter(calendar_year__year=2027).count() == 1
    page = c.get("/calendar/2027/").content.decode()
    assert "国庆节" in page and NOTICE_2027 not in page


def test_the_django_admin_lists_the_calendar(users):
    c = client_for(users["admin"])
    assert c.get("/admin/campaigns/calendaryear/").status_code == 200
    cy = CalendarYear.objects.get(year=2026)
    assert c.get(f"/admin/campaigns/calendaryear/{cy.pk}/change/").status_code == 200


def test_demo_leaves_2027_to_the_fallback_or_enters_the_example():
    assert "按周末" in demo.build(rng=None, enter_2027=False)
    assert year_source(2027) == "fallback"
    demo.build(rng=None, enter_2027=True)
    assert year_source(2027) == "admin" and not is_workday(D(2027, 2, 8))
    assert CalendarYear.objects.get(year=2027).document == demo.EXAMPLE_DOCUMENT


def _admin_post(days):
    data = {
        "year": "2027",
        "document": "国办通知",
        "days-TOTAL_FORMS": str(len(days)),
        "days-INITIAL_FORMS": "0",
        "days-MIN_NUM_FORMS": "0",
        "days-MAX_NUM_FORMS": "120",
    }
    for i, (day, kind, name) in enumerate(days):
        data.update({f"days-{i}-date": day, f"days-{i}-kind": kind, f"days-{i}-name": name})
    return data


def test_a_year_entered_in_the_django_admin_is_checked_and_marked_as_the_admins(users):
    c = client_for(users["admin"])
    url = "/admin/campaigns/calendaryear/add/"
    bad = c.post(
        url,
        _admin_post([("2027-02-10", "makeup_workday", "春节"), ("2028-01-01", "holiday", "元旦")]),
    )
    assert bad.status_code == 200 and not CalendarYear.objects.filter(year=2027).exists()
    only_makeup = c.post(url, _admin_post([("2027-02-20", "makeup_workday", "春节")]))
    assert only_makeup.status_code == 200 and not CalendarYear.objects.filter(year=2027).exists()
    ok = c.post(
        url,
        _admin_post([("2027-01-01", "holiday", "元旦"), ("2027-02-20", "makeup_workday", "春节")]),
    )
    assert ok.status_code == 302
    cy = CalendarYear.objects.get(year=2027)
    assert (cy.source, cy.entered_by, cy.days.count()) == ("admin", users["admin"], 2)
    assert not is_workday(D(2027, 1, 1))


def test_the_plugins_module_registers_the_reminder_and_the_admins_menu_entry(users):
    import campaigns.calendar.plugins  # noqa: F401  (campaigns.plugins.discover imports it)
    from campaigns.notifications.sources import _SOURCES
    from campaigns.slots import nav_items

    assert "calendar" in _SOURCES
    assert any(i.url_name == "campaigns:calendar:years" for i in nav_items())
    assert "/calendar/" in client_for(users["admin"]).get("/dashboard/").content.decode()
    assert (
        'href="/calendar/"' not in client_for(users["township"]).get("/dashboard/").content.decode()
    )


def test_the_django_admin_refuses_a_year_out_of_range(users):
    data = _admin_post([("1990-01-01", "holiday", "元旦")])
    data["year"] = "1990"
    resp = client_for(users["admin"]).post("/admin/campaigns/calendaryear/add/", data)
    assert resp.status_code == 200 and not CalendarYear.objects.filter(year=1990).exists()
