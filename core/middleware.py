"""Thai first: the UI language is the user's explicit choice, never the browser's header."""

import re

from django.http import HttpResponseBadRequest
from django.middleware.locale import LocaleMiddleware
from django.utils.html import escape
from django.utils.translation import gettext as _

from core.thai import BE_OFFSET, THAI_MONTHS, thai_digits, ui_is_thai


class ThaiFirstLocaleMiddleware(LocaleMiddleware):
    """Like LocaleMiddleware, but ignores Accept-Language.

    Many Thai civil servants run an English-language browser; they should still get the Thai
    UI unless they pick English in the navbar (stored in the language cookie).
    """

    def process_request(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        super().process_request(request)


# Form bodies are read as UTF-8 (what every browser sends for our UTF-8 pages). A body that
# declares another charset (utf-16, latin-1 …) would be decoded into garbage or fail halfway:
# refuse it whole, before anything reads request.POST.
_ACCEPTED_CHARSETS = {"utf-8", "utf8", "us-ascii", "ascii"}
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class RequestCharsetMiddleware:
    """A form POST declaring a charset other than UTF-8 gets a Thai 400, never a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        content_type = request.content_type or ""
        charset = (request.content_params or {}).get("charset", "").strip().strip('"').lower()
        if charset and content_type in _FORM_TYPES and charset not in _ACCEPTED_CHARSETS:
            return HttpResponseBadRequest(
                _("ข้อมูลที่ส่งมาใช้รหัสอักขระ %(charset)s ระบบรับเฉพาะ UTF-8 โปรดส่งใหม่จากหน้าเว็บ")
                % {"charset": escape(charset[:40])},
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


# The admin is Django's own pages: under the Thai UI its counts, numbers and dates are
# rewritten in Thai digits, dates in the Buddhist Era, in the text only (never in tags,
# attributes, form values, scripts or styles).
_ADMIN_RAW = re.compile(
    r"(<(script|style|textarea|pre)\b.*?</\2\s*>|<[^>]*>|&#?[A-Za-z0-9]+;)", re.S | re.I
)
_GREGORIAN_DATE = re.compile(rf"((?:{'|'.join(THAI_MONTHS)})\s+)(\d{{4}})\b")


def admin_text_in_thai(html: str) -> str:
    """The admin page's text with Thai digits and Buddhist-Era years after Thai month names."""
    out = []
    for index, part in enumerate(_ADMIN_RAW.split(html)):
        if part is None:
            continue
        if index % 3 == 0:  # text between tags
            part = _GREGORIAN_DATE.sub(lambda m: f"{m.group(1)}{int(m.group(2)) + BE_OFFSET}", part)
            part = thai_digits(part)
        elif index % 3 == 2:  # the tag name captured by the inner group
            continue
        out.append(part)
    return "".join(out)


class AdminThaiDigitsMiddleware:
    """Thai digits and Buddhist-Era dates in the Django admin under the Thai UI."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.path.startswith("/admin/")
            and ui_is_thai()
            and not response.streaming
            and response.get("Content-Type", "").startswith("text/html")
        ):
            charset = response.charset or "utf-8"
            response.content = admin_text_in_thai(response.content.decode(charset)).encode(charset)
        return response
