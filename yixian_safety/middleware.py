"""Language selection: Chinese for everyone unless the user picked English with the switcher.

Django's LocaleMiddleware would follow the browser's Accept-Language and show an English UI to
any browser set to English; the county's working language is Chinese, so only an explicit choice
(the ``django_language`` cookie set by ``/i18n/setlang/``) changes it.
"""

from django.conf import settings
from django.utils import translation


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
