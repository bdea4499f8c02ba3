"""A table never overflows the A4 page, whatever its cells hold (issue 11, item 6).

Long unbroken strings (a URL, "ก" × 300, Latin without spaces) wrap inside their cell: no word
of the PDF's text layer lies beyond the page's width.
"""

from __future__ import annotations

import re
import subprocess
from html import unescape

import pytest

from printing.builder import build_manual
from tests.factories import EditionFactory, ProcessFactory, StepFactory

pytestmark = pytest.mark.django_db

URL = "https://example.go.th/" + "a1b2c3d4e5/" * 20 + "index.html?q=" + "x" * 60
THAI_RUN = "ก" * 300
LATIN_RUN = "Supercalifragilistic" * 12


def _words(path):
    """(page width, x_max, text) of every word pdftotext finds, page by page."""
    out = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], capture_output=True, check=True
    ).stdout.decode("utf-8")
    rows = []
    for page in re.finditer(r'<page width="([\d.]+)"[^>]*>(.*?)</page>', out, re.S):
        width = float(page.group(1))
        for m in re.finditer(
            r'<word xMin="[\d.-]+" yMin="[\d.-]+" xMax="([\d.-]+)"[^>]*>(.*?)</word>', page.group(2)
        ):
            rows.append((width, float(m.group(1)), unescape(m.group(2))))
    return rows


@pytest.fixture(scope="module")
def long_strings_pdf(django_db_setup, django_db_blocker, tmp_path_factory):
    from django.db import transaction

    path = tmp_path_factory.mktemp("overflow") / "long.pdf"
    with django_db_blocker.unblock(), transaction.atomic():
        edition = EditionFactory()
        process = ProcessFactory(mission__edition=edition, name="กระบวนการข้อความยาว")
        StepFactory(
            process=process,
            position=1,
            detail=f"ดูที่ {URL} แล้ว {THAI_RUN}",
            quality_standard=LATIN_RUN,
            monitoring=THAI_RUN,
            references=URL,
        )
        path.write_bytes(build_manual(edition.pk).pdf)
        transaction.set_rollback(True)
    return path


def test_no_word_lies_beyond_the_page(long_strings_pdf):
    words = _words(long_strings_pdf)
    assert any("ก" * 10 in text for _w, _x, text in words)  # the long strings were printed
    beyond = [(text[:30], x, w) for w, x, text in words if x > w + 0.5]
    assert beyond == []


def test_long_strings_print_whole(long_strings_pdf):
    text = "".join(t for _w, _x, t in _words(long_strings_pdf))
    assert text.count("ก") >= 2 * 300  # wrapped, not clipped: every character is there
    assert "Supercalifragilistic" * 2 in text or text.count("Supercalifragilistic") >= 12
