""":class:`AuditMiddleware`: records what a response shows about the request.

- every **403** (Django's PermissionDenied, DRF's, CSRF failures), signed-in or not;
- every **export** (a successful response that is an attachment, an Excel workbook or a PDF —
  the shared ``xlsx_response`` and the PDF notices alike, so a new export is recorded without
  touching its view) and every **download** (a successful ``FileResponse``: sub-plan files,
  hazard photos and documents, report files, drill evidence, tip-off photos);
- the object is the one the view fetched through :func:`campaigns.audit.selectors.get_visible_or_404`
  (or noted with :func:`note_object`), else the URL's name and arguments in ``extra``.

It also makes the request available to hooks that get none (:func:`current_request`).
The 404s of out-of-scope objects are recorded where the lookup fails (the selector above and the
API's exception handler), not here: a bare 404 says nothing about whether the object exists.
"""

from __future__ import annotations

from django.http import FileResponse

from campaigns.audit.models import AuditEvent
from campaigns.audit.services import audit_record, reset_current_request, set_current_request

EXPORT_TYPES = (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/pdf",
)


def note_object(request, obj) -> None:
    """Name ``obj`` as what this request exports or downloads (used by the audit row)."""
    if request is not None:
        request._audit_object = obj


def _classify(response) -> str | None:
    if response.status_code == 403:
        return AuditEvent.Action.PERMISSION_DENIED
    if response.status_code != 200:
        return None
    if isinstance(response, FileResponse):
        return AuditEvent.Action.DOWNLOAD
    disposition = response.headers.get("Content-Disposition", "")
    content_type = response.headers.get("Content-Type", "").split(";")[0].strip()
    if disposition.startswith("attachment") or content_type in EXPORT_TYPES:
        return AuditEvent.Action.EXPORT
    return None


class AuditMiddleware:
    """After the authentication middleware (it needs ``request.user``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = set_current_request(request)
        try:
            response = self.get_response(request)
            action = _classify(response)
            if action is not None:
                self._record(request, response, action)
            return response
        finally:
            reset_current_request(token)

    def _record(self, request, response, action) -> None:
        match = getattr(request, "resolver_match", None)
        extra = {"method": request.method, "status": response.status_code}
        if match is not None:
            extra["view"] = match.view_name
            if match.kwargs:
                extra["args"] = {k: str(v) for k, v in match.kwargs.items()}
        if action != AuditEvent.Action.PERMISSION_DENIED:
            extra["content_type"] = response.headers.get("Content-Type", "")
            disposition = response.headers.get("Content-Disposition", "")
            if disposition:
                extra["disposition"] = disposition[:300]
        audit_record(
            action=action,
            request=request,
            obj=getattr(request, "_audit_object", None),
            extra=extra,
        )
