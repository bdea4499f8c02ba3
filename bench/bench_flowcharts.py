"""Chart engine timings: ``python bench/bench_flowcharts.py [--no-demo]``.

Cold: layout + DOT + ``neato -n2 -Tsvg`` for a 60-step, 8-lane chart with the cache cleared
(median of several runs, after one warm-up that loads PyThaiNLP and the font metrics).
Cached: the same call answered from the cache. Targets: cold <= 300 ms, cached <= 5 ms.

Demo manual: every chart (processes and sub-processes) of both editions of the demo manual,
read from a throw-away SQLite database made by ``migrate`` + ``load_demo`` (the configured
database is left alone): spec from the database, cold render (cache bypassed), cached render
(through the configured Django cache), per format.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flowcharts import render as render_module  # noqa: E402
from flowcharts.samples import synthetic_spec  # noqa: E402


def _time(fn, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def main() -> None:
    spec = synthetic_spec(60, 8)
    render_module.render(spec, "svg")  # warm-up: PyThaiNLP, font metrics, fontconfig cache
    for fmt in ("svg", "svg_outline"):
        # cold: a new spec each run (layout caches hold wrapped text, as in a real process)
        cold = []
        for salt in range(7):
            render_module.clear_local_cache()
            fresh = synthetic_spec(60, 8, salt=salt + 1)
            cold.extend(_time(lambda s=fresh, f=fmt: render_module.render(s, f), 1))
        render_module.render(spec, fmt)
        cached = _time(lambda f=fmt: render_module.render(spec, f), 50)
        print(
            f"{fmt:12} 60 steps x 8 lanes: cold median {statistics.median(cold):7.1f} ms"
            f"  (min {min(cold):.1f}, max {max(cold):.1f});"
            f" cached median {statistics.median(cached):6.3f} ms"
        )


def demo_main() -> None:
    import os
    import tempfile

    folder = tempfile.mkdtemp(prefix="bench-flowcharts-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    import django

    django.setup()
    from django.core.management import call_command

    from flowcharts.selectors import chart_spec_for_process, edition_processes
    from manuals.models import Manual

    call_command("migrate", verbosity=0)
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    manual = Manual.objects.get(slug="kpp-spsc")
    processes = [
        process
        for edition in manual.editions.order_by("year_be")
        for process in edition_processes(edition=edition)
    ]
    start = time.perf_counter()
    specs = [chart_spec_for_process(process) for process in processes]
    spec_ms = (time.perf_counter() - start) * 1000
    steps = sum(len(spec.steps) for spec in specs)
    print(
        f"demo manual kpp-spsc: {len(specs)} charts ({steps} steps, largest"
        f" {max(len(spec.steps) for spec in specs)}), specs from the database"
        f" {spec_ms:.1f} ms total ({spec_ms / len(specs):.2f} ms/chart)"
    )
    for fmt in ("svg", "svg_outline", "png"):
        cold = _time_each(specs, lambda spec, f=fmt: render_module.render(spec, f, use_cache=False))
        for spec in specs:
            render_module.render(spec, fmt)  # fill the cache
        cached = _time_each(specs, lambda spec, f=fmt: render_module.render(spec, f))
        print(
            f"{fmt:12} all {len(specs)} charts: cold {sum(cold):7.0f} ms total,"
            f" {statistics.median(cold):6.1f} ms/chart median (max {max(cold):.1f});"
            f" cached {sum(cached):6.1f} ms total, {statistics.median(cached):.3f} ms/chart"
        )


def _time_each(items, fn) -> list[float]:
    out = []
    for item in items:
        start = time.perf_counter()
        fn(item)
        out.append((time.perf_counter() - start) * 1000)
    return out


if __name__ == "__main__":
    if "--no-demo" not in sys.argv:
        demo_main()  # sets Django up first, so the engine figures below use the same cache
    main()
