"""Request-level middleware: language selection and the NUL guard.

Language selection: Chinese for everyone unless the user picked English with the switcher.

Django's LocaleMiddleware would follow the browser's Accept-Language and show an English UI to
any browser set to English; the county's working language is Chinese, so only an explicit choice
(the ``django_language`` cookie set by ``/i18n/setlang/``) changes it.
"""

import io
import json

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpResponseBadRequest, JsonResponse, QueryDict
from django.http.multipartparser import MultiPartParser
from django.utils import translation
from django.utils.translation import gettext as _


class ChosenLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class RejectNulMiddleware:
    """Answer 400 to a request carrying a NUL character (U+0000) in its path, in a query or form
    parameter (names and values) or in a string of its JSON body.

    PostgreSQL cannot store NUL in text, so such a value reaching a slug or choice lookup
    (``"sectors": ["campus\\u0000"]``) raised a database error (500); no field of ours has a use
    for it. One guard for every page and endpoint instead of a check per field. Uploaded files
    are not inspected (they are binary); a JSON body too deeply nested to parse is a 400 too.
    Source: issue 15.
    """

    JSON_TYPES = ("application/json", "+json")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            has_nul = self._has_nul(request)
        except Exception:  # noqa: BLE001 - an unreadable or oversized body: the view's own
            has_nul = False  # bounds answer it (413/400); Django marks the parse as failed
        if has_nul:
            return self._refuse(
                request, _("The request contains a NUL character (U+0000), which no field accepts.")
            )
        if self._json_too_deep(request):
            return self._refuse(request, _("The JSON body is nested too deeply."))
        return self.get_response(request)

    def _has_nul(self, request) -> bool:
        if "\x00" in request.path_info or _params_have_nul(request.GET):
            return True
        content_type = request.content_type or ""
        if request.method == "POST" and content_type in (
            "multipart/form-data",
            "application/x-www-form-urlencoded",
        ):
            return _params_have_nul(request.POST)
        if content_type == "application/x-www-form-urlencoded" and request.body:
            return _params_have_nul(QueryDict(request.body, encoding=request.encoding))
        if content_type == "multipart/form-data" and request.method in ("PUT", "PATCH"):
            # Django parses multipart only for POST; the API parses it for PUT/PATCH too.
            # Read the fields from the (cached) body, discarding file contents.
            fields, _files = MultiPartParser(
                request.META, io.BytesIO(request.body), [_DiscardFiles()], request.encoding
            ).parse()
            return _params_have_nul(fields)
        if content_type.endswith(self.JSON_TYPES) and request.body:
            body = request.body
            if b"\x00" in body:
                return True
            if b"\\u0000" in body.lower():
                return _json_has_nul(self._json(request))
        return False

    def _json(self, request):
        try:
            return json.loads(request.body)
        except (ValueError, RecursionError):
            return None

    def _json_too_deep(self, request) -> bool:
        content_type = request.content_type or ""
        if not content_type.endswith(self.JSON_TYPES) or not request.body:
            return False
        # Only bodies with very many brackets can be too deep: skip the parse otherwise.
        body = request.body
        if body.count(b"[") + body.count(b"{") < 500:
            return False
        try:
            json.loads(body)
        except RecursionError:
            return True
        except ValueError:
            return False  # invalid JSON: the API's parser answers 400 itself
        return False

    def _refuse(self, request, message):
        if request.path_info.startswith("/api/"):
            return JsonResponse({"detail": str(message)}, status=400)
        return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")


class _DiscardFiles(FileUploadHandler):
    """Upload handler that keeps no file data (the NUL guard reads only the fields)."""

    def receive_data_chunk(self, raw_data, start):
        return None

    def file_complete(self, file_size):
        return None


def _params_have_nul(params: QueryDict) -> bool:
    return any("\x00" in key or any("\x00" in v for v in values) for key, values in params.lists())


def _json_has_nul(data) -> bool:
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False
