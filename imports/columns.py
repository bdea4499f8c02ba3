"""Which column of a table holds which field, from its header words.

Manuals spell their headers in many ways ("รายละเอียดของงาน", "รายละเอียด ของงาน",
"รายละเอียดงาน"), OCR misreads them ("ฝั่งกระบวนการ" for ผังกระบวนการ, "ผู้รับผิดขอบ") and page
breaks put a running head where a column name should be. A header cell is normalised (spaces,
dots, slashes and brackets dropped) and scored against every known spelling of every field:
equal scores 1, a spelling contained in the cell (or the cell in a spelling) scores by how much
of the longer one the shorter covers (so a short word such as ที่ inside a running head does not
count), otherwise the similarity ratio. Each field goes to the best-scoring column;
cells that score below the threshold are left unmapped (their text lands in unplaced text).
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from functools import lru_cache

THRESHOLD = 0.72

# The Step model's fields, with the header words the manuals use for them (Tables 3 and 5,
# seed 002's 4–5 column step table, the clipboard of a Word table).
STEP_COLUMNS: dict[str, tuple[str, ...]] = {
    "position": ("ที่", "ลำดับ", "ลำดับที่", "ขั้นตอนที่", "ข้อ", "เลขที่", "no"),
    "label": (
        "flow",
        "flowchart",
        "ผังกระบวนการ",
        "ผังกระบวนการงาน",
        "ผังงาน",
        "แผนผัง",
        "แผนผังกระบวนการ",
        "ผังการไหล",
        "สัญลักษณ์",
    ),
    "detail": (
        "รายละเอียดของงาน",
        "รายละเอียดงาน",
        "รายละเอียด",
        "รายละเอียดการปฏิบัติงาน",
        "ขั้นตอนการปฏิบัติงาน",
        "ขั้นตอนการดำเนินการ",
        "ขั้นตอนการดำเนินการของกระบวนการ",
        "ขั้นตอนการดำเนินงาน",
        "กิจกรรม",
        "ขั้นตอน",
        "งาน",
    ),
    "lane": (
        "ผู้รับผิดชอบ",
        "ผู้รับผิดชอบหลัก",
        "ผู้ปฏิบัติ",
        "ผู้ปฏิบัติงาน",
        "ผู้ดำเนินการ",
        "หน่วยงานผู้รับผิดชอบ",
        "หน่วยงานที่รับผิดชอบ",
        "ผู้รับผิดขอบ",
        "ผู้รับผิคชอบ",
    ),
    "duration_text": (
        "ระยะเวลา",
        "ระยะเวลาวัน",
        "ระยะเวลาดำเนินการ",
        "ระยะเวลาปฏิบัติงาน",
        "เวลา",
        "ระยะเวลาที่ใช้",
        "ระยะเวลาการปฏิบัติงาน",
    ),
    "headcount_text": (
        "จำนวนผู้ปฏิบัติงาน",
        "จำนวนผู้ปฏิบัติงานคน",
        "จำนวนคน",
        "จำนวนผู้ปฏิบัติ",
        "อัตรากำลัง",
    ),
    "quality_standard": (
        "มาตรฐานคุณภาพงาน",
        "มาตรฐานงาน",
        "มาตรฐานคุณภาพ",
        "มาตรฐาน",
        "มาตรฐานการปฏิบัติงาน",
    ),
    "monitoring": (
        "ระบบติดตามประเมินผล",
        "ระบบติดตามประเมินผลงาน",
        "การติดตามประเมินผล",
        "ระบบการติดตามประเมินผล",
        "ติดตามประเมินผล",
        "การควบคุมติดตาม",
    ),
    "forms": ("แบบฟอร์ม", "แบบฟอร์มที่ใช้", "เอกสารแบบฟอร์ม", "แบบฟอร์มที่เกี่ยวข้อง", "แบบพิมพ์"),
    "references": (
        "เอกสารอ้างอิง",
        "หลักฐานอ้างอิง",
        "อ้างอิง",
        "เอกสารที่เกี่ยวข้อง",
        "กฎหมายที่เกี่ยวข้อง",
        "เอกสารอ้างอิงกฎหมาย",
    ),
}

# Table 1 (scope of the unit).
SCOPE_COLUMNS: dict[str, tuple[str, ...]] = {
    "mission": ("พันธกิจภารกิจ", "พันธกิจ", "ภารกิจ", "หน้าที่"),
    "process": ("กระบวนการ", "ชื่อกระบวนการ", "กระบวนการหลัก"),
    "scope": ("ขอบเขต", "ขอบเขตกระบวนการ", "ขอบเขตของกระบวนการ"),
    "responsible_unit": ("หน่วยงานรับผิดชอบ", "ผู้รับผิดชอบ", "หน่วยงานที่รับผิดชอบ"),
}

# The header of Table 4 (the chart): duration and headcount columns then one column per lane.
CHART_COLUMNS: dict[str, tuple[str, ...]] = {
    "duration_text": ("ระยะเวลา", "ระยะเวลาวัน", "ระยะเวลาดำเนินการ"),
    "headcount_text": ("จำนวนผู้ปฏิบัติงาน", "จำนวนผู้ปฏิบัติงานคน", "จำนวนคน"),
}

# OCR and line-wrap confusions seen in the manuals' headers, undone before matching.
_OCR_FIXES = (("ฝั่ง", "ผัง"), ("ฝัง", "ผัง"), ("ขอบ", "ชอบ"), ("ผิค", "ผิด"), ("\u0e4d\u0e32", "\u0e33"))
_DROP = re.compile(r"[\s\u200b./\\()\[\]{}:;,\-–—_*'\"“”‘’?!|]+")
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


@lru_cache(maxsize=50_000)
def normalise_header(text: str) -> str:
    """A header cell reduced to its letters: lower case, no spaces, dots, slashes or brackets."""
    value = (text or "").lower().translate(_THAI_DIGITS)
    value = re.sub(r"<[^>]+>", " ", value)
    value = _DROP.sub("", value)
    for wrong, right in _OCR_FIXES:
        value = value.replace(wrong, right)
    return value


@lru_cache(maxsize=200_000)
def _score(cell: str, spelling: str) -> float:
    if not cell or not spelling:
        return 0.0
    if cell == spelling:
        return 1.0
    if spelling in cell:
        # "ระยะเวลา(วัน)" → ระยะเวลาวัน; a long cell with a short spelling scores lower.
        return 0.6 + 0.39 * len(spelling) / len(cell)
    if cell in spelling and len(cell) >= 3:
        return 0.75 + 0.2 * len(cell) / len(spelling)
    if len(cell) > 2 * len(spelling) + 4 or len(spelling) > 2 * len(cell) + 4:
        return 0.0  # too different in length to be a misspelling
    matcher = SequenceMatcher(None, cell, spelling, autojunk=False)
    if matcher.real_quick_ratio() < 0.6 or matcher.quick_ratio() < 0.6:
        return 0.0
    return matcher.ratio()


def score_header(cell: str, vocabulary: dict[str, tuple[str, ...]]) -> tuple[str | None, float]:
    """The best field for one header cell and its score."""
    norm = normalise_header(cell)
    best, best_score = None, 0.0
    for name, spellings in vocabulary.items():
        for spelling in spellings:
            s = _score(norm, normalise_header(spelling))
            if s > best_score:
                best, best_score = name, s
    return best, best_score


def map_header(
    header_cells: list[str],
    vocabulary: dict[str, tuple[str, ...]],
    threshold: float = THRESHOLD,
) -> dict[int, str]:
    """{column index: field name}, each field at most once, best matches first."""
    candidates = []
    for index, cell in enumerate(header_cells):
        norm = normalise_header(cell)
        if not norm:
            continue
        for name, spellings in vocabulary.items():
            s = max(_score(norm, normalise_header(sp)) for sp in spellings)
            if s >= threshold:
                candidates.append((s, -index, index, name))
    candidates.sort(reverse=True)
    mapping: dict[int, str] = {}
    used: set[str] = set()
    for _s, _neg, index, name in candidates:
        if index in mapping or name in used:
            continue
        mapping[index] = name
        used.add(name)
    return dict(sorted(mapping.items()))


def map_columns(header_cells: list[str]) -> dict[int, str]:
    """{column index: Step field name} for a step table's header row.

    Field names are the Step model's: position (the ที่ column), label (the chart/Flow column),
    detail, lane, duration_text, headcount_text, quality_standard, monitoring, forms,
    references."""
    return map_header(header_cells, STEP_COLUMNS)


def header_score(header_cells: list[str], vocabulary: dict[str, tuple[str, ...]]) -> int:
    """How many columns of a row read as header words of ``vocabulary`` (a header row test)."""
    return len(map_header(header_cells, vocabulary, threshold=0.8))


def is_step_header(cells: list[str]) -> bool:
    """A row that is a step table's header (also when repeated at a page break)."""
    mapping = map_header(cells, STEP_COLUMNS, threshold=0.8)
    return "detail" in mapping.values() and len(mapping) >= 3
