"""Paste a table into a process's step table: what a clerk copies out of Word or a PDF reader.

The browser sends the clipboard's ``text/html`` (Word, LibreOffice, most PDF readers) or its
``text/plain`` (tab-separated rows). ``paste_preview`` parses it (``imports.tables``), maps the
columns by their header words (``imports.columns``) unless the user chose otherwise, and returns
the rows as they would become steps. ``paste_add`` adds them all, in order, at the end of the
process, in one transaction through ``processes.services.step_insert`` (permissions, numbering,
durations parsed there); actors become lanes by their normalised name.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.changes import changes_deferred
from core.thai import arabic_digits, thai_number
from manuals.models import Form, Lane
from manuals.permissions import require
from manuals.services import content_row_create, lane_get_or_create, stamp
from processes.models import Process, Step

EDIT = "manuals.edit_edition"
MAX_ROWS = 300
MAX_CHARS = 1_000_000
HEADER_CELL_MAX = 60

# What a pasted column can become (Step fields); "" leaves the column out.
PASTE_FIELDS: list[tuple[str, str]] = [
    ("", gettext_lazy("ไม่นำเข้า")),
    ("detail", gettext_lazy("รายละเอียดของงาน")),
    ("label", gettext_lazy("ข้อความในแผนผัง")),
    ("lane", gettext_lazy("ผู้รับผิดชอบ")),
    ("duration_text", gettext_lazy("ระยะเวลา")),
    ("headcount", gettext_lazy("จำนวนผู้ปฏิบัติงาน")),
    ("quality_standard", gettext_lazy("มาตรฐานคุณภาพงาน")),
    ("monitoring", gettext_lazy("ระบบติดตามประเมินผล")),
    ("forms", gettext_lazy("แบบฟอร์มที่ใช้")),
    ("references", gettext_lazy("เอกสารอ้างอิง")),
]
FIELD_NAMES = {name for name, _label in PASTE_FIELDS if name}
# Names the column recogniser may use for the same Step fields.
ALIASES = {
    "actor": "lane",
    "responsible": "lane",
    "lane_name": "lane",
    "duration": "duration_text",
    "standard": "quality_standard",
    "quality": "quality_standard",
    "form": "forms",
    "reference": "references",
    "headcount_text": "headcount",
    "text": "detail",
}


class PasteRefused(ValidationError):
    """The pasted content is not a table of steps: a Thai message."""

    def __str__(self) -> str:
        return self.messages[0]


@dataclass
class PastePreview:
    """A parsed paste: the header (if any), the data rows, the field each column goes to."""

    header: list[str] | None
    rows: list[list[str]]
    mapping: list[str]
    skipped: int = 0
    warnings: list[str] = field(default_factory=list)

    @property
    def width(self) -> int:
        return len(self.mapping)

    @property
    def steps(self) -> list[dict[str, str]]:
        """Each row as field → text, the way it will be stored (several columns join)."""
        return [_row_fields(row, self.mapping) for row in self.rows]

    @property
    def marked_rows(self) -> list[list[tuple[str, bool]]]:
        """Each row's cells with whether their column is taken (for the preview table)."""
        return [
            [(cell, bool(name)) for cell, name in zip(row, self.mapping, strict=False)]
            for row in self.rows
        ]

    @property
    def step_count(self) -> int:
        return sum(1 for data in self.steps if _has_content(data))


def _cell_text(cell) -> str:
    text = cell if isinstance(cell, str) else getattr(cell, "text", None)
    if text is None:
        text = str(cell)
    lines = [" ".join(line.split()) for line in str(text).replace("\r", "\n").split("\n")]
    return "\n".join(line for line in lines if line)


def _as_rows(parsed) -> list[list[str]]:
    """Rows of cell texts from whatever the table reader returned (one table, or several:
    the largest is the step table)."""
    if not parsed:
        return []
    first = parsed[0]
    if isinstance(first, (list, tuple)) and first and isinstance(first[0], (list, tuple)):
        parsed = max(parsed, key=len)
    elif hasattr(first, "rows"):
        parsed = max(parsed, key=lambda t: len(t.rows)).rows
    rows = []
    for row in parsed:
        cells = getattr(row, "cells", row)
        rows.append([_cell_text(c) for c in cells])
    width = max((len(r) for r in rows), default=0)
    return [r + [""] * (width - len(r)) for r in rows]


