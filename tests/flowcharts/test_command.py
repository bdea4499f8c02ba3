"""``manage.py render_flowchart``: one chart to a file, or every published chart to a folder."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import pytest
from django.core.management import CommandError, call_command

from flowcharts.selectors import edition_processes

from .svgparse import SVG, groups, texts

pytestmark = pytest.mark.django_db


def _run(*args) -> str:
    out = io.StringIO()
    call_command("render_flowchart", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_one_chart_as_png_svg_and_print_svg(demo, tmp_path):
    png = tmp_path / "chart.png"
    out = _run("kpp-spsc", "๑.๑", "-o", str(png))  # Thai digits accepted
    assert png.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert str(png) in out and "๑.๑ กระบวนการด้านสารบรรณ" in out and " s" in out

    svg = tmp_path / "chart.svg"
    _run(str(demo.pk), "1.1", "-o", str(svg))  # a manual by id too
    root = ET.fromstring(svg.read_bytes())  # noqa: S314 - our own output
    process = next(
        p for p in edition_processes(edition=demo.editions.get(year_be=2564)) if p.number == "1.1"
    )
    shown = ["".join(texts(g)).replace(" ", "") for g in groups(root, "step")]
    assert shown == [s.chart_label.replace(" ", "") for s in process.steps.order_by("position")]

    outline = tmp_path / "chart.pdf-svg"
    _run("kpp-spsc", "1.1", "-o", str(outline))
    root = ET.fromstring(outline.read_bytes())  # noqa: S314
    assert not list(root.iter(f"{SVG}text"))  # text drawn as outlines, for WeasyPrint


def test_edition_choice(demo, tmp_path):
    draft = demo.editions.get(year_be=2567)
    draft_process = next(p for p in edition_processes(edition=draft) if p.number == "2.1")
    draft_process.steps.filter(position=2).update(label="ฉบับร่าง")
    for which, expected in [("2567", True), ("draft", True), ("latest", False), (None, False)]:
        target = tmp_path / f"{which}.svg"
        args = ["kpp-spsc", "2.1", "-o", str(target)]
        if which:
            args += ["--edition", which]
        out = _run(*args)
        assert ("ฉบับร่าง" in target.read_text()) is expected, which
        assert ("๒๕๖๗" in out) is expected


def test_default_edition_falls_back_to_the_draft(tmp_path):
    from tests.factories import ProcessFactory, StepFactory

    process = ProcessFactory()  # a manual with only a draft
    StepFactory(process=process, position=1, label="ขั้นเดียว")
    target = tmp_path / "draft.svg"
    _run(process.edition.manual.slug, process.number, "-o", str(target))
    assert "ขั้นเดียว" in target.read_text()


def test_all_writes_every_process_of_published_editions(demo, tmp_path):
    from tests.factories import ProcessFactory

    ProcessFactory()  # a draft-only manual: not drawn
    out = _run("--all", "-o", str(tmp_path / "charts"))
    published = demo.editions.get(status="published")
    numbers = [p.number for p in edition_processes(edition=published)]
    assert "1.1.1" in numbers and len(numbers) == 51  # 15 processes, 36 sub-processes
    written = sorted(path.name for path in (tmp_path / "charts").iterdir())
    assert written == sorted(f"kpp-spsc_{number}.svg" for number in numbers)
    for path in (tmp_path / "charts").iterdir():
        assert ET.fromstring(path.read_bytes()).tag == f"{SVG}svg"  # noqa: S314
    assert f"{len(numbers)} charts written" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["kpp-spsc", "9.9"], "unknown process"),
        (["kpp-spsc", "หนึ่ง"], "unknown process"),
        (["no-such-manual", "1.1"], "unknown manual"),
        (["kpp-spsc", "1.1", "--edition", "2500"], "no such edition"),
        (["kpp-spsc"], "PROCESS"),
        (["kpp-spsc", "1.1", "--all"], "--all"),
    ],
)
def test_clear_errors(demo, tmp_path, args, message):
    with pytest.raises(CommandError, match=message):
        _run(*args, "-o", str(tmp_path / "x.svg"))


def test_unknown_file_type(demo, tmp_path):
    with pytest.raises(CommandError, match="unknown file type"):
        _run("kpp-spsc", "1.1", "-o", str(tmp_path / "x.jpg"))
