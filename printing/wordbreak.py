"""Thai lines broken between words only: the manual's own vocabulary kept whole in the PDF.

Pango breaks Thai lines where its dictionary (libthai) sees word boundaries, and it does not
know the manual's compounds: it prints กรุงเทพมหา|นคร, สำนักพัฒนา|สังคม, ดำเนิน|การ. Here the
manual's vocabulary (agency and unit names, lanes and positions, defined terms, abbreviations,
legal titles) and a fixed list of common BMA words become *units* that a line may not break
inside:

* ``Vocabulary.for_edition(data)`` collects the words; each entry is split at spaces and
  brackets, and an entry wider than a narrow column is also cut into *segments* (its own
  words: สำนัก + พัฒนา + สังคม) so it can still break between those where it must.
* ``Vocabulary.protect_html(html)`` wraps every occurrence in the text of the printed HTML in
  ``<span class="nw">`` (``white-space: nowrap``) with a zero-width space (U+200B) either side
  where it touches other Thai letters, so the line may still break before and after the word
  (a nowrap span glues itself to its neighbours otherwise). A word wider than its column
  (``data-em`` on a table cell: the column's text width in ems of its font) is kept whole
  segment by segment instead. Nothing inside ``<svg>``, ``<style>``, tags or attributes is
  touched.
* The zero-width spaces never reach the text layer: ``core.pdftext`` draws every line that
  holds one with an ``/ActualText`` without them.
* ``breaks_inside(lines, vocabulary)`` is the check: every place in a text layer where a line
  ends inside a unit (the fidelity check, ``printing.fidelity``).
"""

from __future__ import annotations

import functools
import html as html_lib
import re
from collections.abc import Iterable
from dataclasses import dataclass

ZWSP = "\u200b"
# Common words of BMA manuals that Pango's dictionary cuts apart (seen in our PDFs).
COMMON_WORDS = (
    "กรุงเทพมหานคร",
    "ภาครัฐ",
    "ภาคเอกชน",
    "ภาคประชาชน",
    "ภาคประชาสังคม",
    "ผู้อำนวยการ",
    "ผู้บริหาร",
    "ผู้รับผิดชอบ",
    "ผู้เกี่ยวข้อง",
    "ผู้บังคับบัญชา",
    "ผู้ว่าราชการกรุงเทพมหานคร",
    "ปลัดกรุงเทพมหานคร",
    "ดำเนินการ",
    "ดำเนินงาน",
    "จัดซื้อ",
    "จัดจ้าง",
    "จัดซื้อจัดจ้าง",
    "เสื่อมสภาพ",
    "หน่วยงาน",
    "ส่วนราชการ",
    "สำนักงานเขต",
    "ข้าราชการ",
    "งบประมาณ",
    "ปฏิบัติงาน",
    "ปฏิบัติราชการ",
    "การปฏิบัติงาน",
    "ประสิทธิภาพ",
    "ประสิทธิผล",
    "ความคุ้มค่า",
    "ตรวจสอบ",
    "พิจารณา",
    "เสนอ",
    "อนุมัติ",
    "ลงนาม",
    "เจ้าหน้าที่",
    "หนังสือ",
    "ราชการ",
    "ระเบียบ",
    "ข้อบัญญัติ",
    "พระราชบัญญัติ",
    "พระราชกฤษฎีกา",
    "ประกาศ",
    "คำสั่ง",
    "ยุทธศาสตร์",
    "แผนปฏิบัติราชการ",
    "แผนพัฒนา",
    "ติดตาม",
    "ประเมินผล",
    "รายงาน",
    "สารสนเทศ",
    "คณะกรรมการ",
    "คณะทำงาน",
    "เลขานุการ",
    "สารบรรณ",
    "ธุรการ",
    "พัสดุ",
    "ครุภัณฑ์",
    "การเงิน",
    "บัญชี",
    "ยานพาหนะ",
    "บุคลากร",
    "ฝึกอบรม",
    "ประชาสัมพันธ์",
    "ประชาชน",
    "มาตรฐาน",
    "กระบวนการ",
    "เอกสาร",
    "แบบฟอร์ม",
    "ระยะเวลา",
    "สวัสดิการ",
    "สังคมสงเคราะห์",
    "พัฒนาสังคม",
)
# A unit wider than this (ems of its font) is also cut into segments, where it may break in a
# column too narrow for it: the narrowest text columns of Tables 3 and 5 (ระยะเวลา, แบบฟอร์ม:
# 8% of a landscape page at 13 pt).
SEGMENT_EM = 3.6
# The text width of a table cell without its own ``data-em``.
DEFAULT_CELL_EM = 5.0
_THAI = "\u0e01-\u0e4e"
_LEADING_VOWELS = "เแโใไ"
# Marks and vowels that belong to the letter before them: a unit never ends before one.
_FOLLOWING = "\u0e30-\u0e3a\u0e45\u0e47-\u0e4e"
_PIECE_SPLIT_RE = re.compile(r"[\s()\[\]{}\"“”'‘’,;:/–—-]+")
_HAS_THAI_RE = re.compile(f"[{_THAI}]")
_TAG_RE = re.compile(r"(<[^>]*>)")
_EM_ATTR_RE = re.compile(r'\sdata-em="([\d.]+)"')
_FOLD_ATTR_RE = re.compile(r'(\sdata-fold=")([^"]*)"')
# The continued table's name in the head of its next pages (@top-left: 60% of a landscape
# page at 13 pt bold, less "ตารางที่ ๓ " and " (ต่อ)").
FOLD_EM = 28.0
FOLD_LINES = 2  # what the 17 mm top margin holds at 13 pt
_SKIP_OPEN_RE = re.compile(r"<(svg|style|script|title)\b", re.I)
# WeasyPrint lays out the rest of a text box again for each line it takes from it (Pango,
# ``split_first_line``): a 10,000-letter step detail took five minutes. A long run of text is
# given in pieces of a few lines (one inline box each, cut at spaces, so lines break as they
# would), which makes that work linear in the text's length.
LONG_RUN = 400
PIECE = 160
_PIECE_RE = re.compile(r"\S+\s*|\s+")


