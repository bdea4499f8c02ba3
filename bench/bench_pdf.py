"""PDF export timings, before and after in one run:
``python bench/bench_pdf.py [--base /tmp/pdf-base] [--copies 4] [--workers N] [--skip-chromium]
[--fidelity]``.

Works in a throw-away VAR_DIR (its own SQLite database, cache and media): migrates, loads the
demo manual, builds a synthetic manual from the demo's processes copied ``--copies`` times (4
gives about 560 pages, a little more than the largest seed manual), then times, each in a fresh
process so its peak memory is its own: the demo manual, the synthetic manual (cold: empty chart
cache and page store), a re-export of the synthetic manual after one step's text changed (with
what the cold export left: chart cache, kept pages), a cached re-export of the demo, and the
same HTML printed by headless Chromium; ``--scenarios synthetic,reexport`` runs only those.
The PDF is made as the export task makes it: ``build_manual(workers=default_workers())``.

``--base DIR``: a checkout of the previous commit (``git worktree add /tmp/pdf-base <sha>``);
every scenario then runs with its code too ("before"), on its own copy of the database, cache
and media, and the figures are printed side by side with this checkout's ("after").
With ``--fidelity`` the synthetic manual's PDF also goes through the fidelity check
(``printing.fidelity.check_pdf``: text layer, Thai digits, broken words, sizes, near-empty
pages), and the findings are printed.

Memory, in MiB: "total" is the largest sum of the proportional resident sizes (Pss) of the
timing process and all its descendants (the layout workers, their fork server, Graphviz),
sampled every 100 ms; "parent" is the timing
process's own high-water mark (VmHWM) and "worker" the largest of its finished children's
(getrusage RUSAGE_CHILDREN).
Goals on the 2-core machine (issue 17): 520 pages <= 12 s cold on a quiet machine and
WeasyPrint / Chromium <= 2.5 in the same run, a re-export after one step changed <= 3 s,
<= 350 MiB summed memory, cached <= 0.5 s.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(os.environ.get("BENCH_ROOT") or Path(__file__).resolve().parent.parent)
sys.path.insert(0, str(ROOT))


def _setup(var_dir: str) -> None:
    os.environ["VAR_DIR"] = var_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _tree_rss_kib(root: int) -> int:
    """Proportional resident KiB (Pss: a page shared by n processes counts 1/n in each, so
    the workers forked from one server are not counted n times) of ``root`` and every
    process below it."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/status") as status:
                fields = dict(line.split(":", 1) for line in status if ":" in line)
        except OSError:
            continue
        pid = int(entry)
        children.setdefault(int(fields.get("PPid", "0").strip()), []).append(pid)
        rss[pid] = int(fields.get("VmRSS", "0 kB").split()[0])
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += _pss_kib(pid, rss.get(pid, 0))
        todo.extend(children.get(pid, []))
    return total


def _pss_kib(pid: int, fallback: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return fallback


class TreeMemory:
    """Samples the summed RSS of this process and its descendants in a thread."""

    def __init__(self) -> None:
        import threading

        self.peak_kib = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.1):
            self.peak_kib = max(self.peak_kib, _tree_rss_kib(os.getpid()))

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.peak_kib = max(self.peak_kib, _tree_rss_kib(os.getpid()))  # a run under 100 ms

    def report(self) -> dict:
        children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        return {"peak_mib": self.peak_kib / 1024, "parent_mib": _peak_mib(), "worker_mib": children}


