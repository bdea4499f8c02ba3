"""Chart engine timings: ``python bench/bench_flowcharts.py``.

Cold: layout + DOT + ``neato -n2 -Tsvg`` for a 60-step, 8-lane chart with the cache cleared
(median of several runs, after one warm-up that loads PyThaiNLP and the font metrics).
Cached: the same call answered from the cache. Targets: cold <= 300 ms, cached <= 5 ms.
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


if __name__ == "__main__":
    main()
