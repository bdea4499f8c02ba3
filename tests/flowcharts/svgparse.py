"""Reading Graphviz SVG output in tests: groups by id/class, bounding boxes, texts."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

NS = {"svg": "http://www.w3.org/2000/svg"}
SVG = "{http://www.w3.org/2000/svg}"
NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def parse(svg: bytes) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own renderer's output


def groups(root: ET.Element, cls: str) -> list[ET.Element]:
    return [g for g in root.iter(f"{SVG}g") if cls in (g.get("class") or "").split()]


def by_id(root: ET.Element, ident: str) -> ET.Element:
    for g in root.iter(f"{SVG}g"):
        if g.get("id") == ident:
            return g
    raise KeyError(ident)


def bbox(element: ET.Element) -> tuple[float, float, float, float]:
    """(x0, y0, x1, y1) of the outlines (polygon, path, ellipse) inside an element."""
    xs: list[float] = []
    ys: list[float] = []
    for item in element.iter():
        tag = item.tag.replace(SVG, "")
        if tag in ("polygon", "polyline"):
            values = [float(v) for v in NUMBER.findall(item.get("points", ""))]
        elif tag == "path":
            values = [float(v) for v in NUMBER.findall(item.get("d", ""))]
        elif tag == "ellipse":
            cx, cy = float(item.get("cx")), float(item.get("cy"))
            rx, ry = float(item.get("rx")), float(item.get("ry"))
            values = [cx - rx, cy - ry, cx + rx, cy + ry]
        else:
            continue
        xs.extend(values[0::2])
        ys.extend(values[1::2])
    return min(xs), min(ys), max(xs), max(ys)


def centre(element: ET.Element) -> tuple[float, float]:
    x0, y0, x1, y1 = bbox(element)
    return (x0 + x1) / 2, (y0 + y1) / 2


def texts(element: ET.Element) -> list[str]:
    return [t.text or "" for t in element.iter(f"{SVG}text")]
