"""Readers: a source file becomes one stream of blocks (headings, paragraphs, table rows).

Every reader gives the same thing, so one recogniser serves them all:

- ``read_text``: Markdown extractions (headings ``#``, HTML ``<table>`` blocks, pipe tables,
  tab-separated rows with HTML inside the cells), also what a clerk pastes;
- ``read_docx``: Word files through python-docx (paragraphs with their heading level and Word's
  own list numbering, tables with merged cells laid out once, lists inside cells);
- ``read_pdf``: PDFs with a text layer through pdfplumber (tables from ruling lines, else from
  word positions; the text around them as lines; landscape pages as they come).

A block knows where it came from (page and line, or paragraph for Word) for the warnings and the
unplaced text; ``source_chars`` is what the "nothing lost" measure counts.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from imports import mermaid
from imports.errors import ImportRefused
from imports.tables import cell_text, parse_html_table_list

_WS = re.compile(r"\s+")
_EMPHASIS = re.compile(r"\*\*|__|(?<!\w)\*(?!\s)|(?<!\s)\*(?!\w)")
_HEADING = re.compile(r"^(#{1,6})\s*(.*?)\s*#*\s*$")
_PIPE_SEPARATOR = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")

THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"


@dataclass
class Block:
    kind: str  # "heading" | "para" | "row"
    text: str = ""
    cells: list[str] = field(default_factory=list)
    level: int = 0
    table: int = 0  # rows of one table share this id
    page: int | None = None
    line: int | None = None

    @property
    def location(self) -> str:
        """Thai location for the editor: "หน้า ๑๒ บรรทัด ๓" (or the parts that are known)."""
        return location_text(self.page, self.line)

    def texts(self) -> list[str]:
        return list(self.cells) if self.kind == "row" else [self.text]


def location_text(page: int | None, line: int | None) -> str:
    from core.thai import thai_digits

    parts = []
    if page:
        parts.append(f"หน้า {page}")
    if line:
        parts.append(f"บรรทัด {line}")
    return thai_digits(" ".join(parts))


def source_chars(text: str) -> int:
    """Characters a text contributes to the "nothing lost" measure: no white space, and a
    chart written as Mermaid counts only its node and arrow labels (not its syntax)."""
    if not text:
        return 0
    if mermaid.looks_like(text):
        text = " ".join(mermaid.labels(text))
    return len(_WS.sub("", text))


def _strip_emphasis(text: str) -> str:
    return _EMPHASIS.sub("", text)


# --- text (Markdown extractions, pasted text) ------------------------------------------------


def read_text(text: str) -> list[Block]:
    """Blocks of a Markdown/text extraction such as the seeds."""
    blocks: list[Block] = []
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    table_id = 0
    last_kind = None
    i, n = 0, len(lines)
    while i < n:
        raw = lines[i]
        number = i + 1
        stripped = raw.strip()
        if not stripped:
            i += 1
            continue
        low = stripped.lower()
        if low.startswith("<table"):
            j = i
            chunk = []
            while j < n:
                chunk.append(lines[j])
                if "</table>" in lines[j].lower():
                    break
                j += 1
            for table in parse_html_table_list("\n".join(chunk)):
                table_id += 1
                for k, row in enumerate(table):
                    blocks.append(Block("row", cells=row, table=table_id, line=number + k))
            last_kind = "row"
            i = j + 1
            continue
        if stripped.startswith("```"):
            j = i + 1
            body = []
            while j < n and not lines[j].strip().startswith("```"):
                body.append(lines[j])
                j += 1
            content = "\n".join(body).strip()
            if content:
                blocks.append(Block("para", text=content, line=number))
            last_kind = "para"
            i = j + 1
            continue
        heading = _HEADING.match(stripped)
        if heading and not stripped.startswith("#!"):
            text_value = _strip_emphasis(cell_text(heading.group(2)))
            if text_value:
                blocks.append(
                    Block("heading", text=text_value, level=len(heading.group(1)), line=number)
                )
                last_kind = "heading"
            i += 1
            continue
        if stripped.startswith("|") and stripped.count("|") >= 2:
            if _PIPE_SEPARATOR.match(stripped):
                i += 1
                continue
            inner = stripped.strip("|")
            cells = [_strip_emphasis(cell_text(c)) for c in re.split(r"(?<!\\)\|", inner)]
            if last_kind != "row":
                table_id += 1
            blocks.append(Block("row", cells=cells, table=table_id, line=number))
            last_kind = "row"
            i += 1
            continue
        if "\t" in raw:
            cells = [_strip_emphasis(cell_text(c)) for c in raw.split("\t")]
            if any(cells):
                if last_kind != "row":
                    table_id += 1
                blocks.append(Block("row", cells=cells, table=table_id, line=number))
                last_kind = "row"
            i += 1
            continue
        value = _strip_emphasis(cell_text(stripped))
        if value:
            blocks.append(Block("para", text=value, line=number))
            last_kind = "para"
        i += 1
    return blocks


# --- Word -------------------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def check_zip(data: bytes, *, max_bytes: int) -> None:
    """Refuse what is not a sound zip (a password-protected .docx is an OLE file, not a zip)
    and zip bombs (members that unpack to far more than the limit)."""
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ImportRefused(
            _(
                "ไฟล์ Word นี้มีรหัสผ่านหรือเป็นรูปแบบ .doc เก่า: โปรดเปิดใน Word แล้วบันทึกเป็น .docx "
                "โดยไม่ตั้งรหัสผ่าน แล้วนำเข้าใหม่"
            )
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError) as exc:
        raise ImportRefused(_("ไฟล์ Word เสียหาย เปิดอ่านไม่ได้ (ไม่ใช่ไฟล์ .docx ที่สมบูรณ์)")) from exc
    with archive:
        total = 0
        for info in archive.infolist():
            total += info.file_size
            ratio = info.file_size / max(info.compress_size, 1)
            if total > max_bytes * 4 or (info.file_size > 20_000_000 and ratio > 200):
                raise ImportRefused(
                    _("ไฟล์ Word นี้ขยายตัวเมื่อแตกไฟล์มากผิดปกติ (อาจเป็น zip bomb) ระบบจึงไม่นำเข้า")
                )
        if "word/document.xml" not in archive.namelist():
            raise ImportRefused(_("ไฟล์นี้ไม่ใช่เอกสาร Word (.docx) ที่อ่านได้"))


def _thai(number: int) -> str:
    return "".join(THAI_DIGITS[int(d)] for d in str(number))


class _Numbering:
    """Word's own list numbering: the number a paragraph shows, computed from numbering.xml."""

    def __init__(self, document) -> None:
        self.formats: dict[tuple[str, int], tuple[str, str, int]] = {}
        self.counters: dict[tuple[str, int], int] = {}
        try:
            part = document.part.numbering_part
        except (KeyError, NotImplementedError, AttributeError):
            return
        root = part.element
        abstract = {}
        for absnum in root.findall(f"{_W}abstractNum"):
            levels = {}
            for lvl in absnum.findall(f"{_W}lvl"):
                ilvl = int(lvl.get(f"{_W}ilvl", "0"))
                fmt = lvl.find(f"{_W}numFmt")
                text = lvl.find(f"{_W}lvlText")
                start = lvl.find(f"{_W}start")
                levels[ilvl] = (
                    fmt.get(f"{_W}val") if fmt is not None else "decimal",
                    text.get(f"{_W}val") if text is not None else "%1.",
                    int(start.get(f"{_W}val")) if start is not None else 1,
                )
            abstract[absnum.get(f"{_W}abstractNumId")] = levels
        for num in root.findall(f"{_W}num"):
            ref = num.find(f"{_W}abstractNumId")
            if ref is None:
                continue
            for ilvl, spec in abstract.get(ref.get(f"{_W}val"), {}).items():
                self.formats[(num.get(f"{_W}numId"), ilvl)] = spec

    def label(self, paragraph) -> str:
        ppr = paragraph._p.pPr
        numpr = ppr.numPr if ppr is not None else None
        if numpr is None:
            # the numbering may come with the paragraph's style ("List Number")
            style = paragraph.style
            while style is not None and numpr is None:
                spr = style.element.pPr
                numpr = spr.numPr if spr is not None else None
                style = style.base_style
        if numpr is None:
            return ""
        num_id = numpr.numId
        ilvl = numpr.ilvl
        if num_id is None:
            return ""
        key = (str(num_id.val), int(ilvl.val) if ilvl is not None else 0)
        fmt, text, start = self.formats.get(key, ("decimal", "%1.", 1))
        if fmt in ("bullet", "none"):
            return "-" if fmt == "bullet" else ""
        self.counters[key] = self.counters.get(key, start - 1) + 1
        for (nid, level), _count in list(self.counters.items()):
            if nid == key[0] and level > key[1]:
                del self.counters[(nid, level)]
        out = text
        for level in range(key[1] + 1):
            value = self.counters.get((key[0], level), start)
            shown = _thai(value) if fmt.startswith("thai") else str(value)
            out = out.replace(f"%{level + 1}", shown)
        return out


