"""Enterprises' internal hazard-reporting reward schemes (task 25's 事故隐患报告奖励机制), on
the enterprise page."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.hazards.factories import make_enterprise
from tipoffs import services


def test_recorded_from_the_enterprise_page(client, users, enterprise):
    client.force_login(users["township"])
    url = f"/tipoffs/enterprises/{enterprise.pk}/reporting-scheme/"
    response = client.post(
        url,
        {
            "has_scheme": "on",
            "established_on": "2025-03-01",
            "rewards_paid_count": "3",
            "rewards_paid_yuan": "1500.00",
        },
        follow=True,
    )
    html = response.content.decode()
    assert 'data-testid="reporting-scheme"' in html and "1500.00" in html
    assert enterprise.reporting_scheme.rewards_paid_count == 3


def test_no_scheme_means_no_rewards(users, enterprise):
    with pytest.raises(ValidationError):
        services.reporting_scheme_save(
            enterprise=enterprise,
            actor=users["township"],
            has_scheme=False,
            rewards_paid_count=2,
            rewards_paid_yuan=Decimal("10"),
        )


def test_outsider_cannot_record(client, users):
    other = make_enterprise(users["office"], township="hongcun", sectors=("fire",))
    with pytest.raises(PermissionDenied):
        services.reporting_scheme_save(enterprise=other, actor=users["township"], has_scheme=True)
    client.force_login(users["township"])
    assert (
        client.post(
            f"/tipoffs/enterprises/{other.pk}/reporting-scheme/",
            {"has_scheme": "on", "rewards_paid_count": "0", "rewards_paid_yuan": "0"},
        ).status_code
        == 404
    )