def _pieces(text: str) -> list[str]:
    pieces = [""]
    for match in _PIECE_RE.finditer(text):
        if len(pieces[-1]) >= PIECE:
            pieces.append("")
        pieces[-1] += match.group()
    return pieces


def _is_thai(ch: str) -> bool:
    return "\u0e01" <= ch <= "\u0e4e"


def _cells(text: str) -> int:
    return sum(1 for ch in text if not re.match(f"[{_FOLLOWING}]", ch))


def width_em(text: str) -> float:
    from flowcharts.text import text_width

    return text_width(text, 1.0)


def pieces(entry: str) -> list[str]:
    """The pieces of a vocabulary entry that can be units: split at spaces and brackets, each
    with Thai letters, at least four letters long (a syllable never breaks)."""
    out = []
    for piece in _PIECE_SPLIT_RE.split(entry or ""):
        starts = piece and _is_thai(piece[0]) and not re.match(f"[{_FOLLOWING}]", piece[0])
        if starts and _cells(piece) >= 4:
            out.append(piece)
    return out


@functools.cache
def _default_words() -> frozenset[str]:
    from pythainlp.corpus import thai_words

    return frozenset(thai_words())


def _segments(unit: str, known: frozenset[str]) -> tuple[str, ...]:
    """A long unit cut into its own words: PyThaiNLP's default dictionary, then runs of its
    words that make up another unit glued back (สำนักพัฒนาสังคม -> สำนัก พัฒนา สังคม; a unit
    ผู้อำนวยการ inside ผู้อำนวยการสำนัก stays one segment)."""
    from pythainlp.tokenize import word_tokenize

    tokens = [t for t in word_tokenize(unit, engine="newmm", keep_whitespace=False) if t]
    if len(tokens) == 1:
        return _halves(unit)
    out: list[str] = []
    i = 0
    while i < len(tokens):
        best = i + 1
        for j in range(len(tokens), i + 1, -1):
            joined = "".join(tokens[i:j])
            if joined != unit and joined in known:
                best = j
                break
        out.append("".join(tokens[i:best]))
        i = best
    return tuple(out)


