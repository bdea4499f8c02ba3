"""Thai text helpers: Thai digits, Buddhist-Era dates, numbers, word wrapping, word tokens.

Pure functions (no Django), used by templates (``core.templatetags.thai``), the PDF export,
the flowchart labels and the diff/search code.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache

THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
ARABIC_DIGITS = "0123456789"
_TO_THAI = str.maketrans(ARABIC_DIGITS, THAI_DIGITS)
_TO_ARABIC = str.maketrans(THAI_DIGITS, ARABIC_DIGITS)

BE_OFFSET = 543

THAI_MONTHS = (
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
)
THAI_MONTHS_SHORT = (
    "ม.ค.",
    "ก.พ.",
    "มี.ค.",
    "เม.ย.",
    "พ.ค.",
    "มิ.ย.",
    "ก.ค.",
    "ส.ค.",
    "ก.ย.",
    "ต.ค.",
    "พ.ย.",
    "ธ.ค.",
)

# Spans whose digits stay Arabic. Order does not matter: spans are merged.
_URL_RE = re.compile(r"(?:[A-Za-z][A-Za-z0-9+.-]*://|www\.)[^\s<>\"']+", re.IGNORECASE)
_EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
# A run of ASCII letters/digits joined by - _ . / : ; kept when it holds a Latin letter.
_LATIN_TOKEN_RE = re.compile(r"[A-Za-z0-9]+(?:[-_./:][A-Za-z0-9]+)*")
# A number right after a Latin word and one space: "ISO 9001", "Windows 10", "ISO 9001:2015".
_AFTER_LATIN_WORD_RE = re.compile(r"(?<=[A-Za-z] )[0-9]+(?:[-.,:/][0-9]+)*")
# Markup and character references (only protected when the input is HTML).
_HTML_RE = re.compile(r"<[^>]*>|&#?[A-Za-z0-9]+;")


def _protected_spans(text: str, html: bool) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for regex in (_URL_RE, _EMAIL_RE):
        spans.extend(m.span() for m in regex.finditer(text))
    spans.extend(
        m.span()
        for m in _LATIN_TOKEN_RE.finditer(text)
        if any("a" <= c.lower() <= "z" for c in m.group())
    )
    spans.extend(m.span() for m in _AFTER_LATIN_WORD_RE.finditer(text))
    if html:
        spans.extend(m.span() for m in _HTML_RE.finditer(text))
    return sorted(spans)


def thai_digits(text: str | None, *, html: bool = False) -> str:
    """Arabic digits to Thai digits, except inside Latin-script tokens.

    Digits stay Arabic inside URLs, e-mail addresses, tokens that contain a Latin letter
    (COVID-19, e-GP2, A4, v1.2) and in a number that directly follows a Latin word and one space
    (ISO 9001, Windows 10). With ``html=True`` tags and character references are left alone,
    for text that is already HTML. ``None`` gives "".
    """
    if not text:
        return ""
    text = str(text)
    if not any(c in ARABIC_DIGITS for c in text):
        return text
    out: list[str] = []
    pos = 0
    for start, end in _protected_spans(text, html):
        if end <= pos:
            continue
        start = max(start, pos)
        out.append(text[pos:start].translate(_TO_THAI))
        out.append(text[start:end])
        pos = end
    out.append(text[pos:].translate(_TO_THAI))
    return "".join(out)


def _only_number(text: str) -> bool:
    """A number and its punctuation only ("๑.๑", "(๒๕)", "1,234"), no words."""
    return all(c in THAI_DIGITS or c in ARABIC_DIGITS or not c.isalnum() for c in text)


def ui_digits(text: object) -> str:
    """Digits as the user's language writes them: Thai digits under the Thai UI (the default),
    Arabic under any other. For numbers built into messages in Python code."""
    from django.utils import translation

    text = "" if text is None else str(text)
    if (translation.get_language() or "th").startswith("th"):
        return thai_digits(text)
    return arabic_digits(text) if _only_number(text) else text


def ui_is_thai() -> bool:
    """Whether the active language is Thai (the default; the printed PDFs always are)."""
    from django.utils import translation

    return (translation.get_language() or "th").startswith("th")


ENGLISH_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def format_ui_date(d: date | datetime | None, style: str = "full") -> str:
    """A date as the interface language writes it: Thai in the Buddhist Era with Thai digits
    under Thai; under another language Arabic digits, in the era its catalogue names (the
    translation of "พ.ศ." — "CE" gives Gregorian years, "BE" Buddhist-Era years)."""
    if d is None:
        return ""
    if ui_is_thai():
        return format_thai_date(d, style=style)
    from django.utils.translation import pgettext

    month = ENGLISH_MONTHS[d.month - 1]
    if style == "short":
        month = month[:3]
    era = pgettext("calendar era of dates", "พ.ศ.")
    year = be_year(d) if era.strip().upper() in ("BE", "B.E.", "พ.ศ.") else d.year
    return f"{d.day} {month} {year}"


def arabic_digits(text: str | None) -> str:
    """Thai digits to Arabic digits (for parsing input). ``None`` gives ""."""
    if not text:
        return ""
    return str(text).translate(_TO_ARABIC)


def be_year(value: date | datetime | int) -> int:
    """Buddhist-Era year (พ.ศ. = ค.ศ. + 543) of a date or of a Gregorian year."""
    year = value if isinstance(value, int) else value.year
    return year + BE_OFFSET


def format_thai_date(d: date | datetime | None, style: str = "full", digits: str = "thai") -> str:
    """A date as Thai text in the Buddhist Era.

    ``style="full"`` gives "๓๐ กันยายน ๒๕๖๔", ``style="short"`` gives "๓๐ ก.ย. ๒๕๖๔";
    ``digits="arabic"`` keeps Arabic digits ("30 ก.ย. 2564"). ``None`` gives "".
    """
    if d is None:
        return ""
    if style not in ("full", "short"):
        raise ValueError(f"unknown style {style!r}: use 'full' or 'short'")
    if digits not in ("thai", "arabic"):
        raise ValueError(f"unknown digits {digits!r}: use 'thai' or 'arabic'")
    months = THAI_MONTHS if style == "full" else THAI_MONTHS_SHORT
    text = f"{d.day} {months[d.month - 1]} {be_year(d)}"
    return text.translate(_TO_THAI) if digits == "thai" else text


def _to_decimal(n: int | float | Decimal | str) -> Decimal | None:
    if isinstance(n, bool):
        return Decimal(int(n))
    if isinstance(n, Decimal):
        return n
    if isinstance(n, int):
        return Decimal(n)
    if isinstance(n, float):
        return Decimal(repr(n))
    cleaned = arabic_digits(str(n)).strip().replace(",", "").replace(" ", "")
    cleaned = cleaned.replace("\u2212", "-")
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        return None


def thai_number(n: int | float | Decimal | str | None, grouping: bool = False) -> str:
    """A number in Thai digits, without trailing decimal zeros.

    ``Decimal("0.50")`` gives "๐.๕", ``-1234`` gives "-๑๒๓๔", and with ``grouping=True``
    ``1234567`` gives "๑,๒๓๔,๕๖๗". Strings are parsed (Thai or Arabic digits, with or without
    separators); a string that is not a number is returned with its digits made Thai.
    ``None`` gives "".
    """
    if n is None:
        return ""
    value = _to_decimal(n)
    if value is None:
        return thai_digits(str(n))
    if not value.is_finite():
        return str(n)
    value = value.normalize()
    if value == 0:
        value = Decimal(0)
    text = format(value, ",f" if grouping else "f")
    return text.translate(_TO_THAI)


# --- word wrapping -------------------------------------------------------------------------

_ZERO_WIDTH = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"}


def _is_zero_width(ch: str) -> bool:
    """Thai above/below vowels and tone marks, other combining marks, zero-width characters."""
    return ch in _ZERO_WIDTH or unicodedata.combining(ch) != 0 or unicodedata.category(ch) == "Mn"


def display_width(text: str) -> int:
    """Width of text in character cells: combining marks (่ ้ ิ ี ุ ู ั …) take no width."""
    return sum(0 if _is_zero_width(ch) else 1 for ch in text)


def _clusters(word: str) -> list[str]:
    """Split a word into base characters each followed by their combining marks."""
    out: list[str] = []
    for ch in word:
        if out and _is_zero_width(ch):
            out[-1] += ch
        else:
            out.append(ch)
    return out


def _hard_split(word: str, width: int) -> list[str]:
    pieces: list[str] = []
    current = ""
    for cluster in _clusters(word):
        if current and display_width(current + cluster) > width:
            pieces.append(current)
            current = ""
        current += cluster
    if current:
        pieces.append(current)
    return pieces


@lru_cache(maxsize=4096)
def _tokenize(text: str) -> tuple[str, ...]:
    from pythainlp.tokenize import word_tokenize

    return tuple(word_tokenize(text, engine="newmm", keep_whitespace=True))


def _wrap_paragraph(paragraph: str, width: int) -> list[str]:
    lines: list[str] = []
    current = ""
    pending_space = ""
    for token in _tokenize(paragraph) if paragraph else ():
        if not token:
            continue
        if token.isspace():
            if current:
                pending_space += token
            continue
        candidate = current + pending_space + token
        if display_width(candidate) <= width:
            current = candidate
            pending_space = ""
            continue
        if current:
            lines.append(current)
        current, pending_space = "", ""
        if display_width(token) <= width:
            current = token
        else:
            pieces = _hard_split(token, width)
            lines.extend(pieces[:-1])
            current = pieces[-1]
    if current or not lines:
        lines.append(current)
    return lines


def wrap_thai(text: str | None, width: int) -> list[str]:
    """Wrap text into lines of at most ``width`` display cells, breaking between Thai words.

    Words come from PyThaiNLP's ``newmm`` engine; combining marks take no width; a word longer
    than ``width`` is split between characters (never between a letter and its marks);
    explicit newlines are kept (a blank line gives ""); spaces at a break are dropped.
    Empty text gives [].
    """
    if width < 1:
        raise ValueError("width must be at least 1")
    if not text:
        return []
    text = str(text).replace("\r\n", "\n").replace("\r", "\n")
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines.extend(_wrap_paragraph(paragraph, width))
    return lines


def thai_words(text: str | None) -> list[str]:
    """Word tokens of text (PyThaiNLP ``newmm``) without whitespace, for diffs and search."""
    if not text:
        return []
    return [t for t in _tokenize(str(text)) if t and not t.isspace()]


_BULLET_RE = re.compile(r"^\s*(?:[-–•*·]+|\(?[0-9๐-๙]{1,3}[.)])\s*")


def short_text(text: str | None, limit: int = 60) -> str:
    """A label made from a longer text (a step's detail when it has no label of its own): its
    first line without a leading bullet or item number, cut after the last whole word within
    ``limit`` display cells, with "…" when anything was left out."""
    if not text:
        return ""
    lines = [line for line in str(text).replace("\r", "\n").split("\n") if line.strip()]
    if not lines:
        return ""
    first = _BULLET_RE.sub("", lines[0]).strip() or lines[0].strip()
    if display_width(first) <= limit and len(lines) == 1:
        return first
    kept = ""
    for token in _tokenize(first):
        if display_width((kept + token).rstrip() + " …") > limit:
            break
        kept += token
    kept = kept.rstrip()
    if not kept:  # one word wider than the limit: cut between letters, never in a cluster
        kept = _hard_split(first, max(1, limit - 2))[0]
    return f"{kept} …"
