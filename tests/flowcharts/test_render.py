from __future__ import annotations

import os
import subprocess

import pytest

from flowcharts import render as render_module
from flowcharts.layout import SHAPES
from flowcharts.legend import legend_spec, render_legend
from flowcharts.render import ChartError, render
from flowcharts.samples import saraban_spec

from .svgparse import groups, parse, texts


def test_svg_outline_has_no_text_elements():
    svg = render(saraban_spec(), "svg_outline")
    root = parse(svg)
    assert not list(root.iter("{http://www.w3.org/2000/svg}text"))
    assert list(root.iter("{http://www.w3.org/2000/svg}path"))


def test_png_signature():
    assert render(saraban_spec(), "png").startswith(b"\x89PNG\r\n\x1a\n")


def test_second_render_comes_from_cache(monkeypatch):
    calls = []
    real = render_module._run_graphviz

    def counting(dot, fmt):
        calls.append(fmt)
        return real(dot, fmt)

    monkeypatch.setattr(render_module, "_run_graphviz", counting)
    spec = saraban_spec()
    first = render(spec, "svg")
    second = render(spec, "svg")
    assert first == second
    assert calls == ["svg"]
    render(spec, "png")
    assert calls == ["svg", "png"]


def test_cache_falls_back_without_django(monkeypatch):
    monkeypatch.setattr(render_module, "_django_settings", lambda: None)
    calls = []
    real = render_module._run_graphviz
    monkeypatch.setattr(render_module, "_run_graphviz", lambda d, f: calls.append(f) or real(d, f))
    render(saraban_spec(), "svg")
    render(saraban_spec(), "svg")
    assert calls == ["svg"]


def test_failures_raise_chart_error_in_thai(monkeypatch):
    with pytest.raises(ChartError) as info:
        render("digraph { this is not dot", "svg")
    assert "แผนผัง" in str(info.value)
    monkeypatch.setattr(render_module, "MAX_DOT_CHARS", 10)
    with pytest.raises(ChartError):
        render(saraban_spec(), "svg")
    with pytest.raises(ChartError):
        render(saraban_spec(), "pdf")


def test_timeout_becomes_chart_error(monkeypatch):
    def slow(*args, **kwargs):
        raise subprocess.TimeoutExpired("neato", 20)

    monkeypatch.setattr(render_module.subprocess, "run", slow)
    with pytest.raises(ChartError) as info:
        render(saraban_spec(), "svg", use_cache=False)
    assert "นาน" in str(info.value)


def test_legend_lists_every_symbol_with_its_meaning():
    rows = legend_spec()
    keys = {key for kind, key, _ in rows if kind == "shape"}
    assert keys | {"end"} == set(SHAPES)
    assert {key for kind, key, _ in rows if kind == "flow"} == {"flow", "data"}
    root = parse(render_legend("svg"))
    meanings = ["".join(texts(g)) for g in groups(root, "meaning")]
    assert [m.replace(" ", "") for m in meanings] == [m.replace(" ", "") for *_, m in rows]
    assert len(groups(root, "symbol")) == len(rows)


def test_fontconfig_finds_sarabun():
    env = render_module.graphviz_env()
    done = subprocess.run(
        ["fc-match", "-f", "%{family}|%{file}", "Sarabun"],
        capture_output=True,
        text=True,
        env={**os.environ, "FONTCONFIG_FILE": env["FONTCONFIG_FILE"]},
        check=True,
    )
    family, path = done.stdout.split("|", 1)
    assert "Sarabun" in family
    assert path.endswith("Sarabun-Regular.ttf")