def _halves(word: str) -> tuple[str, ...]:
    """A word wider than a narrow column cut where it is made of two dictionary words
    (กรุงเทพมหานคร -> กรุงเทพ + มหานคร), else of one dictionary word and the rest
    (พระราช + กฤษฎีกา), the most even such cut; itself when there is none."""
    from pythainlp.tokenize import subword_tokenize

    words = _default_words()
    clusters = [c for c in subword_tokenize(word, engine="tcc") if c]
    best: tuple[float, int] | None = None
    for cut in range(1, len(clusters)):
        left, right = "".join(clusters[:cut]), "".join(clusters[cut:])
        known = (left in words) + (right in words)
        # one half a word of four letters or more and the other of three or more
        # (พระราช|กฤษฎีกา), never a syllable torn off (ผู้อำนวย|การ)
        one = (
            max(_cells(left) if left in words else 0, _cells(right) if right in words else 0) >= 4
            and min(_cells(left), _cells(right)) >= 3
        )
        # the nominalisers การ and ความ come off a word: การ|รายงานผล, ความ|คุ้มค่า
        prefix = left in ("การ", "ความ") and _cells(right) >= 3
        if known == 2 or (known == 1 and one) or prefix:
            # both halves words first, then the most even cut
            score = (2 - known) * 100 + abs(width_em(left) - width_em(right))
            if best is None or score < best[0]:
                best = (score, len(left))
    if best is None:
        return (word,)
    return (word[: best[1]], word[best[1] :])


@functools.lru_cache(maxsize=4096)
def _wide_halves(word: str) -> tuple[str, ...]:
    # only a long one: a short word (อำนวยการ) is better broken by Pango than always allowed
    # to break (ผู้อำนวย|การ) in the check
    return _halves(word) if width_em(word) > DEFAULT_CELL_EM else (word,)


