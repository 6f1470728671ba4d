"""Pages of the plan, login and role-aware navigation."""

import pytest
from django.urls import reverse

from campaigns.constants import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def test_pages_need_login(client, plan):
    response = client.get(reverse("campaigns:overview"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_login_with_good_password(client, users):
    response = client.post(
        reverse("login"), {"username": "tw_biyang", "password": DEMO_PASSWORD}, follow=True
    )
    assert response.context["user"].username == "tw_biyang"


def test_login_with_bad_password_says_so_in_chinese(client, users):
    response = client.post(reverse("login"), {"username": "tw_biyang", "password": "nope"})
    assert response.status_code == 200
    assert "用户名或密码错误" in response.content.decode()


def test_overview_shows_phases_actions_in_chinese(client, users):
    client.force_login(users["township"])
    html = client.get(reverse("campaigns:overview")).content.decode()
    for text in (
        "动员部署阶段",
        "专项治理阶段",
        "巩固提升阶段",
        "总结评估阶段",
        "安全生产责任落实行动",
        "当前阶段",
    ):
        assert text in html


def test_task_page_shows_full_text_and_milestones(client, users):
    client.force_login(users["department"])
    html = client.get(reverse("campaigns:task", args=[18])).content.decode()
    assert "2025年底前推动变型拖拉机全部淘汰退出" in html
    assert "2025-12-31" in html


def test_unknown_task_is_404(client, users):
    client.force_login(users["department"])
    assert client.get(reverse("campaigns:task", args=[31])).status_code == 404


def test_admin_navigation_only_for_admins(client, users):
    client.force_login(users["township"])
    assert reverse("admin:index") not in client.get(reverse("campaigns:overview")).content.decode()
    client.force_login(users["admin"])
    assert reverse("admin:index") in client.get(reverse("campaigns:overview")).content.decode()


def test_admin_site_refuses_non_admins(client, users):
    client.force_login(users["office"])
    assert client.get(reverse("admin:index")).status_code == 302
    client.force_login(users["admin"])
    assert client.get(reverse("admin:campaigns_task_changelist")).status_code == 200


def test_task_page_title_is_plain_text(client, users):
    client.force_login(users["office"])
    html = client.get(reverse("campaigns:task", args=[16])).content.decode()
    title = html.split("<title>", 1)[1].split("</title>", 1)[0]
    assert "<" not in title and "任务 16" in title


def test_the_api_docs_link_is_for_admins_and_api_users(client, users):
    from django.contrib.auth.models import Permission

    client.force_login(users["department"])
    assert "/api/docs/" not in client.get("/dashboard/").content.decode()
    users["department"].user_permissions.add(Permission.objects.get(codename="view_token"))
    client.force_login(users["department"])
    assert "/api/docs/" in client.get("/dashboard/").content.decode()
    client.force_login(users["admin"])
    assert "/api/docs/" in client.get("/dashboard/").content.decode()
