"""Charts written as Mermaid text (how the seed extractions give the images of Tables 3–5).

Only what the manual says is read: each node's label and shape, each arrow with its label.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_START = re.compile(r"^\s*(graph|flowchart)\s+(TD|TB|BT|LR|RL)?\b", re.I)
_OPEN_CLOSE = [
    ("((", "))", "circle"),
    ("([", "])", "stadium"),
    ("[[", "]]", "subroutine"),
    ("[(", ")]", "database"),
    ("{{", "}}", "hexagon"),
    ("[/", "/]", "document"),
    ("[\\", "\\]", "document"),
    ("[", "]", "box"),
    ("{", "}", "decision"),
    ("(", ")", "round"),
    (">", "]", "document"),
]
_NODE = re.compile(
    r"(?<![\w|])([A-Za-z_][\w]*)\s*(" + "|".join(re.escape(o) for o, _, _ in _OPEN_CLOSE) + r")"
)
_ARROW = re.compile(r"(-{2,}>|={2,}>|-\.+->|-{3,}|<-{2,}>)\s*(?:\|([^|]*)\|)?")
_TEXT_ARROW = re.compile(r"--\s*([^\-|>][^>]*?)\s*-->")
_KEYWORDS = re.compile(r"\b(subgraph|end|style|classDef|class|linkStyle|click)\b[^\n]*")
_BR = re.compile(r"<\s*br\s*/?\s*>", re.I)

START_WORDS = ("เริ่ม", "เริ่มต้น", "start", "begin")
END_WORDS = ("จบ", "สิ้นสุด", "end", "stop", "จบกระบวนการ", "เสร็จสิ้น")
CONNECTOR_WORDS = ("ต่อ", "(ต่อ)", "ต่อหน้าถัดไป", "connector", "a", "b", "c", "๑", "๒", "๓")


@dataclass
class Node:
    key: str
    label: str
    shape: str  # circle, stadium, box, decision, database, document, subroutine, round, hexagon

    @property
    def role(self) -> str:
        """start / end / connector / decision / step."""
        word = re.sub(r"[\s/]+", "", self.label).lower()
        starts = any(word == w or word.startswith(w) for w in ("เริ่ม", "start", "begin"))
        if starts and len(word) <= 12:
            return "start"
        if word in {re.sub(r"\s+", "", w) for w in END_WORDS}:
            return "end"
        if word in CONNECTOR_WORDS or (self.shape == "circle" and len(word) <= 3):
            return "connector"
        if self.shape in ("decision", "hexagon"):
            return "decision"
        return "step"


@dataclass
class Chart:
    nodes: list[Node] = field(default_factory=list)
    edges: list[tuple[str, str, str]] = field(default_factory=list)  # (from, to, label)

    def node(self, key: str) -> Node | None:
        return next((n for n in self.nodes if n.key == key), None)


def looks_like(text: str) -> bool:
    return bool(text) and bool(_START.match(text))


def _read_label(text: str, start: int, close: str) -> tuple[str, int]:
    end = text.find(close, start)
    if end < 0:
        return text[start:], len(text)
    return text[start:end], end + len(close)


def _clean_label(label: str) -> str:
    label = _BR.sub(" ", label)
    label = label.strip().strip('"').strip()
    label = label.replace("&quot;", '"').replace("#quot;", '"')
    return re.sub(r"\s+", " ", label)


def parse(text: str) -> Chart:
    """Nodes (first definition wins) and arrows of a Mermaid chart."""
    chart = Chart()
    body = _START.sub("", text or "", count=1)
    body = _KEYWORDS.sub(" ", body) if "subgraph" in body or "style" in body else body
    known: dict[str, Node] = {}
    # Tokenise into a sequence of node references and arrows.
    tokens: list[tuple[str, str]] = []  # ("node", key) | ("arrow", label)
    i, n = 0, len(body)
    while i < n:
        match_node = _NODE.match(body, i)
        if match_node:
            key, opener = match_node.group(1), match_node.group(2)
            close, shape = next((c, s) for o, c, s in _OPEN_CLOSE if o == opener)
            label, i = _read_label(body, match_node.end(), close)
            if key not in known:
                known[key] = Node(key, _clean_label(label), shape)
                chart.nodes.append(known[key])
            tokens.append(("node", key))
            continue
        match_text_arrow = _TEXT_ARROW.match(body, i)
        if match_text_arrow:
            tokens.append(("arrow", _clean_label(match_text_arrow.group(1))))
            i = match_text_arrow.end()
            continue
        match_arrow = _ARROW.match(body, i)
        if match_arrow:
            tokens.append(("arrow", _clean_label(match_arrow.group(2) or "")))
            i = match_arrow.end()
            continue
        bare = re.match(r"([A-Za-z_]\w*)", body[i:])
        if bare and (i == 0 or not body[i - 1].isalnum()):
            key = bare.group(1)
            if key not in known and key.lower() not in ("td", "lr", "graph"):
                known[key] = Node(key, "", "box")
            if key in known:
                tokens.append(("node", key))
            i += len(key)
            continue
        i += 1
    for k in range(len(tokens) - 2):
        a, arrow, b = tokens[k], tokens[k + 1], tokens[k + 2]
        if a[0] == "node" and arrow[0] == "arrow" and b[0] == "node":
            chart.edges.append((a[1], b[1], arrow[1]))
    return chart


def labels(text: str) -> list[str]:
    """Every label the chart shows (nodes, then arrows)."""
    chart = parse(text)
    out = [node.label for node in chart.nodes if node.label]
    out += [label for _a, _b, label in chart.edges if label]
    return out
