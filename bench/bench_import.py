"""Import of a seed-sized manual: ``python bench/bench_import.py [--copies 2.2] [--source all]``.

The manual is seed 000's full text (about 240 printed pages) repeated ``--copies`` times (2.2 ≈
520 pages), imported from text and from .docx (the .docx is made from the same text with
LibreOffice by scripts/make_import_fixtures.py, not timed). Each source runs in a fresh
process on a throwaway test database, so its peak memory (RSS) is its own. The issue's
target: ≤ 60 s and ≤ 400 MiB each on this 2-core machine.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = ROOT / "tests" / "imports" / "data"


def make_text(copies: float, target: Path) -> Path:
    text = (DATA / "seed000_full.txt").read_text(encoding="utf-8")
    whole, part = int(copies), copies - int(copies)
    target.write_text(text * whole + text[: int(len(text) * part)], encoding="utf-8")
    return target


def run_one(path: Path) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    os.environ.setdefault("VAR_DIR", tempfile.mkdtemp(prefix="bench-import-"))
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from imports.services import import_file

        started = time.perf_counter()
        result = import_file(path, agency_name="กองนโยบายและแผนงาน")
        seconds = time.perf_counter() - started
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        return {
            "source": path.suffix,
            "bytes": path.stat().st_size,
            "seconds": round(seconds, 1),
            "peak_rss_mib": round(rss),
            "processes": result.counts["processes"],
            "subprocesses": result.counts["subprocesses"],
            "steps": result.counts["steps"],
            "share_kept": result.report["chars"]["share_kept"],
        }
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=float, default=2.2)
    parser.add_argument("--source", choices=["all", "text", "docx"], default="all")
    parser.add_argument("--one", help=argparse.SUPPRESS)  # child process: import this file
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(Path(args.one))))
        return
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        text = make_text(args.copies, work / "manual.txt")
        paths = []
        if args.source in ("all", "text"):
            paths.append(text)
        if args.source in ("all", "docx"):
            from scripts.make_import_fixtures import render_html, soffice

            os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
            html = work / "manual.html"
            html.write_text(render_html(text.read_text(encoding="utf-8")), encoding="utf-8")
            started = time.perf_counter()
            paths.append(soffice(html, "docx:MS Word 2007 XML", work))
            print(f"(.docx made by LibreOffice in {time.perf_counter() - started:.0f} s)")
        print(f"import of seed 000 × {args.copies} (≈ {int(240 * args.copies)} pages)")
        for path in paths:
            out = subprocess.run(
                [sys.executable, __file__, "--one", str(path)],
                check=True,
                capture_output=True,
                text=True,
            )
            row = json.loads(out.stdout.strip().splitlines()[-1])
            ok = row["seconds"] <= 60 and row["peak_rss_mib"] <= 400
            print(
                f"  {row['source']:5} {row['bytes'] / 1e6:5.1f} MB: {row['seconds']:5.1f} s, "
                f"peak {row['peak_rss_mib']} MiB, {row['processes']} processes, "
                f"{row['subprocesses']} sub-processes, {row['steps']} steps, "
                f"{row['share_kept'] * 100:.2f}% kept — {'ok' if ok else 'OVER TARGET'}"
            )


if __name__ == "__main__":
    main()
