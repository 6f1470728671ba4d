"""Notifications page, navbar badge, mark-as-read, e-mail switch, API and Excel export:
everyone sees only their own reminders."""

from __future__ import annotations

import io
import re

import pytest
from freezegun import freeze_time
from openpyxl import load_workbook
from rest_framework.test import APIClient

from campaigns.models import Digest, NotificationPreference
from campaigns.notifications.digest import digests_build
from tests.campaigns.conftest import beijing

pytestmark = pytest.mark.django_db


@pytest.fixture
def digests(users):
    digests_build(now=beijing(2025, 12, 28, 8, 30), channels=[])
    digests_build(now=beijing(2026, 1, 7, 8, 30), channels=[])
    return {
        "mine": Digest.objects.filter(recipient=users["department"]).order_by("day"),
        "others": Digest.objects.get(recipient=users["other_department"], day="2025-12-28"),
    }


@freeze_time("2026-01-08 02:00:00")  # 10:00 in Beijing: both digests are recent
def test_page_lists_my_digests_and_the_navbar_counts_the_unread(users, client, digests):
    client.force_login(users["department"])
    response = client.get("/notifications/")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('data-testid="digest"') == 2
    assert 'data-testid="unread-badge">2<' in html
    assert "任务 19 时间节点" in html and "还有 3 天到期" in html and "已逾期 7 天" in html
    assert "已提醒单位负责人" in html  # the 7-days-overdue level


def test_page_shows_nobody_elses_digests(users, client, digests):
    client.force_login(users["township"])
    html = client.get("/notifications/").content.decode()
    assert 'data-testid="digest"' not in html and "暂无提醒" in html
    assert "unread-badge" not in html


@freeze_time("2026-01-08 02:00:00")
def test_mark_read_clears_the_badge(users, client, digests):
    client.force_login(users["department"])
    first = digests["mine"][0]
    assert client.post(f"/notifications/{first.pk}/read/").status_code == 302
    first.refresh_from_db()
    assert first.read_at is not None
    assert 'data-testid="unread-badge">1<' in client.get("/notifications/").content.decode()
    client.post("/notifications/read-all/")
    assert "unread-badge" not in client.get("/notifications/").content.decode()


def test_old_digests_age_out_of_the_badge(users, client, digests):
    """Issue 18: on 2026-12-01 the digests of 2025-12-28 and 2026-01-07 are still listed, but
    the badge counts only the last 30 days."""
    with freeze_time("2026-02-05 02:00:00"):  # 2026-01-07 is 29 days back: it still counts
        client.force_login(users["department"])
        assert 'data-testid="unread-badge">1<' in client.get("/notifications/").content.decode()
    with freeze_time("2026-12-01 02:00:00"):
        client.force_login(users["department"])
        html = client.get("/notifications/").content.decode()
    assert html.count('data-testid="digest"') == 2
    assert "unread-badge" not in html


def test_marking_someone_elses_digest_is_404(users, client, digests):
    client.force_login(users["department"])
    assert client.post(f"/notifications/{digests['others'].pk}/read/").status_code == 404
    digests["others"].refresh_from_db()
    assert digests["others"].read_at is None


def test_mark_read_needs_post(users, client, digests):
    client.force_login(users["department"])
    assert client.get(f"/notifications/{digests['mine'][0].pk}/read/").status_code == 405


def test_anonymous_is_sent_to_login(client):
    assert client.get("/notifications/").status_code == 302


def test_email_switch(users, client):
    client.force_login(users["department"])
    client.post("/notifications/preferences/", {})
    assert NotificationPreference.objects.get(user=users["department"]).email_enabled is False
    switch = re.search(
        r'<input[^>]*id="email_enabled"[^>]*>', client.get("/notifications/").content.decode()
    ).group(0)
    assert "checked" not in switch
    client.post("/notifications/preferences/", {"email_enabled": "on"})
    assert NotificationPreference.objects.get(user=users["department"]).email_enabled is True


def test_excel_export_has_my_items_only(users, client, digests):
    client.force_login(users["department"])
    response = client.get("/notifications/export.xlsx")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = list(ws.values)
    assert rows[0][:4] == ("日期", "类别", "层级", "提醒内容")
    assert len(rows) == 1 + 4  # 2 items × 2 days
    assert all("任务 19" in r[3] for r in rows[1:])
    assert {r[1] for r in rows[1:]} == {"即将到期", "已逾期"}


@pytest.fixture
def api(users):
    client = APIClient()
    client.force_authenticate(users["department"])
    return client


def test_api_lists_my_digests_with_items(api, digests):
    data = api.get("/api/v1/notifications/").json()
    assert data["count"] == 2
    assert {len(d["items"]) for d in data["results"]} == {2}
    assert data["results"][0]["day"] == "2026-01-07"
    assert data["results"][0]["items"][0]["level"] == "head"


def test_api_hides_other_peoples_digests(api, digests):
    other = digests["others"].pk
    assert api.get(f"/api/v1/notifications/{other}/").status_code == 404
    assert api.post(f"/api/v1/notifications/{other}/read/").status_code == 404


def test_api_mark_read_and_unread_filter(api, digests):
    pk = digests["mine"][0].pk
    response = api.post(f"/api/v1/notifications/{pk}/read/")
    assert response.status_code == 200 and response.json()["read_at"]
    assert api.get("/api/v1/notifications/?unread=true").json()["count"] == 1
    assert api.get("/api/v1/notifications/?unread=false").json()["count"] == 1


def test_api_refuses_unknown_parameters_and_anonymous(api, digests):
    assert api.get("/api/v1/notifications/?recipient=3").status_code == 400
    assert APIClient().get("/api/v1/notifications/").status_code in (401, 403)


def test_api_list_query_count_is_fixed(api, digests, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        assert api.get("/api/v1/notifications/").status_code == 200


def test_page_query_count_is_fixed(users, client, digests, django_assert_max_num_queries):
    client.force_login(users["office"])
    # session, user, perms, badge, campaigns, page…, and the reminder job's last run (office)
    with django_assert_max_num_queries(15):
        assert client.get("/notifications/").status_code == 200


def test_admin_pages_of_reminders_open(users, client, digests):
    client.force_login(users["admin"])
    for name in ("digest", "outboxmessage", "notificationpreference"):
        assert client.get(f"/admin/campaigns/{name}/").status_code == 200
    pk = digests["mine"][0].pk
    assert client.get(f"/admin/campaigns/digest/{pk}/change/").status_code == 200
