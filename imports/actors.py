"""Actors named in the tables (ผู้รับผิดชอบ cells, chart lane headers) → one lane each.

The same actor is written many ways: "จพง. ธุรการ", "- จพง.ธุรการ", "จพง.ธุรการ ประจำงวด" (a
wrapped word of the next column), OCR's "จพง. ชุรการ". ``actor_key`` is the comparison key
(no spaces, no bullets, dots kept), the ``LaneDictionary`` counts every spelling, keeps the most
frequent as the lane's name, and maps a rare spelling that is close to a frequent one onto it
with a warning (an OCR suspect, never silently).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from difflib import SequenceMatcher

_BULLET = re.compile(r"^\s*(?:[-–—•▪●○◦*]+|\(?[๐-๙\d]{1,2}[.)])\s*")
_SPACE_AFTER_DOT = re.compile(r"\.\s+(?=[ก-๙A-Za-z])")
_SPACES = re.compile(r"\s+")
_TRAILING = re.compile(r"\s*\((?:ต่อ)\)\s*$|[\s,;:]+$")

UNIT_PREFIXES = ("ฝ่าย", "กลุ่มงาน", "กอง", "สำนักงาน", "สำนัก", "ศูนย์", "ส่วน", "งาน", "ทุกส่วนราชการ")
COMMITTEE_PREFIXES = ("คณะกรรมการ", "คณะทำงาน", "คกก.", "คณะ", "กรรมการ")
OUTSIDE_WORDS = ("หน่วยงานภายนอก", "ภายนอก", "ประชาชน", "ผู้รับบริการ", "บริษัท", "ผู้ขาย", "ผู้รับจ้าง")
POSITION_HINTS = (
    "ผู้อำนวยการ",
    "ผอ.",
    "รผอ.",
    "หัวหน้า",
    "จพง.",
    "หนผ.",
    "หนฝ.",
    "จนท.",
    "เจ้าพนักงาน",
    "เจ้าหน้าที่",
    "นัก",
    "พนักงาน",
    "เลขานุการ",
    "ปลัด",
    "รอง",
    "ผู้",
)


def clean_actor(text: str) -> str:
    """An actor as it should be shown: no bullet, no space after an abbreviation's dot."""
    value = _BULLET.sub("", text or "").strip()
    value = _SPACE_AFTER_DOT.sub(".", value)
    value = _TRAILING.sub("", value)
    return _SPACES.sub(" ", value).strip(" -")


# Abbreviations the manuals mix with the full words (the same actor either way).
_ABBREVIATIONS = (
    ("หนผ.", "หัวหน้าฝ่าย"),
    ("หนฝ.", "หัวหน้าฝ่าย"),
    ("จนท.", "เจ้าหน้าที่"),
    ("เจ้าพนักงาน", "จพง."),
)


def actor_key(text: str) -> str:
    key = _SPACES.sub("", clean_actor(text)).lower()
    for short, full in _ABBREVIATIONS:
        key = key.replace(short, full)
    return key


def _looks_like_actor(text: str) -> bool:
    value = clean_actor(text)
    return bool(value) and (
        value.startswith(UNIT_PREFIXES + COMMITTEE_PREFIXES + POSITION_HINTS) or value.endswith(".")
    )


_SPACE_SPLIT = re.compile(
    r"\s+(?=(?:จพง\.|หนผ\.|หนฝ\.|หัวหน้า|เจ้าหน้าที่|เจ้าพนักงาน|ผู้อำนวยการ|ผอ\.|คณะกรรมการ|คณะทำงาน|นัก))"
)


def _split_on_space(name: str) -> list[str]:
    """Two actors whose line break was lost: "ผู้รับจ้าง เจ้าหน้าที่พัสดุ"."""
    parts = _SPACE_SPLIT.split(name)
    if len(parts) > 1 and all(_looks_like_actor(p) and len(p) >= 4 for p in parts):
        return parts
    return [name]


def split_actors(text: str) -> list[str]:
    """The actors one cell names: one per line, "/" or "," between them, or " และ " when both
    sides read as actors. "จพง.การเงินและบัญชี" stays one."""
    out: list[str] = []
    # bullets written inline ("จพง.ธุรการ - หัวหน้าฝ่าย…") start a new actor too
    text = re.sub(r"(?:(?<=\s)|^)[-–•▪]\s*(?=[ก-๙A-Za-z])", "\n", text or "")
    for line in text.split("\n"):
        line = line.strip()
        if not line or line in ("-", "–"):
            continue
        for part in re.split(r"\s*[/,]\s*|\.{2,}|…+", line):
            part = part.strip()
            if not part:
                continue
            pieces = re.split(r"\s*หรือ\s*|\s+และ\s+|และ(?=[ก-๙]{2,6}\.$)", part)
            if not (len(pieces) > 1 and all(_looks_like_actor(p) for p in pieces)):
                pieces = [part]
            for piece in pieces:
                out.extend(_split_on_space(clean_actor(piece)))
    return [a for a in out if a and len(a) > 1]


def lane_kind(name: str, units: set[str] | None = None) -> str:
    """unit / committee / outside / position, from the name's first words."""
    value = clean_actor(name)
    if units and actor_key(value) in units:
        return "unit"
    if value.startswith(COMMITTEE_PREFIXES):
        return "committee"
    if any(word in value for word in OUTSIDE_WORDS):
        return "outside"
    if value.startswith(UNIT_PREFIXES) and not value.startswith(("งานที่",)):
        return "unit"
    return "position"


@dataclass
class LaneDictionary:
    """Every spelling of every actor met in the source, to one lane name each."""

    counts: Counter = field(default_factory=Counter)
    spellings: dict[str, Counter] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)  # key → canonical key
    suspects: list[tuple[str, str]] = field(default_factory=list)  # (spelling, suggestion)

    def add(self, name: str, weight: int = 1) -> None:
        key = actor_key(name)
        if not key:
            return
        self.counts[key] += weight
        self.spellings.setdefault(key, Counter())[clean_actor(name)] += weight

    def resolve(self, threshold: float = 0.8) -> None:
        """Map rare spellings onto close frequent ones (OCR suspects), most frequent first."""
        ordered = [k for k, _ in self.counts.most_common()]
        canonical: list[str] = []
        for key in ordered:
            best, best_ratio = None, 0.0
            for other in canonical:
                if abs(len(other) - len(key)) > 3 or self.counts[other] < self.counts[key]:
                    continue
                matcher = SequenceMatcher(None, key, other, autojunk=False)
                ratio = matcher.ratio()
                ops = matcher.get_opcodes()
                if ops and ops[0][0] != "equal":
                    continue  # a different first word: รองผู้อำนวยการ is not ผู้อำนวยการ
                if ratio > best_ratio:
                    best, best_ratio = other, ratio
            if best is not None and best_ratio >= threshold and len(key) >= 5:
                self.aliases[key] = best
                self.suspects.append((self.display(key), self.display(best)))
            else:
                canonical.append(key)

    def canonical_key(self, name: str) -> str:
        key = actor_key(name)
        return self.aliases.get(key, key)

    def display(self, key: str) -> str:
        spellings = self.spellings.get(key)
        if not spellings:
            return key
        return spellings.most_common(1)[0][0]

    def name(self, spelling: str) -> str:
        """The lane name a spelling stands for."""
        return self.display(self.canonical_key(spelling))
