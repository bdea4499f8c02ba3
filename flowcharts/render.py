"""Running Graphviz on a chart, with a time limit, a size limit and a cache.

``render(spec_or_dot, fmt)`` gives bytes: "svg" (plain SVG for the browser, tooltips and links),
"svg_outline" (``-Tsvg:cairo``, text drawn as outlines, for WeasyPrint: its SVG text breaks Thai
marks) or "png" (that outline SVG rasterised by ``rsvg-convert``: Graphviz's own PNG lays Thai
out again at the PNG's resolution and opened gaps inside bold words, "ผู้อำนวยก ารก อง").
Any failure is a ``ChartError`` carrying a Thai message to show in place of the chart.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import subprocess
import tempfile
from collections import OrderedDict
from pathlib import Path

from .layout import LAYOUT_VERSION, build_dot
from .spec import ChartSpec

logger = logging.getLogger(__name__)

CODE_VERSION = "flowcharts-1"
ENGINE = "neato"
TIMEOUT_SECONDS = 20
MAX_DOT_CHARS = 3_000_000
CACHE_SECONDS = 60 * 60 * 24 * 30
FORMATS = {
    "svg": ["-Tsvg"],
    "svg_outline": ["-Tsvg:cairo"],
    "png": ["-Tsvg:cairo"],  # rasterised by rsvg-convert, see _rasterise
}
PNG_DPI = 110

_LOCAL_CACHE: OrderedDict[str, bytes] = OrderedDict()
_LOCAL_CACHE_SIZE = 256


class ChartError(Exception):
    """A chart could not be drawn; ``str(error)`` is a Thai message for the reader."""

    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail


# ----------------------------------------------------------------------------- environment


def _django_settings():
    try:
        from django.conf import settings

        if settings.configured:
            return settings
    except Exception:  # noqa: BLE001 - Django missing or broken: work without it
        return None
    return None


def fontconfig_dir() -> Path:
    settings = _django_settings()
    if settings is not None:
        var_dir = getattr(settings, "VAR_DIR", None) or Path(settings.BASE_DIR) / "var"
        return Path(var_dir) / "fontconfig"
    return Path(tempfile.gettempdir()) / "manuals-fontconfig"


@functools.cache
def graphviz_env() -> dict[str, str]:
    from core.fonts import fontconfig_file

    env = dict(os.environ)
    env["FONTCONFIG_FILE"] = str(fontconfig_file(fontconfig_dir()))
    return env


@functools.cache
def engine_version() -> str:
    try:
        done = subprocess.run(  # noqa: S603 - fixed argument list
            [ENGINE, "-V"], capture_output=True, timeout=TIMEOUT_SECONDS, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    return (done.stderr or done.stdout).decode("utf-8", "replace").strip()


# ----------------------------------------------------------------------------- running


def _run_graphviz(dot: str, fmt: str) -> bytes:
    """One run of ``neato -n2`` (positions are pinned in the DOT)."""
    args = [ENGINE, "-n2", *FORMATS[fmt]]
    try:
        done = subprocess.run(  # noqa: S603 - fixed argument list, DOT on stdin
            args,
            input=dot.encode("utf-8"),
            capture_output=True,
            timeout=TIMEOUT_SECONDS,
            env=graphviz_env(),
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise ChartError(
            "สร้างแผนผังไม่สำเร็จ: ใช้เวลานานเกินกำหนด กรุณาแบ่งกระบวนการให้สั้นลง", "timeout"
        ) from exc
    except OSError as exc:
        raise ChartError("สร้างแผนผังไม่สำเร็จ: ไม่พบโปรแกรม Graphviz บนเครื่องแม่ข่าย", str(exc)) from exc
    if done.returncode != 0 or not done.stdout:
        detail = done.stderr.decode("utf-8", "replace")[:2000]
        logger.warning("graphviz failed (%s): %s", done.returncode, detail)
        raise ChartError("สร้างแผนผังไม่สำเร็จ: โปรแกรมวาดแผนผังแจ้งข้อผิดพลาด", detail)
    return done.stdout


def _rasterise(svg: bytes, dpi: int = PNG_DPI) -> bytes:
    """The outline SVG as a PNG on white, every glyph where the PDF draws it."""
    try:
        done = subprocess.run(  # noqa: S603 - fixed argument list, SVG on stdin
            [
                "rsvg-convert",
                "--format",
                "png",
                "--dpi-x",
                str(dpi),
                "--dpi-y",
                str(dpi),
                "--background-color",
                "white",
            ],
            input=svg,
            capture_output=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise ChartError("แปลงแผนผังเป็นภาพไม่สำเร็จ: ใช้เวลานานเกินกำหนด", "timeout") from exc
    except OSError as exc:
        raise ChartError("แปลงแผนผังเป็นภาพไม่สำเร็จ: ไม่พบโปรแกรม rsvg-convert", str(exc)) from exc
    if done.returncode != 0 or not done.stdout.startswith(b"\x89PNG"):
        detail = done.stderr.decode("utf-8", "replace")[:2000]
        raise ChartError("แปลงแผนผังเป็นภาพไม่สำเร็จ", detail)
    return done.stdout


# ----------------------------------------------------------------------------- cache


def _cache_get(key: str) -> bytes | None:
    settings = _django_settings()
    if settings is not None:
        try:
            from django.core.cache import caches

            return caches["default"].get(key)
        except Exception:  # noqa: BLE001 - a broken cache must not break the page
            logger.warning("chart cache unavailable", exc_info=True)
    value = _LOCAL_CACHE.get(key)
    if value is not None:
        _LOCAL_CACHE.move_to_end(key)
    return value


def _cache_set(key: str, value: bytes) -> None:
    settings = _django_settings()
    if settings is not None:
        try:
            from django.core.cache import caches

            caches["default"].set(key, value, CACHE_SECONDS)
            return
        except Exception:  # noqa: BLE001
            logger.warning("chart cache unavailable", exc_info=True)
    _LOCAL_CACHE[key] = value
    while len(_LOCAL_CACHE) > _LOCAL_CACHE_SIZE:
        _LOCAL_CACHE.popitem(last=False)


def clear_local_cache() -> None:
    _LOCAL_CACHE.clear()


def cache_key(spec_or_dot: ChartSpec | str, fmt: str) -> str:
    if isinstance(spec_or_dot, ChartSpec):
        content = "spec:" + repr(spec_or_dot)
    else:
        content = "dot:" + spec_or_dot
    digest = hashlib.sha256()
    # "png-outline": PNGs cached before they were drawn from the outline SVG are not reused
    kind = "png-outline" if fmt == "png" else fmt
    for part in (CODE_VERSION, LAYOUT_VERSION, engine_version(), kind, content):
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return "flowchart:" + digest.hexdigest()


# ----------------------------------------------------------------------------- API


def render(spec_or_dot: ChartSpec | str, fmt: str = "svg", *, use_cache: bool = True) -> bytes:
    """The chart drawn in ``fmt`` ("svg", "svg_outline" or "png"); raises ``ChartError``."""
    if fmt not in FORMATS:
        raise ChartError(f"ไม่รู้จักรูปแบบแผนผัง {fmt!r}")
    key = cache_key(spec_or_dot, fmt)
    if use_cache:
        cached = _cache_get(key)
        if cached is not None:
            return cached
    if isinstance(spec_or_dot, ChartSpec):
        try:
            dot = build_dot(spec_or_dot)
        except ChartError:
            raise
        except Exception as exc:
            logger.exception("chart layout failed")
            raise ChartError("สร้างแผนผังไม่สำเร็จ: ข้อมูลขั้นตอนไม่ถูกต้อง", repr(exc)) from exc
    else:
        dot = spec_or_dot
    if len(dot) > MAX_DOT_CHARS:
        raise ChartError("สร้างแผนผังไม่สำเร็จ: แผนผังใหญ่เกินไป กรุณาแบ่งกระบวนการให้สั้นลง")
    output = _run_graphviz(dot, fmt)
    if fmt == "png":
        output = _rasterise(output)
    if use_cache:
        _cache_set(key, output)
    return output
