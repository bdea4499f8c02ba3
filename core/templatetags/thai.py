"""Template filters for Thai documents: ``{% load thai %}``.

``{{ value|thai_digits }}``, ``{{ a_date|thai_date }}`` / ``{{ a_date|thai_date:"short" }}``,
``{{ amount|thai_number }}`` / ``{{ amount|thai_number:"grouping" }}``.

They follow the interface language: Thai digits (and Thai dates) under the Thai UI and in the
printed documents (rendered under ``translation.override("th")``), Arabic digits and the English
catalogue's dates under English, so no screen shows "Step ๙".

All three are ``is_safe=True``: they only swap digits or build text from numbers and month
names, so they never add ``<``, ``>``, ``&`` or quotes. Unsafe input therefore is still escaped
by autoescaping, and safe input (already HTML) stays safe: ``thai_digits`` then leaves tags and
character references alone.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django import template
from django.utils.safestring import SafeData, mark_safe

from core import thai

register = template.Library()


@register.filter(name="thai_digits", is_safe=True)
def thai_digits_filter(value: object) -> str:
    """Arabic digits to Thai digits, except in Latin tokens, URLs and e-mail addresses."""
    if value is None or value == "":
        return ""
    if not thai.ui_is_thai():
        # numbers the system writes ("1.1", 2567) stay Arabic; what users typed is kept as is,
        # except a plain number in Thai digits (a process number from a Thai import)
        text = str(value)
        if thai._only_number(text):
            text = thai.arabic_digits(text)
            return mark_safe(text) if isinstance(value, SafeData) else text  # noqa: S308
        return value
    if isinstance(value, SafeData):
        return mark_safe(thai.thai_digits(str(value), html=True))  # noqa: S308
    return thai.thai_digits(str(value))


@register.filter(name="thai_date", is_safe=True)
def thai_date_filter(value: object, style: str = "full") -> object:
    """A date in the Buddhist Era: "๓๐ กันยายน ๒๕๖๔", or "๓๐ ก.ย. ๒๕๖๔" with "short".

    An ISO string ("2021-09-30") is parsed; anything else that is not a date is returned as is.
    """
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value.strip()[:10])
        except ValueError:
            return value
    if not isinstance(value, date | datetime):
        return value
    return thai.format_ui_date(value, style="short" if style == "short" else "full")


@register.filter(name="thai_number", is_safe=True)
def thai_number_filter(value: object, arg: str = "") -> object:
    """A number in Thai digits; ``thai_number:"grouping"`` adds thousands separators."""
    if value is None or value == "":
        return ""
    if not isinstance(value, int | float | Decimal | str):
        return value
    number = thai.thai_number(value, grouping=arg == "grouping")
    return number if thai.ui_is_thai() else thai.arabic_digits(number)