def paste_rows(*, html: str = "", text: str = "") -> list[list[str]]:
    """The pasted table as rows of cell texts (HTML first, else tab-separated text)."""
    from imports.tables import parse_html_tables, parse_tsv

    html, text = (html or "").strip(), (text or "").strip()
    if len(html) + len(text) > MAX_CHARS:
        raise PasteRefused(_("ข้อความที่วางยาวเกินไป กรุณาวางทีละส่วน (ไม่เกิน ๓๐๐ แถว)"))
    rows: list[list[str]] = []
    if html:
        try:
            rows = _as_rows(parse_html_tables(html))
        except Exception:  # a broken clipboard: fall back to the plain text
            rows = []
    if not rows and text:
        try:
            rows = _as_rows(parse_tsv(text))
        except Exception as exc:
            raise PasteRefused(
                _("อ่านข้อความที่วางไม่ได้ กรุณาคัดลอกตารางจากไฟล์ Word หรือ PDF อีกครั้ง")
            ) from exc
    rows = [r for r in rows if any(c.strip() for c in r)]
    if not rows:
        raise PasteRefused(
            _("ไม่พบตารางในข้อความที่วาง กรุณาคัดลอกทั้งตาราง (หลายคอลัมน์) จาก Word หรือ PDF แล้ววางอีกครั้ง")
        )
    if max(len(r) for r in rows) < 2:
        raise PasteRefused(
            _("ข้อความที่วางมีเพียงคอลัมน์เดียว จึงไม่ใช่ตารางขั้นตอน กรุณาคัดลอกทั้งตารางให้ครบทุกคอลัมน์")
        )
    return rows


def _normal_field(name) -> str:
    name = ALIASES.get(name or "", name or "")
    return name if name in FIELD_NAMES else ""


def guess_mapping(header: list[str]) -> list[str]:
    """The field each column goes to, from its header words (imports.columns)."""
    found = _map_columns(tuple(header))
    mapping = [""] * len(header)
    for index, name in dict(found).items():
        if isinstance(index, int) and 0 <= index < len(header):
            mapping[index] = _normal_field(name)
    return mapping


def _has_content(data: dict[str, str]) -> bool:
    return any(v.strip() for v in data.values())


def _row_fields(row: list[str], mapping: list[str]) -> dict[str, str]:
    data: dict[str, list[str]] = {}
    for cell, name in zip(row, mapping, strict=False):
        if name and cell.strip():
            data.setdefault(name, []).append(cell.strip())
    return {name: "\n".join(parts) for name, parts in data.items()}


@functools.lru_cache(maxsize=256)
def _map_columns(cells: tuple[str, ...]) -> dict[int, str]:
    from imports.columns import map_columns

    return dict(map_columns(list(cells)) or {})


@functools.lru_cache(maxsize=256)
def _is_header(cells: tuple[str, ...]) -> bool:
    from imports.columns import is_step_header

    return is_step_header(list(cells))


def _short(row: list[str]) -> bool:
    """Header cells are a few words; a row with a long cell is a step (and scoring its cells
    against every header spelling would cost more than the whole preview)."""
    return max((len(c) for c in row), default=0) <= HEADER_CELL_MAX


def _header_index(rows: list[list[str]]) -> int | None:
    """Which of the first rows is the header: a full step-table header, else a first row with
    at least two header words (a title line copied above the table comes before it)."""
    for index, row in enumerate(rows[:5]):
        if _short(row) and _is_header(tuple(row)):
            return index
    return 0 if len(_map_columns(tuple(rows[0]))) >= 2 else None


def paste_preview(*, html: str = "", text: str = "", mapping: list[str] | None = None):
    """The rows a paste would add and where each column goes; ``mapping`` is the user's
    choice per column (else it is found from the header row)."""
    rows = paste_rows(html=html, text=text)
    at = _header_index(rows)
    header = rows[at] if at is not None else None
    body = rows[at + 1 :] if at is not None else rows
    skipped = at or 0
    width = len(rows[0])
    if mapping is not None:
        chosen = [_normal_field(m) for m in list(mapping)[:width]]
        chosen += [""] * (width - len(chosen))
    elif header is not None:
        chosen = guess_mapping(header)
    else:
        chosen = _mapping_without_header(body, width)
    kept: list[list[str]] = []
    for row in body:
        # a header repeated at each page break of the source is not a step
        if header is not None and (row == header or (_short(row) and _is_header(tuple(row)))):
            skipped += 1
            continue
        kept.append(row)
    if len(kept) > MAX_ROWS:
        raise PasteRefused(
            _("วางได้ครั้งละไม่เกิน %(max)s แถว ข้อความที่วางมี %(n)s แถว กรุณาวางทีละส่วน")
            % {"max": thai_number(MAX_ROWS), "n": thai_number(len(kept))}
        )
    preview = PastePreview(header=header, rows=kept, mapping=chosen, skipped=skipped)
    if header is None:
        preview.warnings.append(
            _("ไม่พบแถวหัวตาราง ระบบจึงเดาคอลัมน์ให้ กรุณาตรวจว่าแต่ละคอลัมน์ตรงกับช่องที่ถูกต้อง")
        )
    if not any(m in ("detail", "label") for m in chosen):
        preview.warnings.append(_("ยังไม่มีคอลัมน์ใดเป็นรายละเอียดของงาน กรุณาเลือกอย่างน้อยหนึ่งคอลัมน์"))
    return preview


def _mapping_without_header(body: list[list[str]], width: int) -> list[str]:
    """No header: the column with the most text is the work detail, the rest left out."""
    lengths = [sum(len(r[i]) for r in body) for i in range(width)]
    mapping = [""] * width
    mapping[lengths.index(max(lengths))] = "detail"
    return mapping


# --- adding the steps -------------------------------------------------------------------------

