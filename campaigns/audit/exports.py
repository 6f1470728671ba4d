"""Excel of the audit trail (admin action and API-free download): one row per event."""

from __future__ import annotations

from django.utils.translation import gettext as _

from yixian_safety.xlsx import xlsx_bytes

MAX_ROWS = 100_000  # one workbook; narrow the filter for more


def audit_xlsx(queryset) -> bytes:
    """Columns: seq, time (Asia/Shanghai), user name, IP, action, object type, object id, object,
    path, details (JSON), hash. ``queryset``: audit events (first :data:`MAX_ROWS` by seq)."""
    import json

    qs = queryset.select_related("content_type").order_by("seq")[:MAX_ROWS]
    headers = [
        _("sequence number"),
        _("time"),
        _("user name"),
        _("IP address"),
        _("action"),
        _("object type"),
        _("object id"),
        _("object"),
        _("path"),
        _("details"),
        _("hash"),
    ]
    rows = (
        [
            e.seq,
            e.occurred_at,
            e.username,
            e.ip or "",
            e.get_action_display(),
            f"{e.content_type.app_label}.{e.content_type.model}" if e.content_type else "",
            e.object_pk,
            e.object_repr,
            e.path,
            json.dumps(e.extra, ensure_ascii=False, sort_keys=True) if e.extra else "",
            e.hash,
        ]
        for e in qs.iterator(chunk_size=2000)
    )
    return xlsx_bytes([(_("audit trail"), headers, rows)])
