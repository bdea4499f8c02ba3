"""Word export timings: ``python bench/bench_docx.py [--copies 4] [--pages]``.

Works in a throw-away VAR_DIR (its own SQLite database and chart cache), builds the same
synthetic manual as ``bench_pdf.py`` (the demo's processes copied ``--copies`` times; 4 gives
about 560 printed pages), then times ``manual_docx`` on it twice in this process: cold (empty
chart and PNG caches: Graphviz and rsvg-convert run for every chart sheet) and warm (charts
cached, as after a PDF or an earlier Word export). With ``--pages`` LibreOffice converts the
.docx to PDF and the page count is printed (slow: a minute or more).
Goal on the 2-core machine: a 520-page manual's .docx in <= 30 s.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_pdf import prepare  # noqa: E402


def main() -> None:
    copies = int(sys.argv[sys.argv.index("--copies") + 1]) if "--copies" in sys.argv else 4
    var_dir = tempfile.mkdtemp(prefix="bench-docx-")
    print(f"work folder {var_dir}; preparing (migrate, demo, synthetic x{copies}) ...")
    ids = prepare(var_dir, copies)

    from interop.docx_export import manual_docx
    from processes.models import Process, Step

    edition_id = ids["synthetic"]
    steps = Step.objects.filter(process__edition_id=edition_id).count()
    processes = Process.objects.filter(edition_id=edition_id).count()
    print(f"synthetic manual: {processes} processes, {steps} steps")
    for label in ("cold", "warm"):
        started = time.perf_counter()
        data = manual_docx(edition_id=edition_id)
        seconds = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{label}: {seconds:6.2f} s  {len(data) / 1e6:5.1f} MB  peak {peak:.0f} MiB")
    target = Path(var_dir) / "synthetic.docx"
    target.write_bytes(data)
    if "--pages" in sys.argv:
        started = time.perf_counter()
        subprocess.run(
            ["soffice", f"-env:UserInstallation=file://{var_dir}/lo", "--headless",
             "--convert-to", "pdf", "--outdir", var_dir, str(target)],
            capture_output=True, check=True, timeout=900,
        )  # fmt: skip
        info = subprocess.run(
            ["pdfinfo", str(target.with_suffix(".pdf"))], capture_output=True, text=True
        ).stdout
        pages = next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages"))
        print(f"LibreOffice: {pages} pages, converted in {time.perf_counter() - started:.1f} s")
    print(f"written {target}")


if __name__ == "__main__":
    main()