def _trie_pattern(words: Iterable[str]) -> str:
    """One regular expression matching any of ``words``, longest first, as a trie (fast: the
    engine rejects a position at its first letter)."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def pattern(node: dict) -> str:
        alternatives = [re.escape(ch) + pattern(child) for ch, child in sorted(node.items()) if ch]
        if not alternatives:
            return ""
        body = alternatives[0] if len(alternatives) == 1 else "(?:" + "|".join(alternatives) + ")"
        return f"(?:{body})?" if "" in node else body

    return pattern(trie)


@dataclass
class Vocabulary:
    """The units of one manual and how to keep them whole."""

    units: dict[str, tuple[str, ...]]  # unit -> its segments (just itself when it is short)

    @classmethod
    def from_entries(cls, entries: Iterable[str]) -> Vocabulary:
        found: set[str] = set()
        for entry in [*COMMON_WORDS, *entries]:
            found.update(pieces(entry))
        known = frozenset(found)
        units: dict[str, tuple[str, ...]] = {}
        for unit in sorted(found):
            if width_em(unit) <= SEGMENT_EM:
                units[unit] = (unit,)
                continue
            units[unit] = _segments(unit, known)
        return cls(units)

    @classmethod
    def for_edition(cls, data) -> Vocabulary:
        """The vocabulary of a ``printing.selectors.PrintableEdition``."""
        from manuals.models import Lane

        edition = data.edition
        agency = edition.manual.agency
        entries = [agency.name, getattr(agency.parent, "name", "") if agency.parent_id else ""]
        for name, full_name in Lane.objects.filter(edition=edition).values_list(
            "name", "full_name"
        ):
            entries += [name, full_name]
        entries += [m.unit for m in data.missions]
        entries += [p.responsible_unit for p in data.processes]
        entries += [d.term for d in data.definitions]
        for a in data.abbreviations:
            entries += [a.short, a.full]
        entries += [r.holder for r in data.responsibilities]
        entries += [r.citation for r in data.legal_references]
        return cls.from_entries(e for e in entries if e)

    @functools.cached_property
    def _regex(self) -> re.Pattern:
        words = sorted(self.units, key=len, reverse=True)
        if not words:
            return re.compile(r"(?!x)x")
        return re.compile(
            f"(?<![{_LEADING_VOWELS}])" + _trie_pattern(words) + f"(?![{_FOLLOWING}])"
        )

    def segments_of(self, word: str) -> tuple[str, ...]:
        """A unit's segments; a segment that is no unit but wider than a narrow column, its
        halves (ผลการดำเนินงาน inside รายงานผลการดำเนินงานตามแผน)."""
        if word in self.units:
            return self.units[word]
        return _wide_halves(word)

    def cuts(self, word: str) -> frozenset[int]:
        """Where a line may break inside ``word`` when it is wider than its column: between
        its segments, and where their own segments allow (offsets from its start)."""
        segments = self.segments_of(word)
        if segments == (word,):
            return frozenset()
        out: set[int] = set()
        offset = 0
        for segment in segments:
            if offset:
                out.add(offset)
            out.update(offset + cut for cut in self.cuts(segment))
            offset += len(segment)
        return frozenset(out)

    def broken_at(self, text: str, boundary: int) -> tuple[str, int] | None:
        """The unit of ``text`` (matched as ``protect_text`` matches) that a line break at
        ``boundary`` cuts where it may not, and where it starts; or None."""
        for match in self._regex.finditer(text):
            if match.start() >= boundary:
                break
            if match.start() < boundary < match.end():
                if boundary - match.start() not in self.cuts(match.group()):
                    return match.group(), match.start()
                break
        return None

    # ------------------------------------------------------------------ HTML

    def _wrap(self, word: str, limit: float | None) -> str:
        if limit is None or width_em(word) <= limit:
            return f'<span class="nw">{word}</span>'
        segments = self.segments_of(word)
        if segments == (word,):
            return word  # wider than its column: Pango breaks it where it must
        return ZWSP.join(self._wrap(segment, limit) for segment in segments)

    def words_of(self, text: str) -> list[str]:
        """``text`` cut into the pieces a line may break between: PyThaiNLP's words, with
        those inside one of the manual's units glued back together, spaces kept."""
        from pythainlp.tokenize import word_tokenize

        keep = [m.span() for m in self._regex.finditer(text) if m.end() > m.start()]
        out: list[str] = []
        position = 0
        for token in word_tokenize(text, engine="newmm", keep_whitespace=True):
            start, position = position, position + len(token)
            inside = any(a < start < b for a, b in keep)
            if out and inside:
                out[-1] += token
            else:
                out.append(token)
        return out

    def fold(self, text: str, max_em: float, max_lines: int = FOLD_LINES) -> str:
        """``text`` cut into lines of at most ``max_em`` (bold: 8% wider) between words only,
        for a margin box (``white-space: pre``), where no markup can keep a word whole.

        The page margin holds ``max_lines`` lines: a longer name is cut after its last whole
        word that fits, with "…" (the box is aligned to its bottom, so the lines above would
        be drawn off the page, number and all; the table's first page has the name whole)."""
        lines = [""]
        for word in self.words_of(text):
            candidate = lines[-1] + word
            if lines[-1].strip() and width_em(candidate.rstrip()) * 1.08 > max_em:
                lines.append(word.lstrip())
            else:
                lines[-1] = candidate
        lines = [line.strip() for line in lines if line.strip()]
        if len(lines) > max_lines:
            last = lines[max_lines - 1]
            kept = ""
            for word in self.words_of(last):
                if width_em((kept + word).rstrip() + " …") * 1.08 > max_em:
                    break
                kept += word
            lines = lines[: max_lines - 1] + [(kept.rstrip() or last) + " …"]
        return "\n".join(lines)

    def protect_text(self, text: str, limit: float | None = None) -> str:
        """HTML text (already escaped) with every unit kept whole."""
        if not text or not _HAS_THAI_RE.search(text):
            return text
        out = []
        last = 0
        for match in self._regex.finditer(text):
            start, end = match.span()
            if start == end:
                continue
            out.append(text[last:start])
            if start > 0 and _is_thai(text[start - 1]):
                out.append(ZWSP)
            out.append(self._wrap(match.group(), limit))
            if end < len(text) and _is_thai(text[end]):
                out.append(ZWSP)
            last = end
        out.append(text[last:])
        return "".join(out)

    def protect_html(self, html: str) -> str:
        """The printed HTML with every unit in its text kept whole (see the module docstring)."""
        out = []
        limit: float | None = None
        skip: str | None = None
        for index, chunk in enumerate(_TAG_RE.split(html)):
            if index % 2:  # a tag
                if 'data-fold="' in chunk:
                    chunk = _FOLD_ATTR_RE.sub(
                        lambda m: (
                            m.group(1)
                            + html_lib.escape(
                                self.fold(html_lib.unescape(m.group(2)), FOLD_EM)
                            ).replace("\n", "&#10;")
                            + '"'
                        ),
                        chunk,
                    )
                out.append(chunk)
                if skip:
                    if chunk.lower().startswith(f"</{skip}"):
                        skip = None
                    continue
                opened = _SKIP_OPEN_RE.match(chunk)
                if opened and not chunk.endswith("/>"):
                    skip = opened.group(1).lower()
                elif chunk.startswith(("<td", "<th")) and chunk[3:4] in " >":
                    em = _EM_ATTR_RE.search(chunk)
                    limit = float(em.group(1)) if em else DEFAULT_CELL_EM
                elif chunk.startswith(("</td", "</th")):
                    limit = None
                continue
            if skip:
                out.append(chunk)
            elif len(chunk) > LONG_RUN:
                out.append(
                    "".join(
                        f"<span>{self.protect_text(piece, limit)}</span>"
                        for piece in _pieces(chunk)
                    )
                )
            else:
                out.append(self.protect_text(chunk, limit))
        return "".join(out)


