"""Make Thai text copied or searched from our PDFs read exactly as it was typed.

Two things go wrong in the text layer WeasyPrint writes for Sarabun, although the printed page
is right:

* Sarabun (through HarfBuzz's Thai shaper) draws sara am (ำ) as two glyphs, nikhahit + sara
  aa, moved apart by any tone mark (น้ำ is drawn น ํ ้ า). A PDF's ToUnicode map gives each glyph
  one text, so the best it can give back is "คํานํา" for "คำนำ", and WeasyPrint, which maps a
  glyph to the text of the first cluster it was drawn in, loses the tone and the nikhahit
  altogether ("นา" for "น้ำ"). A reader's search for the typed word finds nothing.
* When the first า of a document happens to be inside an ำ, every later า would be extracted
  as ำ ("ตำรำงที่" for "ตารางที่").

The fix is the one the PDF format has for text whose glyphs do not spell it: every line that
holds an ำ is drawn inside a marked-content span whose ``/ActualText`` is the line's own text
(PDF 1.7, 14.9.4), which pdftotext, Acrobat and other readers use for search and copy. The
glyph map is still seeded with the component glyphs' own characters, so a reader that ignores
ActualText gets า as า and ำ as ํ + า, its canonical decomposition, instead of lost marks.
"""

from __future__ import annotations

import hashlib
import io
import logging

logger = logging.getLogger(__name__)

SARA_AM = "\u0e33"
# The glyphs Thai fonts compose other characters from: sara aa and nikhahit (parts of sara am),
# and the tone marks HarfBuzz moves between them (น้ำ), which would otherwise be mapped to the
# empty text of the cluster they were first drawn in.
THAI_COMPONENTS = ("\u0e32", "\u0e4d", "\u0e48", "\u0e49", "\u0e4a", "\u0e4b")
_glyphs_by_font: dict[bytes, dict[int, str]] = {}


def _component_glyphs(font) -> dict[int, str]:
    from fontTools.ttLib import TTFont

    key = hashlib.md5(font.file_content, usedforsecurity=False).digest()
    if key not in _glyphs_by_font:
        ttfont = TTFont(io.BytesIO(font.file_content), fontNumber=font.index, lazy=True)
        cmap = ttfont.getBestCmap() or {}
        _glyphs_by_font[key] = {
            ttfont.getGlyphID(cmap[ord(char)]): char
            for char in THAI_COMPONENTS
            if ord(char) in cmap
        }
    return _glyphs_by_font[key]


ZWSP = "\u200b"


def needs_actual_text(text: str) -> bool:
    """Whether a drawn line's glyphs cannot spell ``text`` back: it holds a sara am, or a
    zero-width space (``printing.wordbreak`` puts them beside the words a line may not break
    inside), which search and copy must not see."""
    return SARA_AM in text or ZWSP in text


def actual_text(text: str) -> str:
    """What search and copy get for a drawn line: its text, without zero-width spaces."""
    return text.replace(ZWSP, "")


def install_thai_text_mapping() -> None:
    """Patch WeasyPrint's PDF fonts and text drawing once per process (idempotent)."""
    import pydyf
    from weasyprint.draw import text as draw_text
    from weasyprint.pdf import fonts

    if getattr(fonts.Font, "_thai_components_seeded", False):
        return
    original_init = fonts.Font.__init__
    original_draw = draw_text.draw_first_line

    def __init__(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        try:
            self.to_unicode.update(_component_glyphs(self))
        except Exception:  # a font fontTools cannot read: keep WeasyPrint's own mapping
            logger.warning("could not seed Thai glyph mapping for %s", self.family, exc_info=True)

    def draw_first_line(stream, textbox, *args, **kwargs):
        text = textbox.text
        if not needs_actual_text(text):
            return original_draw(stream, textbox, *args, **kwargs)
        # A span inside the text object (BT … ET), around this line's glyphs only.
        stream.begin_marked_content(
            "Span", pydyf.Dictionary({"ActualText": pydyf.String(actual_text(text))})
        )
        try:
            return original_draw(stream, textbox, *args, **kwargs)
        finally:
            stream.end_marked_content()

    fonts.Font.__init__ = __init__
    fonts.Font._thai_components_seeded = True
    # draw_text() and SVG text look the function up in the module when they call it.
    draw_text.draw_first_line = draw_first_line