def _paragraph_text(paragraph, numbering: _Numbering) -> str:
    text = paragraph.text or ""
    label = numbering.label(paragraph)
    if label and text.strip():
        text = f"{label} {text.strip()}"
    return text


def _cell_text(cell, numbering: _Numbering) -> str:
    parts = []
    for paragraph in cell.paragraphs:
        parts.append(_paragraph_text(paragraph, numbering))
    for table in cell.tables:
        for row in table.rows:
            parts.append(" ".join(c.text for c in row.cells))
    return cell_text("\n".join(parts).replace("<", "&lt;"))


def read_docx(data: bytes, *, max_bytes: int) -> list[Block]:
    """Blocks of a Word document, body order kept (paragraphs and tables interleaved)."""
    check_zip(data, max_bytes=max_bytes)
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds for a broken package
        raise ImportRefused(_("ไฟล์ Word เสียหาย เปิดอ่านไม่ได้")) from exc
    numbering = _Numbering(document)
    blocks: list[Block] = []
    table_id = 0
    paragraph_no = 0
    for child in document.element.body.iterchildren():
        if child.tag == f"{_W}p":
            paragraph_no += 1
            paragraph = Paragraph(child, document)
            text = cell_text(_paragraph_text(paragraph, numbering).replace("<", "&lt;"))
            if not text:
                continue
            style = (paragraph.style.name if paragraph.style is not None else "") or ""
            match = re.match(r"(?:Heading|หัวเรื่อง)\s*(\d)", style)
            if match or style == "Title":
                level = int(match.group(1)) if match else 1
                blocks.append(Block("heading", text=text, level=level, line=paragraph_no))
            else:
                blocks.append(Block("para", text=text, line=paragraph_no))
        elif child.tag == f"{_W}tbl":
            table_id += 1
            table = Table(child, document)
            earlier: set = set()  # cells of the rows above (a vertical merge repeats them)
            for r, row in enumerate(table.rows):
                seen: set = set()
                cells = []
                for cell in row.cells:
                    key = cell._tc
                    if key in seen:  # a horizontal merge repeats the cell
                        continue
                    seen.add(key)
                    vmerge = cell._tc.tcPr.vMerge_val if cell._tc.tcPr is not None else None
                    if vmerge == "continue" or key in earlier:
                        cells.append("")
                    else:
                        cells.append(_cell_text(cell, numbering))
                earlier |= seen
                blocks.append(Block("row", cells=cells, table=table_id, line=paragraph_no + r))
    return blocks