# ---------------------------------------------------------------------- the check


def breaks_inside(lines: list[str], vocabulary: Vocabulary) -> list[tuple[int, str]]:
    """Where a line ends inside one of the manual's units (other than between the segments
    of a unit too wide for its column): (index of the line, "…before|after…")."""
    found = []
    for index in range(len(lines) - 1):
        tail, head = lines[index].rstrip("\n"), lines[index + 1]
        if not tail or not head or not (_is_thai(tail[-1]) and _is_thai(head[0])):
            continue
        after = lines[index + 2] if index + 2 < len(lines) else ""
        if not (after and _is_thai(head[-1]) and _is_thai(after[0])):
            after = ""  # a unit may run on over a third line (a narrow column)
        broken = vocabulary.broken_at(tail + head + after, len(tail))
        if broken:
            word, start = broken
            cut = len(tail) - start
            found.append((index, f"{word[:cut]}|{word[cut:]}"))
    return found


def unescape(text: str) -> str:
    return html_lib.unescape(text)


# ---------------------------------------------------------------------- running heads

RUNHEAD_EM = 27.0  # the running head's box (40% of a landscape page) in ems of its 10.5 pt


def fold_line(text: str, max_em: float = RUNHEAD_EM) -> str:
    """A margin-box text (no markup there) cut into lines at spaces only, each at most
    ``max_em`` wide where it can be; printed with ``white-space: pre`` so no line breaks
    inside a word (a space before a number, "พ.ศ. ๒๕๖๔", is not a place to break)."""
    words = re.split(r" (?![๐-๙0-9])", text)
    lines: list[str] = []
    for word in words:
        if lines and width_em(f"{lines[-1]} {word}") <= max_em:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return "\n".join(lines)
