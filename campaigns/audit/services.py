"""Writing and checking the audit trail.

- :func:`audit_record` — the one way to add a row (any app: ``from campaigns.audit.services
  import audit_record``). Inserts are serialised (``pg_advisory_xact_lock`` on PostgreSQL;
  SQLite writes one at a time anyway) so ``seq`` and the hash chain stay linear. The row is
  written in the caller's transaction: an event whose change rolls back is not recorded; events
  outside a transaction (logins, refusals, downloads) are committed at once.
- :func:`audit_verify` — walks the chain (used by ``manage.py verify_audit``).
- :func:`current_request` — the request being served (set by
  :class:`campaigns.audit.middleware.AuditMiddleware`), for hooks that get no request, such as
  group changes made in the admin.
"""

from __future__ import annotations

import contextvars
import json
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from campaigns.audit.models import GENESIS_HASH, AuditEvent
from yixian_safety.security import client_ip

# Any constant key: the one advisory lock that serialises audit inserts.
ADVISORY_LOCK_KEY = 0x61756469  # "audi"
MAX_EXTRA_CHARS = 4000  # details longer than this are cut (a row stays a row, not a dump)

_request: contextvars.ContextVar = contextvars.ContextVar("audit_request", default=None)


def current_request():
    """The HttpRequest being served in this thread/task, or None (commands, Celery)."""
    return _request.get()


def set_current_request(request):
    """Make ``request`` the current one; returns the token for :func:`reset_current_request`."""
    return _request.set(request)


def reset_current_request(token) -> None:
    _request.reset(token)


def _jsonable(extra: dict | None) -> dict:
    """``extra`` as it will read back from the JSON column (so the hash computed now is the
    hash recomputed later): non-JSON values become text; too long → cut with a marker."""
    if not extra:
        return {}
    text = json.dumps(extra, default=str, ensure_ascii=False, sort_keys=True)
    if len(text) > MAX_EXTRA_CHARS:
        return {"truncated": text[:MAX_EXTRA_CHARS]}
    return json.loads(text)


def audit_record(
    *,
    action: str,
    request=None,
    user=None,
    username: str | None = None,
    obj=None,
    extra: dict | None = None,
    path: str | None = None,
    ip: str | None = None,
) -> AuditEvent:
    """Append one :class:`AuditEvent` and return it.

    ``action``: an :class:`AuditEvent.Action` value. ``request`` (default: the current request)
    gives the user, the client IP and the path unless they are passed. ``user``: who acted
    (None/anonymous → no user; ``username`` then names who was tried, e.g. a failed login).
    ``obj``: the model instance concerned (type, pk and its text are kept). ``extra``: a small
    JSON object of details. Raises on a database error: an audit row is never dropped silently.
    """
    if request is None:
        request = current_request()
    if user is None and request is not None:
        user = getattr(request, "user", None)
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    if username is None:
        username = user.get_username() if user is not None else ""
    if ip is None and request is not None:
        ip = client_ip(request)
    if path is None and request is not None:
        path = request.get_full_path()
    event = AuditEvent(
        occurred_at=timezone.now(),
        user=user,
        username=(username or "")[:150],
        ip=ip or None,
        action=action,
        path=(path or "")[:500],
        extra=_jsonable(extra),
    )
    if obj is not None:
        from django.contrib.contenttypes.models import ContentType

        event.content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
        event.object_pk = str(obj.pk)[:64]
        event.object_repr = str(obj)[:200]
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK_KEY])
        last = AuditEvent.objects.order_by("-seq").values_list("seq", "hash").first()
        event.seq, event.prev_hash = (last[0] + 1, last[1]) if last else (1, GENESIS_HASH)
        event.hash = event.compute_hash()
        event.save(force_insert=True)
    return event


@dataclass(frozen=True)
class VerifyResult:
    """``checked``: rows read. ``problem``: None when the chain is intact, else what is wrong
    at the first bad place; ``event_id``: the id of the row where it was found."""

    checked: int
    problem: str | None = None
    event_id: int | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


def audit_verify(*, chunk_size: int = 2000) -> VerifyResult:
    """Walk the rows in ``seq`` order and check that ``seq`` starts at 1 and has no gap (a
    deleted row), each ``prev_hash`` is the previous row's ``hash`` (a deleted or inserted
    row) and each ``hash`` is recomputed equal (an edited row). Stops at the first problem.

    Not detectable: deleting the newest rows (nothing after them points back) — keep the count
    and last hash printed by ``verify_audit`` elsewhere (e.g. in the operations log) to detect it.
    """
    expected_seq, prev_hash, checked = 1, GENESIS_HASH, 0
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=chunk_size):
        checked += 1
        if event.seq != expected_seq:
            return VerifyResult(
                checked,
                f"row(s) missing: seq {expected_seq}–{event.seq - 1} not found before this row "
                f"(seq {event.seq})",
                event.pk,
            )
        if event.prev_hash != prev_hash:
            return VerifyResult(
                checked,
                f"chain broken at seq {event.seq}: prev_hash does not match the previous row",
                event.pk,
            )
        if event.compute_hash() != event.hash:
            return VerifyResult(
                checked, f"row seq {event.seq} was altered: its hash does not match", event.pk
            )
        expected_seq, prev_hash = event.seq + 1, event.hash
    return VerifyResult(checked)


def audit_chain_head() -> tuple[int, str]:
    """(last ``seq``, its ``hash``), or (0, the genesis hash) for an empty trail."""
    last = AuditEvent.objects.order_by("-seq").values_list("seq", "hash").first()
    return last if last else (0, GENESIS_HASH)
