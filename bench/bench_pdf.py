"""PDF export timings: ``python bench/bench_pdf.py [--copies 3] [--skip-chromium]``.

Works in a throw-away VAR_DIR (its own SQLite database, cache and media): migrates, loads the
demo manual, builds a synthetic manual from the demo's processes copied ``--copies`` times (3
gives about the largest seed manual), then times, each in a fresh process so its peak memory is
its own: the demo manual, the synthetic manual (cold: empty chart and PDF caches), a cached
re-export of the demo, and the same HTML printed by headless Chromium.
Goals on the 2-core machine: 520 pages <= 20 s cold (<= 0.04 s/page), <= 350 MiB, cached <= 0.5 s.
"""

from __future__ import annotations

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


def _setup(var_dir: str) -> None:
    os.environ["VAR_DIR"] = var_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


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


def scenario(var_dir: str, name: str, edition_id: int) -> dict:
    """One timing, in this (fresh) process."""
    _setup(var_dir)
    from django.core.cache import caches

    from manuals.models import Edition
    from printing.builder import build_manual
    from printing.services import export_ensure

    if name == "cached":
        edition = Edition.objects.get(pk=edition_id)
        export_ensure(edition=edition)  # make sure it exists
        start = time.perf_counter()
        export = export_ensure(edition=edition)
        seconds = time.perf_counter() - start
        return {"pages": export.page_count, "seconds": seconds, "peak_mib": _peak_mib()}
    caches["default"].clear()  # cold: no chart cache either
    start = time.perf_counter()
    built = build_manual(edition_id)
    seconds = time.perf_counter() - start
    out = Path(var_dir) / f"{name}.pdf"
    out.write_bytes(built.pdf)
    (Path(var_dir) / f"{name}.html").write_text(_standalone_html(built.html), encoding="utf-8")
    return {"pages": built.page_count, "seconds": seconds, "peak_mib": _peak_mib(), "pdf": str(out)}


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


def _child(var_dir: str, name: str, edition_id: int) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, "--child", var_dir, name, str(edition_id)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def _line(label: str, r: dict) -> str:
    per_page = r["seconds"] / r["pages"] if r.get("pages") else float("nan")
    peak = f"{r['peak_mib']:7.0f} MiB" if "peak_mib" in r else "        -"
    return f"{label:34} {r['pages']:5d} pages {r['seconds']:8.2f} s {per_page:7.4f} s/page {peak}"


def main() -> None:
    if sys.argv[1:2] == ["--child"]:
        var_dir, name, edition_id = sys.argv[2], sys.argv[3], int(sys.argv[4])
        print(json.dumps(scenario(var_dir, name, edition_id)))
        return
    copies = int(sys.argv[sys.argv.index("--copies") + 1]) if "--copies" in sys.argv else 3
    var_dir = tempfile.mkdtemp(prefix="bench-pdf-")
    print(f"work folder {var_dir}; preparing (migrate, demo, synthetic x{copies}) ...")
    ids = prepare(var_dir, copies)
    demo = _child(var_dir, "demo", ids["demo"])
    print(_line("demo manual (cold)", demo))
    synthetic = _child(var_dir, "synthetic", ids["synthetic"])
    print(_line("synthetic manual (cold)", synthetic))
    cached = _child(var_dir, "cached", ids["demo"])
    print(_line("demo manual, cached re-export", cached))
    if "--skip-chromium" not in sys.argv:
        for name, weasy in (("demo", demo), ("synthetic", synthetic)):
            chrome = chromium(var_dir, name)
            print(_line(f"{name}: same HTML, Chromium", chrome))
            print(
                f"{'':34} WeasyPrint / Chromium = {weasy['seconds'] / chrome['seconds']:.2f}"
                f" (time), pages {weasy['pages']} vs {chrome['pages']}"
            )
    print("goals: 520 pages <= 20 s cold (<= 0.04 s/page), <= 350 MiB peak, cached <= 0.5 s")


if __name__ == "__main__":
    main()