def _copy_processes(source, target, copies: int) -> None:
    """The source edition's missions, processes, steps and flows, ``copies`` times over."""
    from manuals.models import Form, Lane
    from processes.models import (
        Flow,
        Indicator,
        LegalRequirement,
        Mission,
        Process,
        Requirement,
        Stakeholder,
        Step,
    )

    lanes = {}
    for lane in Lane.objects.filter(edition=source).order_by("position"):
        lanes[lane.pk] = Lane.objects.create(
            edition=target,
            name=lane.name,
            full_name=lane.full_name,
            kind=lane.kind,
            position=lane.position,
        )
    forms = {
        f.pk: Form.objects.create(edition=target, code=f.code, title=f.title)
        for f in Form.objects.filter(edition=source)
    }
    missions = list(Mission.objects.filter(edition=source).order_by("position"))
    position = 0
    for _copy in range(copies):
        for mission in missions:
            position += 1
            new_mission = Mission.objects.create(
                edition=target, position=position, unit=mission.unit, text=mission.text
            )
            procs = {}
            for process in Process.objects.filter(mission=mission).order_by("parent_id", "pk"):
                procs[process.pk] = Process.objects.create(
                    mission=new_mission,
                    edition=target,
                    parent=procs.get(process.parent_id),
                    position=process.position,
                    name=process.name,
                    scope_text=process.scope_text,
                    responsible_unit=process.responsible_unit,
                )
                new = procs[process.pk]
                for row in Stakeholder.objects.filter(process=process):
                    Stakeholder.objects.create(
                        process=new,
                        kind=row.kind,
                        name=row.name,
                        needs=row.needs,
                        position=row.position,
                    )
                for row in Requirement.objects.filter(process=process):
                    Requirement.objects.create(
                        process=new, kind=row.kind, text=row.text, position=row.position
                    )
                for row in Indicator.objects.filter(process=process):
                    Indicator.objects.create(
                        process=new,
                        kind=row.kind,
                        statement=row.statement,
                        target=row.target,
                        position=row.position,
                    )
                for row in LegalRequirement.objects.filter(process=process):
                    LegalRequirement.objects.create(
                        process=new,
                        reference=row.reference,
                        clause_note=row.clause_note,
                        position=row.position,
                    )
                steps = {}
                for step in Step.objects.filter(process=process).prefetch_related("forms"):
                    old_pk = step.pk
                    form_ids = [f.pk for f in step.forms.all()]
                    step.pk = None
                    step.id = None
                    step.process = new
                    step.lane = lanes.get(step.lane_id)
                    step.save()
                    step.forms.set([forms[f] for f in form_ids if f in forms])
                    steps[old_pk] = step
                for flow in Flow.objects.filter(source__process=process):
                    if flow.target_id in steps:
                        Flow.objects.create(
                            source=steps[flow.source_id],
                            target=steps[flow.target_id],
                            label=flow.label,
                            kind=flow.kind,
                            position=flow.position,
                        )


def prepare(var_dir: str, copies: int) -> dict:
    _setup(var_dir)
    from django.core.management import call_command

    from manuals.models import Edition, Manual

    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0)
    demo = Edition.objects.get(manual__slug="kpp-spsc", status="published")
    manual = Manual.objects.create(agency=demo.manual.agency, slug="bench-synthetic")
    synthetic = Edition.objects.create(
        manual=manual,
        year_be=2567,
        preface=demo.preface,
        executive_summary=demo.executive_summary,
        background=demo.background,
        objectives=demo.objectives,
        structure_duties=demo.structure_duties,
    )
    from manuals.models import Abbreviation, Definition, Responsibility

    for model, fields in (
        (Definition, ("term", "meaning")),
        (Abbreviation, ("short", "full")),
        (Responsibility, ("holder", "duties")),
    ):
        for row in model.objects.filter(edition=demo):
            model.objects.create(
                edition=synthetic, position=row.position, **{f: getattr(row, f) for f in fields}
            )
    _copy_processes(demo, synthetic, copies)
    return {"demo": demo.pk, "synthetic": synthetic.pk}


