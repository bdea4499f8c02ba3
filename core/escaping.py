"""User text made literal for each consumer that would otherwise read it as syntax.

One helper per consumer; call the one for where the text goes, at the point it goes there:

- ``regex_replacement``: the replacement argument of ``re.sub`` (``\\1``, ``\\g<0>``, ``\\d``);
- ``dot_escstring``: the inside of a DOT double-quoted string (Graphviz's escString:
  ``\\N``, ``\\G``, ``\\n``, entities);
- ``dot_html``: the text of a Graphviz HTML-like label cell;
- ``xml_text`` / ``xml_attr``: XML or SVG character data / attribute values;
- ``html``: HTML outside Django's autoescaping templates.
"""

from __future__ import annotations

from django.utils.html import escape as _django_escape
from django.utils.safestring import SafeString

# WORD JOINER: invisible, zero width. Graphviz expands \N, \G, \E, \T, \H, \L (node, graph,
# edge, tail, head names, label) in labels *and* tooltips, and a doubled backslash does not
# stop it in tooltips; a word joiner after each backslash does, and shows nothing.
WORD_JOINER = "\u2060"


def regex_replacement(text: str) -> str:
    """``text`` as a literal ``re.sub`` replacement: backslashes (group references, escapes)
    are doubled, so ``C:\\Users\\x``, ``\\1`` and ``\\g<0>`` come out as written."""
    return str(text).replace("\\", "\\\\")


def dot_escstring(text: str) -> str:
    """The inside of a DOT ``"..."`` string that Graphviz shows literally, in labels and in
    tooltips: quotes escaped, ``&`` as ``&amp;`` (Graphviz decodes entities), each backslash
    doubled and followed by a word joiner (see ``WORD_JOINER``). The caller adds the quotes and
    its own ``\\n`` line joins; ``text`` must hold no line breaks."""
    text = str(text).replace("\\", "\\\\" + WORD_JOINER)
    return text.replace('"', '\\"').replace("&", "&amp;")


def dot_html(text: str) -> str:
    """Text of a Graphviz HTML-like label (``<TD>…</TD>``): entities for markup characters and a
    word joiner after each backslash (Graphviz expands ``\\N`` … even there)."""
    return xml_attr(str(text).replace("\\", "\\" + WORD_JOINER))


def xml_text(text: str) -> str:
    """XML/SVG character data: ``&``, ``<`` and ``>`` as entities."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def xml_attr(text: str) -> str:
    """An XML/SVG attribute value, for either quote style."""
    return xml_text(text).replace('"', "&quot;").replace("'", "&#39;")


def html(text: str) -> SafeString:
    """HTML-escaped text (Django's ``escape``), for HTML built outside a template."""
    return _django_escape(text)
