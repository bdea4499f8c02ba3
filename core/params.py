"""Values from a query string, a form field or the command line, read without ever raising.

``"²".isdigit()`` is true and ``int("²")`` fails; ``int("๑")`` is 1 but a value of a hundred
digits overflows the database's integer. Every integer a request carries goes through
``parse_int``; every free search text through ``parse_text`` (no NUL, which PostgreSQL refuses,
no control characters, bounded length).
"""

from __future__ import annotations

from core.text import clean_user_text
from core.thai import arabic_digits

# The largest value of a PostgreSQL bigint (Django's BigAutoField) and SQLite's INTEGER.
MAX_DB_INT = 2**63 - 1


def parse_int(
    value: object, *, default: int | None = None, minimum: int = 0, maximum: int = MAX_DB_INT
) -> int | None:
    """``value`` as an int when it is written in ASCII or Thai digits only (surrounding spaces
    allowed) and lies in ``minimum..maximum``; else ``default``. Never raises."""
    if isinstance(value, bool):
        return default
    if isinstance(value, int):
        number = value
    else:
        text = arabic_digits(str(value if value is not None else "")).strip()
        if not text or len(text) > 20 or not (text.isascii() and text.isdigit()):
            return default
        number = int(text)
    if number < minimum or number > maximum:
        return default
    return number


def is_int(value: object, **bounds) -> bool:
    """Whether ``parse_int`` reads ``value`` as an integer (within ``bounds``)."""
    return parse_int(value, **bounds) is not None


def parse_text(value: object, *, max_length: int = 200) -> str:
    """A one-line search or filter text: control characters (NUL included) dropped, line breaks
    as spaces, trimmed, at most ``max_length`` characters."""
    if value is None:
        return ""
    return clean_user_text(str(value)[: max_length * 2], multiline=False)[:max_length]
