from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class VietnameseFirstLocaleMiddleware(LocaleMiddleware):
    """Vietnamese unless the user chose another language in the menu (language cookie).

    Django's LocaleMiddleware follows the browser's Accept-Language, and many school and
    office computers run an English Windows/Chrome: officials would land on an English UI they
    never asked for. So the browser header is ignored; only an explicit choice counts."""

    def process_request(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
