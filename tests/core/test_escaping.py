"""Each escaping helper makes hostile user text literal for its consumer."""

from __future__ import annotations

import re
import subprocess
import xml.etree.ElementTree as ET

import pytest

from core import escaping

HOSTILE = ["C:\\Users\\x", "\\1", "\\g<0>", "กระบวนการทดสอบ \\d", "a & <b> \"q\" 'q'", "\\"]


@pytest.mark.parametrize("text", HOSTILE)
def test_regex_replacement_is_literal(text):
    assert re.sub("X", escaping.regex_replacement(text), "aXb") == f"a{text}b"


@pytest.mark.parametrize("text", HOSTILE)
def test_xml_helpers_round_trip(text):
    root = ET.fromstring(  # noqa: S314 - built here
        f"<r a=\"{escaping.xml_attr(text)}\" b='{escaping.xml_attr(text)}'>"
        f"{escaping.xml_text(text)}</r>"
    )
    assert root.text == text and root.get("a") == text and root.get("b") == text


def test_html_escapes_markup():
    assert escaping.html("<script>&") == "&lt;script&gt;&amp;"


@pytest.mark.parametrize("text", ["\\N \\G \\E \\L \\n \\l", "C:\\Users\\x", 'say "hi" & bye'])
def test_dot_escstring_stays_literal_in_label_and_tooltip(text):
    dot = (
        f'digraph G {{ a [label="{escaping.dot_escstring(text)}" '
        f'tooltip="{escaping.dot_escstring(text)}" URL="/x"]; }}'
    )
    svg = subprocess.run(["dot", "-Tsvg"], input=dot.encode(), capture_output=True, check=True)
    root = ET.fromstring(svg.stdout)  # noqa: S314 - Graphviz output
    ns = "{http://www.w3.org/2000/svg}"
    shown = "".join(t.text or "" for t in root.iter(f"{ns}text"))
    tooltip = next(root.iter(f"{ns}a")).get("{http://www.w3.org/1999/xlink}title")
    invisible = escaping.WORD_JOINER
    assert shown.replace(invisible, "") == text
    assert tooltip.replace(invisible, "") == text
