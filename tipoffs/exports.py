"""Excel renderers of the tip-off lists. None of them has a column for the reporter's identity:
only 匿名 / 实名（已保护）."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from yixian_safety.xlsx import xlsx_bytes


def tipoffs_xlsx(queryset, *, today: datetime.date) -> bytes:
    """One row per tip-off (number, received, channel, township, address, enterprise named,
    seen on, what, identity label, status, department, step deadline, overdue, outcome, hazard,
    public reply, reward 元)."""
    headers = [
        _("number"),
        _("received at"),
        _("channel"),
        _("township"),
        _("address"),
        _("enterprise (as named by the reporter)"),
        _("seen on"),
        _("what was seen"),
        _("reporter"),
        _("status"),
        _("assigned department"),
        _("current step due on"),
        _("step overdue"),
        _("outcome"),
        _("hazard"),
        _("public reply"),
        _("reward (yuan)"),
    ]

    def rows():
        for t in queryset.iterator(chunk_size=500):
            reward = getattr(t, "reward", None)
            yield [
                t.number,
                t.received_at,
                t.get_channel_display(),
                t.township.name,
                t.address,
                t.enterprise_name,
                t.observed_on,
                t.description,
                t.identity_label,
                t.get_status_display(),
                t.department.name if t.department else "",
                t.step_due_on,
                _("yes") if t.is_step_overdue(today) else "",
                t.get_outcome_display(),
                t.hazard.ledger_number if t.hazard else "",
                t.public_reply,
                reward.amount if reward else None,
            ]

    return xlsx_bytes([(_("Tip-offs"), headers, rows())])


def rewards_xlsx(queryset) -> bytes:
    """One row per reward: tip-off number, amount 元, basis, decided by/on, paid on, method,
    receipt number (never the recipient)."""
    headers = [
        _("tip-off"),
        _("amount (yuan)"),
        _("basis"),
        _("decided by"),
        _("decided on"),
        _("paid on"),
        _("payment method"),
        _("receipt number"),
    ]
    rows = (
        [
            r.tipoff.number,
            r.amount,
            r.basis,
            r.decided_by.get_full_name() or r.decided_by.username,
            r.decided_on,
            r.paid_on,
            r.get_method_display(),
            r.receipt,
        ]
        for r in queryset.iterator(chunk_size=500)
    )
    return xlsx_bytes([(_("Rewards"), headers, rows)])


def access_log_xlsx(queryset) -> bytes:
    """The identity audit trail: tip-off, who, when, from where, why."""
    headers = [_("tip-off"), _("who"), _("when"), _("from (address)"), _("reason")]
    rows = (
        [a.tipoff.number, a.who.get_full_name() or a.who.username, a.when, a.ip or "", a.reason]
        for a in queryset.iterator(chunk_size=500)
    )
    return xlsx_bytes([(_("Identity accesses"), headers, rows)])
