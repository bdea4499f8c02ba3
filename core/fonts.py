"""Makes the Sarabun font visible to fontconfig, for Graphviz and WeasyPrint alike.

Graphviz measures labels through fontconfig and WeasyPrint lays out text through Pango, which
also asks fontconfig: without Sarabun in its path Thai comes out as boxes and nodes mis-sized.
We ship the font as a Python package (fontpkg-sarabun, OFL) and point fontconfig at it with a
small config file of our own, so nothing has to be installed system-wide.
"""

from __future__ import annotations

import os
from pathlib import Path

import fontpkg_sarabun

FAMILY = "Sarabun"


def sarabun_dir() -> Path:
    """The folder holding the Sarabun TTF files."""
    return Path(fontpkg_sarabun.__file__).parent / "files"


def sarabun_file(style: str = "Regular") -> Path:
    """One Sarabun TTF, e.g. ``sarabun_file("Bold")``."""
    return sarabun_dir() / f"Sarabun-{style}.ttf"


def fontconfig_file(cache_dir: Path) -> Path:
    """Write (once) and return a fonts.conf that adds Sarabun to the system's fonts."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    conf = cache_dir / "fonts.conf"
    text = (
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
        f"  <dir>{sarabun_dir()}</dir>\n"
        f"  <cachedir>{cache_dir / 'cache'}</cachedir>\n"
        "</fontconfig>\n"
    )
    if not conf.exists() or conf.read_text() != text:
        conf.write_text(text)
    return conf


def install_fontconfig(cache_dir: Path) -> None:
    """Point this process and its children (``dot``) at our fonts.conf.

    Must run before fontconfig is first initialised in-process (before WeasyPrint renders),
    which is why settings call it.
    """
    os.environ["FONTCONFIG_FILE"] = str(fontconfig_file(cache_dir))


# Symbols writers paste from Word that Sarabun has no glyph for (the renderer would take them
# from another font): each becomes the nearest character Sarabun draws.
SARABUN_STAND_INS = {
    "\u25aa": "\u2022",  # ▪ small black square -> bullet
    "\u25ab": "\u2022",  # ▫
    "\u25cf": "\u2022",  # ● black circle
    "\u25cb": "\u2022",  # ○
    "\u25fe": "\u2022",  # ◾
    "\u25fd": "\u2022",  # ◽
    "\u25b8": "\u2022",  # ▸
    "\u25ba": "\u2022",  # ►
    "\u25b6": "\u2022",  # ▶
    "\uf0a7": "\u2022",  # Wingdings bullet in the private use area
    "\uf0b7": "\u2022",
    "\u2713": "/",  # ✓
    "\u2714": "/",
}
_STAND_IN_TABLE = str.maketrans(SARABUN_STAND_INS)


def sarabun_safe(text: str) -> str:
    """``text`` with the pasted symbols Sarabun cannot draw replaced by ones it can."""
    return text.translate(_STAND_IN_TABLE)
