"""Draw Table 4 charts to files.

python manage.py render_flowchart kpp-spsc ๑.๑ -o var/charts/kpp-spsc_1.1.png
python manage.py render_flowchart kpp-spsc 2.1 --edition 2567 -o chart.svg
python manage.py render_flowchart kpp-spsc 1.1 -o chart.bpmn      # BPMN 2.0 XML with diagram
python manage.py render_flowchart --all -o var/charts/
"""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.params import parse_int
from core.thai import arabic_digits, thai_digits
from flowcharts.embed import chart_filename
from flowcharts.render import ChartError, render
from flowcharts.selectors import chart_spec_for_process, edition_processes
from interop.bpmn import process_bpmn
from manuals.models import Edition, Manual
from manuals.selectors import edition_latest_published, edition_pick, manual_get

# file suffix -> render format; ".pdf-svg" is the outline SVG (text as paths) that prints right
FORMAT_BY_SUFFIX = {
    ".svg": "svg",
    ".png": "png",
    ".pdf-svg": "svg_outline",
    ".bpmn": "bpmn",  # BPMN 2.0 XML for bpmn.io, Camunda Modeler, Signavio
}


def _suffix(path: Path) -> str:
    name = path.name.lower()
    if name.endswith(".pdf-svg"):
        return ".pdf-svg"
    return path.suffix.lower()


def _number_parts(text: str) -> tuple[int, ...] | None:
    """ "๑.๑", "1.1", "1.1." -> (1, 1); None when it is not a process number."""
    numbers = tuple(parse_int(part) for part in arabic_digits(text).strip().strip(".").split("."))
    return None if None in numbers else numbers


class Command(BaseCommand):
    help = (
        "Draw the swimlane chart (ตารางที่ ๔) of one process to a file (.svg, .png, .pdf-svg ="
        " outline SVG for print, or .bpmn = BPMN 2.0 XML), or with --all every process of every"
        " published manual's latest edition as <manual-slug>_<number>.svg in a folder."
    )

    def add_arguments(self, parser):
        parser.add_argument("manual", nargs="?", help="manual slug or id, e.g. kpp-spsc")
        parser.add_argument("process", nargs="?", help="process number, e.g. ๑.๑ or 1.1.2")
        parser.add_argument("-o", "--output", required=True, help="output file (or folder)")
        parser.add_argument(
            "--edition",
            default=None,
            help="YEAR (พ.ศ., e.g. 2564), latest (published) or draft;"
            " default: latest published, else the draft",
        )
        parser.add_argument(
            "--all",
            action="store_true",
            help="every process of every published manual's latest edition, into -o FOLDER",
        )

    def handle(self, *args, **options):
        output = Path(options["output"])
        if options["all"]:
            if options["manual"] or options["process"] or options["edition"]:
                raise CommandError("--all takes no MANUAL, PROCESS or --edition (ใช้ --all เดี่ยว ๆ)")
            self._render_all(output)
            return
        if not options["manual"] or not options["process"]:
            raise CommandError(
                "ต้องระบุคู่มือและเลขกระบวนการ / give MANUAL and PROCESS (or --all):"
                " render_flowchart kpp-spsc 1.1 -o chart.png"
            )
        manual = self._manual(options["manual"])
        edition = self._edition(manual, options["edition"])
        process = self._process(edition, options["process"])
        if output.is_dir():
            output = output / chart_filename(process, "svg", manual_slug=manual.slug)
        fmt = FORMAT_BY_SUFFIX.get(_suffix(output))
        if fmt is None:
            raise CommandError(
                f"ไม่รู้จักชนิดไฟล์ {output.name!r} / unknown file type: use"
                f" {', '.join(FORMAT_BY_SUFFIX)}"
            )
        started = time.perf_counter()
        size = self._write(process, output, fmt)
        self.stdout.write(
            f"{output} · {thai_digits(process.number)} {process.name} · {edition.display_label}"
            f" · {size:,} bytes · {time.perf_counter() - started:.2f} s"
        )

    # ------------------------------------------------------------------ lookups

    def _manual(self, key: str) -> Manual:
        try:
            return manual_get(key=key)
        except Manual.DoesNotExist as exc:
            known = ", ".join(Manual.objects.order_by("slug").values_list("slug", flat=True)[:20])
            raise CommandError(
                f"ไม่พบคู่มือ {key!r} / unknown manual {key!r} (known: {known or '-'})"
            ) from exc

    def _edition(self, manual: Manual, which: str | None) -> Edition:
        if which is None:
            edition = edition_latest_published(manual=manual)
            if edition is None:
                edition = manual.editions.open().first()
            if edition is None:
                raise CommandError(f"คู่มือ {manual.slug} ยังไม่มีฉบับใด / manual has no edition")
            return edition
        try:
            return edition_pick(manual=manual, which=which)
        except Edition.DoesNotExist as exc:
            years = ", ".join(str(e.year_be) for e in manual.editions.order_by("year_be"))
            raise CommandError(
                f"ไม่พบฉบับ {which!r} ของคู่มือ {manual.slug} / no such edition"
                f" (editions: {years or '-'}; or latest, draft)"
            ) from exc

    def _process(self, edition: Edition, number: str):
        wanted = _number_parts(number)
        processes = edition_processes(edition=edition)
        for process in processes:
            if wanted is not None and process.number == ".".join(map(str, wanted)):
                return process
        known = " ".join(thai_digits(p.number) for p in processes)
        raise CommandError(
            f"ไม่พบกระบวนการ {number!r} ใน{edition.display_label} / unknown process {number!r}"
            f" (มี / known: {known or '-'})"
        )

    # ------------------------------------------------------------------ writing

    def _write(self, process, path: Path, fmt: str) -> int:
        try:
            if fmt == "bpmn":
                data = process_bpmn(process)
            else:
                data = render(chart_spec_for_process(process), fmt)
        except ChartError as error:
            raise CommandError(
                f"{thai_digits(process.number)} {process.name}: {error.message} ({error.detail})"
            ) from error
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return len(data)

    def _render_all(self, folder: Path) -> None:
        if folder.exists() and not folder.is_dir():
            raise CommandError(f"{folder} ไม่ใช่โฟลเดอร์ / is not a folder")
        folder.mkdir(parents=True, exist_ok=True)
        manuals = Manual.objects.filter(editions__status=Edition.Status.PUBLISHED).distinct()
        started = time.perf_counter()
        written, failed = 0, []
        for manual in manuals.order_by("slug"):
            edition = edition_latest_published(manual=manual)
            for process in edition_processes(edition=edition):
                path = folder / chart_filename(process, "svg", manual_slug=manual.slug)
                one = time.perf_counter()
                try:
                    size = self._write(process, path, "svg")
                except CommandError as error:
                    failed.append(str(error))
                    self.stderr.write(str(error))
                    continue
                written += 1
                self.stdout.write(f"{path} · {size:,} bytes · {time.perf_counter() - one:.2f} s")
        self.stdout.write(
            f"{written} charts written to {folder} in {time.perf_counter() - started:.2f} s"
        )
        if failed:
            raise CommandError(
                f"{len(failed)} charts failed (see above) / วาดไม่สำเร็จ {len(failed)} แผนผัง"
            )