# --- PDF --------------------------------------------------------------------------------------


def _pdf_text(text: str) -> str:
    """A PDF text layer's Thai as typed: sara am drawn as nikhahit + sara aa comes back as
    "ํา", or as "ำ" followed by the extra "า" (never a real sequence in Thai)."""
    text = text.replace("\u0e4d\u0e32", "\u0e33").replace("\u0e33\u0e32", "\u0e33")
    return cell_text(text.replace("<", "&lt;"))


def read_pdf(data: bytes, *, progress=None) -> list[Block]:
    """Blocks of a PDF with a text layer; refuses encrypted and image-only files."""
    try:
        import pdfplumber
        from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
        from pdfminer.pdfparser import PDFSyntaxError
    except ImportError as exc:  # pragma: no cover - a dependency of the project
        raise ImportRefused(_("ระบบยังไม่ได้ติดตั้งตัวอ่าน PDF")) from exc
    if not data.startswith(b"%PDF"):
        raise ImportRefused(_("ไฟล์นี้ไม่ใช่ PDF ที่อ่านได้"))
    if _pdf_encrypted(data):  # asked first: pdfplumber's own errors differ from version to version
        raise ImportRefused(_("ไฟล์ PDF นี้เข้ารหัสหรือมีรหัสผ่าน โปรดปลดรหัสก่อนนำเข้า"))
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        pages = pdf.pages
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise ImportRefused(_("ไฟล์ PDF นี้เข้ารหัสหรือมีรหัสผ่าน โปรดปลดรหัสก่อนนำเข้า")) from exc
    except (PDFSyntaxError, Exception) as exc:
        if "password" in str(exc).lower() or "encrypt" in str(exc).lower():
            raise ImportRefused(_("ไฟล์ PDF นี้เข้ารหัสหรือมีรหัสผ่าน โปรดปลดรหัสก่อนนำเข้า")) from exc
        raise ImportRefused(_("ไฟล์ PDF เสียหาย เปิดอ่านไม่ได้")) from exc
    blocks: list[Block] = []
    table_id = 0
    text_chars = 0
    with pdf:
        total = len(pages)
        for number, page in enumerate(pages, start=1):
            if progress:
                progress(number, total)
            try:
                tables = page.find_tables()
                if not tables:
                    tables = page.find_tables(
                        {"vertical_strategy": "text", "horizontal_strategy": "lines"}
                    )
                    tables = [t for t in tables if len(t.rows) >= 2 and len(t.rows[0].cells) >= 2]
            except Exception:  # noqa: BLE001 - a page pdfplumber cannot lay out: text only
                tables = []
            boxes = [t.bbox for t in tables]

            def outside(obj, boxes=boxes):
                x = (obj["x0"] + obj["x1"]) / 2
                y = (obj["top"] + obj["bottom"]) / 2
                return not any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes)

            items: list[tuple[float, Block]] = []
            free = page.filter(lambda o: o.get("object_type") != "char" or outside(o))
            for k, line in enumerate(free.extract_text_lines(return_chars=False), start=1):
                text = _pdf_text(line["text"])
                if text:
                    text_chars += len(text)
                    items.append((line["top"], Block("para", text=text, page=number, line=k)))
            for table in tables:
                table_id += 1
                rows = table.extract()
                for r, row in enumerate(rows):
                    cells = [_pdf_text(c or "") for c in row]
                    text_chars += sum(len(c) for c in cells)
                    items.append(
                        (
                            table.bbox[1] + r * 0.01,
                            Block("row", cells=cells, table=table_id, page=number, line=r + 1),
                        )
                    )
            items.sort(key=lambda item: item[0])
            blocks.extend(block for _top, block in items)
            page.flush_cache() if hasattr(page, "flush_cache") else None
    if text_chars < 20:
        raise ImportRefused(_("ไฟล์ PDF นี้ไม่มีชั้นข้อความ ต้องทำ OCR ก่อน แล้วจึงนำเข้า"))
    return blocks


def _pdf_encrypted(data: bytes) -> bool:
    """Whether the PDF is encrypted (a password, or rights only): read by pypdf's trailer."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        return bool(PdfReader(io.BytesIO(data), strict=False).is_encrypted)
    except (PdfReadError, ValueError, OSError):
        return False  # not readable by pypdf either: pdfplumber says so below