def _change_one_step(edition_id: int) -> None:
    """One clerk's edit: a step in the middle of the manual gets a longer detail (its Table 3
    and 5 rows and, through its label, its chart change)."""
    from processes.models import Step

    steps = Step.objects.filter(process__edition_id=edition_id).order_by("process_id", "pk")
    step = steps[steps.count() // 2]
    step.detail = (step.detail or "") + " และแจ้งผลให้ผู้ยื่นคำขอทราบภายในวันเดียวกัน"
    step.save(update_fields=["detail"])


def scenario(var_dir: str, name: str, edition_id: int) -> dict:
    """One timing, in this (fresh) process."""
    _setup(var_dir)
    from django.core.cache import caches

    from manuals.models import Edition
    from printing.builder import build_manual, default_workers, manual_html
    from printing.services import export_ensure

    if name == "fidelity":
        return fidelity(var_dir, edition_id)
    if name.endswith("-html"):
        html = manual_html(edition_id)
        (Path(var_dir) / f"{name[:-5]}.html").write_text(_standalone_html(html), encoding="utf-8")
        return {}

    if name == "cached":
        edition = Edition.objects.get(pk=edition_id)
        export_ensure(edition=edition)  # make sure it exists
        with TreeMemory() as memory:
            start = time.perf_counter()
            export = export_ensure(edition=edition)
            seconds = time.perf_counter() - start
        return {"pages": export.page_count, "seconds": seconds, **memory.report()}
    workers = int(os.environ.get("BENCH_WORKERS") or default_workers())
    if name == "reexport":
        # what the cold export of this side left (chart cache, kept pages) is still there; this
        # fresh process pays for loading the templates and the Thai dictionary, as a worker's
        # first export does
        _change_one_step(edition_id)
    else:
        caches["default"].clear()  # cold: no chart cache, and no laid-out pages kept
        shutil.rmtree(Path(var_dir) / "media" / "pdfparts", ignore_errors=True)
    with TreeMemory() as memory:
        start = time.perf_counter()
        built = build_manual(edition_id, workers=workers, keep_html=False)
        seconds = time.perf_counter() - start
    out = Path(var_dir) / f"{name}.pdf"
    out.write_bytes(built.pdf)
    return {
        "pages": built.page_count,
        "seconds": seconds,
        "workers": workers,
        **memory.report(),
        "pdf": str(out),
    }


def fidelity(var_dir: str, edition_id: int) -> dict:
    """The fidelity check (printing.fidelity) on the synthetic manual's PDF: every heading and
    step detail in the text layer, Thai digits, no break inside the manual's words, no text
    under 9 pt, no near-empty table page."""
    from core.thai import thai_digits
    from printing.builder import duration_items
    from printing.fidelity import check_pdf
    from printing.selectors import printable_edition
    from printing.wordbreak import Vocabulary
    from processes.models import Process, Step

    data = printable_edition(edition_id=edition_id)
    details = [
        thai_digits(item)
        for detail, duration in Step.objects.filter(process__edition_id=edition_id)
        .exclude(detail="")
        .values_list("detail", "duration_text")
        for item, _time in duration_items(detail, duration)
    ]
    headings = [
        f"{thai_digits(p.number)} {p.name}"
        for p in Process.objects.filter(edition_id=edition_id).select_related("mission", "parent")
    ]
    # the PDF of the manual as it is now: after the "one step changed" scenario that is the
    # re-export's (the cold PDF no longer has that step's new text)
    pdf = Path(var_dir) / "reexport.pdf"
    if not pdf.exists():
        pdf = Path(var_dir) / "synthetic.pdf"
    start = time.perf_counter()
    findings = check_pdf(
        pdf,
        expected=headings + details,
        vocabulary=Vocabulary.for_edition(data),
    )
    kinds: dict[str, int] = {}
    for finding in findings:
        kinds[finding.kind] = kinds.get(finding.kind, 0) + 1
    return {
        "seconds": time.perf_counter() - start,
        "checked": len(headings) + len(details),
        "pdf": pdf.name,
        "kinds": kinds,
        "first": [str(f) for f in findings[:15]],
    }


def _standalone_html(html: str) -> str:
    from printing.builder import base_css, page_css

    style = f"<style>{base_css()}\n{page_css('')}</style>"
    return html.replace("</head>", style + "</head>", 1)


def chromium(var_dir: str, name: str) -> dict:
    html = Path(var_dir) / f"{name}.html"
    pdf = Path(var_dir) / f"{name}-chromium.pdf"
    start = time.perf_counter()
    subprocess.run(
        [
            "/usr/bin/chromium",
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            html.as_uri(),
        ],
        capture_output=True,
        timeout=600,
        check=False,
    )
    seconds = time.perf_counter() - start
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    pages = int(next((ln.split()[-1] for ln in info.splitlines() if ln.startswith("Pages:")), 0))
    return {"pages": pages, "seconds": seconds}


def _child(
    var_dir: str, name: str, edition_id: int, workers: int | None = None, root: Path = ROOT
) -> dict:
    env = {**os.environ, "BENCH_WORKERS": str(workers or ""), "BENCH_ROOT": str(root)}
    done = subprocess.run(
        [sys.executable, __file__, "--child", var_dir, name, str(edition_id)],
        capture_output=True,
        text=True,
        check=False,
        env=env,
        cwd=root,
    )
    if done.returncode != 0:
        sys.stderr.write(done.stderr[-3000:])
        raise SystemExit(f"scenario {name} failed ({root})")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _line(label: str, r: dict) -> str:
    per_page = r["seconds"] / r["pages"] if r.get("pages") else float("nan")
    peak = ""
    if "peak_mib" in r:
        peak = (
            f" {r['peak_mib']:5.0f} MiB total (parent {r['parent_mib']:.0f},"
            f" worker {r['worker_mib']:.0f})"
        )
    return f"{label:34} {r['pages']:5d} pages {r['seconds']:7.2f} s {per_page:7.4f} s/page{peak}"


def _copy_var(var_dir: str, name: str) -> str:
    """A copy of the prepared database for one side, with its own (empty) cache and media."""
    copy = Path(var_dir) / name
    copy.mkdir()
    shutil.copy(Path(var_dir) / "db.sqlite3", copy / "db.sqlite3")
    return str(copy)


SCENARIOS = (
    ("demo", "demo", "demo manual (cold)"),
    ("synthetic", "synthetic", "synthetic manual (cold)"),
    ("reexport", "synthetic", "synthetic, one step changed"),
    ("cached", "demo", "demo manual, cached re-export"),
)


def main() -> None:
    if sys.argv[1:2] == ["--child"]:
        var_dir, name, edition_id = sys.argv[2], sys.argv[3], int(sys.argv[4])
        print(json.dumps(scenario(var_dir, name, edition_id)))
        return
    copies = int(sys.argv[sys.argv.index("--copies") + 1]) if "--copies" in sys.argv else 4
    workers = int(sys.argv[sys.argv.index("--workers") + 1]) if "--workers" in sys.argv else None
    base = Path(sys.argv[sys.argv.index("--base") + 1]) if "--base" in sys.argv else None
    wanted = [s[0] for s in SCENARIOS]
    if "--scenarios" in sys.argv:
        wanted = sys.argv[sys.argv.index("--scenarios") + 1].split(",")
    scenarios = [s for s in SCENARIOS if s[0] in wanted]
    var_dir = tempfile.mkdtemp(prefix="bench-pdf-")
    print(f"work folder {var_dir}; preparing (migrate, demo, synthetic x{copies}) ...")
    ids = prepare(var_dir, copies)
    sides = [("after", ROOT)] + ([("before", base.resolve())] if base else [])
    results: dict[str, dict[str, dict]] = {}
    # the sides take turns per scenario, so a change in the machine's load hits both alike
    for name, edition, label in scenarios:
        for side, root in sides:
            side_var = str(Path(var_dir) / side)
            if not Path(side_var).exists():
                side_var = _copy_var(var_dir, side)
            r = _child(side_var, name, ids[edition], workers, root)
            results.setdefault(side, {})[name] = r
            print(_line(f"{label} [{side}]", r), flush=True)
    print(f"layout workers: {next(iter(results['after'].values())).get('workers')}")
    if "--fidelity" in sys.argv:
        found = _child(str(Path(var_dir) / "after"), "fidelity", ids["synthetic"], workers)
        total = sum(found["kinds"].values())
        print(
            f"fidelity check of the synthetic manual: {total} findings {found['kinds']}"
            f" ({found['checked']} headings and details in {found['pdf']},"
            f" {found['seconds']:.1f} s)"
        )
        for line in found["first"]:
            print(f"  {line}")
    if "--skip-chromium" not in sys.argv:
        for name in [n for n in ("demo", "synthetic") if n in wanted]:
            side_var = str(Path(var_dir) / "after")
            _child(side_var, f"{name}-html", ids[name])
            chrome = chromium(side_var, name)
            print(_line(f"{name}: same HTML, Chromium", chrome))
            for side, _root in sides:
                weasy = results[side][name]
                print(
                    f"{'':34} [{side}] WeasyPrint / Chromium = "
                    f"{weasy['seconds'] / chrome['seconds']:.2f} (time),"
                    f" pages {weasy['pages']} vs {chrome['pages']}"
                )
    if base:
        print("after / before (time, summed memory):")
        for name, _edition, label in scenarios:
            a, b = results["after"][name], results["before"][name]
            print(
                f"  {label:34} {a['seconds'] / b['seconds']:5.2f} x time,"
                f" {a['peak_mib'] / b['peak_mib']:5.2f} x memory"
            )
    print(
        "goals: 520 pages <= 12 s cold (quiet machine), WeasyPrint/Chromium <= 2.5,"
        " one step changed <= 3 s, <= 350 MiB summed memory, cached <= 0.5 s"
    )


if __name__ == "__main__":
    main()