_ACTOR_SPLIT = re.compile(r"\s*/\s*|\n+|\s+และ\s*|\s*,\s*")
_FORM_SPLIT = re.compile(r"\n+|\s*,\s*")
_START = re.compile(r"^(จุด)?เริ่ม(ต้น)?(กระบวนการ)?$")
_END = re.compile(r"^(จุด)?(สิ้นสุด|จบ)(กระบวนการ)?$")


def lane_key(name: str) -> str:
    """A lane's name for matching: no spaces, no dots (จพง. ธุรการ = จพง.ธุรการ = จพงธุรการ)."""
    return re.sub(r"[\s.]+", "", name or "")


def _clean_actor(name: str) -> str:
    return re.sub(r"\.\s+", ".", " ".join(name.split())).strip(" .-")


def actors_of(text: str) -> list[str]:
    """The actors named in a responsibility cell: "/", "และ", commas or lines separate them."""
    seen, names = set(), []
    for part in _ACTOR_SPLIT.split(text or ""):
        name = _clean_actor(part)
        if name and lane_key(name) not in seen:
            seen.add(lane_key(name))
            names.append(name)
    return names


class _Lanes:
    """The edition's lanes by normalised name; new ones made on first use."""

    def __init__(self, edition, by):
        self.edition, self.by = edition, by
        self.by_key: dict[str, Lane] = {}
        for lane in Lane.objects.filter(edition=edition).order_by("position"):
            for name in (lane.name, lane.full_name):
                if name:
                    self.by_key.setdefault(lane_key(name), lane)

    def get(self, name: str) -> Lane:
        key = lane_key(name)
        lane = self.by_key.get(key)
        if lane is None:
            lane = lane_get_or_create(edition=self.edition, name=name, by=self.by)
            self.by_key[key] = lane
        return lane


class _Forms:
    """The edition's forms by normalised code; an unknown form is added to the manual's list."""

    def __init__(self, edition, by):
        self.edition, self.by = edition, by
        self.by_key = {lane_key(f.code): f for f in Form.objects.filter(edition=edition)}

    def get(self, text: str) -> Form:
        key = lane_key(text)
        form = self.by_key.get(key)
        if form is None:
            form = next((f for k, f in self.by_key.items() if k and k in key), None)
        if form is None:
            form = content_row_create(
                model=Form,
                by=self.by,
                parent={"edition": self.edition},
                data={"code": text[:80], "title": text[80:380]},
            )
            self.by_key[key] = form
        return form


def _headcount(text: str) -> tuple[int | None, str]:
    digits = arabic_digits(text or "").strip()
    match = re.fullmatch(r"(\d{1,4})\s*(คน)?", digits)
    if match:
        return int(match.group(1)), ""
    return None, (text or "").strip()[:100]


def _shape(data: dict[str, str]) -> str:
    words = lane_key(data.get("label") or data.get("detail") or "")
    if _START.match(words):
        return Step.Shape.START
    if _END.match(words):
        return Step.Shape.END
    return Step.Shape.ACTIVITY


@transaction.atomic
def paste_add(
    *, process: Process, by, html: str = "", text: str = "", mapping: list[str] | None = None
) -> list[Step]:
    """Lets a unit editor add every row of a pasted table as steps at the end of the process,
    all or nothing."""
    require(by, EDIT, process)
    preview = paste_preview(html=html, text=text, mapping=mapping)
    if not any(m in ("detail", "label") for m in preview.mapping):
        raise PasteRefused(_("กรุณาเลือกอย่างน้อยหนึ่งคอลัมน์เป็นรายละเอียดของงานหรือข้อความในแผนผัง"))
    rows = [data for data in preview.steps if _has_content(data)]
    if not rows:
        raise PasteRefused(_("ไม่มีแถวที่มีข้อความในคอลัมน์ที่เลือก จึงไม่ได้เพิ่มขั้นตอน"))
    from processes.services import step_insert

    with changes_deferred():  # the search index follows once, not once per step
        edition = process.edition
        lanes, forms = _Lanes(edition, by), _Forms(edition, by)
        added: list[Step] = []
        for data in rows:
            values: dict = {
                name: data.get(name, "")
                for name in ("detail", "quality_standard", "monitoring", "references")
            }
            values["label"] = data.get("label", "")[:400]
            values["duration_text"] = " ".join(data.get("duration_text", "").split())[:200]
            values["shape"] = _shape(data)
            headcount, headcount_text = _headcount(data.get("headcount", ""))
            values["headcount"] = headcount
            actors = actors_of(data.get("lane", ""))
            if actors:
                values["lane"] = lanes.get(actors[0])
                values["other_lanes"] = [lanes.get(a) for a in actors[1:]]
            form_texts = [t.strip() for t in _FORM_SPLIT.split(data.get("forms", "")) if t.strip()]
            if form_texts:
                values["forms"] = [forms.get(t) for t in form_texts]
            step = step_insert(process=process, by=by, data=values)
            if headcount_text:
                step.headcount_text = headcount_text
                stamp(step, by).save()
            added.append(step)
    return added
