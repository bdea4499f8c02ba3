"""Make Thai text copied or searched from our PDFs read right.

WeasyPrint maps each glyph to the text of the first cluster it was drawn in. Sarabun draws
sara am (ำ) as two glyphs, nikhahit + sara aa, so when the first า of a document happens to be
inside an ำ, every later า is extracted as ำ ("ตำรำงที่" for "ตารางที่"): search and copy-paste
break although the printed page is right. Seeding each font's map with the component glyphs'
own characters fixes it: า stays า, and ำ is extracted as ํ + า, its canonical decomposition.
"""

from __future__ import annotations

import hashlib
import io
import logging

logger = logging.getLogger(__name__)

# The glyphs Thai fonts compose other characters from: sara aa and nikhahit (parts of sara am).
THAI_COMPONENTS = ("\u0e32", "\u0e4d")
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


def install_thai_text_mapping() -> None:
    """Patch WeasyPrint's PDF fonts once per process (idempotent)."""
    from weasyprint.pdf import fonts

    if getattr(fonts.Font, "_thai_components_seeded", False):
        return
    original_init = fonts.Font.__init__

    def __init__(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        try:
            self.to_unicode.update(_component_glyphs(self))
        except Exception:  # a font fontTools cannot read: keep WeasyPrint's own mapping
            logger.warning("could not seed Thai glyph mapping for %s", self.family, exc_info=True)

    fonts.Font.__init__ = __init__
    fonts.Font._thai_components_seeded = True
