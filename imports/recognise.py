"""One recogniser for every reader: blocks → the parts of a manual, with a ledger of characters.

It walks the blocks once, keeping
- the section (front matter by its headings, ตารางที่ ๑–๕, back matter by its headings), set by
  the headings and confirmed by each table's header words (a running head "ตารางที่ ๕" above a
  chart does not make the chart a step table);
- the process the text is about: every heading or paragraph such as "กระบวนการ ๑.๒ …",
  "๑.๑.๑ กระบวนการย่อย…" or "๑.๒. … และ ๑.๓. …" (a Table 2 block shared by a group). A manual
  laid out table by table names each process again in each section: the name is joined to the
  process Table 1 gave that number when the titles agree, else to the process whose title
  matches, and every disagreement is a warning.

Every character of the source is accounted for: placed in a field, kept as unplaced text (with
its location and the process it came nearest to), or structure the printed manual regenerates
(repeated header rows, running heads, "(ต่อ)" headings, the table of contents, the symbol
legend, chart connectors). ``Recognised.ledger`` holds the three counts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from django.utils.translation import gettext as _

from core.thai import arabic_digits, thai_digits
from imports import mermaid
from imports.actors import LaneDictionary, split_actors
from imports.columns import (
    CHART_COLUMNS,
    SCOPE_COLUMNS,
    STEP_COLUMNS,
    map_header,
    normalise_header,
)
from imports.readers import Block, location_text, source_chars
from imports.repairs import join_wraps, ocr_suspects

_NUMBER = r"[๐-๙0-9]{1,2}(?:\s*\.\s*[๐-๙0-9]{1,2}){1,3}"
_PROCESS_REF = re.compile(
    rf"(?:^|(?<=\s)|(?<=^[#\s]))(?:กระบวนการ(?:ที่|ย่อย(?:ที่)?)?\s*)?({_NUMBER})\.?(?:\s+|(?=[ก-๙A-Za-z]))"
)
_CONTINUED = re.compile(r"\s*[\(（]\s*ต่อ\s*[\)）]\s*$")
_TABLE_MARK = re.compile(r"^\s*ตารางที่\s*([๑-๕1-5])\b")
_PAGE_NUMBER = re.compile(r"^[\s\-–—๐-๙0-9]{1,8}$")
_ITEM_START = re.compile(r"^\s*(?:[-–—•▪●○◦*]|\(?[๐-๙0-9]{1,2}[.)]\s)")
_PERCENT = re.compile(r"ร้อยละ\s*[๐-๙0-9.,]+|[๐-๙0-9.,]+\s*%")
_YEAR_BE = re.compile(
    r"(?:ฉบับ(?:ปรับปรุง)?|ประจำปี|ปีงบประมาณ)\s*(?:ปี\s*)?(?:พ\.\s*ศ\.)?\s*([๒2][๕5][๐-๙0-9]{2})"
)
_PROFILE = re.compile(r"^กระบวนการ\s*[:：]\s*(.+?)\s*(?:\((กระบวนการ[^)]*)\))?\s*$")
_PROFILE_FIELD = re.compile(r"^(ตัวชี้วัด\s*/?\s*เป้าหมาย|เจ้าภาพ[^:：]*)\s*[:：]\s*(.*)$", re.S)
_DEFINITION = re.compile(r"^[“\"']?\s*(.+?)\s*[”\"']\s*(\([^)]*\))?\s*หมายถึง\s*(.*)$", re.S)

FRONT_HEADINGS = (
    ("คำนำ", "preface"),
    ("บทนำ", "background"),
    ("หน้าที่และอำนาจ", "structure_duties"),
    ("สารบัญ", "toc"),
    ("บทสรุปสำหรับผู้บริหาร", "executive_summary"),
    ("บทสรุปผู้บริหาร", "executive_summary"),
    ("ความเป็นมา", "background"),
    ("วัตถุประสงค์", "objectives"),
    ("โครงสร้าง", "structure_duties"),
    ("อำนาจหน้าที่", "structure_duties"),
    ("อัตรากำลัง", "structure_duties"),
)
BACK_HEADINGS = (
    ("คำจำกัดความ", "definitions"),
    ("นิยามศัพท์", "definitions"),
    ("คำอธิบายสัญลักษณ์", "symbols"),
    ("สัญลักษณ์ที่ใช้", "symbols"),
    ("คำอธิบายอักษรย่อ", "abbreviations"),
    ("อักษรย่อ", "abbreviations"),
    ("หน้าที่ความรับผิดชอบ", "responsibilities"),
)
_T2_STAKEHOLDERS = ("ผู้เกี่ยวข้อง", "ความต้องการ")
_T2_LEGAL = {
    "legal": ("ข้อกำหนดด้านกฎหมาย", "กฎหมายที่เกี่ยวข้อง", "ข้อกำหนดทางกฎหมาย"),
    "efficiency": ("ประสิทธิภาพของกระบวนการ", "ประสิทธิภาพ"),
    "cost": ("ความคุ้มค่า", "ความคุ้มค่าของกระบวนการ"),
}
_T2_INDICATORS = {"internal": ("ภายใน", "ตัวชี้วัดภายใน"), "outcome": ("ผลกระบวนการ", "ผลลัพธ์")}


def number_tuple(text: str) -> tuple[int, ...]:
    return tuple(int(p) for p in re.split(r"\s*\.\s*", arabic_digits(text).strip(". ")) if p)


def dotted(number: tuple[int, ...]) -> str:
    return thai_digits(".".join(str(n) for n in number))


def _title_key(text: str) -> str:
    value = _CONTINUED.sub("", text or "")
    value = re.sub(r"^(ขั้นตอนการปฏิบัติงาน|แผนผังกระบวนการ(งาน)?|แผนผัง)", "", value.strip())
    value = re.sub(r"^กระบวนการ(ย่อย)?(งาน)?|^งาน|^การ", "", value.strip())
    value = re.sub(r"กระบวนการ(ย่อย)?|งาน|การ|ด้าน", "", value)
    return re.sub(r"[\s.:\-–—()]+", "", value)


def title_similarity(a: str, b: str) -> float:
    ka, kb = _title_key(a), _title_key(b)
    if not ka or not kb:
        return 0.0
    if ka in kb or kb in ka:
        return 0.9 + 0.1 * min(len(ka), len(kb)) / max(len(ka), len(kb))
    return SequenceMatcher(None, ka, kb).ratio()


def process_refs(text: str) -> list[tuple[tuple[int, ...], str]]:
    """[(number, title)] named by a heading such as "กระบวนการ ๑.๒ …" or "๑.๒. … และ ๑.๓. …"."""
    value = _CONTINUED.sub("", (text or "").strip().lstrip("#").strip())
    if len(value) > 250 or not value:
        return []
    matches = list(_PROCESS_REF.finditer(value))
    if not matches or matches[0].start() > 12:
        return []
    if matches[0].start() > 0 and not re.match(r"^\s*(?:กระบวนการ|แผนผัง)", value):
        return []
    refs = []
    for i, match in enumerate(matches):
        if i > 0 and not re.search(r"(และ|,|/)\s*(กระบวนการ\s*)?$", value[: match.start()]):
            continue
        end = len(value)
        for later in matches[i + 1 :]:
            if re.search(r"(และ|,|/)\s*(กระบวนการ\s*)?$", value[: later.start()]):
                end = later.start()
                break
        title = value[match.end() : end].strip()
        title = re.sub(r"\s*(และ|,|/)\s*(กระบวนการ)?\s*$", "", title).strip(" :.-")
        number = number_tuple(match.group(1))
        if len(number) >= 2 and all(0 < n < 100 for n in number):
            refs.append((number, title))
    return refs


@dataclass
class Warning_:
    code: str
    message: str
    page: int | None = None
    line: int | None = None
    process: str = ""
    before: str = ""
    after: str = ""

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "message": self.message,
            "location": location_text(self.page, self.line),
            "page": self.page,
            "line": self.line,
            "process": self.process,
            "before": self.before,
            "after": self.after,
        }


@dataclass
class PStep:
    number: str = ""
    label: str = ""
    detail: str = ""
    actors: str = ""
    duration: str = ""
    headcount: str = ""
    quality: str = ""
    monitoring: str = ""
    forms: str = ""
    references: str = ""
    shape: str = "activity"
    start_before: bool = False
    end_after: bool = False
    branches: list = field(default_factory=list)  # (label, target label)
    page: int | None = None
    line: int | None = None

    FIELDS = {
        "label": "label",
        "detail": "detail",
        "lane": "actors",
        "duration_text": "duration",
        "headcount_text": "headcount",
        "quality_standard": "quality",
        "monitoring": "monitoring",
        "forms": "forms",
        "references": "references",
    }


@dataclass
class PNode:
    number: tuple[int, ...]
    title: str = ""
    mission: int | None = None
    scope_text: str = ""
    responsible_unit: str = ""
    stakeholders: list = field(default_factory=list)  # (kind, name, needs)
    key_requirements: list = field(default_factory=list)
    indicators: list = field(default_factory=list)  # (kind, statement, target)
    legal: list = field(default_factory=list)
    efficiency: list = field(default_factory=list)
    cost: list = field(default_factory=list)
    steps: dict = field(default_factory=dict)  # "t3" / "t5" → [PStep]
    chart_lanes: list = field(default_factory=list)
    chart_headcount: str = ""
    chart_duration: str = ""
    chart_nodes: list = field(default_factory=list)  # (label, shape, page, line)
    chart_edges: list = field(default_factory=list)  # (from label, to label, label)
    seen_in: set = field(default_factory=set)
    page: int | None = None
    line: int | None = None

    @property
    def label(self) -> str:
        return dotted(self.number)


@dataclass
class Mission:
    position: int
    unit: str
    text: str = ""


@dataclass
class Recognised:
    title: str = "คู่มือการปฏิบัติงาน"
    cover: list = field(default_factory=list)
    year_be: int | None = None
    front: dict = field(default_factory=dict)
    missions: dict = field(default_factory=dict)  # position → Mission
    nodes: dict = field(default_factory=dict)  # number → PNode
    definitions: list = field(default_factory=list)
    abbreviations: list = field(default_factory=list)
    responsibilities: list = field(default_factory=list)
    unplaced: list = field(default_factory=list)  # dicts: text, page, line, reason, process
    warnings: list = field(default_factory=list)
    lanes: LaneDictionary = field(default_factory=LaneDictionary)
    units: list = field(default_factory=list)  # unit names met in Table 1 / chart headers
    ledger: dict = field(default_factory=lambda: {"placed": 0, "unplaced": 0, "structure": 0})
    total_chars: int = 0
    tables_seen: dict = field(default_factory=dict)

    @property
    def placed_share(self) -> float:
        content = self.total_chars - self.ledger["structure"]
        if content <= 0:
            return 1.0
        return min(1.0, (self.ledger["placed"] + self.ledger["unplaced"]) / content)

    def processes(self) -> list[PNode]:
        return [n for k, n in sorted(self.nodes.items()) if len(k) == 2]

    def children(self, number: tuple[int, ...]) -> list[PNode]:
        return [
            n
            for k, n in sorted(self.nodes.items())
            if len(k) == len(number) + 1 and k[: len(number)] == number
        ]


class _Recogniser:
    def __init__(self, blocks: list[Block]):
        self.blocks = blocks
        self.out = Recognised()
        self.section = "cover"
        self.part = ""  # sub-part inside a section (Table 2 lists, back matter kinds)
        self.context: list[tuple[int, ...]] = []
        self.header: dict[int, str] | None = None
        self.header_kind = ""
        self.header_table = -1
        self.unit = ""  # Table 1 unit heading
        self.t2_columns: dict[int, str] = {}
        self.t2_kind = "recipient"
        self.chart_lane_row_pending = False
        self.last_step: PStep | None = None
        self.last_mission: int | None = None
        self.last_t1_node: PNode | None = None
        self.ref_cache: dict = {}
        self.last_item_list: list | None = None
        self.marked = False  # the section was named by a "ตารางที่ N" heading
        self.profile_missions: dict[str, int] = {}
        self.step_tables: dict = {}  # node → {header signature: "t3" | "t5"}

    # --- the ledger -------------------------------------------------------------------------
    def placed(self, text: str) -> None:
        self.out.ledger["placed"] += source_chars(text)

    def structure(self, text: str) -> None:
        self.out.ledger["structure"] += source_chars(text)

    def unplaced(self, text: str, block: Block, reason: str) -> None:
        text = (text or "").strip()
        if not text:
            return
        self.out.ledger["unplaced"] += source_chars(text)
        process = dotted(self.context[0]) if self.context else ""
        self.out.unplaced.append(
            {
                "text": text,
                "page": block.page,
                "line": block.line,
                "reason": reason,
                "process": self.context[0] if self.context else None,
                "process_label": process,
            }
        )

    def warn(self, code: str, message: str, block: Block | None = None, **extra) -> None:
        process = dotted(self.context[0]) if self.context else ""
        self.out.warnings.append(
            Warning_(
                code,
                message,
                block.page if block else None,
                block.line if block else None,
                extra.pop("process", process),
                **extra,
            )
        )

    def repaired(self, text: str, block: Block) -> str:
        fixed, repairs = join_wraps(text)
        for repair in repairs:
            self.warn(
                "repair",
                _("เชื่อมคำที่ถูกตัดบรรทัด"),
                block,
                before=repair.before,
                after=repair.after,
            )
        for suspect in ocr_suspects(fixed):
            self.warn(
                "ocr",
                _("สงสัยว่าอ่านผิด (มีอักษรต่างภาษาในคำไทย)"),
                block,
                before=suspect.before,
                after=suspect.after,
            )
        return fixed

    # --- walking ----------------------------------------------------------------------------
    def run(self) -> Recognised:
        out = self.out
        out.total_chars = sum(source_chars(t) for b in self.blocks for t in b.texts())
        for block in self.blocks:
            if block.kind == "row":
                self.row(block)
            else:
                self.line(block)
        out.lanes.resolve()
        for spelling, suggestion in out.lanes.suspects:
            out.warnings.append(
                Warning_(
                    "ocr",
                    _("ชื่อผู้รับผิดชอบคล้ายชื่อที่พบบ่อยกว่า จึงรวมเป็นช่องเดียวกัน โปรดตรวจ"),
                    before=spelling,
                    after=suggestion,
                )
            )
        return out

    def _heading_kind(self, text: str):
        value = re.sub(r"\s+", "", text)
        mark = _TABLE_MARK.match(text)
        if mark:
            return "table", int(arabic_digits(mark.group(1)))
        for word, key in FRONT_HEADINGS:
            if value.startswith(word):
                return "front", key
        for word, key in BACK_HEADINGS:
            if value.startswith(word) or (key == "symbols" and word in value):
                return "back", key
        return None, None

    def line(self, block: Block) -> None:
        text = block.text.strip()
        if not text:
            return
        kind, key = self._heading_kind(text) if len(text) < 120 else (None, None)
        if kind == "table":
            self.structure(text)
            if f"t{key}" != self.section and not (
                self.section in ("t4",) and key in (3, 5) and self.header_kind == "chart"
            ):
                # A running head names the table of the page; a real section change follows
                # the order of the manual (never back from 5 to 3).
                if self.section.startswith("t") and self.section[1:].isdigit():
                    current = int(self.section[1:])
                    if key < current and block.kind != "heading":
                        return
                self.section = f"t{key}"
                self.part = ""
                self.header = None
                self.marked = True
            return
        short = block.kind == "heading" or len(text) < 60
        if kind == "front" and short and (self.section in ("cover", "front") or key == "toc"):
            self.section, self.part = "front", key
            self.structure(text)
            return
        front_part = self.section in ("cover", "front") and key == "responsibilities"
        if kind == "back" and short and not front_part:
            self.section, self.part = "back", key
            self.header = None
            self.structure(text)
            return
        if self.section in ("cover", "front") and self.profile(text, block):
            return
        if self.section == "cover":
            self.out.cover.append(text)
            year = _YEAR_BE.search(text)
            if year and not self.out.year_be:
                self.out.year_be = int(arabic_digits(year.group(1)))
            self.placed(text)
            return
        if self.section == "front":
            if self.part == "toc" or _PAGE_NUMBER.match(text):
                self.structure(text)
                return
            if block.kind == "heading" and len(text) < 80:
                self.structure(text)
                return
            existing = self.out.front.get(self.part, "")
            self.out.front[self.part] = (existing + "\n\n" + text).strip() if existing else text
            self.placed(text)
            if not self.out.year_be:
                year = _YEAR_BE.search(text)
                if year and text[year.start() :].startswith("ฉบับ"):
                    self.out.year_be = int(arabic_digits(year.group(1)))
            return
        if self.section == "back":
            self.back_line(block, text)
            return
        # Inside the tables: process headings, Table 1 unit lines, Table 2 list captions.
        if _PAGE_NUMBER.match(text):
            self.structure(text)
            return
        if self.profile(text, block):
            return
        refs = process_refs(text)
        if refs:
            self.set_context(refs, block, text)
            return
        if re.sub(r"\s+", "", text) in ("แผนผังกระบวนการงาน", "ขั้นตอนการปฏิบัติงาน", "กระบวนการ"):
            self.structure(text)
            return
        if self.section == "t1" and text.startswith("หน่วยงาน"):
            self.unit = self._unit_from(text)
            self.structure(text)
            return
        if self.section == "t2":
            norm = normalise_header(text)
            if norm.startswith("ข้อกำหนดที่สำคัญ"):
                self.part = "key"
                self.structure(text)
                return
            if self.part == "key" and self.context:
                for node in self.context_nodes():
                    node.key_requirements.extend(self.items(text, block))
                self.placed(text)
                return
        if block.kind == "heading":
            self.unplaced(text, block, _("หัวข้อที่ไม่รู้จัก"))
            return
        if self.last_step is not None and self.section in ("t3", "t5") and self.header:
            # a paragraph between rows of a step table: a broken-off cell of the last step
            self.last_step.detail = (self.last_step.detail + "\n" + text).strip()
            self.placed(text)
            return
        self.unplaced(text, block, _("ข้อความนอกตาราง"))

    def _unit_from(self, text: str) -> str:
        value = re.sub(r"^หน่วยงาน\s*[.…:]*\s*", "", text).strip(" .")
        match = re.search(r"((?:ฝ่าย|กลุ่มงาน|ศูนย์|ส่วน|งาน)\S.*)$", value)
        unit = match.group(1).strip() if match else value
        if unit and unit not in self.out.units:
            self.out.units.append(unit)
        return unit

    def profile(self, text: str, block: Block) -> bool:
        """A process profile (seed 002's layout): "กระบวนการ : ชื่อ (กระบวนการหลัก)", then
        "ตัวชี้วัด/เป้าหมาย : …" and "เจ้าภาพ กลุ่ม/กอง : …". Unnumbered: numbered in order
        within the group named in brackets."""
        if self.section == "front" and self.part == "toc":
            return False
        match = _PROFILE.match(text.strip())
        if match and len(text) < 300:
            group = re.sub(r"\s+", "", match.group(2) or "กระบวนการ")
            if group not in self.profile_missions:
                self.profile_missions[group] = len(self.profile_missions) + 1
                position = self.profile_missions[group]
                self.out.missions[position] = Mission(position, group)
            position = self.profile_missions[group]
            count = sum(1 for n in self.out.nodes if len(n) == 2 and n[0] == position)
            number = (position, count + 1)
            node = self._ensure(number, block)
            node.title = self.repaired(match.group(1).strip(), block)
            node.seen_in.add("profile")
            self.context = [number]
            self.section, self.part, self.header, self.last_step = "t2", "profile", None, None
            self.placed(text)
            return True
        match = _PROFILE_FIELD.match(text.strip())
        if match and self.context and self.part == "profile":
            value = match.group(2).strip()
            for node in self.context_nodes():
                if match.group(1).startswith("ตัวชี้วัด"):
                    for item in re.split(r"\s(?=[๐-๙0-9]{1,2}\))", value):
                        item = item.strip()
                        if item:
                            target = _PERCENT.search(item)
                            node.indicators.append(
                                ("outcome", item, target.group(0) if target else "")
                            )
                else:
                    node.responsible_unit = (node.responsible_unit + " " + value).strip()
            self.placed(text)
            return True
        return False

    def set_context(self, refs, block: Block, text: str) -> None:
        nodes = []
        continued = bool(_CONTINUED.search(text.strip().lstrip("#").strip()))
        for number, title in refs:
            current = self.out.nodes.get(self.context[0]) if self.context else None
            if (
                continued
                and current is not None
                and number not in self.out.nodes
                and title_similarity(current.title, title) >= 0.6
            ):
                self.warn(
                    "number_mismatch",
                    _("หัวข้อ (ต่อ) “%(number)s %(title)s” ต่อจาก %(other)s จึงนับเป็นกระบวนการเดียวกัน")
                    % {
                        "number": dotted(number),
                        "title": title,
                        "other": f"{current.label} {current.title}",
                    },
                    block,
                    process=current.label,
                )
                nodes.append(current.number)
                continue
            node = self.resolve(number, title, block)
            nodes.append(node.number)
        self.context = nodes
        self.last_step = None
        self.part = "" if self.section == "t2" else self.part
        # The title is placed on first sight; a repeat (the "(ต่อ)" heading of the next page,
        # the same process in the next table) is structure.
        node = self.out.nodes[nodes[0]]
        if not node.title and refs[0][1]:
            node.title = refs[0][1]
            self.placed(text)
        else:
            self.structure(text)

    def resolve(self, number: tuple[int, ...], title: str, block: Block) -> PNode:
        """The process a heading names: by number when the titles agree, else by title."""
        nodes = self.out.nodes
        key = (number, _title_key(title), self.section)
        if key in self.ref_cache:
            return nodes[self.ref_cache[key]]
        node = nodes.get(number)
        chosen = number
        if node is not None and node.title and title:
            similarity = title_similarity(node.title, title)
            if similarity < 0.55:
                best, best_sim = None, 0.0
                for other in nodes.values():
                    if len(other.number) != len(number) or not other.title:
                        continue
                    sim = title_similarity(other.title, title)
                    if sim > best_sim:
                        best, best_sim = other, sim
                if best is not None and best_sim >= 0.8 and best.number != number:
                    chosen = best.number
                    self.warn(
                        "number_mismatch",
                        _("หัวข้อ “%(number)s %(title)s” ใช้เลขของกระบวนการอื่น จึงจับคู่ตามชื่อกับ %(other)s")
                        % {
                            "number": dotted(number),
                            "title": title,
                            "other": f"{best.label} {best.title}",
                        },
                        block,
                        process=best.label,
                    )
                else:
                    self.warn(
                        "title_mismatch",
                        _("ชื่อกระบวนการ %(number)s ไม่ตรงกัน: “%(first)s” กับ “%(second)s”")
                        % {"number": dotted(number), "first": node.title, "second": title},
                        block,
                        process=dotted(number),
                    )
        elif node is None:
            if title and len(number) == 2:
                best, best_sim = None, 0.0
                for other in nodes.values():
                    if len(other.number) == 2 and other.title:
                        sim = title_similarity(other.title, title)
                        if sim > best_sim:
                            best, best_sim = other, sim
                if best is not None and best_sim >= 0.8:
                    chosen = best.number
                    self.warn(
                        "number_mismatch",
                        _("ไม่มีกระบวนการเลข %(number)s ในตารางที่ ๑ จึงจับคู่ตามชื่อกับ %(other)s")
                        % {"number": dotted(number), "other": f"{best.label} {best.title}"},
                        block,
                        process=best.label,
                    )
            if chosen == number:
                if self.section in ("t2", "t3", "t4") and len(number) == 2 and nodes:
                    self.warn(
                        "not_in_table1",
                        _("กระบวนการ %(number)s %(title)s ไม่มีในตารางที่ ๑")
                        % {"number": dotted(number), "title": title},
                        block,
                        process=dotted(number),
                    )
                self._ensure(number, block)
        self._ensure(chosen, block)
        nodes[chosen].seen_in.add(self.section)
        self.ref_cache[key] = chosen
        return nodes[chosen]

    def _ensure(self, number: tuple[int, ...], block: Block) -> PNode:
        nodes = self.out.nodes
        for depth in range(2, len(number) + 1):
            prefix = number[:depth]
            if prefix not in nodes:
                nodes[prefix] = PNode(prefix, mission=prefix[0], page=block.page, line=block.line)
        if number[0] not in self.out.missions:
            self.out.missions[number[0]] = Mission(number[0], "")
        return nodes[number]

    def context_nodes(self) -> list[PNode]:
        return [self.out.nodes[n] for n in self.context if n in self.out.nodes]

    def items(self, text: str, block: Block) -> list[str]:
        """A list cell → its items; lines that do not start an item continue the last one."""
        items: list[str] = []
        for line in text.split("\n"):
            line = line.strip()
            if not line or line in ("-", "–"):
                continue
            if _ITEM_START.match(line) or not items:
                items.append(re.sub(r"^[-–—•▪●○◦*]\s*", "", line).strip())
            else:
                items[-1] = items[-1] + " " + line
        return [self.repaired(item, block) for item in items if item]

    # --- rows -------------------------------------------------------------------------------
    def row(self, block: Block) -> None:
        cells = block.cells
        texts = [c for c in cells if c.strip()]
        if not texts:
            return
        if self.section == "back":
            self.back_row(block)
            return
        if len(texts) == 1 and self.profile(texts[0], block):
            return
        # A header row decides the table's kind, whatever the running heads say.
        kind, mapping = self.classify_header(cells)
        if not kind and self.section in ("cover", "front"):
            if self.section == "front" and self.part == "toc":
                self.structure(" ".join(texts))
                return
            if self.section == "front" and self.part:
                value = "\n".join(texts)
                existing = self.out.front.get(self.part, "")
                self.out.front[self.part] = (existing + "\n" + value).strip()
                self.placed(value)
                return
        if kind:
            self.structure(" ".join(texts))
            self.header, self.header_kind, self.header_table = mapping, kind, block.table
            self.last_step = None
            if kind == "scope":
                self.section = "t1"
            elif kind == "chart":
                self.section = "t4"
                self.chart_lane_row_pending = True
            elif kind in (
                "stakeholders",
                "legal",
                "indicators",
                "requirements",
                "inputs",
                "outputs",
            ):
                self.section = "t2"
                self.part = kind
                self.t2_columns = mapping
                if kind == "stakeholders":
                    self.t2_kind = "recipient"
            elif kind == "steps" and (not self.marked or self.section not in ("t3", "t5")):
                # no "ตารางที่" headings: the fuller of a process's step tables is Table 5
                fields = set(mapping.values())
                rich = bool(fields & {"label", "duration_text", "quality_standard"})
                self.section = "t5" if rich else "t3"
            self.out.tables_seen[kind] = self.out.tables_seen.get(kind, 0) + 1
            return
        if len(texts) == 1 and self.section in ("t2", "t3", "t4", "t5"):
            only = texts[0]
            refs = process_refs(only)
            if refs and len(only) < 200:
                self.set_context(refs, block, only)
                return
            norm = normalise_header(only)
            if norm.startswith("ตัวชี้วัด") and len(norm) < 12:
                self.section, self.part = "t2", "indicators_caption"
                self.structure(only)
                return
            if norm.startswith("ข้อกำหนดที่สำคัญ") and len(norm) < 20:
                self.section, self.part = "t2", "key"
                self.structure(only)
                return
        section = self.section
        if section == "t1":
            self.t1_row(block)
        elif section == "t2":
            self.t2_row(block)
        elif section == "t4" and self.header_kind == "chart":
            self.chart_row(block)
        elif section in ("t3", "t5", "t4") and self.header_kind == "steps":
            self.step_row(block)
        else:
            for text in texts:
                self.unplaced(text, block, _("แถวของตารางที่ไม่รู้จักหัวตาราง"))

    def classify_header(self, cells: list[str]):
        filled = [c for c in cells if c.strip()]
        if len(filled) < 2:
            return None, None
        if any(len(c) > 60 for c in filled):
            return None, None
        steps = map_header(cells, STEP_COLUMNS, threshold=0.8)
        if "detail" in steps.values() and len(steps) >= 3:
            return "steps", steps
        scope = map_header(cells, SCOPE_COLUMNS, threshold=0.8)
        if len(scope) >= 3:
            return "scope", scope
        norms = [normalise_header(c) for c in cells]
        if norms[:2] == [normalise_header(w) for w in _T2_STAKEHOLDERS]:
            return "stakeholders", {0: "name", 1: "needs"}
        if len(norms) >= 2 and norms[0] in ("เลขที่", "ที่", "ลำดับ", "ลำดับที่"):
            second = norms[1]
            if second.startswith("ข้อกำหนด"):
                return "requirements", {1: "text", 2: "note"}
            if second.startswith("input"):
                return "inputs", {1: "text", 2: "who"}
            if second.startswith("output"):
                return "outputs", {1: "text", 2: "who"}
        legal = map_header(cells, _T2_LEGAL, threshold=0.8)
        if len(legal) >= 2:
            return "legal", legal
        indicators = map_header(cells, _T2_INDICATORS, threshold=0.85)
        if len(indicators) == 2 and len(filled) == 2:
            return "indicators", indicators
        chart = map_header(cells, CHART_COLUMNS, threshold=0.8)
        if len(chart) >= 2:
            return "chart", chart
        return None, None

    def t1_row(self, block: Block) -> None:
        mapping = self.header or {0: "mission", 1: "process", 2: "scope", 3: "responsible_unit"}
        values = dict.fromkeys(SCOPE_COLUMNS, "")
        extra = []
        for index, cell in enumerate(block.cells):
            name = mapping.get(index)
            if name:
                values[name] = cell.strip()
            elif cell.strip():
                extra.append(cell.strip())
        node = None
        refs = process_refs(values["process"]) if values["process"] else []
        if refs:
            number, title = refs[0]
            node = self._ensure(number, block)
            if not node.title:
                node.title = self.repaired(title, block)
            node.seen_in.add("t1")
            self.placed(values["process"])
            self.last_t1_node = node
            self.last_mission = number[0]
            mission = self.out.missions[number[0]]
            if not mission.unit and self.unit:
                mission.unit = self.unit
        elif values["process"]:
            if self.last_t1_node is not None:
                node = self.last_t1_node
                node.title = (node.title + " " + values["process"]).strip()
                self.placed(values["process"])
            else:
                self.unplaced(values["process"], block, _("ชื่อกระบวนการไม่มีเลข"))
        else:
            node = self.last_t1_node
        if values["mission"]:
            position = self.last_mission
            if position is None and node is not None:
                position = node.number[0]
            if position is None:
                # the mission text comes before its first process: keep it for the next one
                position = max(self.out.missions, default=0) + 1
                self.out.missions[position] = Mission(position, self.unit)
                self.last_mission = position
            mission = self.out.missions[position]
            mission.text = (mission.text + "\n" + values["mission"]).strip()
            if not mission.unit:
                mission.unit = self.unit
            self.placed(values["mission"])
        for name, attr in (("scope", "scope_text"), ("responsible_unit", "responsible_unit")):
            if not values[name]:
                continue
            if node is None:
                self.unplaced(values[name], block, _("ขอบเขตที่ไม่รู้ว่าเป็นของกระบวนการใด"))
                continue
            text = self.repaired(values[name], block)
            current = getattr(node, attr)
            if attr == "responsible_unit" and current == text:
                self.structure(values[name])
                continue
            setattr(node, attr, (current + ("\n" if current else "") + text).strip())
            self.placed(values[name])
        for text in extra:
            self.unplaced(text, block, _("คอลัมน์เกินในตารางที่ ๑"))

    def t2_row(self, block: Block) -> None:
        nodes = self.context_nodes()
        cells = block.cells
        texts = [c.strip() for c in cells if c.strip()]
        if not nodes:
            for text in texts:
                self.unplaced(text, block, _("ตารางที่ ๒ ที่ไม่รู้ว่าเป็นของกระบวนการใด"))
            return
        part = self.part
        if part == "stakeholders":
            first = texts[0]
            norm = normalise_header(first)
            if len(texts) == 1 and norm in ("ผู้รับบริการ", "ผู้มีส่วนได้ส่วนเสีย"):
                self.t2_kind = "recipient" if norm == "ผู้รับบริการ" else "stakeholder"
                self.structure(first)
                return
            name = cells[0].strip() if cells else ""
            needs = "\n".join(c.strip() for c in cells[1:] if c.strip())
            kind = self.t2_kind
            for word, value in (("ผู้รับบริการ", "recipient"), ("ผู้มีส่วนได้ส่วนเสีย", "stakeholder")):
                if name.startswith(word):
                    kind = value
                    name = name[len(word) :].strip(" :-")
            names = self.items(name, block) if name else [""]
            needs_text = "\n".join(f"- {i}" for i in self.items(needs, block)) if needs else ""
            for node in nodes:
                for item in names:
                    if item or needs_text:
                        node.stakeholders.append((kind, item or "-", needs_text))
            self.placed(" ".join(texts))
            return
        if part in ("indicators", "indicators_caption"):
            columns = self.t2_columns if part == "indicators" else {0: "internal", 1: "outcome"}
            for index, cell in enumerate(cells):
                if not cell.strip():
                    continue
                kind = columns.get(index)
                if kind not in ("internal", "outcome"):
                    self.unplaced(cell, block, _("ตัวชี้วัดที่ไม่รู้ประเภท"))
                    continue
                for item in self.items(cell, block):
                    target = _PERCENT.search(item)
                    for node in nodes:
                        node.indicators.append((kind, item, target.group(0) if target else ""))
                self.placed(cell)
            return
        if part == "legal":
            for index, cell in enumerate(cells):
                if not cell.strip():
                    continue
                kind = self.t2_columns.get(index)
                if kind is None:
                    self.unplaced(cell, block, _("คอลัมน์ที่ไม่รู้จักในตารางที่ ๒"))
                    continue
                items = self.items(cell, block)
                continues = not _ITEM_START.match(cell.strip())
                for node in nodes:
                    target = {
                        "legal": node.legal,
                        "efficiency": node.efficiency,
                        "cost": node.cost,
                    }[kind]
                    values = list(items)
                    if continues and target and values:
                        # a cell continued from the row above (a page or row break)
                        head = values.pop(0)
                        joined, _repairs = join_wraps(target[-1] + " " + head)
                        target[-1] = joined
                    target.extend(values)
                self.placed(cell)
            return
        if part in ("requirements", "inputs", "outputs"):
            text = cells[1].strip() if len(cells) > 1 else ""
            who = "\n".join(c.strip() for c in cells[2:] if c.strip())
            number = cells[0].strip() if cells else ""
            if number:
                self.structure(number)
            if part == "requirements":
                for node in nodes:
                    if text:
                        node.key_requirements.append(self.repaired(text, block))
                self.placed(text)
                if who:
                    self.unplaced(who, block, _("หมายเหตุของข้อกำหนดกระบวนการ"))
            elif part == "outputs":
                for node in nodes:
                    for name in [w for w in re.split(r"\n|(?<=\s)-", who) if w.strip()] or ["-"]:
                        node.stakeholders.append(("recipient", name.strip(" -"), text))
                self.placed(text + who)
            else:
                self.unplaced(
                    (text + (f" (ผู้ให้: {who})" if who else "")).strip(),
                    block,
                    _("ปัจจัยนำเข้า (Input) ไม่มีช่องในแบบคู่มือ"),
                )
            return
        if part == "key":
            for text in texts:
                for node in nodes:
                    node.key_requirements.extend(self.items(text, block))
                self.placed(text)
            return
        for text in texts:
            self.unplaced(text, block, _("ตารางที่ ๒ ส่วนที่ไม่รู้จัก"))

    def chart_row(self, block: Block) -> None:
        nodes = self.context_nodes()
        cells = block.cells
        if self.chart_lane_row_pending:
            self.chart_lane_row_pending = False
            lead = cells[:2]
            if not any(c.strip() for c in lead):
                lanes = [c.strip() for c in cells[2:] if c.strip()]
                for lane in lanes:
                    for name in split_actors(lane):
                        self.out.lanes.add(name, 2)
                        for node in nodes:
                            if name not in node.chart_lanes:
                                node.chart_lanes.append(name)
                    self.placed(lane)
                return
        if not nodes:
            for text in [c for c in cells if c.strip()]:
                self.unplaced(text, block, _("แผนผังที่ไม่รู้ว่าเป็นของกระบวนการใด"))
            return
        mapping = self.header or {}
        for index, cell in enumerate(cells):
            text = cell.strip()
            if not text:
                continue
            name = mapping.get(index)
            if name == "duration_text":
                for node in nodes:
                    node.chart_duration = (node.chart_duration + " " + text).strip()
                self.placed(text)
            elif name == "headcount_text":
                for node in nodes:
                    node.chart_headcount = (node.chart_headcount + " " + text).strip()
                self.placed(text)
            elif mermaid.looks_like(text):
                chart = mermaid.parse(text)
                for mnode in chart.nodes:
                    role = mnode.role
                    if role == "connector" or not mnode.label:
                        self.structure(mnode.label)
                        continue
                    for node in nodes:
                        node.chart_nodes.append(
                            (mnode.label, mnode.shape, role, block.page, block.line)
                        )
                for a, b, label in chart.edges:
                    na, nb = chart.node(a), chart.node(b)
                    if label and na and nb:
                        for node in nodes:
                            node.chart_edges.append((na.label, nb.label, label))
                # counted when the writer matches them to steps; provisional: placed
                self.placed(text)
            else:
                # a lane column with plain text (a chart drawn as text boxes)
                for node in nodes:
                    node.chart_nodes.append((text, "box", "step", block.page, block.line))
                self.placed(text)

    def step_row(self, block: Block) -> None:
        nodes = self.context_nodes()
        if not nodes:
            for text in [c for c in block.cells if c.strip()]:
                self.unplaced(text, block, _("ตารางขั้นตอนที่ไม่รู้ว่าเป็นของกระบวนการใด"))
            return
        node = nodes[0]
        table = "t5" if self.section == "t5" else "t3"
        steps = node.steps.setdefault(table, [])
        values: dict[str, str] = {}
        for index, cell in enumerate(block.cells):
            text = cell.strip()
            if not text:
                continue
            name = self.header.get(index) if self.header else None
            if name is None:
                self.unplaced(text, block, _("คอลัมน์ที่ไม่รู้จักในตารางขั้นตอน"))
                continue
            values[name] = text
        if not values:
            return
        number = values.pop("position", "")
        if number:
            number_clean = arabic_digits(number).strip(" .")
            if not re.fullmatch(r"\d{1,3}(?:\.\d{1,2})?", number_clean):
                # not a step number: text in the ที่ column (a wrapped word) goes to the detail
                values["detail"] = (number + " " + values.get("detail", "")).strip()
                number = ""
            else:
                number = number_clean
        label_text = values.pop("label", "")
        label, shape, start, end, branches = self.chart_cell(label_text, block)
        continuation = False
        last = steps[-1] if steps else None
        if last is not None:
            if number and number == last.number:
                continuation = True  # a step repeated at a page break
            elif not number and "position" in (self.header or {}).values():
                continuation = not label or not values.get("detail")
                if values.get("detail") and not label and not last.detail:
                    continuation = True
                if values.get("detail") and label:
                    continuation = False
            elif not number and not values.get("detail") and not label:
                continuation = True
        if continuation and last is not None:
            for name, text in values.items():
                attr = PStep.FIELDS.get(name)
                if not attr:
                    continue
                current = getattr(last, attr)
                setattr(last, attr, self._join(current, text, block))
            if label:
                last.label = (last.label + " " + label).strip()
            last.end_after = last.end_after or end
            last.branches.extend(branches)
            self.placed(" ".join(values.values()) + " " + label_text)
            self.last_step = last
            return
        step = PStep(number=number, page=block.page, line=block.line)
        for name, text in values.items():
            attr = PStep.FIELDS.get(name)
            if attr:
                setattr(step, attr, self.repaired(text, block))
        step.label = label
        step.shape = shape
        step.start_before = start
        step.end_after = end
        step.branches = branches
        if step.actors:
            for actor in split_actors(step.actors):
                self.out.lanes.add(actor)
        steps.append(step)
        self.last_step = step
        self.placed(" ".join(values.values()) + " " + label_text)

    def _join(self, current: str, text: str, block: Block) -> str:
        if not current:
            return self.repaired(text, block)
        joined = current + "\n" + text
        # a word cut by the page break: "…ผู้อำนวยกา" + "รส่วน…"
        last_word = current.rsplit(None, 1)[-1] if current.split() else ""
        first_word = text.split(None, 1)[0] if text.split() else ""
        if last_word and first_word:
            fixed, repairs = join_wraps(last_word + " " + first_word)
            if repairs:
                joined = current[: len(current) - len(last_word)] + fixed + text[len(first_word) :]
                for repair in repairs:
                    self.warn(
                        "repair",
                        _("เชื่อมคำที่ถูกตัดข้ามหน้า"),
                        block,
                        before=repair.before,
                        after=repair.after,
                    )
        return joined

    def chart_cell(self, text: str, block: Block):
        """(label, shape, start before, end after, branches) from a step row's chart cell."""
        if not text:
            return "", "activity", False, False, []
        if mermaid.looks_like(text):
            chart = mermaid.parse(text)
            labels, shape, start, end = [], "activity", False, False
            for mnode in chart.nodes:
                role = mnode.role
                if role == "start":
                    start = True
                elif role == "end":
                    end = True
                elif role == "connector":
                    self.structure(mnode.label)
                elif mnode.label:
                    if not labels:
                        shape = {
                            "decision": "decision",
                            "hexagon": "decision",
                            "database": "database",
                            "document": "document",
                            "subroutine": "subprocess",
                        }.get(mnode.shape, "activity")
                    labels.append(mnode.label)
            branches = []
            for a, b, label in chart.edges:
                if label:
                    na, nb = chart.node(a), chart.node(b)
                    branches.append((label, nb.label if nb else "", na.label if na else ""))
            return " / ".join(labels), shape, start, end, branches
        lines = [line.strip() for line in text.split("\n") if line.strip()]
        keep = []
        start = end = False
        for line in lines:
            word = re.sub(r"\s+", "", line)
            if word in ("ต่อ", "(ต่อ)"):
                self.structure(line)
            elif word in ("เริ่ม", "เริ่มต้น"):
                start = True
            elif word in ("จบ", "สิ้นสุด"):
                end = True
            else:
                keep.append(line)
        label = " ".join(keep)
        if label.lower().startswith("flowchart description"):
            self.unplaced(label, block, _("คำบรรยายภาพแผนผังจากการแปลงไฟล์"))
            label = ""
        return label, "activity", start, end, []

    # --- back matter ------------------------------------------------------------------------
    def back_line(self, block: Block, text: str) -> None:
        part = self.part
        if part == "symbols":
            self.structure(text)
            return
        if part == "definitions":
            match = _DEFINITION.match(text)
            if match:
                term = match.group(1).strip("“”\"' ")
                if match.group(2):
                    term = f"{term} {match.group(2)}"
                self.out.definitions.append([term, self.repaired(match.group(3).strip(), block)])
                self.placed(text)
                return
            if block.kind == "heading":
                self.unplaced(text, block, _("หัวข้อย่อยของคำจำกัดความ"))
                return
            if self.out.definitions:
                self.out.definitions[-1][1] += "\n" + text
                self.placed(text)
                return
        if part == "abbreviations":
            match = re.match(r"^(\S{1,20})\s+(?:หมายถึง|=|:|–|-)?\s*(.+)$", text)
            if match:
                self.out.abbreviations.append([match.group(1), match.group(2)])
                self.placed(text)
                return
        if part == "responsibilities" and self.out.responsibilities:
            self.out.responsibilities[-1][1] += "\n" + text
            self.placed(text)
            return
        self.unplaced(text, block, _("ข้อความท้ายเล่มที่ไม่รู้จัก"))

    def back_row(self, block: Block) -> None:
        cells = [c.strip() for c in block.cells]
        filled = [c for c in cells if c]
        part = self.part
        if part == "symbols":
            self.structure(" ".join(filled))
            return
        norm = [normalise_header(c) for c in filled]
        if part == "responsibilities" and len(norm) == 2 and norm[1] == "หน้าที่ความรับผิดชอบ":
            self.structure(" ".join(filled))
            return
        if part == "abbreviations" and len(norm) >= 2 and norm[0] in ("อักษรย่อ", "คำย่อ"):
            self.structure(" ".join(filled))
            return
        if part == "definitions" and len(norm) >= 2 and norm[0] in ("คำ", "คำศัพท์"):
            self.structure(" ".join(filled))
            return
        if len(filled) >= 2:
            first, rest = filled[0], "\n".join(filled[1:])
            if part == "responsibilities":
                if _CONTINUED.search(first) and self.out.responsibilities:
                    self.out.responsibilities[-1][1] += "\n" + rest
                    self.structure(_CONTINUED.sub("", first))
                    self.placed(rest)
                    return
                self.out.responsibilities.append([first, rest])
            elif part == "abbreviations":
                self.out.abbreviations.append([first, rest])
            elif part == "definitions":
                self.out.definitions.append([first, rest])
            else:
                for text in filled:
                    self.unplaced(text, block, _("ตารางท้ายเล่มที่ไม่รู้จัก"))
                return
            self.placed(" ".join(filled))
            return
        for text in filled:
            self.unplaced(text, block, _("ข้อความท้ายเล่มที่ไม่รู้จัก"))


def recognise(blocks: list[Block]) -> Recognised:
    return _Recogniser(blocks).run()
