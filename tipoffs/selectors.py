"""Reads across tip-off models: statistics (task 25) and reward totals. Database aggregates."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Avg, Count, F, Q, Sum
from django.db.models.functions import ExtractYear

from .models import Outcome, Reward, step_overdue_q


def reward_totals(rewards) -> list[dict]:
    """Per year decided: ``{"year", "count", "decided" (元), "paid" (元), "paid_count"}``."""
    return list(
        rewards.order_by()
        .annotate(year=ExtractYear("decided_on"))
        .values("year")
        .annotate(
            count=Count("pk"),
            decided=Sum("amount"),
            paid=Sum("amount", filter=Q(paid_on__isnull=False)),
            paid_count=Count("pk", filter=Q(paid_on__isnull=False)),
        )
        .order_by("year")
    )


@dataclass
class TipOffStats:
    total: int
    open: int
    overdue: int
    verified: int
    not_verified: int
    verified_rate: float | None  # verified / (verified + not verified), in %
    avg_days_to_verify: float | None
    by_channel: list[dict]
    by_township: list[dict]
    by_sector: list[dict]
    rewards: list[dict]


def tipoff_statistics(tipoffs, *, today: datetime.date) -> TipOffStats:
    """Figures of ``tipoffs`` (already scoped): totals, verified rate, average days from
    receipt to the end of verification, by channel / township / sector (of the hazard it
    became), rewards per year."""
    agg = tipoffs.aggregate(
        total=Count("pk"),
        open=Count(
            "pk",
            filter=Q(status__in=["received", "assigned", "verifying", "verified", "not_verified"]),
        ),
        overdue=Count("pk", filter=step_overdue_q(today)),
        verified=Count("pk", filter=Q(outcome=Outcome.VERIFIED)),
        not_verified=Count("pk", filter=Q(outcome=Outcome.NOT_VERIFIED)),
        to_verify=Avg(F("verified_at") - F("received_at"), filter=Q(verified_at__isnull=False)),
    )
    decided = agg["verified"] + agg["not_verified"]
    to_verify = agg["to_verify"]

    def by(field, label):
        return list(
            tipoffs.order_by()
            .values(label=F(field))
            .annotate(total=Count("pk"), verified=Count("pk", filter=Q(outcome=Outcome.VERIFIED)))
            .order_by("label")
        )

    return TipOffStats(
        total=agg["total"],
        open=agg["open"],
        overdue=agg["overdue"],
        verified=agg["verified"],
        not_verified=agg["not_verified"],
        verified_rate=round(100 * agg["verified"] / decided, 1) if decided else None,
        avg_days_to_verify=round(to_verify.total_seconds() / 86400, 1) if to_verify else None,
        by_channel=by("channel", "channel"),
        by_township=by("township__name", "township"),
        by_sector=by("hazard__sector__name", "sector"),
        rewards=reward_totals(Reward.objects.filter(tipoff__in=tipoffs)),
    )


def paid_total(rewards) -> Decimal:
    return rewards.filter(paid_on__isnull=False).aggregate(s=Sum("amount"))["s"] or Decimal(0)
