"""Thai first: the UI language is the user's explicit choice, never the browser's header."""

from django.middleware.locale import LocaleMiddleware


class ThaiFirstLocaleMiddleware(LocaleMiddleware):
    """Like LocaleMiddleware, but ignores Accept-Language.

    Many Thai civil servants run an English-language browser; they should still get the Thai
    UI unless they pick English in the navbar (stored in the language cookie).
    """

    def process_request(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        super().process_request(request)
