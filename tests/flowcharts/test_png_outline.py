"""The downloaded chart PNG is drawn from the outline SVG the PDF prints (issue 11, item 12):
Graphviz's own PNG laid Thai out again at the PNG's resolution and opened gaps inside bold
words ("ผู้อำนวยก ารก อง"); the outline SVG keeps every glyph where the PDF has it."""

from __future__ import annotations

import io
import subprocess

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from PIL import Image, ImageChops

from flowcharts.render import PNG_DPI, render
from flowcharts.selectors import chart_spec_for_process

from .conftest import demo_process

pytestmark = pytest.mark.django_db


def _rgb(png: bytes) -> Image.Image:
    return Image.open(io.BytesIO(png)).convert("RGB")


def test_downloaded_png_is_the_outline_svg_rasterised(client, demo):
    process = demo_process(demo, "1.1")  # bold lane names: ผู้อำนวยการกอง, ฝ่ายบริหารงานทั่วไป
    client.force_login(get_user_model().objects.get(username="editor"))
    response = client.get(reverse("flowcharts:process_png", args=[process.pk]))
    assert response.status_code == 200
    png = _rgb(response.content)

    outline = render(chart_spec_for_process(process), "svg_outline")
    assert b"<text" not in outline  # glyphs as paths, as in the PDF
    expected = subprocess.run(
        ["rsvg-convert", "-f", "png", "-d", str(PNG_DPI), "-p", str(PNG_DPI), "-b", "white"],
        input=outline,
        capture_output=True,
        check=True,
    ).stdout
    expected = _rgb(expected)
    assert png.size == expected.size
    diff = ImageChops.difference(png, expected)
    assert diff.getbbox() is None  # pixel for pixel the outline's glyphs, no gap of its own


def test_png_has_a_white_background(client, demo):
    process = demo_process(demo, "1.1")
    client.force_login(get_user_model().objects.get(username="editor"))
    png = Image.open(
        io.BytesIO(client.get(reverse("flowcharts:process_png", args=[process.pk])).content)
    )
    corner = png.convert("RGBA").getpixel((1, 1))
    assert corner[3] == 255 and corner[:3] == (255, 255, 255)
