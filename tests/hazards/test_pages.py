"""Pages render in Chinese with the demo data; demo data is idempotent and complete."""

import random

import pytest
from django.urls import reverse

from campaigns.org import demo as campaigns_demo
from hazards import demo
from hazards.models import Enterprise, Hazard, HazardCriterion, Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_data(plan):
    campaigns_demo.build(rng=random.Random(1))
    assert demo.build(rng=random.Random(2))
    return Hazard.objects.all()


def test_demo_is_complete_and_idempotent(demo_data):
    n = (Enterprise.objects.count(), Hazard.objects.count())
    assert n[0] >= 300 and n[1] >= 450
    assert set(Hazard.objects.values_list("status", flat=True)) == set(Status.values)
    assert Hazard.objects.values("township").distinct().count() == 8
    assert set(Hazard.objects.values_list("found_on__year", flat=True)) >= {2023, 2024, 2025}
    assert HazardCriterion.objects.filter(
        document__contains="工贸企业重大事故隐患判定标准"
    ).exists()
    from yixian_safety.dates import today_local

    assert Hazard.objects.overdue(today_local()).exists()
    assert demo.build(rng=random.Random(3)) is None
    assert (Enterprise.objects.count(), Hazard.objects.count()) == n


def test_demo_credit_codes_are_valid(demo_data):
    from stdnum.cn import uscc

    assert all(uscc.is_valid(c) for c in Enterprise.objects.values_list("credit_code", flat=True))


@pytest.mark.parametrize("username", ["office", "tw_biyang", "dept_housing"])
def test_pages_render(client, demo_data, username):
    from campaigns.models import User

    client.force_login(User.objects.get(username=username))
    visible = Hazard.objects.visible_to(User.objects.get(username=username))
    h = visible.filter(status=Status.CLOSED).first()
    merged = visible.filter(status=Status.MERGED).first()
    urls = [
        reverse("hazards:list"),
        reverse("hazards:list") + "?overdue=true&sort=deadline",
        reverse("hazards:statistics"),
        reverse("hazards:statistics") + "?level=major",
        reverse("hazards:enterprise_list"),
        reverse("hazards:create"),
        reverse("hazards:import", args=["hazards"]),
        h.get_absolute_url(),
        h.enterprise.get_absolute_url(),
        reverse("hazards:enterprise_create"),
        reverse("hazards:enterprise_export"),
        "/api/v1/hazard-statistics/",
        "/api/v1/hazard-criteria/?sector=gas",
        "/api/schema/",
    ]
    if merged:
        urls.append(merged.get_absolute_url())
    for url in urls:
        r = client.get(url)
        assert r.status_code == 200, url
    html = client.get(h.get_absolute_url()).content.decode()
    assert "已销号" in html and "处置时间线" in html and "变更历史" in html


def test_a_malformed_filter_says_which_field(client, users):
    client.force_login(users["office"])
    html = client.get(reverse("hazards:list"), {"found_year": "abc"}).content.decode()
    assert 'data-testid="filter-errors"' in html and "发现年度" in html
    assert "全部" in html and "---------" not in html  # empty choices read 全部
