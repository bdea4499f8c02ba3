"""Parse the free-form step durations (ระยะเวลา) written in the manuals.

``parse_duration("๑๐-๑๕ นาที/แฟ้ม")`` gives a :class:`Duration` (kind "length", 10–15 minutes
per แฟ้ม). Text is never rejected: what cannot be read is kept with kind "unknown" and
``parsed`` False, so the editor can flag it.

Shapes understood (see docs "Step durations"): number + unit, ranges (- – — ถึง), fractions
(๑/๒) and decimals (๐.๕), ครึ่งวัน / ครึ่งชั่วโมง, units นาที/น., ชั่วโมง/ชม./ช.ม.,
วัน, วันทำการ/วัน ทำการ, สัปดาห์/อาทิตย์, เดือน (and ปี, stored as 12 months), per item
("/ แฟ้ม", "ต่อ ๑ ฎีกา"), qualifiers (ไม่เกิน, ไม่น้อยกว่า, ภายใน, ประมาณ, … หรือมากกว่า),
a bare number (days, the column's usual unit), ทันที (immediate), ตลอดปี / ตลอดเวลา / ทุกวัน
(ongoing), and calendar or reference phrases (month names, ไตรมาส, ปีงบประมาณ, วันที่ …
ของทุกเดือน, ตามที่กำหนด…, ขึ้นอยู่กับ…, เป็นไปตามระเบียบ…) as "schedule".

A cell holding several durations (merged table cells: "๓ นาที / ฉบับ  ทันที",
"๑ วัน\\n๕ วัน") is read by its first one: the earliest match in the text wins.
Line breaks count as spaces, so cells that wrap mid-phrase ("๑ วัน\\nทำการ") parse.

Empty text, or a lone dash ("-", "–"), means "nothing written": kind "unknown" but ``parsed``
True (there is nothing to flag).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from core.thai import arabic_digits, thai_digits, thai_number

KINDS = ("length", "immediate", "ongoing", "schedule", "unknown")
UNITS = ("minute", "hour", "day", "working_day", "week", "month")
QUALIFIERS = ("at_most", "at_least", "within", "about")

#: Working minutes per unit. See :meth:`Duration.to_minutes` for the assumptions.
MINUTES_PER_UNIT: dict[str, Decimal] = {
    "minute": Decimal(1),
    "hour": Decimal(60),
    "day": Decimal(420),
    "working_day": Decimal(420),
    "week": Decimal(5 * 420),
    "month": Decimal(22 * 420),
}

UNIT_LABELS = {
    "minute": "นาที",
    "hour": "ชั่วโมง",
    "day": "วัน",
    "working_day": "วันทำการ",
    "week": "สัปดาห์",
    "month": "เดือน",
}
QUALIFIER_LABELS = {
    "at_most": "ไม่เกิน",
    "at_least": "ไม่น้อยกว่า",
    "within": "ภายใน",
    "about": "ประมาณ",
}

# The model stores low/high as DecimalField(max_digits=9, decimal_places=3).
_QUANTUM = Decimal("0.001")
_MAX_VALUE = Decimal("999999.999")
_PER_MAX_LENGTH = 40


@dataclass(frozen=True)
class Duration:
    """A parsed step duration. ``low``/``high``/``unit`` are set only for kind "length"."""

    kind: str
    low: Decimal | None = None
    high: Decimal | None = None
    unit: str | None = None
    per: str | None = None
    qualifier: str | None = None
    text: str = ""

    @property
    def parsed(self) -> bool:
        """False only when there was text and none of it could be read."""
        return self.kind != "unknown" or _is_blank(self.text)

    def to_minutes(self) -> tuple[Decimal, Decimal] | None:
        """(low, high) in working minutes; None unless kind is "length".

        Assumptions: a day is one working day of 7 working hours = 420 minutes (BMA office
        hours 08:30–16:30 less a one-hour lunch break); the manuals count working time, so
        "วัน" and "วันทำการ" are the same. A week is 5 working days (2,100 minutes); a month is
        22 working days (about 261 weekdays a year / 12, public holidays ignored), 9,240
        minutes. Per-item durations are per item (not multiplied).
        """
        if self.kind != "length" or self.unit is None or self.low is None or self.high is None:
            return None
        factor = MINUTES_PER_UNIT[self.unit]
        return self.low * factor, self.high * factor

    def __str__(self) -> str:
        if self.kind == "immediate":
            return "ทันที"
        if self.kind != "length" or self.low is None or self.unit is None:
            return " ".join(self.text.split()) if self.kind == "ongoing" else self.text.strip()
        value = thai_number(self.low)
        if self.high is not None and self.high != self.low:
            value += "–" + thai_number(self.high)
        out = f"{value} {UNIT_LABELS[self.unit]}"
        if self.per:
            out += f"/{self.per}"
        if self.qualifier:
            out = f"{QUALIFIER_LABELS[self.qualifier]} {out}"
        return thai_digits(out)


# --- patterns ------------------------------------------------------------------------------

_NUM = r"\d+(?:\.\d+)?(?:/\d+)?"
_NUM_OR_HALF = rf"(?:{_NUM}|ครึ่ง)"
# Units, longest first; internal \s* lets a unit wrapped across lines ("ชั่ว\nโมง") match.
_UNIT_PATTERNS: list[tuple[str, str]] = [
    ("working_day", r"วัน\s*ทำ\s*การ"),
    ("hour", r"ชั่ว\s*โมง|ช\s*\.\s*ม\s*\.?|ชม\s*\.|ชม(?![ก-ฮ])"),
    ("minute", r"นา\s*ที|น\s*\.(?![ก-ฮ]\s*\.)"),
    ("week", r"สัป\s*ดาห์|อาทิตย์"),
    ("month", r"เดือน"),
    ("year", r"ปี(?!\s*(?:งบ|ปฏิทิน|ที่|ละ))"),
    ("day", r"วัน(?!\s*ที่)"),
]
_UNIT = "(?:" + "|".join(p for _, p in _UNIT_PATTERNS) + ")"
_UNIT_RES = [(name, re.compile(rf"(?:{p})\Z")) for name, p in _UNIT_PATTERNS]

_QUAL_BEFORE: list[tuple[str, str]] = [
    ("at_most", r"ไม่\s*เกิน|ไม่\s*มากกว่า|อย่าง\s*มาก|สูงสุด"),
    ("at_least", r"ไม่\s*น้อย\s*กว่า|ไม่\s*ต่ำ\s*กว่า|อย่าง\s*น้อย"),
    ("within", r"ภายใน(?:\s*เวลา)?"),
    ("about", r"ประมาณ|โดย\s*ประมาณ|ราว\s*ๆ?|ราว"),
]
_QUAL_AFTER: list[tuple[str, str]] = [
    ("at_least", r"หรือ\s*มากกว่า(?:\s*นั้น)?|ขึ้น\s*ไป"),
    ("at_most", r"หรือ\s*น้อยกว่า(?:\s*นั้น)?"),
    ("about", r"โดย\s*ประมาณ"),
]
_QB = "|".join(p for _, p in _QUAL_BEFORE)
_QA = "|".join(p for _, p in _QUAL_AFTER)
_SEP = r"(?:-|–|—|‐|−|~|ถึง)"

# Item words, the usual ones first; OCR misreadings of แฟ้ม are mapped back to it.
_PER_WORDS = [
    "รายการ",
    "เรื่อง",
    "แฟ้ม",
    "ฉบับ",
    "หน้า",
    "ฎีกา",
    "ฏีกา",
    "ราย",
    "ครั้ง",
    "คน",
    "ชุด",
    "ใบ",
    "คำขอ",
    "หนังสือ",
    "โครงการ",
    "สัญญา",
    "แห่ง",
    "กรณี",
    "คดี",
    "แพ้มี",
    "แพ้ม",
    "แฟัม",
    "เพิ่ม",
]
_PER_ALIASES = {"แพ้มี": "แฟ้ม", "แพ้ม": "แฟ้ม", "แฟัม": "แฟ้ม", "เพิ่ม": "แฟ้ม", "ฏีกา": "ฎีกา"}
_PER_WORD = "(?:" + "|".join(sorted(_PER_WORDS, key=len, reverse=True)) + r"|[ก-ฮะ-ฺเ-๎]+)"

_LENGTH_RE = re.compile(
    rf"""
    (?:(?P<qb>{_QB})\s*)?
    (?:
        ครึ่ง\s*(?P<half_unit>{_UNIT})
      |
        (?P<low>{_NUM_OR_HALF})\s*(?P<low_unit>{_UNIT})?\s*
        (?:{_SEP}\s*(?:(?:{_QB})\s*)?(?P<high>{_NUM})\s*)?
        (?P<unit>{_UNIT})(?P<and_half>\s*ครึ่ง(?!\s*{_UNIT}))?
        (?:[ ]?(?P<extra>{_NUM})[ ]?(?P<extra_unit>{_UNIT}))?
    )
    (?:\s*\))?
    (?:\s*(?:/|ต่อ)\s*(?:{_NUM}\s*)?(?!{_UNIT}|\d)(?P<per>{_PER_WORD}))?
    (?:\s*(?P<qa>{_QA}))?
    """,
    re.VERBOSE,
)
_BARE_RE = re.compile(
    rf"\s*(?:(?P<qb>{_QB})\s*)?(?P<low>{_NUM})\s*(?:{_SEP}\s*(?P<high>{_NUM}))?"
    rf"\s*(?:(?P<qa>{_QA}))?\s*\Z"
)

_MONTHS = "มกราคม|กุมภาพันธ์|มีนาคม|เมษายน|พฤษภาคม|มิถุนายน|กรกฎาคม|สิงหาคม|กันยายน|ตุลาคม|พฤศจิกายน|ธันวาคม"
_MONTH_ABBR = r"(?:ม\.ค|ก\.พ|มี\.ค|เม\.ย|พ\.ค|มิ\.ย|ก\.ค|ส\.ค|ก\.ย|ต\.ค|พ\.ย|ธ\.ค)\.?"

# Clock times and dates come first: "16.30 น." is a time of day, not 16.3 minutes.
_CLOCK_DATE_RE = re.compile(
    rf"(?:(?:{_QB}|ก่อน|เวลา)\s*)?\d{{1,2}}[.:]\d{{2}}\s*(?:น\.|นาฬิกา)"
    r"|\d{1,2}/\d{1,2}/\d{2,4}"
)
_IMMEDIATE_RE = re.compile(r"ทันที")
_ONGOING_RE = re.compile(r"ตลอด|ทุก\s*วัน(?!\s*ที่)|ทุก\s*ขณะ|เป็น\s*ประจำ|ต่อ\s*เนื่อง|สม่ำเสมอ|อย่างต่อเนื่อง")
_SCHEDULE_RE = re.compile(
    rf"{_MONTHS}|(?<![ก-๙]){_MONTH_ABBR}(?![ก-ฮ])"
    r"|ไตร\s*มาส|ปี\s*งบ\s*ประมาณ|ปี\s*ปฏิทิน|ปีงบ|ปฏิทิน"
    r"|วัน\s*ที่|สิ้น\s*เดือน|ต้น\s*เดือน|กลาง\s*เดือน|สิ้น\s*ปี"
    r"|ทุก\s*(?:เดือน|สัปดาห์|ปี|ไตรมาส|ครั้ง|รอบ|ภาค)"
    r"|ราย\s*(?:เดือน|ไตรมาส|ปี|สัปดาห์|งวด)|งวด"
    r"|(?:วัน|สัปดาห์|อาทิตย์|เดือน|ปี)\s*ละ"
    r"|เป็น\s*ไป\s*ตาม|ขึ้น\s*อยู่\s*กับ|แล้ว\s*แต่"
    r"|ตาม\s*(?:ที่)?\s*(?:กำหนด|ระเบียบ|แผน|ปฏิทิน|สัญญา|รายจ่าย|กฎหมาย|มติ|คำสั่ง|ประกาศ"
    r"|หนังสือ|ข้อ|ความ|รอบ|ระยะ|กรอบ|ห้วง|วาระ|นัด|ผล)"
    r"|กำหนด\s*การ|กำหนด\s*ส่ง"
)

_SPACES_RE = re.compile(r"[^\S\n]+")
_DASHES_ONLY_RE = re.compile(r"[-–—‐−_.\s]*")


def _is_blank(text: str) -> bool:
    return _DASHES_ONLY_RE.fullmatch(text or "") is not None


def _normalize(text: str) -> str:
    """Arabic digits, SARA AM composed, zero-width characters dropped, one space per run."""
    text = arabic_digits(text)
    text = text.replace("\u0e4d\u0e32", "\u0e33")  # OCR: NIKHAHIT + SARA AA for SARA AM
    for ch in ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"):
        text = text.replace(ch, "")
    # Lines are kept; inside a line a run of 2+ spaces stays a double space, which marks
    # cells merged by OCR ("๑ วัน  ๕ นาที" is two cells, "๑ ชั่วโมง ๓๐ นาที" one length).
    lines = (
        _SPACES_RE.sub(lambda m: "  " if len(m.group()) > 1 else " ", line).strip()
        for line in text.splitlines()
    )
    return "\n".join(line for line in lines if line)


def _number(raw: str) -> Decimal:
    if raw == "ครึ่ง":
        return Decimal("0.5")
    if "/" in raw:
        num, den = raw.split("/", 1)
        return Decimal(num) / Decimal(den)
    return Decimal(raw)


def _unit_name(raw: str) -> str:
    for name, regex in _UNIT_RES:
        if regex.match(raw):
            return name
    raise ValueError(raw)


def _to_unit(value: Decimal, from_unit: str, to_unit: str) -> Decimal:
    if from_unit == to_unit:
        return value
    return value * MINUTES_PER_UNIT[from_unit] / MINUTES_PER_UNIT[to_unit]


def _clean_value(value: Decimal) -> Decimal:
    value = value.quantize(_QUANTUM).normalize()
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))  # 30, not 3E+1
    return value


def _qualifier(qb: str | None, qa: str | None) -> str | None:
    for raw, table in ((qb, _QUAL_BEFORE), (qa, _QUAL_AFTER)):
        if raw:
            for name, pattern in table:
                if re.fullmatch(pattern, raw):
                    return name
    return None


def _length(match: re.Match[str], text: str) -> Duration | None:
    g = match.groupdict()
    try:
        if g["half_unit"]:
            unit = _unit_name(g["half_unit"])
            low = high = Decimal("0.5")
        else:
            unit = _unit_name(g["unit"])
            high = _number(g["high"]) if g["high"] else None
            low = _number(g["low"])
            if g["and_half"]:
                if high is not None:
                    high += Decimal("0.5")
                else:
                    low += Decimal("0.5")
            if g["low_unit"] and high is not None:
                # "30 นาที - 1 ชั่วโมง": express both ends in the smaller unit.
                low_unit = _unit_name(g["low_unit"])
                if low_unit == "year":
                    low, low_unit = low * 12, "month"
                if unit == "year":
                    high, unit = high * 12, "month"
                if MINUTES_PER_UNIT[low_unit] < MINUTES_PER_UNIT[unit]:
                    high, unit = _to_unit(high, unit, low_unit), low_unit
                else:
                    low = _to_unit(low, low_unit, unit)
            if high is None:
                high = low
            in_years = unit == "year"
            if in_years:
                low, high, unit = low * 12, high * 12, "month"
            if g["extra"] and high == low:
                # "๑ ชั่วโมง ๓๐ นาที": a compound length when the second unit is smaller.
                extra, extra_unit = _number(g["extra"]), _unit_name(g["extra_unit"])
                smaller = extra_unit != "year" and (
                    MINUTES_PER_UNIT[extra_unit] < MINUTES_PER_UNIT[unit]
                    or (in_years and extra_unit == "month")
                )
                if smaller:
                    low = high = _to_unit(low, unit, extra_unit) + extra
                    unit = extra_unit
    except (InvalidOperation, ZeroDivisionError, ValueError):
        return None
    if low > high:
        low, high = high, low
    if high > _MAX_VALUE:
        return None
    low, high = _clean_value(low), _clean_value(high)
    per = g.get("per")
    if per:
        per = _PER_ALIASES.get(per, per)[:_PER_MAX_LENGTH]
    return Duration(
        kind="length",
        low=low,
        high=high,
        unit=unit,
        per=per or None,
        qualifier=_qualifier(g.get("qb"), g.get("qa")),
        text=text,
    )


def parse_duration(text: str | None) -> Duration:
    """Read a duration cell; never raises. See the module docstring for the shapes."""
    original = text or ""
    if _is_blank(original):
        return Duration(kind="unknown", text=original)
    norm = _normalize(original)

    bare = _BARE_RE.match(norm)
    if bare:
        fake = f"{norm} วัน"
        match = _LENGTH_RE.search(fake)
        if match and match.start() == 0:
            result = _length(match, original)
            if result is not None:
                return result

    candidates: list[tuple[int, int, Duration]] = []
    clock = _CLOCK_DATE_RE.search(norm)
    if clock:
        candidates.append((clock.start(), 0, Duration(kind="schedule", text=original)))
    for match in _LENGTH_RE.finditer(norm):
        result = _length(match, original)
        if result is not None:
            candidates.append((match.start(), 1, result))
            break
    for priority, (regex, kind) in enumerate(
        ((_IMMEDIATE_RE, "immediate"), (_ONGOING_RE, "ongoing"), (_SCHEDULE_RE, "schedule")),
        start=2,
    ):
        match = regex.search(norm)
        if match:
            candidates.append((match.start(), priority, Duration(kind=kind, text=original)))
    if not candidates:
        return Duration(kind="unknown", text=original)
    return min(candidates, key=lambda c: (c[0], c[1]))[2]
